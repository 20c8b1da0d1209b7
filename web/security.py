"""Sessions, CSRF tokens, origin checks and security headers."""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from governance.domain.delegates import Role
from governance.domain.errors import NotAllowed
from governance.service_layer.audit import Actor

IDLE_TIMEOUT_S = 30 * 60
ABSOLUTE_TIMEOUT_S = 12 * 3600
CSRF_FIELD = "csrf_token"


class CsrfFailed(NotAllowed):
    code = "csrf_failed"


def now() -> int:
    """The clock sessions are timed by (tests move it)."""
    return int(time.time())


def fresh_session(request: Request, **values: Any) -> None:
    """Replace the session wholesale (sign-in, card switch, sign-out): a new id and token."""
    request.session.clear()
    started = now()
    request.session.update(
        {
            "sid": secrets.token_urlsafe(16),
            "csrf": secrets.token_urlsafe(24),
            "iat": started,
            "seen": started,
        }
    )
    request.session.update(values)


def touch_session(request: Request) -> None:
    """Expire idle or old sessions; make sure an anonymous visitor has a CSRF token."""
    session = request.session
    current = now()
    if session and (
        current - int(session.get("seen", 0)) > IDLE_TIMEOUT_S
        or current - int(session.get("iat", 0)) > ABSOLUTE_TIMEOUT_S
    ):
        fresh_session(request)
    if "csrf" not in session:
        fresh_session(request)
    elif current - int(session.get("seen", 0)) > 60:
        session["seen"] = current


def csrf_token(request: Request) -> str:
    return str(request.session.get("csrf", ""))


def check_csrf(request: Request, submitted: str) -> None:
    """Synchronizer token tied to the session, plus a same-origin check where browsers send one."""
    expected = request.session.get("csrf")
    if not expected or not submitted or not hmac.compare_digest(str(expected), submitted):
        raise CsrfFailed()
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise CsrfFailed()
    origin = request.headers.get("origin")
    if origin and origin != "null" and origin != f"{request.url.scheme}://{request.url.netloc}":
        raise CsrfFailed()


def role(request: Request) -> Role | None:
    value = request.session.get("role")
    return Role(value) if value else None


def require_role(request: Request, congress_id: str, *roles: Role) -> Actor:
    """Refuse unless the session's card has one of the roles here; return it for the audit log."""
    current = role(request)
    if request.session.get("cid") != congress_id or current not in roles:
        raise NotAllowed()
    return Actor(congress_id, current.value, int(request.session.get("card", 0)))


def acting_official(request: Request, congress_id: str, *also: Role) -> Actor | None:
    """The chair or secretariat (or `also` an observer) behind a request, for the audit log;
    None for anyone else."""
    if has_role(request, congress_id, Role.CHAIR, Role.SECRETARIAT, *also):
        return Actor(congress_id, str(request.session["role"]), int(request.session.get("card", 0)))
    return None


def require_delegate(request: Request, congress_id: str) -> str:
    """The signed-in delegate's id (identity card of a delegate in this congress)."""
    require_role(request, congress_id, Role.DELEGATE)
    delegate_id = request.session.get("did")
    if not delegate_id:
        raise NotAllowed()
    return str(delegate_id)


def has_role(request: Request, congress_id: str, *roles: Role) -> bool:
    return request.session.get("cid") == congress_id and role(request) in roles


SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(self), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}


_ENCODED_HEADERS = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]


class SecurityHeadersMiddleware:
    """Adds the same strict headers to every response."""

    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app = app
        # Behind HTTPS the browser is told to use nothing else for a year (no subdomains: the
        # congress's name may share a domain with other sites).
        hsts_header = [(b"strict-transport-security", b"max-age=31536000")] if hsts else []
        self.headers = _ENCODED_HEADERS + hsts_header

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = self.headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # One pass over the response's headers, then the missing ones appended: this
                # runs on every response, ballots included.
                raw = list(message.get("headers", []))
                present = {name.lower() for name, _ in raw}
                raw.extend(h for h in headers if h[0] not in present)
                message["headers"] = raw
            await send(message)

        await self.app(scope, receive, send_with_headers)
