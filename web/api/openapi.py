"""The JSON API's OpenAPI document, built from the YAML in each API endpoint's docstring."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.schemas import SchemaGenerator

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
}
BASE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "Suara API",
        "version": "1",
        "description": "Poll state, turnout (counts only) and published results. Read-only.",
    },
    "components": {
        "schemas": {
            "Error": ERROR,
            "Cosignature": {
                "type": "object",
                "required": ["public_key", "signature"],
                "properties": {
                    "public_key": {"type": "string"},
                    "signature": {"type": "string"},
                    "poll_id": {"type": "string"},
                },
            },
            "Health": {
                "type": "object",
                "required": ["status"],
                "properties": {"status": {"type": "string", "enum": ["ok", "degraded"]}},
            },
            "PollSummary": {
                "type": "object",
                "required": ["id", "congress_id", "title", "method", "options", "status"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
                    "congress_id": {"type": "string"},
                    "title": {"type": "string"},
                    "method": {"type": "string"},
                    "options": {"type": "array", "items": {"type": "string"}},
                    "status": {"type": "string", "enum": ["draft", "open", "closed"]},
                    "seed": {"type": "string", "nullable": True},
                    # Withheld (null) below the minimum group size (issue 6).
                    "turnout": {"type": "integer", "minimum": 0, "nullable": True},
                    "cosigned_by": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["label", "fingerprint"],
                            "properties": {
                                "label": {"type": "string"},
                                "fingerprint": {"type": "string"},
                            },
                        },
                    },
                    "result": {"type": "object", "nullable": True},
                },
            },
        }
    },
}
GENERATOR = SchemaGenerator(BASE)


def document(routes: list[Any]) -> dict[str, Any]:
    """The OpenAPI document of the /api/ routes, from the YAML after `---` in each docstring."""
    api = [r for r in routes if str(getattr(r, "path", "")).startswith("/api/")]
    schema: dict[str, Any] = GENERATOR.get_schema(routes=api)
    return schema


async def openapi(request: Request) -> Response:
    """
    ---
    summary: This OpenAPI document
    responses:
      200:
        description: The OpenAPI 3.0 document of the JSON API.
        content:
          application/json:
            schema: {type: object}
    """
    return JSONResponse(document(request.app.routes))
