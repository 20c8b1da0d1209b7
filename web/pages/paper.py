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
from governance.domain.errors import CongressNotFound, InvalidChoice
from governance.domain.polls import METHODS
from web.forms import single
from web.pages.common import call, checked_form, load_poll, redirect, suara
from web.security import acting_official, has_role, require_role
from web.templating import render


async def agenda_page(request: Request) -> Response:
    app = suara(request)
    congress = await call(app.queries.congress, str(request.path_params["congress_id"]))
    if congress is None:
        raise CongressNotFound()
    rules, adopted = await call(app.queries.rules, congress.id)
    context = {
        "congress": congress,
        "items": await call(app.queries.agenda, congress.id),
        "rules": rules,
        "adopted": adopted,
        "methods": METHODS,
        "secretariat": has_role(request, congress.id, Role.SECRETARIAT),
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
    )
    await call(suara(request).bus.handle, command, by=acting_official(request, congress_id))
    return redirect(f"/congresses/{congress_id}/agenda")


def _proposed_rules(form: FormData) -> dict[str, object] | None:
    """The rules a motion adopts, when the secretariat ticks 'adopts the rules'."""
    if single(form, "adopts_rules", required=False, max_length=3) != "yes":
        return None
    seconders = single(form, "seconders", max_length=2)
    if not seconders.isdigit():
        raise InvalidChoice("seconders")
    return {
        "quorum": single(form, "quorum", required=False, max_length=10),
        "majority": single(form, "majority", max_length=10),
        "majority_base": single(form, "majority_base", max_length=10),
        "qualified": single(form, "qualified", required=False, max_length=3) == "yes",
        "seconders": int(seconders),
        "acclamation": single(form, "acclamation", required=False, max_length=3) == "yes",
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
    )
    poll_id = await call(
        suara(request).bus.handle, command, by=acting_official(request, congress_id)
    )
    return redirect(f"/polls/{poll_id}")


def _paper_line(line: str, options: int) -> tuple[int, ...]:
    """One paper ballot: option numbers as printed (1-based), in order of preference."""
    parts = [p.strip() for p in line.replace(" ", ",").split(",") if p.strip()]
    if any(not p.isdigit() or not 1 <= int(p) <= options for p in parts):
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
        by=acting_official(request, poll.congress_id),
    )
    return redirect(f"/polls/{poll.id}#paper")
