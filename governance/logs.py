"""Logs as one JSON object a line (structlog), with secrets scrubbed before anything is written.

Every process (web, worker, relay, CLI) logs through the standard library; structlog's
formatter turns each record, ours and the libraries', into JSON. A log line never holds a card
code, a receipt, a choice or a client address: fields with those names are dropped, and any text
shaped like a code or a receipt, or like an IP address, is replaced, whoever logged it.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

# Field names whose values must never be written, whatever their content.
SECRET_FIELDS = frozenset(
    {
        "code",
        "codes",
        "receipt",
        "receipts",
        "choice",
        "choices",
        "tag",
        "nullifier",
        "address",
        "client",
        "ip",
        "remote_addr",
        "cookie",
        "session",
        "secret_key",
    }
)
# Identity codes ("12-ABCD-EFGH-JKMN-PQRS-TVWX"), voting codes and receipts (groups of four),
# and IPv4 or IPv6 addresses.
_CODES = re.compile(r"\b(?:\d{1,6}-)?[0-9A-Z]{4}(?:-[0-9A-Z]{4}){3,}\b")
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_IPV6 = re.compile(r"\b(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}\b")
REDACTED = "[redacted]"


def scrub_text(text: str) -> str:
    return _IPV6.sub(REDACTED, _IPV4.sub(REDACTED, _CODES.sub(REDACTED, text)))


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {k: REDACTED if k in SECRET_FIELDS else _scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(v) for v in value]
    return value


def scrub(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: the last step before a line is rendered."""
    for key in list(event):
        event[key] = REDACTED if key in SECRET_FIELDS else _scrub(event[key])
    return event


def configure(level: str = "INFO", *, json: bool = True) -> None:
    """Route every standard-library log record through structlog to stderr."""
    shared: list[Any] = [
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, scrub, renderer],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper() if isinstance(level, str) else level)
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
