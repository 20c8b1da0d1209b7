"""What one cast costs inside the web app, without HTTP or a load generator (issue 7).

Drives the real Starlette app (session, CSRF, card check, nullifier, guarded ballot) through
raw ASGI calls in one process, so the figure is the app's own time per ballot; `--profile`
prints where that time goes (cProfile, sorted by cumulative time).

    .venv/bin/python -m bench.cast_profile --backend sqlite -n 2000
    .venv/bin/python -m bench.cast_profile --backend postgres -n 2000 --profile
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import re
import secrets
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.cast_path import congress, database, open_polls
from governance.adapters.hashing import Argon2CodeHasher
from governance.bootstrap import bootstrap
from governance.config import Settings
from web.app import create_app


async def request(
    app: Any, method: str, path: str, cookie: str = "", form: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    body = urlencode(form).encode() if form is not None else b""
    headers = [(b"host", b"127.0.0.1:8000")]
    if cookie:
        headers.append((b"cookie", f"suara_session={cookie}".encode()))
    if form is not None:
        headers.append((b"content-type", b"application/x-www-form-urlencoded"))
        headers.append((b"content-length", str(len(body)).encode()))
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": headers, "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000), "app": app,
    }  # fmt: skip
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    status = 0
    out_headers: dict[str, str] = {}
    chunks: list[bytes] = []

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            for name, value in message["headers"]:
                key = name.decode().lower()
                if key == "set-cookie":
                    jar: SimpleCookie = SimpleCookie(value.decode())
                    if "suara_session" in jar:
                        out_headers["session"] = jar["suara_session"].value
                else:
                    out_headers[key] = value.decode()
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, out_headers, b"".join(chunks).decode(errors="replace")


def token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


async def sign_in(web: Any, cid: str, code: str, poll: str) -> tuple[str, str]:
    _, headers, html = await request(web, "GET", f"/congresses/{cid}/voting-card")
    cookie = headers["session"]
    form = {"csrf_token": token(html), "code": code}
    status, headers, _ = await request(web, "POST", f"/congresses/{cid}/voting-card", cookie, form)
    if status != 303:
        raise RuntimeError(f"sign-in answered {status}")
    cookie = headers.get("session", cookie)
    _, headers, html = await request(web, "GET", f"/polls/{poll}", cookie)
    return headers.get("session", cookie), token(html)


async def drive(
    args: argparse.Namespace, web: Any, cid: str, voting: list[str], polls: list[str]
) -> None:
    voters = [await sign_in(web, cid, code, polls[0]) for code in voting]
    pairs = [(cookie, csrf, poll) for poll in polls for cookie, csrf in voters][: args.n]
    warm = pairs[: args.warm]
    for cookie, csrf, poll in warm:
        form = {"csrf_token": csrf, "choice": "1"}
        await request(web, "POST", f"/polls/{poll}/ballot", cookie, form)
    measured = pairs[args.warm :]
    profiler = cProfile.Profile() if args.profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    for cookie, csrf, poll in measured:
        status, _, _ = await request(
            web, "POST", f"/polls/{poll}/ballot", cookie, {"csrf_token": csrf, "choice": "1"}
        )
        if status != 303:
            raise RuntimeError(f"cast answered {status}")
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    count = len(measured)
    print(f"{count} casts: {wall / count * 1000:.3f} ms wall, {cpu / count * 1000:.3f} ms CPU each")
    if profiler:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="sqlite")
    parser.add_argument("-n", type=int, default=2000, help="ballots in all (warm-up included)")
    parser.add_argument("--warm", type=int, default=200)
    parser.add_argument("--voters", type=int, default=100)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key (tottime...)")
    parser.add_argument(
        "--inline",
        action="store_true",
        help="run blocking calls on the event loop, so the profile sees the database work too",
    )
    args = parser.parse_args(argv)
    if args.inline:
        import web.pages.common

        async def inline(fn: Any, *a: Any, **k: Any) -> Any:
            return fn(*a, **k)

        web.pages.common.run_in_threadpool = inline  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp, database(args.backend, Path(tmp)) as url:
        settings = Settings(Path(tmp), url, None, secrets.token_hex(32))
        app = bootstrap(settings, hasher=Argon2CodeHasher(time_cost=1, memory_cost=1024))
        cid, voting, _ = congress(app, args.voters)
        polls = open_polls(app, cid, args.n // args.voters + 1)
        served = create_app(app)
        try:
            asyncio.run(drive(args, served, cid, voting, polls))
        finally:
            app.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
