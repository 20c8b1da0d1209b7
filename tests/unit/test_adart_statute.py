from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.adart.diff import amendment_diff
from governance.adart.markdown import parse_draft
from governance.adart.model import (
    AdartRules,
    Amendment,
    AmendmentsStillOpen,
    AmendmentStatus,
    ArticleDecided,
    ArticleStatus,
    ArticlesUndecided,
    Paragraph,
)
from governance.adart.statute import FINAL, Statute, apply_amendment
from governance.adart.storage import statute_from_state, statute_state
from governance.domain.errors import InvalidInput, NotAllowed
from governance.domain.rules_json import quorum_required, rule_from_json, rule_to_json

DRAFT = (
    "# AD: T\n## Bab I: A\n### Pasal 1: N\none\n\ntwo\n# ART: T\n## Bab I: B\n### Pasal 1: M\nx\n"
)


def statute(required: int = 1) -> Statute:
    return Statute.from_draft("c", parse_draft(DRAFT), AdartRules(required_support=required), "h")


def test_an_amendment_needs_the_support_the_rules_require_to_be_admitted() -> None:
    s = statute(required=2)
    a = s.propose("AD-1", "replace", "1", "uno", "clearer", "p")
    s.support(a.id, "p")  # the proposer's own support does not count
    s.support(a.id, "d1")
    s.support(a.id, "d1")  # nor does supporting twice
    assert a.status is AmendmentStatus.PROPOSED
    s.support(a.id, "d2")
    assert a.status is AmendmentStatus.ADMITTED


def test_only_the_assigned_commission_recommends() -> None:
    s = statute()
    a = s.propose("AD-1", "delete", "2", "", "redundant", "p")
    with pytest.raises(NotAllowed):
        s.recommend(a.id, "advocacy", "adopt")
    s.assign("AD-I", "advocacy")
    s.recommend(a.id, "advocacy", "adopt")
    assert a.recommendations == {"advocacy": "adopt"}


def test_consensus_adopts_by_acclamation_and_lapses_unsupported_amendments() -> None:
    s = statute(required=1)
    taken = s.propose("AD-1", "replace", "1", "uno", "r", "p")
    s.support(taken.id, "d")
    left = s.propose("AD-1", "insert", "0", "zero", "r", "p")
    s.deliberate("AD-1", True, "mufakat", (taken.id,))
    article = s.articles["AD-1"]
    assert (article.status, article.how) == (ArticleStatus.ADOPTED, "consensus")
    assert [p.text for p in article.text] == ["uno", "two"]
    assert left.status is AmendmentStatus.LAPSED
    with pytest.raises(ArticleDecided):
        s.propose("AD-1", "delete", "1", "", "late", "p")


def test_the_article_vote_waits_for_its_amendments_and_the_final_vote_for_every_article() -> None:
    s = statute(required=1)
    a = s.propose("AD-1", "replace", "1", "uno", "r", "p")
    s.support(a.id, "d")
    s.deliberate("AD-1", False, "")
    with pytest.raises(AmendmentsStillOpen):
        s.vote_on("AD-1")
    title, rule = s.vote_on(a.id)
    assert rule.fraction == Fraction(2, 3) and "Usulan perubahan 1" in title
    s.voting(a.id, "poll-a")
    assert s.pending_polls() == {"poll-a": a.id}
    s.settle(a.id, "rejected")
    _, rule = s.vote_on("AD-1")
    s.voting("AD-1", "poll-b")
    with pytest.raises(ArticlesUndecided):
        s.vote_on(FINAL)
    s.settle("AD-1", "no_quorum")  # no decision: the article waits for a new vote
    assert (s.articles["AD-1"].status, s.articles["AD-1"].poll_id) == (ArticleStatus.VOTING, "")
    s.vote_on("AD-1")
    s.voting("AD-1", "poll-c")
    s.settle("AD-1", "rejected")
    assert s.articles["AD-1"].status is ArticleStatus.REJECTED
    s.deliberate("ART-1", True, "")
    assert s.vote_on(FINAL)[1] == s.rules.final


def test_art_articles_are_decided_by_simple_majority() -> None:
    s = statute()
    s.deliberate("ART-1", False, "")
    _, rule = s.vote_on("ART-1")
    assert rule.fraction == Fraction(1, 2) and rule.strict


def test_bad_amendments_are_refused() -> None:
    s = statute()
    for args in (
        ("AD-1", "rewrite", "1", "x", "r"),
        ("AD-1", "replace", "9", "x", "r"),
        ("AD-1", "replace", "1", "", "r"),
        ("AD-1", "replace", "1", "x", " "),
    ):
        with pytest.raises(InvalidInput):
            s.propose(*args, "p")
    assert s.amendments == {}


def test_the_statute_survives_its_json_form() -> None:
    s = statute()
    a = s.propose("AD-1", "insert", "1", "one and a half", "r", "p")
    s.support(a.id, "d")
    s.deliberate("AD-1", True, "note", (a.id,))
    again = statute_from_state(statute_state(s))
    assert statute_state(again) == statute_state(s)
    assert [p.pid for p in again.articles["AD-1"].text] == ["1", "1.1", "2"]


def test_a_rule_round_trips_through_json_and_sets_its_quorum() -> None:
    rule = AdartRules().ad
    assert rule_from_json(rule_to_json(rule)) == rule
    assert quorum_required(rule, 52) == 35
    assert quorum_required(None, 52) is None


def test_the_diff_marks_words_taken_out_and_put_in_and_escapes_text() -> None:
    text = [Paragraph("1", "Nama <b>lama</b> di sini."), Paragraph("2", "Dua.")]
    amendment = Amendment("x", 1, "AD-1", "replace", "1", "Nama baru di sini.", "r", "p")
    assert amendment_diff(text, amendment) == [
        "Nama <del>&lt;b&gt;lama&lt;/b&gt;</del> <ins>baru</ins> di sini.",
        "Dua.",
    ]


paragraphs = st.lists(st.text(alphabet="abc ", min_size=1, max_size=8), min_size=1, max_size=5)


@given(paragraphs, st.sampled_from(["replace", "insert", "delete"]), st.data())
def test_applying_an_amendment_changes_only_its_target(
    texts: list[str], kind: str, data: st.DataObject
) -> None:
    text = [Paragraph(str(i + 1), t) for i, t in enumerate(texts)]
    target = data.draw(st.sampled_from([p.pid for p in text]))
    after = apply_amendment(text, Amendment("x", 7, "AD-1", kind, target, "new", "r", "p"))
    untouched = [p for p in text if p.pid != target]
    assert [p for p in after if p.pid in {q.pid for q in untouched}] == untouched
    expected = {"replace": 0, "insert": 1, "delete": -1}[kind]
    assert len(after) == len(text) + expected
