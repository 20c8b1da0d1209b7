"""A serving process keeps what start-up loaded out of the collector's full passes."""

from __future__ import annotations

import gc

from starlette.testclient import TestClient

from governance.bootstrap import Suara
from web.app import create_app


def test_a_serving_app_freezes_its_start_up_heap_and_releases_it_on_shutdown(
    sqlite_app: Suara,
) -> None:
    gc.unfreeze()
    with TestClient(create_app(sqlite_app, serving=True)) as client:
        frozen = gc.get_freeze_count()
        assert client.get("/api/health").status_code == 200
    assert frozen > 10_000  # the modules, routes, templates and tables loaded at start
    assert gc.get_freeze_count() == 0


def test_an_app_built_for_a_test_leaves_the_collector_alone(sqlite_app: Suara) -> None:
    gc.unfreeze()
    with TestClient(create_app(sqlite_app)) as client:
        assert client.get("/api/health").status_code == 200
        assert gc.get_freeze_count() == 0
