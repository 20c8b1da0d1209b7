"""Officials' identity cards (chair, secretariat, observer) change only on the server.

The attack of issue 18 item 3: the web secretariat re-issued card 901 (the chair's) and then
signed in as the chair, so one person entered and confirmed their own paper batches.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from governance.bootstrap import Suara
from tests.e2e.flow import csrf
from tests.workflow import congress_with_roster, signed_in, token


def _sign_in(app: Suara, congress_id: str, code: str) -> int:
    from starlette.testclient import TestClient

    from web.app import create_app

    with TestClient(create_app(app), follow_redirects=False) as client:
        page = client.get(f"/congresses/{congress_id}/signin")
        answer = client.post(
            f"/congresses/{congress_id}/signin", data={"csrf_token": csrf(page.text), "code": code}
        )
        return answer.status_code


def test_the_web_secretariat_cannot_reissue_or_revoke_an_officials_card(app: Suara) -> None:
    congress_id, codes = congress_with_roster(app)
    path = f"/congresses/{congress_id}/cards/identity"
    with signed_in(app, congress_id, codes["secretariat"]) as desk:
        for number in ("901", "902", "903", "904"):
            for action in ("reissue", "revoke"):
                answer = desk.post(
                    path,
                    data={
                        "csrf_token": token(desk, congress_id),
                        "number": number,
                        "action": action,
                    },
                )
                assert answer.status_code == 403, (number, action, answer.status_code)
                assert "suara cards reissue" in answer.text
                assert f'href="/congresses/{congress_id}/cards"' in answer.text  # a way back
        page = desk.get(f"/congresses/{congress_id}/cards").text
        assert 'id="reissued"' not in page  # no new code was made for anyone
    # The chair, the observer and both secretariat cards still sign in with their own codes.
    for who in ("chair", "observer", "secretariat", "secretariat2"):
        assert _sign_in(app, congress_id, codes[who]) == 303, who


def test_a_delegates_card_is_still_reissued_at_the_desk_and_logged_with_its_number(
    app: Suara,
) -> None:
    congress_id, codes = congress_with_roster(app)
    with signed_in(app, congress_id, codes["secretariat"]) as desk:
        answer = desk.post(
            f"/congresses/{congress_id}/cards/identity",
            data={"csrf_token": token(desk, congress_id), "number": "3", "action": "reissue"},
        )
        assert answer.status_code == 303
        assert 'id="reissued"' in desk.get(f"/congresses/{congress_id}/cards").text
    entries = app.queries.audit(congress_id)
    assert [(e.role, e.card_number, e.action, e.target) for e in entries] == [
        ("secretariat", 902, "reissue_identity_card", "card 3")
    ]


def test_no_command_the_desk_sends_changes_an_officials_card(app: Suara) -> None:
    import pytest

    from governance.domain.commands import ReissueIdentityCard, ReissueOfficialCard
    from governance.domain.errors import InvalidInput, OfficialCardOnServer

    congress_id, codes = congress_with_roster(app)
    for number in (901, 902, 903):
        for reissue in (True, False):
            with pytest.raises(OfficialCardOnServer):
                app.bus.handle(ReissueIdentityCard(congress_id, number, reissue))
    with pytest.raises(InvalidInput):  # the server's command is for officials' cards only
        app.bus.handle(ReissueOfficialCard(congress_id, 1))
    assert _sign_in(app, congress_id, codes["chair"]) == 303
    new = app.bus.handle(ReissueOfficialCard(congress_id, 901))
    assert new.startswith("901-")
    assert _sign_in(app, congress_id, codes["chair"]) == 401
    assert _sign_in(app, congress_id, new) == 303


def test_suara_cards_reissue_on_the_server_changes_an_officials_card_and_logs_it(
    tmp_path: Path,
) -> None:
    from governance.bootstrap import bootstrap
    from governance.config import settings_from_env

    env = {"SUARA_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    created = _suara(env, "congress", "create", "--name", "Kongres Uji")
    assert created.returncode == 0, created.stderr
    congress_id = created.stdout.splitlines()[0].removeprefix("congress ")
    printed = dict(line.split() for line in created.stdout.splitlines()[3:])
    chair_number = printed["chair"].split("-")[0]
    done = _suara(env, "cards", "reissue", chair_number, "--congress", congress_id)
    assert done.returncode == 0, done.stderr
    new = done.stdout.splitlines()[1].strip()
    assert new.startswith(f"{chair_number}-") and new != printed["chair"]
    revoked = _suara(
        env,
        "cards",
        "reissue",
        printed["observer"].split("-")[0],
        "--congress",
        congress_id,
        "--revoke",
    )
    assert revoked.returncode == 0, revoked.stderr
    unknown = _suara(env, "cards", "reissue", "77", "--congress", congress_id)
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1
    app = bootstrap(settings_from_env({"SUARA_DATA_DIR": str(tmp_path)}))
    try:
        assert _sign_in(app, congress_id, printed["chair"]) == 401
        assert _sign_in(app, congress_id, new) == 303
        assert _sign_in(app, congress_id, printed["observer"]) == 401
        log = [(e.role, e.card_number, e.action, e.target) for e in app.queries.audit(congress_id)]
        observer = printed["observer"].split("-")[0]
        assert sorted(log) == sorted(
            [
                ("server", 0, "reissue_official_card", f"card {chair_number}"),
                ("server", 0, "reissue_official_card", f"card {observer}"),
            ]
        )
    finally:
        app.dispose()


def test_the_action_log_names_both_cards_of_a_paper_batch(app: Suara) -> None:
    from governance.domain import codes as card_codes
    from governance.domain.commands import CheckInDelegate, CreatePoll, OpenPoll
    from governance.service_layer import setup

    congress_id, codes = congress_with_roster(app)
    # Paper ballots stay within the delegates present and the voting cards (issue 18 item 4).
    for delegate in app.queries.delegates(congress_id):
        app.bus.handle(CheckInDelegate(congress_id, delegate.id))
    secret = app.settings.secret_key
    tags = [card_codes.card_tag(secret, card_codes.new_voting_code()) for _ in range(4)]
    setup.register_voting_cards(app.uow_factory, congress_id, tags)
    motion = app.bus.handle(CreatePoll(congress_id, "Tata tertib"))
    app.bus.handle(OpenPoll(motion))
    with signed_in(app, congress_id, codes["secretariat"]) as desk:
        for _ in range(2):
            entered = desk.post(
                f"/polls/{motion}/paper",
                data={"csrf_token": token(desk, congress_id), "ballots": "1\n1\n"},
            )
            assert entered.status_code == 303, entered.text
    for who, number in (("observer", 903), ("secretariat2", 904)):
        batch = next(b.id for b in app.queries.batches(motion) if b.status == "entered")
        with signed_in(app, congress_id, codes[who]) as official:
            confirmed = official.post(
                f"/polls/{motion}/paper/{batch}/confirm",
                data={"csrf_token": token(official, congress_id)},
            )
            assert confirmed.status_code == 303, confirmed.text
        entry = next(
            e
            for e in app.queries.audit(congress_id)
            if e.action == "confirm_paper_batch" and e.card_number == number
        )
        assert entry.target == f"{batch},{motion},entered by card 902"


def _suara(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    suara = str(Path(sys.executable).parent / "suara")
    return subprocess.run([suara, *args], capture_output=True, text=True, env=env, check=False)
