"""A small HTTP/1.1 load generator for Suara's benchmarks.

Why not an HTTP client library: on a 2-core box the load generator competes with the server for
CPU, so every microsecond it spends per request is taken from the system under test. Raw
``asyncio`` streams with pre-encoded requests and keep-alive cost a fraction of what a general
client costs per request (see bench/README.md for the measurement).

Only loopback addresses are accepted: load is never sent anywhere but this machine. Every run is
bounded by a request count, a duration, or both.

Library use::

    from bench.loadgen import PreparedRequest, run_load

    def cast(client_id: int, n: int) -> PreparedRequest | None:
        # every virtual client has its own session cookie and form body
        return PreparedRequest.form(
            "POST", "/polls/1/ballot", {"choice": "yes", "csrf": tokens[client_id]},
            headers={"Cookie": f"session={cookies[client_id]}"},
        )

    report = run_load("127.0.0.1", 8000, cast, concurrency=64, duration_s=30)
    print(report.summary())
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import math
import multiprocessing
import socket
import sys
import time
from array import array
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

# A request factory gets (client_id, n) -- the virtual client's id (unique across processes) and
# how many requests that client has already sent -- and returns the next request, or None when
# that client has nothing more to send.
RequestFactory = Callable[[int, int], "PreparedRequest | None"]
Requests = Sequence["PreparedRequest"] | RequestFactory

# Hard upper bound so that a typo ("-d 36000") cannot turn a benchmark into a soak test.
MAX_DURATION_S = 3600.0


@dataclass(frozen=True, slots=True)
class PreparedRequest:
    """One HTTP request; encoded once, then written as raw bytes as often as needed."""

    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @classmethod
    def form(
        cls,
        method: str,
        path: str,
        fields: Mapping[str, str] | Sequence[tuple[str, str]],
        headers: Mapping[str, str] | None = None,
    ) -> PreparedRequest:
        """A request with an ``application/x-www-form-urlencoded`` body."""
        merged = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return cls(method, path, merged, urlencode(fields).encode())

    def encode(self, host_header: str) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host_header}"]
        names = {name.lower() for name in self.headers}
        lines.extend(f"{name}: {value}" for name, value in self.headers.items())
        if "content-length" not in names and (self.body or self.method in ("POST", "PUT")):
            lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


@dataclass(slots=True)
class LoadReport:
    """Combined figures of one run (all processes merged)."""

    requests: int  # responses received within the measured window (any status)
    elapsed_s: float
    concurrency: int
    processes: int
    status_counts: dict[int, int]
    error_counts: dict[str, int]  # transport errors by exception type: no response at all
    latencies_ms: array = field(repr=False)  # one per response, unsorted

    @property
    def errors(self) -> int:
        """Transport errors plus responses with status >= 400."""
        bad_status = sum(n for status, n in self.status_counts.items() if status >= 400)
        return bad_status + sum(self.error_counts.values())

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def percentile(self, q: float) -> float:
        """Nearest-rank percentile in ms (q in 0..100); NaN when nothing was measured."""
        if not self.latencies_ms:
            return math.nan
        ordered = sorted(self.latencies_ms)
        rank = max(1, math.ceil(q / 100 * len(ordered)))
        return ordered[rank - 1]

    @property
    def p50_ms(self) -> float:
        return self.percentile(50)

    @property
    def p90_ms(self) -> float:
        return self.percentile(90)

    @property
    def p99_ms(self) -> float:
        return self.percentile(99)

    @property
    def max_ms(self) -> float:
        return max(self.latencies_ms) if self.latencies_ms else math.nan

    def to_dict(self) -> dict[str, Any]:
        ordered = sorted(self.latencies_ms)

        def pct(q: float) -> float:
            if not ordered:
                return math.nan
            return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]

        return {
            "requests": self.requests,
            "elapsed_s": round(self.elapsed_s, 3),
            "rps": round(self.rps, 1),
            "p50_ms": round(pct(50), 2),
            "p90_ms": round(pct(90), 2),
            "p99_ms": round(pct(99), 2),
            "max_ms": round(ordered[-1], 2) if ordered else math.nan,
            "errors": self.errors,
            "status_counts": dict(sorted(self.status_counts.items())),
            "error_counts": dict(self.error_counts),
            "concurrency": self.concurrency,
            "processes": self.processes,
        }

    def summary(self) -> str:
        d = self.to_dict()
        return (
            f"{d['requests']} requests in {d['elapsed_s']} s = {d['rps']} req/s | "
            f"p50 {d['p50_ms']} ms, p90 {d['p90_ms']} ms, p99 {d['p99_ms']} ms, "
            f"max {d['max_ms']} ms | errors {d['errors']} | status {d['status_counts']}"
            + (f" | transport errors {d['error_counts']}" if d["error_counts"] else "")
            + f" | concurrency {d['concurrency']} x {d['processes']} process(es)"
        )


class _ProtocolError(Exception):
    pass


def check_loopback(host: str) -> str:
    """Return the loopback IP to connect to, or raise: load goes to this machine only."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise ValueError(f"cannot resolve {host!r}: {exc}") from exc
    addresses = {str(info[4][0]) for info in infos}
    if not addresses or not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        raise ValueError(f"refusing to send load to {host!r} ({sorted(addresses)}): loopback only")
    # Prefer IPv4 so that 'localhost' does not cost a failed ::1 attempt per connection.
    return sorted(addresses, key=lambda a: ":" in a)[0]


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; return (status, server keeps the connection open)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
        raise _ProtocolError(f"bad status line {lines[0][:80]!r}")
    status = int(parts[1])
    length = -1
    chunked = False
    keep_alive = parts[0] == b"HTTP/1.1"
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            token = value.strip().lower()
            keep_alive = token == b"keep-alive" or (keep_alive and token != b"close")
    if status in (204, 304) or 100 <= status < 200:
        return status, keep_alive
    if chunked:
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";", 1)[0], 16)
            await reader.readexactly(size + 2)  # chunk data and its CRLF
            if size == 0:
                # The zero chunk's CRLF above was the trailer-section end when there are no
                # trailers, which is all that servers under test here send.
                break
    elif length >= 0:
        await reader.readexactly(length)
    else:
        # No framing: the body runs to connection close.
        await reader.read()
        keep_alive = False
    return status, keep_alive


