"""The correction decision supersedes a published decision; the minutes name annulled polls."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from governance.adart.commands import PublishDocument
from governance.bootstrap import Suara
from governance.domain.commands import CastBallot, ClosePoll, PublishResult, TallyPoll
from governance.domain.corrections import (
    CorrectionNotPossible,
    CosignCorrection,
    ProposeCorrection,
)
from tests import factories


def _html(app: Suara, document_id: str) -> str:
    found = app.queries.adart.document_body(document_id, "html")
    assert found is not None
    return found[1].decode()


def test_an_annulled_decision_is_superseded_by_a_correction_and_both_stay_listed(
    app: Suara,
) -> None:
    congress = factories.congress(app)
    poll_id = factories.open_motion(app, congress.id)
    for tag in congress.tags[:5]:
        app.bus.handle(CastBallot(poll_id, tag, (0,)))
    app.bus.handle(ClosePoll(poll_id))
    app.bus.handle(TallyPoll(poll_id))
    app.bus.handle(PublishResult(poll_id))
    decision = app.bus.handle(PublishDocument(congress.id, "decision", poll_id=poll_id))
    with pytest.raises(CorrectionNotPossible):  # not annulled: nothing to correct
        app.bus.handle(PublishDocument(congress.id, "correction", poll_id=poll_id))
    correction = app.bus.handle(
        ProposeCorrection(poll_id, "annul", "Ditutup karena salah tekan", "chair", 900)
    )
    app.bus.handle(CosignCorrection(correction, "observer", 903))
    document = app.bus.handle(
        PublishDocument(congress.id, "correction", poll_id=poll_id, chair="A", secretary="B")
    )
    again = app.bus.handle(PublishDocument(congress.id, "correction", poll_id=poll_id))
    assert again == document  # one correction decision per poll and language
    html = _html(app, document)
    assert "PEMBATALAN PEMUNGUTAN SUARA MOTION" in html
    assert "Ditutup karena salah tekan" in html
    assert "pimpinan sidang, kartu 900" in html and "pengawas, kartu 903" in html
    assert "Keputusan Nomor 01/KEP/KONGRES/" in html and "KEP-KOREKSI" in html
    listed = {(d.kind, d.id) for d in app.queries.adart.documents(congress.id)}
    assert {("decision", decision), ("correction", document)} <= listed
    with pytest.raises(CorrectionNotPossible):  # no new decision on an annulled poll
        app.bus.handle(PublishDocument(congress.id, "decision", poll_id=poll_id, language="en"))
    # The first decision is never edited.

    assert "Ditutup karena salah tekan" not in _html(app, decision)
    pdf = app.queries.adart.document_body(document, "pdf")
    assert pdf is not None and pdf[1].startswith(b"%PDF")
    if shutil.which("pdftotext"):  # installed in CI (poppler-utils)
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf[1], capture_output=True, check=True
        ).stdout.decode()
        assert "Ditutup karena salah tekan" in " ".join(text.split())


def test_the_minutes_mention_every_annulled_poll_with_its_reason(app: Suara) -> None:
    congress = factories.congress(app)
    kept = factories.open_motion(app, congress.id)
    annulled = factories.open_motion(app, congress.id)
    for poll_id in (kept, annulled):
        for tag in congress.tags[:5]:
            app.bus.handle(CastBallot(poll_id, tag, (0,)))
    app.bus.handle(ClosePoll(kept))
    app.bus.handle(TallyPoll(kept))
    app.bus.handle(PublishResult(kept))
    correction = app.bus.handle(
        ProposeCorrection(annulled, "annul", "Gangguan di ruang sidang", "chair", 900)
    )
    app.bus.handle(CosignCorrection(correction, "observer", 903))
    minutes = app.bus.handle(PublishDocument(congress.id, "minutes", poll_ids=(kept, annulled)))
    html = _html(app, minutes)
    assert "Pemungutan suara yang dibatalkan" in html
    assert "Motion: dibatalkan oleh pimpinan sidang bersama pengawas" in html
    assert "Alasan: Gangguan di ruang sidang." in html
    assert html.count("Motion") == 2  # the kept poll's block, and the annulled one listed once
