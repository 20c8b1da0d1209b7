"""JSON API for observers: upload a co-signature of a poll's closing checkpoint.

The signature itself authenticates the observer (their key was registered at the opening
session), so this endpoint needs no session and no CSRF token: a forged request cannot
produce a valid signature.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from governance.domain.commands import AddCosignature
from governance.domain.errors import InvalidInput
from web.pages.audit import parse_json_object
from web.pages.common import call, load_poll, suara


async def add_cosignature(request: Request) -> Response:
    poll = await load_poll(request)
    data = parse_json_object(await request.body())
    if data is None or not all(isinstance(data.get(k), str) for k in ("public_key", "signature")):
        raise InvalidInput("send a JSON object with public_key and signature")
    command = AddCosignature(poll.id, str(data["public_key"]), str(data["signature"]))
    added = await call(suara(request).bus.handle, command)
    return JSONResponse({"added": added}, status_code=201 if added else 200)
