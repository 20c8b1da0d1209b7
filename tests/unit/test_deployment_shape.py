"""The production shape (Dockerfile, docker-compose.yml) runs what the project really has.

No Docker daemon runs here, so the images are not built; what can drift is checked instead: the
package `pip install .` builds (as the Dockerfile does) holds every file the app reads, and each
service's command names a real entry point with options it accepts.
"""

from __future__ import annotations

import importlib
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from starlette.routing import Route

from governance.cli import main as suara
from web.routes import ROUTES

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
PACKAGES = ("governance", "workers", "web")


def test_the_built_package_holds_every_file_of_the_application(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("suara-*.whl")
    packaged = set(zipfile.ZipFile(wheel).namelist())
    tracked = subprocess.run(
        ["git", "ls-files", *PACKAGES], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    assert tracked and [name for name in tracked if name not in packaged] == []


def commands() -> dict[str, list[str]]:
    services = COMPOSE["services"].items()
    return {name: service["command"] for name, service in services if "command" in service}


def test_each_suara_command_in_the_compose_file_is_accepted_by_the_cli() -> None:
    own = {name: cmd for name, cmd in commands().items() if cmd[0] == "suara"}
    assert set(own) == {"migrate", "worker", "relay"}
    for name, command in own.items():
        answer = CliRunner().invoke(suara, [*command[1:], "--help"])
        assert answer.exit_code == 0, f"{name}: {shlex.join(command)}: {answer.output}"


def test_the_web_service_serves_the_production_app_with_its_health_check() -> None:
    command = commands()["web"]
    assert command[:2] == ["uvicorn", "--factory"]
    module, _, factory = command[2].partition(":")
    assert callable(getattr(importlib.import_module(module), factory))
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert f'"{command[2]}"' in dockerfile  # the image's default command is the same app
    check = " ".join(COMPOSE["services"]["web"]["healthcheck"]["test"])
    paths = {route.path for route in ROUTES if isinstance(route, Route)}
    assert "/api/health" in check and "/api/health" in paths


def test_the_web_service_is_reached_only_through_the_https_proxy_it_trusts() -> None:
    services = COMPOSE["services"]
    assert "ports" not in services["web"]  # nothing reaches the app but the proxy
    proxy = services["caddy"]
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    address = proxy["networks"]["default"]["ipv4_address"]
    command = services["web"]["command"]
    assert command[command.index("--forwarded-allow-ips") + 1] == address
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    assert "reverse_proxy web:8000" in caddyfile
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
