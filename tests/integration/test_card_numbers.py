"""Officials' card numbers never meet delegates' (issue 16): a congress of 901 or more
delegates gave delegates 901-903 no identity card, and `suara cards identity` said nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from governance.bootstrap import Suara
from governance.domain import codes
from governance.domain.commands import ImportDelegates, IssueIdentityCards, SaveDelegate
from governance.domain.delegates import MAX_DELEGATE_NUMBER, OFFICIALS, Delegate, Role
from governance.domain.roster import free_numbers
from governance.service_layer import setup
from governance.service_layer.auth import sign_in
from governance.service_layer.cards import number_ranges
from tests.workflow import HEADER

LEGACY = ((901, Role.CHAIR, "Chair"), (902, Role.SECRETARIAT, "Sek"), (903, Role.OBSERVER, "Saksi"))


def _csv(count: int, prefix: str = "Delegasi") -> str:
    rows = [f"{prefix} {i},Bali,east,women,ordinary,yes," for i in range(count)]
    return HEADER + "\n".join(rows) + "\n"


def _officials(app: Suara, congress_id: str, officials: tuple[tuple[int, Role, str], ...]) -> dict:
    holders = [(number, role, None, label) for number, role, label in officials]
    return setup.issue_identity_cards(app.uow_factory, app.hasher, congress_id, holders)


def _every_delegate_signs_in(app: Suara, congress_id: str, printed: dict[str, str]) -> None:
    delegates = app.queries.delegates(congress_id)
    assert set(printed) == {d.alias for d in delegates}
    by_alias = {d.alias: d for d in delegates}
    for alias in ("Delegasi 0", "Delegasi 900", "Delegasi 901", "Delegasi 902", "Delegasi 999"):
        who = sign_in(app.uow_factory, app.hasher, congress_id, printed[alias])
        assert (who.role, who.delegate_id) == ("delegate", by_alias[alias].id)
        assert who.card_number == by_alias[alias].number


def test_a_new_congress_of_1200_delegates_gives_each_a_card_and_officials_their_own(
    app: Suara,
) -> None:
    congress_id = setup.create_congress(app.uow_factory, "besar", "Kongres Besar")
    officials = _officials(app, congress_id, OFFICIALS)
    app.bus.handle(ImportDelegates(congress_id, _csv(1200), dry_run=False))
    printed = dict(app.bus.handle(IssueIdentityCards(congress_id)))
    assert len(printed) == 1200
    numbers = [d.number for d in app.queries.delegates(congress_id)]
    assert sorted(numbers) == list(range(1, 1201))
    assert not set(numbers) & {n for n, _role, _label in OFFICIALS}
    _every_delegate_signs_in(app, congress_id, printed)
    for number, role, _label in OFFICIALS:
        assert sign_in(app.uow_factory, app.hasher, congress_id, officials[number]).role == role


def test_an_older_congress_with_officials_at_901_skips_their_numbers(app: Suara) -> None:
    congress_id = setup.create_congress(app.uow_factory, "lama", "Kongres Lama")
    officials = _officials(app, congress_id, LEGACY)
    app.bus.handle(ImportDelegates(congress_id, _csv(1000), dry_run=False))
    app.bus.handle(SaveDelegate(congress_id, "Satu Lagi", "Bali", "east", "men", "ordinary"))
    numbers = {d.alias: d.number for d in app.queries.delegates(congress_id)}
    assert sorted(numbers.values()) == [*range(1, 901), *range(904, 1005)]
    printed = dict(app.bus.handle(IssueIdentityCards(congress_id)))
    assert len(printed) == 1001
    _every_delegate_signs_in(app, congress_id, printed)
    chair = sign_in(app.uow_factory, app.hasher, congress_id, officials[901])
    assert (chair.role, chair.card_number) == ("chair", 901)


def test_delegates_numbered_901_to_903_before_the_fix_get_a_new_number_and_a_card(
    app: Suara,
) -> None:
    """The state the bug left: delegates 901-903 exist beside the officials' cards 901-903."""
    congress_id = setup.create_congress(app.uow_factory, "rusak", "Kongres")
    people = [
        Delegate(codes.new_id(), congress_id, i + 1, f"Delegasi {i}", "Bali", "east")
        for i in range(1000)
    ]
    setup.add_delegates(app.uow_factory, congress_id, people)
    officials = _officials(app, congress_id, LEGACY)
    printed = dict(app.bus.handle(IssueIdentityCards(congress_id)))
    assert len(printed) == 1000  # before: 997, and the card desk said every delegate had one
    numbers = {d.alias: d.number for d in app.queries.delegates(congress_id)}
    assert [numbers[f"Delegasi {i}"] for i in (899, 900, 901, 902, 999)] == [
        900,
        1001,
        1002,
        1003,
        1000,
    ]
    _every_delegate_signs_in(app, congress_id, printed)
    assert sign_in(app.uow_factory, app.hasher, congress_id, officials[903]).role == "observer"
    entry = app.queries.audit(congress_id)
    assert entry == []  # not audited: no official acted through the bus here


