"""JSON API for observers: upload co-signatures of a poll's closing checkpoint.

The signature itself authenticates the observer (their key was registered at the opening
session), so this endpoint needs no session and no CSRF token: a forged request cannot
produce a valid signature. The body is one object `{public_key, signature}` or the list
that `suara cosign` writes (entries for other polls are skipped).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from governance.domain.commands import AddCosignature
from governance.domain.errors import InvalidInput
from web.pages.audit import parse_json
from web.pages.common import call, load_poll, suara

MAX_ENTRIES = 50


def _entries(data: Any, poll_id: str) -> list[AddCosignature]:
    items = data if isinstance(data, list) else [data]
    if not items or len(items) > MAX_ENTRIES:
        raise InvalidInput("send one signature object or a list of them")
    commands = []
    for item in items:
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) for k in ("public_key", "signature")
        ):
            raise InvalidInput("each entry needs public_key and signature")
        if item.get("poll_id", poll_id) == poll_id:
            commands.append(AddCosignature(poll_id, item["public_key"], item["signature"]))
    if not commands:
        raise InvalidInput("no signature for this poll")
    return commands


async def add_cosignature(request: Request) -> Response:
    """
    ---
    summary: Upload observers' co-signatures of a poll's closing checkpoint
    parameters:
      - {name: poll_id, in: path, required: true, schema: {type: string}}
    requestBody:
      required: true
      content:
        application/json:
          schema:
            oneOf:
              - {$ref: "#/components/schemas/Cosignature"}
              - {type: array, items: {$ref: "#/components/schemas/Cosignature"}, maxItems: 50}
    responses:
      200:
        description: Every signature was already stored.
        content:
          application/json:
            schema: {type: object, required: [added], properties: {added: {type: integer}}}
      201:
        description: At least one signature was added.
        content:
          application/json:
            schema: {type: object, required: [added], properties: {added: {type: integer}}}
      400:
        description: The body is nested too deeply to be read.
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Error"}
      404:
        description: No such poll.
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Error"}
      409:
        description: The poll has no closing checkpoint yet.
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Error"}
      422:
        description: Not a valid signature by a registered observer, or a malformed body.
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Error"}
      503:
        description: The database is unavailable; try again.
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Error"}
    """
    poll = await load_poll(request)
    commands = _entries(parse_json(await request.body()), poll.id)
    added = [await call(suara(request).bus.handle, command) for command in commands]
    return JSONResponse({"added": sum(added)}, status_code=201 if any(added) else 200)