@dataclass(slots=True)
class _Shard:
    """Result of one process: raw figures, merged by the parent."""

    count: int = 0
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    latencies_ms: array = field(default_factory=lambda: array("d"))
    elapsed_s: float = 0.0


async def _run_shard(
    ip: str,
    port: int,
    host_header: str,
    requests: Requests,
    client_ids: range,
    duration_s: float | None,
    total: int | None,
    warmup_s: float,
    start_at: float | None,
    timeout_s: float,
) -> _Shard:
    shard = _Shard()
    if start_at is not None:
        # Processes start together so that their windows overlap and rates add up.
        await asyncio.sleep(max(0.0, start_at - time.time()))
    perf = time.perf_counter
    t0 = perf()
    measure_from = t0 + warmup_s
    deadline = measure_from + duration_s if duration_s is not None else math.inf
    budget = [total if total is not None else -1]  # shared among this shard's clients
    encoded_cache: dict[int, bytes] = {}
    latencies = shard.latencies_ms
    statuses = shard.statuses
    ids = list(client_ids)
    if callable(requests):
        factory: RequestFactory = requests
    else:
        pool = list(requests)
        if not pool:
            raise ValueError("no requests given")
        cursor = [0]

        def factory(client_id: int, n: int) -> PreparedRequest | None:
            # Shared round robin: sequences need not be a multiple of the concurrency.
            request = pool[cursor[0] % len(pool)]
            cursor[0] += 1
            return request

    def encode(request: PreparedRequest) -> bytes:
        # Sequences repeat the same objects: encode each once.
        key = id(request)
        data = encoded_cache.get(key)
        if data is None:
            data = request.encode(host_header)
            if not callable(requests):
                encoded_cache[key] = data
        return data

    async def client(client_id: int) -> None:
        reader: asyncio.StreamReader | None = None
        writer: asyncio.StreamWriter | None = None
        n = 0
        try:
            while True:
                now = perf()
                if now >= deadline or budget[0] == 0:
                    return
                request = factory(client_id, n)
                if request is None:
                    return
                n += 1
                measured = now >= measure_from
                if measured and budget[0] > 0:
                    budget[0] -= 1
                data = encode(request)
                try:
                    if writer is None:
                        reader, connected = await asyncio.wait_for(
                            asyncio.open_connection(ip, port), timeout_s
                        )
                        writer = connected
                        sock = connected.get_extra_info("socket")
                        if sock is not None:
                            # Small requests must not wait for Nagle's algorithm.
                            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    assert reader is not None and writer is not None
                    start = perf()
                    writer.write(data)
                    status, keep_alive = await asyncio.wait_for(_read_response(reader), timeout_s)
                    end = perf()
                except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                        TimeoutError, _ProtocolError, ValueError) as exc:  # fmt: skip
                    if measured:
                        shard.errors[type(exc).__name__] += 1
                    if writer is not None:
                        writer.close()
                    reader = writer = None
                    # Do not spin when the server is down: back off a little.
                    await asyncio.sleep(0.01)
                    continue
                if measured:
                    shard.count += 1
                    statuses[status] += 1
                    latencies.append((end - start) * 1000.0)
                if not keep_alive and writer is not None:
                    writer.close()
                    reader = writer = None
        finally:
            if writer is not None:
                writer.close()
                with contextlib.suppress(Exception):
                    await writer.wait_closed()

    await asyncio.gather(*(client(cid) for cid in ids))
    shard.elapsed_s = perf() - measure_from
    return shard