def test_the_card_desk_counts_delegates_by_their_card_not_by_its_number(app: Suara) -> None:
    from tests.workflow import signed_in

    congress_id = setup.create_congress(app.uow_factory, "meja", "Kongres")
    people = [
        Delegate(codes.new_id(), congress_id, n, f"Delegasi {n}", "Bali", "east")
        for n in (1, 2, 901, 902, 903)
    ]
    setup.add_delegates(app.uow_factory, congress_id, people)
    officials = _officials(app, congress_id, LEGACY)
    setup.issue_identity_cards(
        app.uow_factory,
        app.hasher,
        congress_id,
        [(n, Role.DELEGATE, d.id, d.alias) for n, d in ((1, people[0]), (2, people[1]))],
    )
    with signed_in(app, congress_id, officials[902]) as desk:
        page = desk.get(f"/congresses/{congress_id}/cards").text
        assert "2 dari 5" in page or "2 of 5" in page
        assert "/cards/identity/issue" in page  # the button is there for the three left
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        answer = desk.post(
            f"/congresses/{congress_id}/cards/identity/issue", data={"csrf_token": token}
        )
        assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
        assert "5 dari 5" in desk.get(f"/congresses/{congress_id}/cards").text
    log = app.queries.audit(congress_id)
    assert [(e.card_number, e.action, e.target) for e in log] == [
        (902, "issue_identity_cards", "cards 904-906")
    ]


def test_suara_cards_identity_says_who_was_renumbered_and_that_everyone_has_a_card(
    tmp_path: Path,
) -> None:
    from governance.bootstrap import bootstrap
    from governance.config import settings_from_env
    from governance.migrations.runner import upgrade

    settings = settings_from_env({"SUARA_DATA_DIR": str(tmp_path)})
    upgrade(settings.database_url)
    app = bootstrap(settings)
    congress_id = setup.create_congress(app.uow_factory, "k", "Kongres")
    people = [
        Delegate(codes.new_id(), congress_id, n, f"Delegasi {n}", "Bali", "east")
        for n in (1, 901, 902)
    ]
    setup.add_delegates(app.uow_factory, congress_id, people)
    _officials(app, congress_id, LEGACY)
    suara = str(Path(sys.executable).parent / "suara")
    env = {"SUARA_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    args = [suara, "cards", "identity", "--congress", congress_id, "--out", str(tmp_path / "id")]
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"3 identity cards written to {tmp_path / 'id' / 'identity-cards.pdf'}",
        "  Delegasi 901: number 901 is an official's card; now number 904",
        "  Delegasi 902: number 902 is an official's card; now number 905",
        "every delegate (3) has an identity card",
    ]
    log = app.queries.audit(congress_id)
    assert [(e.role, e.action, e.target) for e in log] == [
        ("server", "issue_identity_cards", "cards 1,904-905")
    ]
    app.dispose()


@given(st.sets(st.integers(1, 2000), max_size=50), st.integers(1, 1500), st.integers(1, 200))
def test_free_numbers_never_hand_out_a_taken_number(taken: set[int], start: int, n: int) -> None:
    numbers = free_numbers(start, taken)
    handed = [next(numbers) for _ in range(n)]
    assert len(set(handed)) == n and not set(handed) & taken
    assert handed == sorted(handed) and handed[0] >= start
    assert max(handed) <= MAX_DELEGATE_NUMBER < min(n for n, _role, _label in OFFICIALS)


@given(st.sets(st.integers(1, 300), max_size=80))
def test_number_ranges_name_exactly_the_numbers(numbers: set[int]) -> None:
    text = number_ranges(numbers)
    named: set[int] = set()
    for part in filter(None, text.split(",")):
        first, _, last = part.partition("-")
        named |= set(range(int(first), int(last or first) + 1))
    assert named == numbers
