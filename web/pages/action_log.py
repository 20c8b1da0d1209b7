"""The action log (audit log) page: every chair and secretariat action, for observers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from governance.domain.delegates import Role
from web.pages.common import call, suara
from web.security import require_role
from web.templating import render

AUDIT_READERS = (Role.OBSERVER, Role.CHAIR, Role.SECRETARIAT)


async def action_log(request: Request) -> Response:
    congress_id = str(request.path_params["congress_id"])
    require_role(request, congress_id, *AUDIT_READERS)
    entries = await call(suara(request).queries.audit, congress_id)
    corrections = await call(suara(request).queries.congress_corrections, congress_id)
    context = {"congress_id": congress_id, "entries": entries, "corrections": corrections}
    return render(request, "congresses/audit.html", context, no_store=True)
