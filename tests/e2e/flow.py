"""The reference flow through real HTTP: sign in, switch card, vote, receipt, close, result."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx2

from governance.records.verifier import verify

SUARA = str(Path(sys.executable).parent / "suara")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no CSRF token"
    return found.group(1)


@dataclass
class DemoOutput:
    congress_id: str = ""
    identity: dict[str, str] = field(default_factory=dict)
    voting_cards: list[str] = field(default_factory=list)


def parse_demo(text: str) -> DemoOutput:
    out = DemoOutput()
    out.congress_id = re.search(r"/congresses/([0-9a-f]{32})", text).group(1)  # type: ignore[union-attr]
    for role in ("delegate", "chair", "secretariat", "observer"):
        out.identity[role] = re.search(rf"^\s+{role}\s+(\S+)$", text, re.M).group(1)  # type: ignore[union-attr]
    out.voting_cards = re.findall(r"^\s+([0-9A-Z]{4}(?:-[0-9A-Z]{4}){5})$", text, re.M)
    return out


def secret_beside(data_dir: Path) -> Path:
    """A secret key file of the test's own, outside its data folder (as Suara requires)."""
    return data_dir.parent / f"{data_dir.name}.secret_key"


def folders(data_dir: Path) -> dict[str, str]:
    """The data folder and the secret file a test's `suara` processes and its own code share."""
    return {"SUARA_DATA_DIR": str(data_dir), "SUARA_SECRET_FILE": str(secret_beside(data_dir))}


def env_for(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUARA_")}
    env.update(folders(data_dir))
    env.update({"PYTHONUNBUFFERED": "1", "SUARA_LOG_LEVEL": "WARNING"})
    env.update(extra)
    return env


def wait_for_health(base: str, process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}")
        try:
            if httpx2.get(f"{base}/api/health", timeout=1).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("server did not become healthy")


def read_until(process: subprocess.Popen[str], marker: str, timeout: float = 60) -> str:
    """Collect a child's stdout until a marker line (its demo codes) has been printed."""
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if marker in line:
            return "".join(lines)
    raise AssertionError("marker not printed:\n" + "".join(lines))


def vote_close_and_see_result(base: str, demo: DemoOutput, timeout: float = 30) -> str:
    """Run the delegate's and the chair's part of the flow; return the public result page."""
    cid = demo.congress_id
    with httpx2.Client(base_url=base, follow_redirects=False, timeout=10) as phone:
        page = phone.get(f"/congresses/{cid}/signin")
        answer = phone.post(
            f"/congresses/{cid}/signin",
            data={"csrf_token": csrf(page.text), "code": demo.identity["delegate"]},
        )
        assert answer.status_code == 303
        congress = phone.get(f"/congresses/{cid}")
        poll_id = re.search(r'href="/polls/([0-9a-f]{32})"', congress.text).group(1)  # type: ignore[union-attr]
        page = phone.get(f"/congresses/{cid}/voting-card")
        answer = phone.post(
            f"/congresses/{cid}/voting-card",
            data={"csrf_token": csrf(page.text), "code": demo.voting_cards[0].lower()},
        )
        assert answer.status_code == 303
        ballot = phone.get(f"/polls/{poll_id}")
        cast = phone.post(
            f"/polls/{poll_id}/ballot", data={"csrf_token": csrf(ballot.text), "choice": "0"}
        )
        assert cast.status_code == 303
        assert cast.headers["location"] == f"/polls/{poll_id}/receipt"
        receipt = phone.get(cast.headers["location"])
        assert receipt.headers["cache-control"] == "no-store"
        assert re.search(r'id="receipt">[0-9A-Z-]{19}<', receipt.text)
        assert 'id="receipt"' not in phone.get(f"/polls/{poll_id}/receipt").text
    with httpx2.Client(base_url=base, follow_redirects=False, timeout=10) as laptop:
        page = laptop.get(f"/congresses/{cid}/signin")
        laptop.post(
            f"/congresses/{cid}/signin",
            data={"csrf_token": csrf(page.text), "code": demo.identity["chair"]},
        )
        poll_page = laptop.get(f"/polls/{poll_id}")
        closed = laptop.post(f"/polls/{poll_id}/close", data={"csrf_token": csrf(poll_page.text)})
        assert closed.status_code == 303
    with httpx2.Client(base_url=base, timeout=10) as public:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            page = public.get(f"/polls/{poll_id}/result")
            if "outcome-adopted" in page.text:
                assert_record_verifies(public, poll_id, deadline)
                return page.text
            time.sleep(0.2)
    raise AssertionError("the result was not published in time")


def assert_record_verifies(client: httpx2.Client, poll_id: str, deadline: float) -> None:
    """The poll's election record, once its closing checkpoint is signed, verifies."""
    failures: list[str] = ["no record"]
    while time.monotonic() < deadline:
        response = client.get(f"/polls/{poll_id}/record.json")
        if response.status_code == 200:
            failures = verify(response.json()).failures
            if not failures:
                return
        time.sleep(0.2)
    raise AssertionError(f"the record does not verify: {failures}")


def stop(*processes: subprocess.Popen[str]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
