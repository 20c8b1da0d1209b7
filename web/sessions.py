"""The session cookie, encrypted, and the server-side check that a session's card still holds.

The cookie was signed but readable: base64 JSON with the alias, the card number, the voting
card's tag and a receipt not yet viewed, so a seized phone or a copied cookie told all of it.
Now it is sealed with AES-GCM (the `cryptography` package) under a key derived from the
server's secret: whoever holds the cookie can present it but not read it, and any change to it
makes it an empty session. A voting card's session cookie has no Max-Age, so it ends with the
browser session; an identity card's keeps the 12-hour Max-Age (the server ends both sooner:
30 minutes idle, 12 hours at most).

Sessions end when their card's session version moves (issue 18): sign-out, switching cards and
revocation move it, and every request of a signed-in session compares it with the database,
so a cookie copied before sign-out, or the session of a revoked card, acts no more.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from collections.abc import Callable
from typing import Any, TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from governance.bootstrap import Suara
from governance.service_layer import auth
from web.security import fresh_session

T = TypeVar("T")

COOKIE = "suara_session"
_NONCE = 12
MAX_COOKIE_CHARS = 3800  # browsers drop cookies over 4 KB: refuse rather than lose a session


class SessionSealer:
    """Seals a session (a JSON object) into a cookie value and opens it again; each purpose
    (the session, the known-device cookie) has its own key."""

    def __init__(self, secret_key: str, purpose: str = "session") -> None:
        label = f"suara-{purpose}-cookie:".encode()
        self._aead = AESGCM(hashlib.sha256(label + secret_key.encode()).digest())
        self._aad = f"suara_{purpose}".encode()

    def seal(self, session: dict[str, Any]) -> str:
        nonce = os.urandom(_NONCE)
        plain = json.dumps(session, separators=(",", ":")).encode()
        sealed = nonce + self._aead.encrypt(nonce, plain, self._aad)
        return base64.urlsafe_b64encode(sealed).decode().rstrip("=")

    def open(self, value: str) -> dict[str, Any]:
        """The session in a cookie; an empty one for anything forged, altered or too old."""
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
            if len(raw) <= _NONCE:
                return {}
            plain = self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], self._aad)
            session = json.loads(plain)
        except (binascii.Error, ValueError, InvalidTag):
            return {}
        return session if isinstance(session, dict) else {}


class EncryptedSessionMiddleware:
    """Starlette's SessionMiddleware, with the cookie sealed instead of only signed."""

    def __init__(
        self,
        app: ASGIApp,
        secret_key: str,
        *,
        max_age: int,
        https_only: bool = False,
        same_site: str = "lax",
    ) -> None:
        self.app = app
        self.sealer = SessionSealer(secret_key)
        self.max_age = max_age
        flags = f"path=/; httponly; samesite={same_site}"
        self.flags = flags + ("; secure" if https_only else "")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        value = HTTPConnection(scope).cookies.get(COOKIE)
        scope["session"] = self.sealer.open(value) if value else {}
        had_cookie = bool(value)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                session: dict[str, Any] = scope["session"]
                headers = MutableHeaders(scope=message)
                if session:
                    headers.append("set-cookie", self._cookie(session))
                elif had_cookie:
                    headers.append(
                        "set-cookie", f"{COOKIE}=null; {self.flags}; max-age=0; expires=0"
                    )
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie(self, session: dict[str, Any]) -> str:
        sealed = self.sealer.seal(session)
        if len(sealed) > MAX_COOKIE_CHARS:
            # Too much to carry (a long list of re-issued codes): keep the session, drop extras.
            slim = {k: v for k, v in session.items() if k not in EXTRAS}
            sealed = self.sealer.seal(slim)
        cookie = f"{COOKIE}={sealed}; {self.flags}"
        # A voting card's session ends with the browser session: no Max-Age (issue 18).
        if "card" in session:
            cookie += f"; max-age={self.max_age}"
        return cookie


# Values shown once after a redirect; a session over the size limit loses these, not the card.
EXTRAS = ("reissued", "fingerprint", "card_done", "lookup")


def _is_cast(scope: Scope) -> bool:
    path = str(scope.get("path", ""))
    return scope.get("method") == "POST" and path.startswith("/polls/") and path.endswith("/ballot")


async def _read(app: Suara, fn: Callable[..., T], *args: Any) -> T:
    """SQLite reads a row faster than a hand-over to a thread costs; others read in one."""
    if app.reads_inline:
        return fn(*args)
    return await run_in_threadpool(fn, *args)


async def guard_session(request: Request) -> None:
    """End a session whose card was revoked, re-issued or signed out since it was made.

    One primary-key read per request of a signed-in session. A ballot skips it: the cast's own
    statement checks the voting card's session version (no extra round trip on the hot path).
    """
    session = request.session
    congress_id = session.get("cid")
    if not congress_id or str(request.scope.get("path", "")).startswith("/static/"):
        return
    app: Suara = request.app.state.suara
    if "card" in session:
        number = int(session["card"])
        card = await _read(app, app.queries.identity_session, str(congress_id), number)
        if card is None or auth.epoch_of(*card) != session.get("ver"):
            fresh_session(request)
    elif "vtag" in session and not _is_cast(request.scope):
        tag = str(session["vtag"])
        version = await _read(app, app.queries.voting_session, str(congress_id), tag)
        if version is None or version != session.get("vver"):
            fresh_session(request)


async def end_current_sessions(request: Request) -> None:
    """Sign-out, a card switch, the quick exit: every session of the card in this one ends,
    so a copy of its cookie taken before stops working too."""
    session = request.session
    congress_id = session.get("cid")
    if not congress_id:
        return
    app: Suara = request.app.state.suara
    number = int(session["card"]) if "card" in session else None
    tag = str(session["vtag"]) if "vtag" in session else None
    if number is not None or tag is not None:
        await run_in_threadpool(auth.end_sessions, app.uow_factory, str(congress_id), number, tag)
