"""The secretariat's set-up checklist: what the congress still needs before the day."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from governance.domain.delegates import Role
from governance.domain.errors import CongressNotFound
from web.i18n import _
from web.pages.common import call, suara
from web.security import require_role
from web.templating import render


@dataclass(frozen=True)
class Step:
    """One line of the checklist: done or not, what it says, where to go to do it."""

    done: bool
    text: str
    href: str


async def setup_page(request: Request) -> Response:
    app = suara(request)
    congress = await call(app.queries.congress, str(request.path_params["congress_id"]))
    if congress is None:
        raise CongressNotFound()
    require_role(request, congress.id, Role.SECRETARIAT)
    base = f"/congresses/{congress.id}"
    roster = await call(app.queries.delegates, congress.id)
    delegates = len(roster)
    # Officials' cards (chair, secretariat, observer) are not delegates' cards.
    holding = await call(app.queries.delegates_with_card, congress.id)
    identity = sum(d.id in holding for d in roster)
    voting = await call(app.queries.voting_cards, congress.id)
    attendance = await call(app.queries.attendance, congress.id)
    _rules, adopted = await call(app.queries.rules, congress.id)
    agenda = len(await call(app.queries.agenda, congress.id))
    positions = len(await call(app.queries.positions, congress.id))
    statute = await call(app.queries.adart.statute, congress.id)
    observers = len(await call(app.trust.observers, congress.id))
    steps = [
        Step(delegates > 0, _("Delegates imported: %(n)s") % {"n": delegates}, f"{base}/delegates"),
        Step(
            identity >= delegates > 0,
            _("Identity cards issued: %(n)s of %(all)s") % {"n": identity, "all": delegates},
            f"{base}/cards",
        ),
        Step(
            voting >= delegates > 0,
            _("Anonymous voting cards registered: %(n)s") % {"n": voting},
            f"{base}/cards",
        ),
        Step(agenda > 0, _("Agenda items: %(n)s") % {"n": agenda}, f"{base}/agenda"),
        Step(positions > 0, _("Positions to fill: %(n)s") % {"n": positions}, f"{base}/positions"),
        Step(statute is not None, _("AD/ART draft imported"), f"{base}/adart"),
        Step(
            observers > 0,
            _("Tally observers registered: %(n)s") % {"n": observers},
            f"{base}/observers",
        ),
        Step(
            attendance.present > 0,
            _("Checked in: %(p)s of %(e)s") % {"p": attendance.present, "e": attendance.entitled},
            f"{base}/checkin",
        ),
        Step(adopted, _("Rules of procedure adopted"), f"{base}/agenda"),
    ]
    context = {"congress": congress, "steps": steps, "done": sum(s.done for s in steps)}
    return render(request, "congresses/setup.html", context, no_store=True)
