"""The app behind a real reverse proxy (Debian's Caddy) on loopback, as docker-compose runs it:
HTTPS with HSTS, Secure cookies, HTTP sent to HTTPS, and X-Forwarded-For believed only from
the proxy, so an outsider cannot dodge the sign-in throttle by forging it (issue 15 item 3)."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2
import pytest

from tests.e2e.flow import SUARA, csrf, env_for, free_port, parse_demo, read_until, stop

pytestmark = [
    pytest.mark.e2e,
    # Outside CI a machine without Caddy skips; in CI the missing proxy is a failure.
    pytest.mark.skipif(
        shutil.which("caddy") is None and os.environ.get("CI") != "true",
        reason="needs Debian's caddy",
    ),
]

CADDYFILE = """{{
	admin off
	skip_install_trust
	storage file_system {storage}
	http_port {http_port}
	https_port {https_port}
}}
https://localhost:{https_port} {{
	tls internal
	reverse_proxy 127.0.0.1:{app_port}
}}
http://localhost:{http_port} {{
	redir https://localhost:{https_port}{{uri}} permanent
}}
"""


@dataclass
class Hall:
    https: str
    http: str
    direct: str
    ca: Path
    congress_id: str


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hall]:
    tmp = tmp_path_factory.mktemp("proxy")
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    base = f"https://localhost:{https_port}"
    env = env_for(tmp / "data", SUARA_BASE_URL=base, SUARA_TRUSTED_PROXIES="127.0.0.1")
    server = subprocess.Popen(
        [SUARA, "serve", "--demo", "--host", "127.0.0.1", "--port", str(app_port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    caddyfile = tmp / "Caddyfile"
    caddyfile.write_text(
        CADDYFILE.format(
            storage=tmp / "caddy",
            http_port=http_port,
            https_port=https_port,
            app_port=app_port,
        )
    )
    caddy_env = {**os.environ, "HOME": str(tmp), "XDG_DATA_HOME": str(tmp / "share")}
    caddy = subprocess.Popen(
        ["caddy", "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=caddy_env,
    )
    try:
        demo = parse_demo(read_until(server, "Suara is ready"))
        ca = tmp / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if caddy.poll() is not None:
                raise AssertionError(f"caddy exited: {caddy.stderr.read() if caddy.stderr else ''}")
            try:
                if (
                    ca.exists()
                    and httpx2.get(
                        f"{base}/api/health", verify=ssl.create_default_context(cafile=str(ca))
                    ).is_success
                ):
                    break
            except httpx2.TransportError:
                pass
            time.sleep(0.3)
        else:
            raise AssertionError("the proxy did not answer over HTTPS")
        yield Hall(
            base,
            f"http://localhost:{http_port}",
            f"http://127.0.0.1:{app_port}",
            ca,
            demo.congress_id,
        )
    finally:
        stop(caddy, server)


def test_https_pages_carry_hsts_and_the_session_cookie_is_secure(hall: Hall) -> None:
    with httpx2.Client(
        base_url=hall.https,
        verify=ssl.create_default_context(cafile=str(hall.ca)),
        follow_redirects=False,
    ) as c:
        page = c.get(f"/congresses/{hall.congress_id}/signin")
        assert page.status_code == 200
        assert page.headers["strict-transport-security"] == "max-age=31536000"
        cookies = page.headers.get_list("set-cookie")
        assert cookies and all("secure" in cookie.lower() for cookie in cookies)
        # A redirect stays on HTTPS: relative, or to the https address.
        answer = c.post(
            f"/congresses/{hall.congress_id}/signin",
            data={"csrf_token": csrf(page.text), "code": "1-AAAA-AAAA-AAAA-AAAA-AAAA"},
        )
        assert answer.status_code == 401
        home = c.get("/")
        location = home.headers.get("location", "")
        assert home.status_code in (200, 303, 307) and not location.startswith("http://")


def test_plain_http_is_sent_to_https(hall: Hall) -> None:
    answer = httpx2.get(f"{hall.http}/congresses/{hall.congress_id}", follow_redirects=False)
    assert answer.status_code in (301, 308)
    assert answer.headers["location"] == f"{hall.https}/congresses/{hall.congress_id}"


def _guesses(client: httpx2.Client, congress_id: str, card: int) -> list[int]:
    """Wrong codes for one card, each claiming another address in X-Forwarded-For."""
    statuses = []
    for n in range(8):
        page = client.get(f"/congresses/{congress_id}/signin")
        # Secure cookies are not sent back over plain HTTP by a client; an attacker would.
        session = "; ".join(c.split(";", 1)[0] for c in page.headers.get_list("set-cookie"))
        answer = client.post(
            f"/congresses/{congress_id}/signin",
            data={"csrf_token": csrf(page.text), "code": f"{card}-AAAA-AAAA-AAAA-AAAA-AAAA"},
            headers={"x-forwarded-for": f"203.0.113.{n + 1}", "cookie": session},
        )
        statuses.append(answer.status_code)
    return statuses


def test_a_forged_x_forwarded_for_does_not_dodge_the_throttle_through_the_proxy(
    hall: Hall,
) -> None:
    with httpx2.Client(
        base_url=hall.https, verify=ssl.create_default_context(cafile=str(hall.ca))
    ) as client:
        statuses = _guesses(client, hall.congress_id, 2)
    assert statuses[:5] == [401] * 5 and 429 in statuses[5:]


def test_a_forged_x_forwarded_for_sent_past_the_proxy_is_not_believed(hall: Hall) -> None:
    # Another machine on the network (here another loopback address) talks to the app itself.
    transport = httpx2.HTTPTransport(local_address="127.0.0.3")
    with httpx2.Client(base_url=hall.direct, transport=transport) as client:
        statuses = _guesses(client, hall.congress_id, 3)
    assert statuses[:5] == [401] * 5 and 429 in statuses[5:]
