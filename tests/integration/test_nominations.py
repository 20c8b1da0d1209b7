"""Check-in, positions and nominations: seconds, consent, eligibility, bounds, acclamation."""

from __future__ import annotations

import pytest

from governance.bootstrap import Suara
from governance.domain.commands import (
    AnswerNomination,
    CreatePosition,
    Nominate,
    OpenPosition,
    SecondNomination,
    WithdrawNomination,
)
from governance.domain.errors import (
    ConstraintsInfeasible,
    NominationsClosed,
    NotEligible,
    OwnNomination,
    TooFewSeconders,
)
from governance.domain.positions import PositionStatus
from tests.workflow import congress_with_roster, delegate_id, first_id, signed_in, token


def test_check_in_counts_toward_quorum_and_records_no_card(app: Suara) -> None:
    congress_id, codes = congress_with_roster(app)
    person = delegate_id(app, congress_id, "East 1")
    with signed_in(app, congress_id, codes["secretariat"]) as client:
        csrf = token(client, congress_id)
        page = client.get(f"/congresses/{congress_id}/checkin")
        assert "0 of 8" in page.text.replace("dari", "of")
        answer = client.post(
            f"/congresses/{congress_id}/checkin",
            data={"csrf_token": csrf, "delegate": person, "present": "yes"},
        )
        assert answer.status_code == 303
    assert app.queries.attendance(congress_id).present == 1
    with app.engine.connect() as conn:
        import sqlalchemy as sa

        payloads = [r.payload for r in conn.execute(sa.text("SELECT payload FROM events"))]
    assert not any("tag" in p or "card" in p for p in payloads if "checked_in" in p)


def test_delegates_and_observers_cannot_use_the_checkin_desk(sqlite_app: Suara) -> None:
    congress_id, codes = congress_with_roster(sqlite_app)
    person = delegate_id(sqlite_app, congress_id, "East 1")
    for who in ("West 0", "observer", "chair"):
        with signed_in(sqlite_app, congress_id, codes[who]) as client:
            answer = client.post(
                f"/congresses/{congress_id}/checkin",
                data={
                    "csrf_token": token(client, congress_id),
                    "delegate": person,
                    "present": "yes",
                },
            )
            assert answer.status_code == 403
    assert sqlite_app.queries.attendance(congress_id).present == 0


def _presidium(app: Suara, congress_id: str, seats: int = 3, minimum: int = 1) -> str:
    return app.bus.handle(
        CreatePosition(congress_id, "Presidium", seats, "scottish-stv", region_minimum=minimum)
    )


def _stand(app: Suara, congress_id: str, position: str, alias: str, seconder: str) -> str:
    me = delegate_id(app, congress_id, alias)
    nomination = app.bus.handle(Nominate(position, me, me))
    app.bus.handle(SecondNomination(nomination, delegate_id(app, congress_id, seconder)))
    return nomination


def test_a_delegate_nominates_another_who_accepts_in_the_app(app: Suara) -> None:
    congress_id, codes = congress_with_roster(app)
    position = _presidium(app, congress_id)
    candidate = delegate_id(app, congress_id, "East 0")
    with signed_in(app, congress_id, codes["West 0"]) as nominator:
        answer = nominator.post(
            f"/positions/{position}/nominations",
            data={"csrf_token": token(nominator, congress_id), "candidate": candidate},
        )
        assert answer.status_code == 303
        page = nominator.get(f"/positions/{position}").text
    nomination = first_id(r'id="n-([0-9a-f]{32})"', page)
    with signed_in(app, congress_id, codes["West 1"]) as seconder:
        csrf = token(seconder, congress_id)
        assert (
            seconder.post(
                f"/nominations/{nomination}/second", data={"csrf_token": csrf}
            ).status_code
            == 303
        )
        refused = seconder.post(
            f"/nominations/{nomination}/answer", data={"csrf_token": csrf, "accept": "yes"}
        )
        assert refused.status_code == 403
    with signed_in(app, congress_id, codes["East 0"]) as candidate_client:
        csrf = token(candidate_client, congress_id)
        own = candidate_client.post(f"/nominations/{nomination}/second", data={"csrf_token": csrf})
        assert own.status_code == 422
        ok = candidate_client.post(
            f"/nominations/{nomination}/answer", data={"csrf_token": csrf, "accept": "yes"}
        )
        assert ok.status_code == 303
    stored = app.queries.nomination(nomination)
    assert stored is not None and stored.status.value == "accepted" and len(stored.seconders) == 1


def test_seconding_ones_own_nomination_is_refused(sqlite_app: Suara) -> None:
    congress_id, _ = congress_with_roster(sqlite_app)
    position = _presidium(sqlite_app, congress_id)
    me = delegate_id(sqlite_app, congress_id, "West 0")
    other = delegate_id(sqlite_app, congress_id, "West 1")
    mine = sqlite_app.bus.handle(Nominate(position, other, me))
    with pytest.raises(OwnNomination):
        sqlite_app.bus.handle(SecondNomination(mine, me))
    with pytest.raises(OwnNomination):
        sqlite_app.bus.handle(SecondNomination(mine, other))
    assert sqlite_app.queries.nomination(mine).seconders == ()  # type: ignore[union-attr]


def test_ineligible_candidates_are_refused(sqlite_app: Suara) -> None:
    from governance.domain.commands import SaveDelegate

    congress_id, _ = congress_with_roster(sqlite_app)
    honorary = sqlite_app.bus.handle(
        SaveDelegate(congress_id, "Pakar", "Jakarta", "central", membership_class="honorary")
    )
    voteless = sqlite_app.bus.handle(
        SaveDelegate(congress_id, "Tamu", "Bali", "east", voting_right=False)
    )
    position = sqlite_app.bus.handle(
        CreatePosition(congress_id, "Ketua", 1, "irv", membership_classes=("ordinary", "special"))
    )
    for person in (honorary, voteless):
        with pytest.raises(NotEligible):
            sqlite_app.bus.handle(Nominate(position, person, None))
    assert sqlite_app.queries.nominations(position) == []


