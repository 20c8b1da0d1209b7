from __future__ import annotations

import time
from typing import Any

from web.app import touch_session_scope


def scope(path: str, session: dict[str, Any]) -> dict[str, Any]:
    return {"type": "http", "path": path, "headers": [], "session": session}


def test_an_open_event_stream_does_not_keep_an_idle_session_alive() -> None:
    long_ago = int(time.time()) - 3600
    idle = {"sid": "s", "csrf": "t", "iat": long_ago, "seen": long_ago, "role": "secretariat"}
    streaming = scope("/congresses/c/events", dict(idle))
    touch_session_scope(streaming)
    assert streaming["session"] == idle  # neither renewed nor marked as seen
    page = scope("/congresses/c", dict(idle))
    touch_session_scope(page)
    assert "role" not in page["session"]  # a page request expires it
