"""The JSON API against its own OpenAPI document, with schemathesis (bounded examples)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from starlette.routing import Route

from governance.bootstrap import Suara, bootstrap
from governance.domain.commands import CastBallot, ClosePoll, PublishResult, TallyPoll
from tests import factories
from tests.conftest import FAST_HASHER, make_settings
from web.app import create_app
from web.routes import ROUTES

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def api_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suara]:
    from governance.migrations.runner import upgrade

    folder = tmp_path_factory.mktemp("api")
    url = f"sqlite:///{folder / 'suara.sqlite3'}"
    upgrade(url)
    app = bootstrap(make_settings(folder, url), hasher=FAST_HASHER)
    c = factories.congress(app)
    factories.open_motion(app, c.id)  # one open poll
    published = factories.open_motion(app, c.id)
    app.bus.handle(CastBallot(published, c.tags[0], (0,)))
    for command in (ClosePoll(published), TallyPoll(published), PublishResult(published)):
        app.bus.handle(command)
    yield app
    app.dispose()


@pytest.fixture(scope="module")
def api_schema(api_app: Suara) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/api/openapi.json", create_app(api_app))


def test_the_api_never_fails_and_always_matches_its_schema(
    api_schema: schemathesis.BaseSchema,
) -> None:
    """Every operation, with generated inputs: no 5xx, and every response fits the schema."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 2
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate()

        check()


def test_every_api_route_is_in_the_openapi_document(api_schema: schemathesis.BaseSchema) -> None:
    documented = set(api_schema.raw_schema["paths"])
    served = {r.path for r in ROUTES if isinstance(r, Route) and r.path.startswith("/api/")}
    assert served == documented


def test_real_poll_ids_answer_with_documented_bodies(
    api_app: Suara, api_schema: schemathesis.BaseSchema
) -> None:
    operation = api_schema["/api/polls/{poll_id}"]["GET"]
    for poll in api_app.queries.polls(api_app.queries.congresses()[0].id):
        case = operation.Case(path_parameters={"poll_id": poll.id})
        response = case.call_and_validate()
        assert response.status_code == 200
