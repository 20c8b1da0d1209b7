from __future__ import annotations

import pytest
import sqlalchemy as sa

from governance.adapters.tables import events
from governance.bootstrap import Suara
from governance.domain.commands import SetProjectorNames
from governance.domain.errors import NotFound
from tests import factories


def event_types(app: Suara, congress_id: str) -> list[str]:
    with app.engine.connect() as conn:
        query = sa.select(events.c.type).where(events.c.congress_id == congress_id)
        return [row.type for row in conn.execute(query)]


def test_names_are_off_the_projector_until_the_secretariat_turns_them_on(app: Suara) -> None:
    congress = factories.congress(app, delegates=2, cards=2)
    assert app.queries.projector_names(congress.id) is False
    app.bus.handle(SetProjectorNames(congress.id, True))
    assert app.queries.projector_names(congress.id) is True
    app.bus.handle(SetProjectorNames(congress.id, True))  # no change, no second event
    app.bus.handle(SetProjectorNames(congress.id, False))
    assert app.queries.projector_names(congress.id) is False
    changes = [t for t in event_types(app, congress.id) if t.startswith("display.")]
    assert changes == ["display.projector_names_set"] * 2


def test_a_setting_for_an_unknown_congress_is_refused(app: Suara) -> None:
    with pytest.raises(NotFound):
        app.bus.handle(SetProjectorNames("0" * 32, True))
    assert app.queries.projector_names("0" * 32) is False
