"""Record commands: export, verify, keygen, cosign, observer registration and purge.

`verify`, `keygen` and `cosign` run on an observer's laptop and never touch a database.
Every refusal is exit code 2 and one line on stderr.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from governance.cli.common import OneLineCommand, OneLineError
from governance.records import canon, verifier


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


@click.command(cls=OneLineCommand)
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Key file.")
def keygen(out: Path) -> None:
    """Make an observer's Ed25519 key pair: OUT (private, keep it) and OUT.pub."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if out.exists():
        raise OneLineError(f"suara keygen: {out} exists; choose another file")
    key = Ed25519PrivateKey.generate()
    public = canon.public_key_hex(key)
    _write_private(out, canon.private_key_pem(key))
    Path(f"{out}.pub").write_text(public + "\n")
    click.echo(f"private key: {out} (keep it on this laptop)")
    click.echo(f"public key:  {public}")
    click.echo(f"fingerprint: {canon.fingerprint(public)}")


@click.command(cls=OneLineCommand)
@click.argument("record", type=click.Path(path_type=Path))
@click.option("--known", type=click.Path(path_type=Path), help="A record or checkpoints you kept.")
def verify(record: Path, known: Path | None) -> None:
    """Check a record: chain, signatures, boards, receipts, cards and every count."""
    # The verifier prints one line itself when the file cannot be read (exit code 2).
    sys.exit(verifier.run(str(record), str(known) if known else None))


def cosignatures(
    record: dict[str, Any], key_pem: bytes, poll_id: str | None
) -> list[dict[str, str]]:
    """Sign the closing checkpoint of each closed poll (or of one poll) in a verified record."""
    key = canon.load_private_key(key_pem)
    signed = []
    for cp in record["checkpoints"]:
        if cp.get("kind") != "close" or (poll_id and cp.get("poll_id") != poll_id):
            continue
        signed.append(
            {
                "poll_id": str(cp["poll_id"]),
                "checkpoint_id": str(cp["id"]),
                "public_key": canon.public_key_hex(key),
                "signature": canon.sign(key, canon.checkpoint_message(cp)),
            }
        )
    return signed


@click.command(cls=OneLineCommand)
@click.argument("record", type=click.Path(path_type=Path))
@click.option("--key", "key_path", required=True, type=click.Path(path_type=Path))
@click.option("--poll", "poll_id", default=None, help="Only this poll's closing checkpoint.")
@click.option("--out", type=click.Path(path_type=Path), help="Write the signatures here (JSON).")
@click.option("--upload", "base_url", default=None, help="Post them to this Suara site (URL).")
def cosign(
    record: Path, key_path: Path, poll_id: str | None, out: Path | None, base_url: str | None
) -> None:
    """Verify a record, then co-sign its closing checkpoints offline with your key."""
    try:
        data = verifier.load(str(record))
        key_pem = key_path.read_bytes()
    except (OSError, ValueError) as error:
        raise OneLineError(f"suara cosign: cannot read input: {error}") from None
    report = verifier.verify(data)
    if report.failures:
        raise OneLineError(f"suara cosign: the record does not verify: {report.failures[0]}")
    try:
        signed = cosignatures(data, key_pem, poll_id)
    except ValueError as error:
        raise OneLineError(f"suara cosign: {error}") from None
    if not signed:
        raise OneLineError("suara cosign: no closing checkpoint to sign in this record")
    text = json.dumps(signed, indent=1) + "\n"
    if base_url:
        for entry in signed:
            status = upload(base_url, entry)
            click.echo(f"poll {entry['poll_id']}: uploaded (HTTP {status})")
    if out:
        out.write_text(text)
        click.echo(f"{len(signed)} signature(s) written to {out}; upload each one")
    elif not base_url:
        click.echo(text, nl=False)


def upload(base_url: str, entry: dict[str, str]) -> int:
    """POST one co-signature to the site's API; the standard library is enough."""
    # Imported here: `suara verify` shares this module and never needs an HTTP client.
    import urllib.error
    import urllib.request

    if not base_url.startswith(("https://", "http://")):
        raise OneLineError("suara cosign: --upload needs an http(s) URL")
    url = f"{base_url.rstrip('/')}/api/polls/{entry['poll_id']}/cosignatures"
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=json.dumps(entry).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    try:
        # The scheme is checked above: only http(s), never file: or a custom scheme.
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  # nosec B310
            return int(response.status)
    except urllib.error.HTTPError as error:
        error.close()  # it holds the response's socket
        raise OneLineError(f"suara cosign: upload refused (HTTP {error.code})") from None
    except (urllib.error.URLError, OSError) as error:
        raise OneLineError(f"suara cosign: upload failed: {error}") from None
