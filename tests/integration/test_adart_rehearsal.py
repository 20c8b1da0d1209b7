from __future__ import annotations

from governance.adart.model import AmendmentStatus, ArticleStatus, StatuteStatus
from governance.adart.rehearsal import run_adart_rehearsal
from governance.bootstrap import Suara
from tests import factories


def test_rehearsal_ratifies_the_sample_draft_with_every_kind_of_outcome(app: Suara) -> None:
    congress = factories.congress(app, delegates=6, cards=6)
    report = run_adart_rehearsal(app.bus, congress.id, congress.delegate_ids, congress.tags)
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
    result = app.queries.result(report.polls["AD-4"])
    assert result is not None and result.outcome == "rejected"
    assert AmendmentStatus.LAPSED in {a.status for a in statute.amendments.values()}
    documents = app.queries.adart.documents(congress.id)
    assert {d.kind for d in documents} == {"decision", "minutes"}
