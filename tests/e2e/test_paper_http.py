"""Issue 18.4 against the real server (`suara serve --demo`, its own worker and relay).

The attack from the report: 400 paper ballots in a congress with 48 delegates present and 60
voting cards. Before the fix every batch was confirmed and the 400 were published.
"""

from __future__ import annotations

import re
import subprocess
import time
from contextlib import ExitStack
from pathlib import Path

import httpx2
import pytest

from tests.e2e.flow import (
    SUARA,
    DemoOutput,
    assert_record_verifies,
    csrf,
    env_for,
    free_port,
    parse_demo,
    read_until,
    stop,
    wait_for_health,
)

pytestmark = pytest.mark.e2e


def _official(base: str, demo: DemoOutput, role: str) -> httpx2.Client:
    client = httpx2.Client(base_url=base, follow_redirects=False, timeout=10)
    cid = demo.congress_id
    page = client.get(f"/congresses/{cid}/signin")
    answer = client.post(
        f"/congresses/{cid}/signin",
        data={"csrf_token": csrf(page.text), "code": demo.identity[role]},
    )
    assert answer.status_code == 303
    return client


def _post(client: httpx2.Client, demo: DemoOutput, path: str, **data: str) -> httpx2.Response:
    token = csrf(client.get(f"/congresses/{demo.congress_id}/signin").text)
    return client.post(path, data={"csrf_token": token, **data})


def test_paper_ballots_beyond_the_hall_are_refused_voided_by_two_and_never_published(
    tmp_path: Path,
) -> None:
    port = free_port()
    server = subprocess.Popen(
        [SUARA, "serve", "--demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env_for(tmp_path),
    )
    try:
        demo = parse_demo(read_until(server, "demo-codes.txt"))
        base = f"http://127.0.0.1:{port}"
        wait_for_health(base, server)
        clients = ExitStack()
        desk = _official(base, demo, "secretariat")
        observer = _official(base, demo, "observer")
        chair = _official(base, demo, "chair")
        for client in (desk, observer, chair):
            clients.callback(client.close)
        congress = desk.get(f"/congresses/{demo.congress_id}").text
        poll_id = re.search(r'href="/polls/([0-9a-f]{32})"', congress).group(1)  # type: ignore[union-attr]
        poll = f"/polls/{poll_id}"
        for _ in range(2):  # 400 ballots in two batches of 200
            entered = _post(desk, demo, f"{poll}/paper", ballots="1\n" * 200)
            assert entered.status_code == 303
        batches = re.findall(rf"{poll}/paper/([0-9a-f]{{32}})/confirm", desk.get(poll).text)
        assert batches == []  # no confirm button: each would pass the 48 present
        page = observer.get(poll).text
        assert page.count("lebih dari 48 delegasi yang hadir atau 60 kartu suara") == 2
        ids = re.findall(r'name="batch" value="([0-9a-f]{32})"', chair.get(poll).text)
        assert len(ids) == 2
        refused = _post(observer, demo, f"{poll}/paper/{ids[0]}/confirm")
        assert refused.status_code == 409 and "Batch ini tidak dikonfirmasi" in refused.text
        # Each batch is voided by the secretariat and a second official, never one alone.
        for batch_id in ids:
            proposed = _post(desk, demo, f"{poll}/corrections", kind="void_batch",
                             batch=batch_id, reason="400 surat, 48 hadir")  # fmt: skip
            assert proposed.status_code == 303
        for correction in re.findall(
            r"/corrections/([0-9a-f]{32})/cosign", observer.get(poll).text
        ):
            alone = _post(desk, demo, f"{poll}/corrections/{correction}/cosign")
            assert alone.status_code == 403
            assert (
                _post(observer, demo, f"{poll}/corrections/{correction}/cosign").status_code == 303
            )
        # Ballots that fit are counted; the poll closes and its record verifies.
        assert _post(desk, demo, f"{poll}/paper", ballots="1\n1\n2\n1\n3\n").status_code == 303
        (fits,) = re.findall(rf"{poll}/paper/([0-9a-f]{{32}})/confirm", observer.get(poll).text)
        assert _post(observer, demo, f"{poll}/paper/{fits}/confirm").status_code == 303
        assert _post(chair, demo, f"{poll}/close").status_code == 303
        deadline = time.monotonic() + 30
        with httpx2.Client(base_url=base, timeout=10) as public:
            while time.monotonic() < deadline:
                result = public.get(f"{poll}/result").text
                if "outcome-" in result:
                    break
                time.sleep(0.2)
            assert "outcome-" in result
            assert_record_verifies(public, poll_id, deadline)
            record = public.get(f"{poll}/record.json").json()
            (entry,) = [p for p in record["polls"] if p["id"] == poll_id]
            assert len(entry["board"]["document"]["ballots"]) == 5  # never the 400
            assert entry["closed_snapshot"]["paper_ballots"] == 5
            voided = [e for e in record["events"] if e.get("type") == "paper_batch.voided"]
            assert sorted(e["payload"]["count"] for e in voided) == [200, 200]
        log = chair.get(f"/congresses/{demo.congress_id}/actions").text
        assert log.count("400 surat, 48 hadir") == 2
        clients.close()
    finally:
        stop(server)
