"""Elections as congresses run them (issue 14): runoffs, ties, positions, ratification, chair.

Each test drives the bus (and the pages where a person acts) on a small congress of eight
delegates with registered voting cards, and checks what the hall sees in Indonesian.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from governance.adart.commands import PublishDocument
from governance.bootstrap import Suara
from governance.domain import codes
from governance.domain.commands import (
    AnswerNomination,
    CastBallot,
    ClosePoll,
    CreatePoll,
    CreatePosition,
    Nominate,
    OpenPoll,
    OpenPosition,
    PublishResult,
    SecondNomination,
    TallyPoll,
)
from governance.domain.election_commands import (
    DrawLot,
    OpenNextRound,
    RecordTieMusyawarah,
    ShowLotSeed,
)
from governance.domain.election_errors import (
    AmongUndecided,
    ElectionStep,
    ExclusivePending,
    LotSeedFirst,
)
from governance.domain.errors import AlreadyNominated, TooFewCandidates
from governance.domain.positions import NominationStatus, Position, PositionStatus
from governance.domain.rules import Rules
from governance.service_layer import setup
from tests.e2e.flow import csrf as csrf_of
from tests.workflow import congress_with_roster, delegate_id, signed_in, token
from web.app import create_app

ALIASES = ("West 0", "West 1", "West 2", "Central 0", "Central 1", "Central 2", "East 0", "East 1")


class Hall:
    """A congress with voting cards, and the means to stand, vote and count."""

    def __init__(self, app: Suara) -> None:
        self.app = app
        self.congress_id, self.codes = congress_with_roster(app)
        voting = [codes.new_voting_code() for _ in range(60)]
        self.tags = [codes.card_tag(app.settings.secret_key, c) for c in voting]
        setup.register_voting_cards(app.uow_factory, self.congress_id, self.tags)
        self.used = 0

    def id(self, alias: str) -> str:
        return delegate_id(self.app, self.congress_id, alias)

    def position(self, title: str, method: str, seats: int = 1, **extra: object) -> str:
        command = CreatePosition(self.congress_id, title, seats, method, **extra)  # type: ignore[arg-type]
        position_id: str = self.app.bus.handle(command)
        return position_id

    def stand(self, position_id: str, *aliases: str) -> None:
        for alias in aliases:
            me = self.id(alias)
            nomination = self.app.bus.handle(Nominate(position_id, me, me))
            seconder = next(a for a in ALIASES if a != alias)
            self.app.bus.handle(SecondNomination(nomination, self.id(seconder)))

    def vote(self, poll_id: str, ballots: Sequence[tuple[int, ...]]) -> None:
        for choices in ballots:
            tag = self.tags[self.used]
            self.used += 1
            self.app.bus.handle(CastBallot(poll_id, tag, choices))

    def count(self, poll_id: str) -> None:
        self.app.bus.handle(ClosePoll(poll_id))
        self.app.bus.handle(TallyPoll(poll_id))
        self.app.bus.handle(PublishResult(poll_id))

    def get(self, position_id: str) -> Position:
        found = self.app.queries.position(position_id)
        assert found is not None
        return found

    def events(self, kind: str) -> list[str]:
        with self.app.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT type, payload FROM events")).all()
        return [str(r.payload) for r in rows if r.type == kind]


def _votes(*counts: tuple[int, int]) -> list[tuple[int, ...]]:
    """Single-choice ballots: (option index, how many)."""
    return [(option,) for option, n in counts for _ in range(n)]


# 1. Two-round: no majority -> a runoff of the top two, opened by the chair, decides.


def test_two_round_without_a_majority_opens_a_runoff_that_alone_decides(app: Suara) -> None:
    hall = Hall(app)
    position = hall.position("Ketua Presidium", "two-round")
    hall.stand(position, "West 0", "Central 0", "East 0")
    first = app.bus.handle(OpenPosition(position))
    hall.vote(first, _votes((0, 3), (1, 2), (2, 1)))  # 3 of 6: not more than half
    hall.count(first)

    undecided = hall.get(position)
    assert undecided.status is PositionStatus.UNDECIDED
    assert undecided.elected_ids == ()
    assert undecided.step == "runoff"
    assert undecided.pending is not None
    assert undecided.pending["candidates"] == [hall.id("West 0"), hall.id("Central 0")]

    with signed_in(app, hall.congress_id, hall.codes["West 1"]) as c:
        result = c.get(f"/polls/{first}/result").text
        page = c.get(f"/positions/{position}").text
        refused = c.post(
            f"/positions/{position}/next-round", data={"csrf_token": token(c, hall.congress_id)}
        )
    assert "Tidak ada mayoritas: putaran kedua antara West 0 dan Central 0." in result
    assert "Terpilih:" not in result and "Tidak ada yang terpilih" not in result
    assert "Tidak ada mayoritas: putaran kedua antara West 0 dan Central 0." in page
    assert "belum diputuskan" in page and ">diputuskan<" not in page
    assert refused.status_code == 403  # only the chair opens the runoff

    with signed_in(app, hall.congress_id, hall.codes["chair"]) as chair:
        opened = chair.post(
            f"/positions/{position}/next-round",
            data={"csrf_token": token(chair, hall.congress_id)},
        )
    assert opened.status_code == 303
    runoff = opened.headers["location"].rsplit("/", 1)[-1]
    poll = app.queries.poll(runoff)
    assert poll is not None and poll.is_open and poll.position_id == position
    assert poll.options == ("West 0", "Central 0") and poll.seats == 1
    assert hall.get(position).round == 2
    # A second runoff is not opened while this one runs.
    with pytest.raises(ElectionStep):
        app.bus.handle(OpenNextRound(position))

    hall.vote(runoff, _votes((0, 2), (1, 4)))
    hall.count(runoff)
    decided = hall.get(position)
    assert decided.status is PositionStatus.DECIDED
    assert decided.elected_ids == (hall.id("Central 0"),)
    assert decided.pending is None


def test_a_runoff_takes_everyone_tied_for_second_place(sqlite_app: Suara) -> None:
    hall = Hall(sqlite_app)
    position = hall.position("Ketua", "two-round")
    hall.stand(position, "West 0", "Central 0", "East 0", "West 1")
    first = sqlite_app.bus.handle(OpenPosition(position))
    hall.vote(first, _votes((0, 3), (1, 2), (2, 2), (3, 1)))
    hall.count(first)
    pending = hall.get(position).pending
    assert pending is not None
    ids = [hall.id(a) for a in ("West 0", "Central 0", "East 0")]
    assert pending["candidates"] == ids  # no lot picks who is in the runoff


def test_a_majority_in_the_first_round_decides_at_once(sqlite_app: Suara) -> None:
    hall = Hall(sqlite_app)
    position = hall.position("Ketua", "two-round")
    hall.stand(position, "West 0", "Central 0", "East 0")
    first = sqlite_app.bus.handle(OpenPosition(position))
    hall.vote(first, _votes((0, 4), (1, 2), (2, 1)))
    hall.count(first)
    decided = hall.get(position)
    assert decided.status is PositionStatus.DECIDED
    assert decided.elected_ids == (hall.id("West 0"),)


# 2. Ties: the rules' cascade settles a tie that decides a seat; until then, not decided.


def _lot_winner(seed: str, aliases: Sequence[str]) -> str:
    tickets = {
        a: hashlib.sha256(f"{seed}|lot|{i}|{a}".encode()).hexdigest() for i, a in enumerate(aliases)
    }
    return min(aliases, key=lambda a: tickets[a])


def test_a_tie_goes_to_a_revote_then_musyawarah_then_a_lot_shown_first(sqlite_app: Suara) -> None:
    app = sqlite_app
    hall = Hall(app)
    position = hall.position("Ketua Presidium", "plurality")
    hall.stand(position, "West 0", "Central 0", "East 0")
    first = app.bus.handle(OpenPosition(position))
    hall.vote(first, _votes((0, 3), (1, 3), (2, 1)))
    hall.count(first)
    tied = [hall.id("West 0"), hall.id("Central 0")]

    # Not decided by the count's hidden lot: a re-vote among the tied comes first.
    after_count = hall.get(position)
    assert after_count.status is PositionStatus.UNDECIDED and after_count.elected_ids == ()
    assert after_count.step == "revote"
    assert after_count.pending is not None and after_count.pending["candidates"] == tied
    with signed_in(app, hall.congress_id, hall.codes["observer"]) as observer:
        result = observer.get(f"/polls/{first}/result").text
        page = observer.get(f"/positions/{position}").text
        projector = observer.get(f"/congresses/{hall.congress_id}/projector").text
    assert 'id="projector-undecided"' in projector and "Belum diputuskan" in projector
    assert "Seri: belum diputuskan" in result
    assert "undian dalam penghitungan tidak dipakai" in result
    assert "Seri antara West 0 dan Central 0 untuk 1 kursi" in page
    assert "pemungutan suara ulang di antara yang seri" in page
    with pytest.raises(ElectionStep):
        app.bus.handle(ShowLotSeed(position))  # the cascade's order is kept

    revote = app.bus.handle(OpenNextRound(position))
    poll = app.queries.poll(revote)
    assert poll is not None and poll.options == ("West 0", "Central 0")
    hall.vote(revote, _votes((0, 2), (1, 2)))
    hall.count(revote)
    assert hall.get(position).step == "musyawarah"

    with signed_in(app, hall.congress_id, hall.codes["secretariat"]) as secretariat:
        csrf = token(secretariat, hall.congress_id)
        wrong = secretariat.post(
            f"/positions/{position}/musyawarah",
            data={"csrf_token": csrf, "agreed": "yes", "chosen": tied},  # two for one seat
        )
        assert wrong.status_code == 422
        assert hall.get(position).step == "musyawarah"
        none = secretariat.post(
            f"/positions/{position}/musyawarah", data={"csrf_token": csrf, "agreed": "no"}
        )
        assert none.status_code == 303
    assert hall.get(position).step == "lot"
    with pytest.raises(LotSeedFirst):
        app.bus.handle(DrawLot(position))  # the seed is shown to the hall before the draw

    with signed_in(app, hall.congress_id, hall.codes["chair"]) as chair:
        csrf = token(chair, hall.congress_id)
        assert (
            chair.post(f"/positions/{position}/lot-seed", data={"csrf_token": csrf}).status_code
            == 303
        )
        shown = chair.get(f"/positions/{position}").text
        pending = hall.get(position).pending
        assert pending is not None
        seed = str(pending["seed"])
        assert len(seed) == 32 and seed in shown
        hall_screen = chair.get(f"/congresses/{hall.congress_id}/projector").text
        assert f'<code id="projector-lot-seed">{seed}</code>' in hall_screen
        assert hall.get(position).status is PositionStatus.UNDECIDED
        assert (
            chair.post(f"/positions/{position}/lot", data={"csrf_token": csrf}).status_code == 303
        )
    winner = _lot_winner(seed, ("West 0", "Central 0"))
    decided = hall.get(position)
    assert decided.status is PositionStatus.DECIDED
    assert decided.elected_ids == (hall.id(winner),)
    drawn = hall.events("position.lot_drawn")
    assert len(drawn) == 1 and seed in drawn[0]
    assert len(hall.events("position.lot_seed")) == 1


def test_the_rules_of_procedure_choose_the_cascade(sqlite_app: Suara) -> None:
    app = sqlite_app
    hall = Hall(app)
    with app.uow_factory() as uow:
        uow.rules.adopt(hall.congress_id, Rules(tie_cascade="musyawarah,lot"))
        uow.commit()
    position = hall.position("Bendahara", "plurality")
    hall.stand(position, "West 0", "Central 0")
    first = app.bus.handle(OpenPosition(position))
    hall.vote(first, _votes((0, 2), (1, 2)))
    hall.count(first)
    assert hall.get(position).step == "musyawarah"  # no re-vote under these rules
    app.bus.handle(RecordTieMusyawarah(position, (hall.id("Central 0"),)))
    decided = hall.get(position)
    assert decided.status is PositionStatus.DECIDED
    assert decided.elected_ids == (hall.id("Central 0"),)
    assert len(hall.events("position.musyawarah")) == 1


def test_a_tie_for_the_last_seat_keeps_the_seats_it_does_not_touch(sqlite_app: Suara) -> None:
    app = sqlite_app
    hall = Hall(app)
    position = hall.position("Presidium", "plurality", seats=2)
    hall.stand(position, "West 0", "Central 0", "East 0")
    first = app.bus.handle(OpenPosition(position))
    hall.vote(first, _votes((0, 4), (1, 2), (2, 2)))
    hall.count(first)
    pending = hall.get(position).pending
    assert pending is not None
    assert pending["kept"] == [hall.id("West 0")] and pending["seats"] == 1
    assert pending["candidates"] == [hall.id("Central 0"), hall.id("East 0")]
    revote = app.bus.handle(OpenNextRound(position))
    poll = app.queries.poll(revote)
    assert poll is not None and poll.seats == 1 and poll.options == ("Central 0", "East 0")
    hall.vote(revote, _votes((0, 1), (1, 5)))
    hall.count(revote)
    decided = hall.get(position)
    assert decided.status is PositionStatus.DECIDED
    assert decided.elected_ids == (hall.id("West 0"), hall.id("East 0"))


def test_a_tie_that_decides_no_seat_leaves_the_count_alone(sqlite_app: Suara) -> None:
    hall = Hall(sqlite_app)
    position = hall.position("Sekretaris", "plurality")
    hall.stand(position, "West 0", "Central 0", "East 0")
    first = sqlite_app.bus.handle(OpenPosition(position))
    hall.vote(first, _votes((0, 4), (1, 1), (2, 1)))  # the tie is for second place only
    hall.count(first)
    decided = hall.get(position)
    assert decided.status is PositionStatus.DECIDED
    assert decided.elected_ids == (hall.id("West 0"),)


# 3. Positions: edited and deleted before nominations; "among those elected to"; exclusive.


def test_a_position_is_edited_and_deleted_only_before_anyone_is_nominated(
    sqlite_app: Suara,
) -> None:
    app = sqlite_app
    hall = Hall(app)
    position = hall.position("Bendahra", "irv")
    spare = hall.position("Cadangan", "irv")
    with signed_in(app, hall.congress_id, hall.codes["secretariat"]) as secretariat:
        csrf = token(secretariat, hall.congress_id)
        form = {"csrf_token": csrf, "title": "Bendahara", "seats": "1", "method": "plurality"}
        assert secretariat.post(f"/positions/{position}/edit", data=form).status_code == 303
        edited = hall.get(position)
        assert (edited.title, edited.method) == ("Bendahara", "plurality")
        assert "Ubah atau hapus jabatan ini" in secretariat.get(f"/positions/{position}").text
        hall.stand(position, "West 0")
        refused = secretariat.post(f"/positions/{position}/edit", data=form | {"title": "X"})
        assert refused.status_code == 409
        assert "tidak dapat diubah atau dihapus lagi" in refused.text
        assert f'href="/positions/{position}"' in refused.text  # the way back
        gone = secretariat.post(f"/positions/{position}/delete", data={"csrf_token": csrf})
        assert gone.status_code == 409
        assert hall.get(position).title == "Bendahara"
        deleted = secretariat.post(f"/positions/{spare}/delete", data={"csrf_token": csrf})
        assert deleted.status_code == 303
    assert app.queries.position(spare) is None
    assert len(hall.events("position.deleted")) == 1


def test_among_those_elected_to_opens_once_decided_and_lists_only_the_elected(
    sqlite_app: Suara,
) -> None:
    app = sqlite_app
    hall = Hall(app)
    presidium = hall.position("Presidium", "plurality", seats=2)
    chair = hall.position("Ketua Presidium", "plurality", among=presidium)
    with signed_in(app, hall.congress_id, hall.codes["West 2"]) as delegate:
        csrf = token(delegate, hall.congress_id)
        page = delegate.get(f"/positions/{chair}").text
        assert "Pencalonan dibuka setelah Presidium diputuskan." in page
        early = delegate.post(
            f"/positions/{chair}/nominations",
            data={"csrf_token": csrf, "candidate": hall.id("West 2")},
        )
        assert early.status_code == 409
        assert "Pencalonan dibuka setelah Presidium diputuskan." in early.text
    hall.stand(presidium, "West 0", "Central 0")
    assert app.bus.handle(OpenPosition(presidium)) is None  # acclaimed: two for two seats
    with signed_in(app, hall.congress_id, hall.codes["West 0"]) as member:
        page = member.get(f"/positions/{chair}").text
        options = page.split('name="candidate"', 1)[1].split("</select>", 1)[0]
        assert "West 0" in options and "Central 0" in options
        assert "East 0" not in options and "West 2" not in options
        outsider = member.post(
            f"/positions/{chair}/nominations",
            data={"csrf_token": token(member, hall.congress_id), "candidate": hall.id("East 0")},
        )
        assert outsider.status_code == 422
    assert app.queries.nominations(chair) == []


def test_nobody_holds_two_exclusive_positions(sqlite_app: Suara) -> None:
    app = sqlite_app
    hall = Hall(app)
    chair = hall.position("Ketua", "plurality", exclusive=True)
    vice = hall.position("Wakil Ketua", "plurality", exclusive=True)
    other = hall.position("Anggota Komisi", "plurality")
    hall.stand(chair, "West 0")
    assert app.bus.handle(OpenPosition(chair)) is None
    assert hall.get(chair).elected_ids == (hall.id("West 0"),)
    with signed_in(app, hall.congress_id, hall.codes["Central 0"]) as delegate:
        refused = delegate.post(
            f"/positions/{vice}/nominations",
            data={"csrf_token": token(delegate, hall.congress_id), "candidate": hall.id("West 0")},
        )
        assert refused.status_code == 409
        text = refused.text
        assert "West 0 sudah memegang jabatan Ketua" in text
        assert "satu orang tidak dapat memegang keduanya" in text
        options = delegate.get(f"/positions/{vice}").text.split('name="candidate"', 1)[1]
        assert "West 0" not in options.split("</select>", 1)[0]
    assert app.queries.nominations(vice) == []
    hall.stand(other, "West 0")  # a position not declared exclusive is open to the chair
    assert len(app.queries.nominations(other)) == 1


def test_two_exclusive_polls_cannot_run_for_the_same_person_at_once(sqlite_app: Suara) -> None:
    app = sqlite_app
    hall = Hall(app)
    chair = hall.position("Ketua", "plurality", exclusive=True)
    vice = hall.position("Wakil Ketua", "plurality", exclusive=True)
    hall.stand(chair, "West 0", "Central 0")
    hall.stand(vice, "West 0", "East 0")
    app.bus.handle(OpenPosition(chair))
    with pytest.raises(ExclusivePending):
        app.bus.handle(OpenPosition(vice))
    assert hall.get(vice).status is PositionStatus.NOMINATING


def test_the_rules_of_procedure_may_allow_holding_two_exclusive_positions(
    sqlite_app: Suara,
) -> None:
    app = sqlite_app
    hall = Hall(app)
    with app.uow_factory() as uow:
        uow.rules.adopt(hall.congress_id, Rules(exclusive_offices=False))
        uow.commit()
    chair = hall.position("Ketua", "plurality", exclusive=True)
    vice = hall.position("Wakil Ketua", "plurality", exclusive=True)
    hall.stand(chair, "West 0")
    app.bus.handle(OpenPosition(chair))
    hall.stand(vice, "West 0")
    assert len(app.queries.nominations(vice)) == 1


# 4. Ratification rejected: the board chair proposes another person; the position stays open.


def _propose(hall: Hall, position: str, by: str, candidate: str, seconder: str) -> str:
    nomination: str = hall.app.bus.handle(Nominate(position, hall.id(candidate), hall.id(by)))
    hall.app.bus.handle(AnswerNomination(nomination, True, hall.id(candidate)))
    hall.app.bus.handle(SecondNomination(nomination, hall.id(seconder)))
    return nomination


def test_a_rejected_ratification_leaves_the_position_open_for_another_proposal(
    app: Suara,
) -> None:
    hall = Hall(app)
    board_chair = hall.position("Ketua Badan Pengurus", "plurality")
    secretary = hall.position("Sekretaris", "yes-no-abstain", proposed_by=board_chair)
    with pytest.raises(AmongUndecided):
        app.bus.handle(Nominate(secretary, hall.id("East 0"), hall.id("West 0")))
    hall.stand(board_chair, "West 0")
    assert app.bus.handle(OpenPosition(board_chair)) is None
    with signed_in(app, hall.congress_id, hall.codes["Central 0"]) as delegate:
        refused = delegate.post(
            f"/positions/{secretary}/nominations",
            data={"csrf_token": token(delegate, hall.congress_id), "candidate": hall.id("East 0")},
        )
        assert refused.status_code == 403
        assert "Hanya Ketua Badan Pengurus yang mengusulkan calon" in refused.text
    first = _propose(hall, secretary, "West 0", "East 0", "Central 1")
    poll = app.bus.handle(OpenPosition(secretary))
    hall.vote(poll, _votes((0, 2), (1, 4)))
    hall.count(poll)

    still_open = hall.get(secretary)
    assert still_open.status is PositionStatus.NOMINATING
    assert still_open.elected_ids == () and still_open.rejected_ids == (hall.id("East 0"),)
    rejected = app.queries.nomination(first)
    assert rejected is not None and rejected.status is NominationStatus.REJECTED
    with signed_in(app, hall.congress_id, hall.codes["West 0"]) as proposer:
        page = proposer.get(f"/positions/{secretary}").text
    assert "Tidak disahkan: East 0." in page and "Jabatan tetap terbuka" in page
    assert "tidak disahkan" in page.split(f'id="n-{first}"', 1)[1].split("</li>", 1)[0]
    with pytest.raises(TooFewCandidates):
        app.bus.handle(OpenPosition(secretary))  # nobody is proposed yet
    with pytest.raises(AlreadyNominated):
        app.bus.handle(Nominate(secretary, hall.id("East 0"), hall.id("West 0")))

    _propose(hall, secretary, "West 0", "Central 2", "Central 1")
    second = app.bus.handle(OpenPosition(secretary))
    hall.vote(second, _votes((0, 5), (1, 1)))
    hall.count(second)
    decided = hall.get(secretary)
    assert decided.status is PositionStatus.DECIDED
    assert decided.elected_ids == (hall.id("Central 2"),)
    assert decided.round == 2
    assert len(hall.events("position.ratification_rejected")) == 1


# 5. The elected session chair takes the chair's role from the temporary chair, recorded.


def test_the_elected_session_chair_gets_the_chairs_role_by_an_audited_handover(
    app: Suara,
) -> None:
    hall = Hall(app)
    position = hall.position("Pimpinan Sidang", "plurality", grants_chair=True)
    motion = app.bus.handle(CreatePoll(hall.congress_id, "Usul"))
    with signed_in(app, hall.congress_id, hall.codes["chair"]) as temporary:
        early = temporary.post(
            f"/positions/{position}/hand-over",
            data={"csrf_token": token(temporary, hall.congress_id)},
        )
        assert early.status_code == 409  # nobody is elected yet
    hall.stand(position, "West 0")
    assert app.bus.handle(OpenPosition(position)) is None
    with signed_in(app, hall.congress_id, hall.codes["West 0"]) as before:
        opened = before.post(
            f"/polls/{motion}/open", data={"csrf_token": token(before, hall.congress_id)}
        )
        assert opened.status_code == 403  # a delegate's card does not run the session
    with signed_in(app, hall.congress_id, hall.codes["chair"]) as temporary:
        page = temporary.get(f"/positions/{position}").text
        assert "Serahkan peran pimpinan sidang kepada yang terpilih" in page
        handed = temporary.post(
            f"/positions/{position}/hand-over",
            data={"csrf_token": token(temporary, hall.congress_id)},
        )
        assert handed.status_code == 303
        # This session ended with the handover: the chair's pages are closed to it.
        assert temporary.get(f"/congresses/{hall.congress_id}/actions").status_code == 403
    assert hall.get(position).handed_over
    with signed_in(app, hall.congress_id, hall.codes["West 0"]) as elected:
        csrf = token(elected, hall.congress_id)
        assert elected.post(f"/polls/{motion}/open", data={"csrf_token": csrf}).status_code == 303
        again = elected.post(f"/positions/{position}/hand-over", data={"csrf_token": csrf})
        assert again.status_code == 409
        assert (
            "Peran pimpinan sidang telah diserahkan" in elected.get(f"/positions/{position}").text
        )
    # The temporary chair's card stepped down: it no longer signs in.
    with TestClient(create_app(app), follow_redirects=False) as anonymous:
        form = anonymous.get(f"/congresses/{hall.congress_id}/signin")
        answer = anonymous.post(
            f"/congresses/{hall.congress_id}/signin",
            data={"csrf_token": csrf_of(form.text), "code": hall.codes["chair"]},
        )
        assert answer.status_code == 401
    handover = hall.events("position.chair_handed_over")
    assert len(handover) == 1 and "901" in handover[0]
    audit = [p for p in hall.events("action.recorded") if "hand_over_chair" in p]
    assert len(audit) == 1 and '"role": "chair"' in audit[0].replace('":"', '": "')


def test_the_decision_on_a_tied_poll_names_nobody_elected_by_it(sqlite_app: Suara) -> None:
    app = sqlite_app
    hall = Hall(app)
    position = hall.position("Ketua Presidium", "plurality")
    hall.stand(position, "West 0", "Central 0")
    first = app.bus.handle(OpenPosition(position))
    hall.vote(first, _votes((0, 3), (1, 3)))
    hall.count(first)
    document = app.bus.handle(PublishDocument(hall.congress_id, "decision", poll_id=first))
    found = app.queries.adart.document_body(document, "html")
    assert found is not None
    text = found[1].decode()
    assert "Jabatan belum diputuskan sampai seri di antara West 0 dan Central 0" in text
    assert "Menetapkan West 0 sebagai" not in text
    assert "Menetapkan Central 0 sebagai" not in text


def test_a_runoff_does_not_open_below_quorum(sqlite_app: Suara) -> None:
    app = sqlite_app
    hall = Hall(app)
    position = hall.position("Ketua", "two-round")
    hall.stand(position, "West 0", "Central 0", "East 0")
    first = app.bus.handle(OpenPosition(position))
    hall.vote(first, _votes((0, 3), (1, 2), (2, 1)))
    hall.count(first)
    with app.uow_factory() as uow:
        uow.rules.adopt(hall.congress_id, Rules(quorum="2/3"))  # nobody is checked in
        uow.commit()
    with signed_in(app, hall.congress_id, hall.codes["chair"]) as chair:
        refused = chair.post(
            f"/positions/{position}/next-round",
            data={"csrf_token": token(chair, hall.congress_id)},
        )
    assert refused.status_code == 409 and "Tidak kuorum: 0 dari 8" in refused.text
    assert hall.get(position).step == "runoff" and hall.get(position).round == 1


def test_the_rules_motion_sets_the_tie_cascade_and_exclusive_positions(sqlite_app: Suara) -> None:
    app = sqlite_app
    hall = Hall(app)
    with signed_in(app, hall.congress_id, hall.codes["secretariat"]) as secretariat:
        csrf = token(secretariat, hall.congress_id)
        form = {
            "csrf_token": csrf,
            "title": "Tata tertib",
            "adopts_rules": "yes",
            "majority": "1/2",
            "majority_base": "valid",
            "seconders": "1",
        }
        bad = secretariat.post(
            f"/congresses/{hall.congress_id}/motions", data=form | {"tie_cascade": "lot,lot"}
        )
        assert bad.status_code == 422
        answer = secretariat.post(
            f"/congresses/{hall.congress_id}/motions",
            data=form | {"tie_cascade": "musyawarah,lot", "allow_two_exclusive": "yes"},
        )
        assert answer.status_code == 303
        page = secretariat.get(f"/congresses/{hall.congress_id}/agenda").text
        assert "Seri yang menentukan kursi diselesaikan dengan" in page
    motion = answer.headers["location"].rsplit("/", 1)[1]
    app.bus.handle(OpenPoll(motion))
    hall.vote(motion, _votes((0, 5)))
    hall.count(motion)
    rules = app.queries.rules(hall.congress_id)[0]
    assert rules.tie_steps() == ("musyawarah", "lot") and rules.exclusive_offices is False
