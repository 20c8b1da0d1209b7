"""Prometheus metrics of a web process at /metrics, for the operator's monitoring only.

Labels are route names, methods and statuses, never a path (ids), a code, a receipt, a choice
or an address. /metrics answers only with SUARA_METRICS_TOKEN as a bearer token, and is absent
(404) when no token is set: the hall's Wi-Fi must not learn the turnout curve from it.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterator

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from prometheus_client.core import REGISTRY, GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUESTS = Counter("suara_http_requests", "HTTP requests answered", ["route", "method", "status"])
LATENCY = Histogram(
    "suara_http_request_duration_seconds",
    "Time to answer a request",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5),
)
BALLOTS = Counter("suara_ballots_cast", "Ballots cast through this web process")


class MetricsMiddleware:
    """Counts each request under its route's name (the router puts its endpoint in the scope)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def remember(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, remember)
        finally:
            endpoint = scope.get("endpoint")
            route = getattr(endpoint, "__name__", "static" if "app" in scope else "unmatched")
            REQUESTS.labels(route, scope["method"], str(status[0])).inc()
            LATENCY.labels(route).observe(time.perf_counter() - started)


class BacklogCollector(Collector):
    """At each scrape: the events the relay has not yet passed on (its lag)."""

    def __init__(self, behind: object) -> None:
        self.behind = behind

    def collect(self) -> Iterator[GaugeMetricFamily]:
        gauge = GaugeMetricFamily(
            "suara_relay_backlog_events", "Events in the log the relay has yet to send"
        )
        try:
            gauge.add_metric([], float(self.behind()))  # type: ignore[operator]
        except Exception:
            return
        yield gauge


_backlog: list[BacklogCollector] = []


def watch_backlog(behind: object) -> None:
    """Register (once per process; the latest app's outbox) the relay-lag gauge."""
    if _backlog:
        _backlog[0].behind = behind
        return
    collector = BacklogCollector(behind)
    REGISTRY.register(collector)
    _backlog.append(collector)


async def metrics(request: Request) -> Response:
    token = request.app.state.suara.settings.metrics_token
    given = request.headers.get("authorization", "")
    if not token:
        return Response(status_code=404)
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return Response(status_code=401, headers={"www-authenticate": "Bearer"})
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