def _new_loop() -> asyncio.AbstractEventLoop:
    # uvloop, when present, makes the generator itself cheaper; it is optional.
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def _shard_in_child(conn: Any, kwargs: dict[str, Any]) -> None:
    loop = _new_loop()
    try:
        shard = loop.run_until_complete(_run_shard(**kwargs))
        conn.send(
            (
                shard.count,
                dict(shard.statuses),
                dict(shard.errors),
                shard.latencies_ms.tobytes(),
                shard.elapsed_s,
            )
        )
    except BaseException as exc:
        conn.send(exc)
        raise
    finally:
        conn.close()
        loop.close()


def run_load(
    host: str,
    port: int,
    requests: Requests,
    concurrency: int,
    duration_s: float | None = None,
    total: int | None = None,
    *,
    processes: int = 1,
    warmup_s: float = 0.0,
    timeout_s: float = 30.0,
) -> LoadReport:
    """Drive ``host:port`` (loopback only) with ``concurrency`` keep-alive clients.

    ``requests`` is either a sequence of PreparedRequest, sent round robin, or a factory
    ``(client_id, n) -> PreparedRequest | None`` called before each request of each client
    (client ids are 0..concurrency-1 across all processes; None ends that client). The run stops
    when ``duration_s`` has passed after ``warmup_s`` or after ``total`` measured responses,
    whichever comes first; at least one bound is required. Responses that finish during the
    warm-up are not counted. With ``processes`` > 1 the clients are split over forked processes
    (the factory must then not rely on state shared between processes) and the figures merged.

    Must be called outside a running event loop (it runs its own).
    """
    if duration_s is None and total is None:
        raise ValueError("give duration_s, total, or both: a load run must be bounded")
    if duration_s is not None and not 0 < duration_s <= MAX_DURATION_S:
        raise ValueError(f"duration_s must be in (0, {MAX_DURATION_S}]")
    if total is not None and total <= 0:
        raise ValueError("total must be positive")
    if concurrency < 1 or processes < 1:
        raise ValueError("concurrency and processes must be at least 1")
    if duration_s is None:
        duration_s = MAX_DURATION_S  # count-bounded, but never unbounded in time
    processes = min(processes, concurrency)
    ip = check_loopback(host)
    host_header = f"{host}:{port}"
    common: dict[str, Any] = {
        "ip": ip,
        "port": port,
        "host_header": host_header,
        "requests": requests,
        "duration_s": duration_s,
        "warmup_s": warmup_s,
        "timeout_s": timeout_s,
    }

    if processes == 1:
        loop = _new_loop()
        try:
            shard = loop.run_until_complete(
                _run_shard(
                    client_ids=range(concurrency),
                    total=total,
                    start_at=None,
                    **common,
                )
            )
        finally:
            loop.close()
        return LoadReport(
            requests=shard.count,
            elapsed_s=shard.elapsed_s,
            concurrency=concurrency,
            processes=1,
            status_counts=dict(shard.statuses),
            error_counts=dict(shard.errors),
            latencies_ms=shard.latencies_ms,
        )

    # fork, not spawn: the factory may be a closure over data prepared by the caller (sessions,
    # tokens), which fork inherits without pickling.
    ctx = multiprocessing.get_context("fork")
    start_at = time.time() + 0.2 + 0.05 * processes
    children = []
    for index in range(processes):
        first = concurrency * index // processes
        last = concurrency * (index + 1) // processes
        share = None
        if total is not None:
            share = total * (index + 1) // processes - total * index // processes
            if share == 0:
                continue
        parent_end, child_end = ctx.Pipe(duplex=False)
        kwargs = {
            **common,
            "client_ids": range(first, last),
            "total": share,
            "start_at": start_at,
        }
        proc = ctx.Process(target=_shard_in_child, args=(child_end, kwargs), daemon=True)
        proc.start()
        child_end.close()
        children.append((proc, parent_end))

    count = 0
    statuses: Counter = Counter()
    errors: Counter = Counter()
    latencies = array("d")
    elapsed = 0.0
    failure: BaseException | None = None
    for proc, parent_end in children:
        try:
            result = parent_end.recv()
        except EOFError:
            result = RuntimeError(f"load process {proc.pid} died (exit {proc.exitcode})")
        proc.join()
        if isinstance(result, BaseException):
            failure = failure or result
            continue
        c, st, er, lat, el = result
        count += c
        statuses.update(st)
        errors.update(er)
        latencies.frombytes(lat)
        elapsed = max(elapsed, el)
    if failure is not None:
        raise failure
    return LoadReport(
        requests=count,
        elapsed_s=elapsed,
        concurrency=concurrency,
        processes=len(children),
        status_counts=dict(statuses),
        error_counts=dict(errors),
        latencies_ms=latencies,
    )


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.loadgen",
        description="Bounded HTTP/1.1 keep-alive load against a loopback URL.",
    )
    parser.add_argument("url", help="e.g. http://127.0.0.1:8000/healthz (loopback only)")
    parser.add_argument("-X", "--method", default="GET")
    parser.add_argument(
        "-H", "--header", action="append", default=[], help="'Name: value', repeatable"
    )
    parser.add_argument("-d", "--data", default=None, help="request body (sent as is)")
    parser.add_argument("-c", "--concurrency", type=int, default=32)
    parser.add_argument("--duration", type=float, default=None, help="seconds (default 10)")
    parser.add_argument("-n", "--total", type=int, default=None, help="stop after N responses")
    parser.add_argument("--warmup", type=float, default=0.0, help="seconds not measured")
    parser.add_argument("-p", "--processes", type=int, default=1, help="load processes")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if args.duration is None and args.total is None:
        args.duration = 10.0
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    url = urlsplit(args.url)
    if url.scheme != "http" or not url.hostname:
        print("only http:// URLs with a host are supported", file=sys.stderr)
        return 2
    headers: dict[str, str] = {}
    for raw in args.header:
        name, sep, value = raw.partition(":")
        if not sep:
            print(f"bad header {raw!r}; use 'Name: value'", file=sys.stderr)
            return 2
        headers[name.strip()] = value.strip()
    path = (url.path or "/") + (f"?{url.query}" if url.query else "")
    body = args.data.encode() if args.data is not None else b""
    request = PreparedRequest(args.method.upper(), path, headers, body)
    report = run_load(
        url.hostname,
        url.port or 80,
        [request],
        args.concurrency,
        args.duration,
        args.total,
        processes=args.processes,
        warmup_s=args.warmup,
    )
    if args.json:
        import json

        print(json.dumps(report.to_dict()))
    else:
        print(report.summary())
    return 0 if report.errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
