"""The scripted AD/ART ratification that `suara rehearse` runs, on both backends."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from governance.adapters.tables import documents
from governance.adart.commands import PublishDocument
from governance.adart.model import AmendmentStatus, ArticleStatus, StatuteStatus
from governance.bootstrap import Suara
from governance.rehearsal.adart import run_adart_rehearsal
from tests import factories

pytestmark = pytest.mark.e2e


def html_of(app: Suara, document_id: str) -> str:
    found = app.queries.adart.document_body(document_id, "html")
    assert found is not None
    return found[1].decode()


def test_rehearsal_ratifies_the_sample_draft_with_every_kind_of_outcome(app: Suara) -> None:
    congress = factories.congress(app, delegates=6, cards=6)
    lines: list[str] = []
    report = run_adart_rehearsal(
        app.bus, congress.id, congress.delegate_ids, congress.tags, lines.append
    )
    assert lines and lines[-1].startswith("decision and minutes published")
    statute = app.queries.adart.statute(congress.id)
    assert statute is not None
    assert len(statute.chapters) >= 3
    assert statute.status is StatuteStatus.ADOPTED
    statuses = {a.key: (a.status, a.how) for a in statute.articles.values()}
    assert statuses["AD-2"] == (ArticleStatus.ADOPTED, "consensus")
    assert statuses["AD-1"] == (ArticleStatus.ADOPTED, "vote")
    assert statuses["AD-4"] == (ArticleStatus.REJECTED, "vote")
    amendment_statuses = sorted(a.status.value for a in statute.amendments.values())
    assert amendment_statuses == ["adopted", "adopted", "lapsed", "rejected"]
    assert statute.articles["AD-1"].text[0].text == "Organisasi ini bernama Jaringan Contoh."
    assert [p.pid for p in statute.articles["AD-2"].text] == ["1"]
    failing = app.queries.result(report.polls["AD-4"])
    assert failing is not None and failing.outcome == "rejected"
    assert failing.data["counts"]["yes"] == "3" and failing.data["required_votes"] == "4"
    assert AmendmentStatus.LAPSED in {a.status for a in statute.amendments.values()}

    decision, minutes = report.documents
    decision_html = html_of(app, decision)
    for word in ("Menimbang", "Mengingat", "Memperhatikan", "MEMUTUSKAN", "Menetapkan"):
        assert word in decision_html
    assert "Lampiran" in decision_html and "Jaringan Contoh." in decision_html
    assert "Pasal 4: Tujuan" not in decision_html  # the rejected article is not annexed
    minutes_html = html_of(app, minutes)
    assert minutes_html.count("Suara tidak sah") == len(report.polls)
    assert "mufakat tercapai" in minutes_html and "Kehadiran" in minutes_html
    assert "Hadir dari wilayah Timur" in minutes_html and "6 / 6" in minutes_html
    assert "wilayah east" not in minutes_html  # regions in Indonesian, not their identifiers
    assert "Alias" not in minutes_html  # counts only: the minutes name no delegate


def test_a_decision_is_published_once_per_language_under_one_number(app: Suara) -> None:
    congress = factories.congress(app, delegates=6, cards=6)
    report = run_adart_rehearsal(app.bus, congress.id, congress.delegate_ids, congress.tags)
    final = report.polls["final"]
    again = app.bus.handle(PublishDocument(congress.id, "decision", "id", poll_id=final))
    assert again == report.documents[0]
    english = app.bus.handle(PublishDocument(congress.id, "decision", "en", poll_id=final))
    assert "DECISION OF THE CONGRESS" in html_of(app, english)
    with app.engine.connect() as conn:
        numbers = conn.execute(
            sa.select(documents.c.language, documents.c.number).where(
                documents.c.kind == "decision"
            )
        ).all()
    assert sorted(numbers) == [("en", 1), ("id", 1)]
