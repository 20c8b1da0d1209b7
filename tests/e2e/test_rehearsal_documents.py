"""Issue 17: the rehearsal publishes every decision and the minutes; their PDFs name everyone.

The PDFs are read back as text (poppler's pdftotext), so the test checks what a reader of the
printed document sees: every elected alias in its decision and in the minutes, the votes per
candidate, the place and an Indonesian date, and no English outcome words.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess  # nosec B404: a fixed local tool on files the test wrote
from pathlib import Path

import pytest

from governance.cli.rehearse import run_rehearsal
from governance.documents.explain import number
from tests.conftest import FAST_HASHER

pytestmark = [
    pytest.mark.e2e,
    # Outside CI a machine without poppler skips; in CI the missing tool is a failure.
    pytest.mark.skipif(
        shutil.which("pdftotext") is None and os.environ.get("CI") != "true",
        reason="needs poppler's pdftotext",
    ),
]
MONTHS = "Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember"


def text_of(pdf: Path) -> str:
    tool = shutil.which("pdftotext") or "pdftotext"
    done = subprocess.run([tool, str(pdf), "-"], capture_output=True, check=True)  # nosec B603
    return " ".join(done.stdout.decode().split())


def test_every_elected_alias_is_in_its_decision_and_in_the_minutes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_rehearsal(out, tmp_path / "data", hasher=FAST_HASHER)
    folder = out / "documents"
    pdfs = sorted(folder.glob("*.pdf"))
    assert pdfs and {p.stem for p in pdfs} == {h.stem for h in folder.glob("*.html")}
    texts = {p.name: text_of(p) for p in pdfs}
    minutes = [t for t in texts.values() if t.startswith("BERITA ACARA")]
    decisions = [t for t in texts.values() if t.startswith("KEPUTUSAN KONGRES")]
    assert minutes and len(decisions) >= 20
    full = max(minutes, key=len)  # the minutes of the whole day (the AD/ART's own is shorter)
    for text in texts.values():
        assert re.search(
            rf"(Ditetapkan|Dibuat) di Jakarta, pada tanggal \d{{1,2}} ({MONTHS}) 20", text
        )
        assert " elected" not in text and "Kongres, pada" not in text
    assert full.count("BERITA ACARA SIDANG PLENO") == 1  # the title is printed once
    assert "Wisma Contoh" in full and "Jaringan Contoh Nusantara" in full
    assert re.search(r"Sidik jari kunci penandatangan kongres [0-9A-F]{4}(-[0-9A-F]{4}){7}", full)
    assert "wilayah Timur" in full and "central" not in full
    elections = 0
    for path in sorted(out.glob("*.json")):
        summary = json.loads(path.read_text())
        if (
            not isinstance(summary, dict)
            or "result" not in summary
            or summary["method"] in ("yes-no-abstain",)
        ):
            continue
        elections += 1
        title = summary["title"].upper()
        # "TENTANG PRESIDIUM NASIONAL Menimbang", not its re-vote "... NASIONAL (2)" (issue 14).
        mine = [t for t in decisions if f"TENTANG {title} Menimbang" in t]
        assert len(mine) == 1, title
        result = summary["result"]
        first = result["stages"][0]["totals"]
        for entry in result["elected"]:
            assert entry["name"] in mine[0] and entry["name"] in full, (title, entry["name"])
        for name, votes in first.items():
            # Each candidate's row: the alias, the region, then the first-round votes.
            assert re.search(
                rf"{re.escape(name)} (Barat|Tengah|Timur) {re.escape(number(votes))}", mine[0]
            )
    assert elections >= 4
    # The presidium's count ties for a seat (the 0-0 tie of the east): its decision says the
    # count's lot is not used; the re-vote among the tied decides, and its decision names the
    # whole presidium with the chair's and vice-chair's roles (issue 14).
    tied = next(t for t in decisions if "TENTANG PRESIDIUM NASIONAL Menimbang" in t)
    assert "diadakan undian dengan benih (seed)" in tied
    assert "undian dalam penghitungan tidak dipakai" in tied and "Ketua (Wilayah" not in tied
    presidium = next(t for t in decisions if "TENTANG PRESIDIUM NASIONAL (2)" in t)
    assert "Ketua (Wilayah" in presidium and "Wakil Ketua (Wilayah" in presidium
    assert "Komposisi wilayah: Barat" in presidium and "Timur 1 orang" in presidium
    declaration = next(t for t in decisions if "TENTANG DEKLARASI KONGRES" in t)
    assert "dengan naskah sebagai berikut" in declaration and "tanpa kekerasan" in declaration
    sekretaris = next(t for t in decisions if "TENTANG SEKRETARIS" in t)
    assert "Mengesahkan" in sekretaris and "sebagai Sekretaris." in sekretaris