def test_non_consenting_and_unseconded_candidates_cannot_stand(sqlite_app: Suara) -> None:
    congress_id, _ = congress_with_roster(sqlite_app)
    position = sqlite_app.bus.handle(CreatePosition(congress_id, "Ketua", 1, "irv"))
    a = delegate_id(sqlite_app, congress_id, "West 0")
    b = delegate_id(sqlite_app, congress_id, "East 0")
    unseconded = sqlite_app.bus.handle(Nominate(position, a, a))
    pending = sqlite_app.bus.handle(Nominate(position, b, None))
    sqlite_app.bus.handle(SecondNomination(pending, delegate_id(sqlite_app, congress_id, "East 1")))
    with pytest.raises(TooFewSeconders):
        sqlite_app.bus.handle(OpenPosition(position))
    sqlite_app.bus.handle(WithdrawNomination(unseconded, a))
    # b never accepted: nobody stands, the position stays open for nominations.
    from governance.domain.errors import TooFewCandidates

    with pytest.raises(TooFewCandidates):
        sqlite_app.bus.handle(OpenPosition(position))
    assert sqlite_app.queries.position(position).status is PositionStatus.NOMINATING  # type: ignore[union-attr]


def test_a_poll_whose_regional_bounds_cannot_be_met_does_not_open(app: Suara) -> None:
    congress_id, codes = congress_with_roster(app)
    position = _presidium(app, congress_id)
    for alias in ("West 0", "West 1", "Central 0", "Central 1"):
        _stand(app, congress_id, position, alias, "East 1")
    with signed_in(app, congress_id, codes["chair"]) as chair:
        answer = chair.post(
            f"/positions/{position}/open", data={"csrf_token": token(chair, congress_id)}
        )
    assert answer.status_code == 409 and "east" in answer.text
    with pytest.raises(ConstraintsInfeasible):
        app.bus.handle(OpenPosition(position))
    assert app.queries.position(position).poll_id is None  # type: ignore[union-attr]
    assert app.queries.polls(congress_id) == []


def test_as_many_candidates_as_seats_are_elected_by_acclamation(app: Suara) -> None:
    congress_id, _ = congress_with_roster(app)
    position = _presidium(app, congress_id)
    for alias in ("West 0", "Central 0", "East 0"):
        _stand(app, congress_id, position, alias, "Central 2")
    assert app.bus.handle(OpenPosition(position)) is None
    filled = app.queries.position(position)
    assert filled is not None and filled.status is PositionStatus.ACCLAIMED
    assert len(filled.elected_ids) == 3
    assert app.queries.polls(congress_id) == []
    with pytest.raises(NominationsClosed):
        app.bus.handle(Nominate(position, delegate_id(app, congress_id, "West 2"), None))


def test_opening_freezes_candidates_and_regional_bounds_into_the_poll(app: Suara) -> None:
    congress_id, _ = congress_with_roster(app)
    position = _presidium(app, congress_id)
    for alias in ("West 0", "West 1", "Central 0", "East 0"):
        _stand(app, congress_id, position, alias, "Central 2")
    withdrawn = _stand(app, congress_id, position, "Central 1", "Central 2")
    app.bus.handle(WithdrawNomination(withdrawn, None))
    poll_id = app.bus.handle(OpenPosition(position))
    poll = app.queries.poll(poll_id)
    assert poll is not None and poll.is_open
    assert poll.options == ("West 0", "West 1", "Central 0", "East 0")
    east = next(c for c in poll.constraints if c["name"] == "east")
    assert east["members"] == [3] and east["minimum"] == 1
    with pytest.raises(NominationsClosed):
        app.bus.handle(WithdrawNomination(app.queries.nominations(position)[0].id, None))


def test_a_written_acceptance_is_recorded_by_the_secretariat(sqlite_app: Suara) -> None:
    congress_id, _ = congress_with_roster(sqlite_app)
    position = sqlite_app.bus.handle(CreatePosition(congress_id, "Bendahara", 1, "yes-no-abstain"))
    nomination = sqlite_app.bus.handle(
        Nominate(position, delegate_id(sqlite_app, congress_id, "East 0"), None)
    )
    sqlite_app.bus.handle(AnswerNomination(nomination, True, None))
    stored = sqlite_app.queries.nomination(nomination)
    assert stored is not None and stored.written_consent


def test_an_election_does_not_open_without_the_quorum_of_the_adopted_rules(app: Suara) -> None:
    from governance.domain.commands import CheckInDelegate
    from governance.domain.errors import QuorumNotMet
    from governance.domain.rules import Rules

    congress_id, _ = congress_with_roster(app)
    with app.uow_factory() as uow:
        uow.rules.adopt(congress_id, Rules(quorum="2/3", seconders=1))
        uow.commit()
    position = _presidium(app, congress_id)
    for alias in ("West 0", "West 1", "Central 0", "East 0"):
        _stand(app, congress_id, position, alias, "Central 2")
    people = app.queries.delegates(congress_id)
    for person in people[:5]:  # 5 of 8 present; 2/3 of 8 needs 6
        app.bus.handle(CheckInDelegate(congress_id, person.id))
    with pytest.raises(QuorumNotMet):
        app.bus.handle(OpenPosition(position))
    assert app.queries.polls(congress_id) == []
    app.bus.handle(CheckInDelegate(congress_id, people[5].id))
    assert app.bus.handle(OpenPosition(position)) is not None
