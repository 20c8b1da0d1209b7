"""The agenda, motions (including the rules of procedure) and paper ballot batches."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from governance.domain.commands import (
    AddAgendaItem,
    ConfirmPaperBatch,
    CreatePoll,
    EnterPaperBatch,
)
from governance.domain.delegates import Role
from governance.domain.errors import CongressNotFound, InvalidChoice, InvalidInput
from governance.domain.plenary_commands import AttachPoll
from governance.domain.plenary_errors import AgendaItemNotFound
from governance.domain.polls import METHODS
from governance.domain.rules import Rules
from web.forms import single
from web.i18n import _
from web.pages.common import call, checked_form, load_poll, redirect, suara
from web.security import acting_official, has_role, require_role
from web.templating import render


async def agenda_page(request: Request) -> Response:
    app = suara(request)
    position = await call(app.queries.log_position)  # before the state the page shows
    congress = await call(app.queries.congress, str(request.path_params["congress_id"]))
    if congress is None:
        raise CongressNotFound()
    rules, adopted = await call(app.queries.rules, congress.id)
    context = {
        "congress": congress,
        "items": await call(app.queries.plenary.agenda, congress.id),
        "sitting": await call(app.queries.plenary.sitting, congress.id),
        "rules": rules,
        "tie_cascades": tie_cascades(),
        "adopted": adopted,
        "methods": METHODS,
        "secretariat": has_role(request, congress.id, Role.SECRETARIAT),
        "chair": has_role(request, congress.id, Role.CHAIR),
        "live_after": position,
        "back": f"/congresses/{congress.id}/agenda",
    }
    return render(request, "congresses/agenda.html", context)


async def add_agenda_item(request: Request) -> Response:
    congress_id = str(request.path_params["congress_id"])
    form = await checked_form(request)
    require_role(request, congress_id, Role.SECRETARIAT)
    command = AddAgendaItem(
        congress_id,
        single(form, "session", max_length=200),
        single(form, "kind", max_length=20),
        single(form, "title", max_length=300),
        starts_at=single(form, "starts_at", required=False, max_length=5),
        minutes=_count(form, "minutes", 0, 0, 24 * 60),
    )
    await call(suara(request).bus.handle, command, by=acting_official(request, congress_id))
    return redirect(f"/congresses/{congress_id}/agenda")


def tie_cascades() -> list[tuple[str, str]]:
    """The orders a tata tertib may give the settling of a tie (issue 14), in words."""
    return [
        ("revote,musyawarah,lot", _("a re-vote among the tied, then musyawarah, then a lot")),
        ("musyawarah,revote,lot", _("musyawarah, then a re-vote among the tied, then a lot")),
        ("musyawarah,lot", _("musyawarah, then a lot")),
        ("revote,lot", _("a re-vote among the tied, then a lot")),
        ("lot", _("a lot drawn in front of the hall")),
    ]


def _count(form: FormData, name: str, default: int, low: int, high: int) -> int:
    """A whole number from the form; empty gives the default, anything else out of range 422."""
    text = single(form, name, required=False, max_length=5).strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise InvalidInput(name)
    return int(text)


def _fraction_field(form: FormData, name: str, default: str) -> str:
    return single(form, name, required=False, max_length=10).strip() or default


def _proposed_rules(form: FormData) -> dict[str, object] | None:
    """The rules a motion adopts, when the secretariat ticks 'adopts the rules'."""
    if single(form, "adopts_rules", required=False, max_length=3) != "yes":
        return None
    seconders = single(form, "seconders", max_length=2)
    if not (seconders.isascii() and seconders.isdigit()):
        raise InvalidChoice("seconders")
    defaults = Rules()
    return {
        "quorum": single(form, "quorum", required=False, max_length=10),
        "majority": single(form, "majority", max_length=10),
        "majority_base": single(form, "majority_base", max_length=10),
        "qualified": single(form, "qualified", required=False, max_length=3) == "yes",
        "seconders": int(seconders),
        "acclamation": single(form, "acclamation", required=False, max_length=3) == "yes",
        # The plenary: empty fields keep the defaults.
        "motion_seconders": _count(form, "motion_seconders", defaults.motion_seconders, 0, 50),
        "speaking_seconds": 60
        * _count(form, "speaking_minutes", defaults.speaking_seconds // 60, 0, 60),
        "point_of_order_seconds": 60
        * _count(form, "point_of_order_minutes", defaults.point_of_order_seconds // 60, 0, 60),
        "alternate_caucus": single(form, "alternate_caucus", required=False, max_length=3) == "yes",
        "first_speakers_first": single(form, "first_speakers_first", required=False, max_length=3)
        == "yes",
        "suspension_minutes": _count(
            form, "suspension_minutes", defaults.suspension_minutes, 1, 24 * 60
        ),
        "ad_majority": _fraction_field(form, "ad_majority", defaults.ad_majority),
        "art_majority": _fraction_field(form, "art_majority", defaults.art_majority),
        "adart_quorum": _fraction_field(form, "adart_quorum", defaults.adart_quorum),
        # Elections (issue 14): how a tie for a seat is settled; exclusive positions.
        "tie_cascade": single(form, "tie_cascade", required=False, max_length=40)
        or defaults.tie_cascade,
        "exclusive_offices": single(form, "allow_two_exclusive", required=False, max_length=3)
        != "yes",
    }


async def create_motion(request: Request) -> Response:
    """Draft a yes/no motion; one that adopts the rules of procedure carries them."""
    congress_id = str(request.path_params["congress_id"])
    form = await checked_form(request)
    require_role(request, congress_id, Role.SECRETARIAT)
    command = CreatePoll(
        congress_id=congress_id,
        title=single(form, "title", max_length=300),
        description=single(form, "description", required=False, max_length=2000),
        proposed_rules=_proposed_rules(form),
        # A procedural motion may be an open (roll-call) vote; votes on persons never are.
        named=single(form, "named", required=False, max_length=3) == "yes",
    )
    app = suara(request)
    actor = acting_official(request, congress_id)
    item_id = single(form, "item", required=False, max_length=40)
    if item_id:  # checked first, so a wrong item creates nothing
        found = await call(app.queries.plenary.item, item_id)
        if found is None or found.item.congress_id != congress_id:
            raise AgendaItemNotFound()
    poll_id = await call(app.bus.handle, command, by=actor)
    if item_id:
        await call(app.bus.handle, AttachPoll(item_id, poll_id), by=actor)
    return redirect(f"/polls/{poll_id}")


def _paper_line(line: str, options: int) -> tuple[int, ...]:
    """One paper ballot: option numbers as printed (1-based), in order of preference."""
    parts = [p.strip() for p in line.replace(" ", ",").split(",") if p.strip()]
    if any(not (p.isascii() and p.isdigit()) or not 1 <= int(p) <= options for p in parts):
        raise InvalidChoice(line)
    return tuple(int(p) - 1 for p in parts)


def _who(request: Request) -> str:
    return f"card {request.session.get('card')}"


async def enter_batch(request: Request) -> Response:
    poll = await load_poll(request)
    form = await checked_form(request)
    require_role(request, poll.congress_id, Role.SECRETARIAT)
    text = single(form, "ballots", max_length=20_000)
    choices = tuple(
        _paper_line(line, len(poll.options)) for line in text.splitlines() if line.strip()
    )
    command = EnterPaperBatch(poll.id, _who(request), choices)
    await call(suara(request).bus.handle, command, by=acting_official(request, poll.congress_id))
    return redirect(f"/polls/{poll.id}#paper")


async def confirm_batch(request: Request) -> Response:
    poll = await load_poll(request)
    await checked_form(request)
    require_role(request, poll.congress_id, Role.SECRETARIAT, Role.OBSERVER)
    batch_id = str(request.path_params["batch_id"])
    await call(
        suara(request).bus.handle,
        ConfirmPaperBatch(batch_id, _who(request), poll.id),
        # An observer's confirmation is in the action log too, with its card (issue 18).
        by=acting_official(request, poll.congress_id, Role.OBSERVER),
    )
    return redirect(f"/polls/{poll.id}#paper")
