"""Corrections as the officials see them, over HTTP, in Indonesian (issues 14 and 18)."""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.testclient import TestClient

from governance.bootstrap import Suara
from governance.domain import codes as card_codes
from governance.domain.commands import CheckInDelegate, CreatePoll, OpenPoll
from governance.service_layer import setup
from tests.e2e.flow import csrf
from tests.workflow import congress_with_roster, signed_in
from web.app import create_app


def _cards(app: Suara, congress_id: str, count: int) -> None:
    tags = [
        card_codes.card_tag(app.settings.secret_key, card_codes.new_voting_code())
        for _ in range(count)
    ]
    setup.register_voting_cards(app.uow_factory, congress_id, tags)


def _poster(congress_id: str, poll_id: str) -> Callable[..., int]:
    """POST to one of the poll's routes with the session's CSRF token; the status."""

    def post(client: TestClient, path: str, **data: str) -> int:
        token = csrf(client.get(f"/congresses/{congress_id}/signin").text)
        answer = client.post(f"/polls/{poll_id}{path}", data={"csrf_token": token, **data})
        return answer.status_code

    return post


def _correction_ids(page: str, action: str) -> list[str]:
    return re.findall(rf"/corrections/([0-9a-f]+)/{action}", page)


def test_officials_see_the_discrepancy_void_the_batch_and_annul_the_poll(app: Suara) -> None:
    congress_id, codes = congress_with_roster(app)
    people = app.queries.delegates(congress_id)
    for person in people[:3]:
        app.bus.handle(CheckInDelegate(congress_id, person.id))
    _cards(app, congress_id, 10)
    poll_id = app.bus.handle(CreatePoll(congress_id, "Usul tata tertib"))
    app.bus.handle(OpenPoll(poll_id))
    post = _poster(congress_id, poll_id)
    with (
        signed_in(app, congress_id, codes["secretariat"]) as desk,
        signed_in(app, congress_id, codes["chair"]) as chair,
        signed_in(app, congress_id, codes["observer"]) as observer,
    ):
        assert post(desk, "/paper", ballots="1\n1\n2\n3\n") == 303
        (batch,) = app.queries.batches(poll_id)
        for client in (desk, chair, observer):
            page = client.get(f"/polls/{poll_id}").text
            assert "Jika dikonfirmasi, surat suara menjadi 4" in page, page
            assert "lebih dari 3 delegasi yang hadir" in page
        refused = observer.post(
            f"/polls/{poll_id}/paper/{batch.id}/confirm",
            data={"csrf_token": csrf(observer.get(f"/congresses/{congress_id}/signin").text)},
        )
        assert refused.status_code == 409
        assert "Batch ini tidak dikonfirmasi: surat suara akan menjadi 4" in refused.text
        assert f"/polls/{poll_id}" in refused.text  # a way back to the poll
        # One alone cannot void it: the secretariat proposes, a reason is required ...
        assert post(desk, "/corrections", kind="void_batch", batch=batch.id) == 422
        assert (
            post(desk, "/corrections", kind="void_batch", batch=batch.id,
                  reason="Empat surat, tiga hadir") == 303
        )  # fmt: skip
        desk_page = desk.get(f"/polls/{poll_id}").text
        assert "menunggu petugas kedua" in desk_page and not _correction_ids(desk_page, "cosign")
        # ... and the observer co-signs on their own card.
        observer_page = observer.get(f"/polls/{poll_id}").text
        (correction,) = _correction_ids(observer_page, "cosign")
        assert post(observer, f"/corrections/{correction}/cosign") == 303
        assert [b.status for b in app.queries.batches(poll_id)] == ["voided"]
        assert "dibatalkan oleh dua petugas" in desk.get(f"/polls/{poll_id}").text
        # The chair annuls the poll with the observer; the page says so to everyone.
        assert post(chair, "/corrections", kind="annul", reason="Surat suara keliru") == 303
        (annulment,) = _correction_ids(observer.get(f"/polls/{poll_id}").text, "cosign")
        assert post(desk, f"/corrections/{annulment}/cosign") == 403
        assert post(observer, f"/corrections/{annulment}/cosign") == 303
        result_page = observer.get(f"/polls/{poll_id}/result").text
        assert "Pemungutan suara ini dibatalkan" in result_page
        assert "Alasan: Surat suara keliru" in result_page
        assert "Hasilnya belum diumumkan" not in result_page  # it never will be
        with TestClient(create_app(app)) as anyone:
            assert "Pemungutan suara ini dibatalkan" in anyone.get(f"/polls/{poll_id}").text
        log = chair.get(f"/congresses/{congress_id}/actions").text
        assert log.count("propose_correction") == 2 and log.count("cosign_correction") == 2
        assert "observer #903" in log
        assert "Empat surat, tiga hadir" in log and "Surat suara keliru" in log
        # The vote is held again as a new poll, prepared by the chair.
        token = csrf(chair.get(f"/congresses/{congress_id}/signin").text)
        again = chair.post(f"/polls/{poll_id}/rerun", data={"csrf_token": token})
        assert again.status_code == 303
        new_poll = app.queries.poll(again.headers["location"].rsplit("/", 1)[1])
        assert new_poll is not None and new_poll.title == "Usul tata tertib"
        assert new_poll.status.value == "draft" and not new_poll.annulled
