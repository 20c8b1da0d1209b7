"""Jinja2 templates with gettext, the CSRF token and the language switch in every context."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from web import i18n, labels
from web.security import IDLE_TIMEOUT_S, csrf_token

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))
TEMPLATES.env.add_extension("jinja2.ext.i18n")
TEMPLATES.env.install_gettext_callables(  # type: ignore[attr-defined]
    i18n._, i18n.ngettext, newstyle=True
)
TEMPLATES.env.filters["number"] = i18n.number
TEMPLATES.env.filters["date"] = i18n.date
TEMPLATES.env.filters["datetime"] = i18n.datetime
TEMPLATES.env.filters["time"] = i18n.time_of_day
for _name in ("region", "membership", "method", "method_help", "outcome", "option"):
    TEMPLATES.env.filters[_name] = getattr(labels, _name)


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    no_store: bool = False,
) -> Response:
    """Render a page; `no_store` keeps receipts and ballots out of every cache."""
    full = {
        "csrf_token": csrf_token(request),
        "lang": i18n.current_language(),
        "session": request.session,
        "site_title": request.app.state.suara.settings.site_title,
        "idle_seconds": IDLE_TIMEOUT_S,
        **(context or {}),
    }
    response = TEMPLATES.TemplateResponse(request, name, full, status_code=status)
    response.headers["cache-control"] = "no-store" if no_store else "private, no-cache"
    return response
