from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

from governance.adart.model import AD_RULE, ART_RULE
from governance.documents import build
from governance.documents.labels import describe_rule, labels
from governance.documents.render import to_html, to_pdf

FACTS = build.PollFacts(
    title="Pasal 1 AD: <script>alert(1)</script>",
    rule=describe_rule(AD_RULE, "id"),
    outcome="adopted",
    digest="ab" * 32,
    snapshot={"entitled": 52, "present": 40, "cards_issued": 52, "ballots": 39},
    counts={"yes": "30", "no": "5", "abstain": "2", "blank": "1"},
)
WHEN = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def test_the_reconciliation_accounts_for_every_ballot() -> None:
    numbers = FACTS.reconciliation()
    assert numbers == {
        "entitled": 52,
        "present": 40,
        "cards": 52,
        "cast": 39,
        "valid": 37,
        "invalid": 1,
        "blank": 1,
    }
    assert numbers["valid"] + numbers["invalid"] + numbers["blank"] == numbers["cast"]


def test_a_decision_has_the_usual_structure_and_escapes_what_delegates_wrote() -> None:
    content = build.decision("01/KEP/KONGRES/2026", FACTS, "id", ("Ketua", "Sekretaris"), "x")
    html = to_html(content)
    headings = [b.heading for b in content.blocks]
    assert headings == ["Menimbang", "Mengingat", "Memperhatikan", "MEMUTUSKAN", "Menetapkan"]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Pimpinan Sidang" in html and "( Ketua )" in html
    assert "sekurang-kurangnya 2/3 dari suara sah" in html


def test_documents_come_in_english_on_request() -> None:
    content = build.decision("01", FACTS, "en", ("", ""), "x")
    assert [b.heading for b in content.blocks][:3] == ["Considering", "Recalling", "Noting"]
    assert content.signatures[0][0] == "Session chair"


def test_the_pdf_depends_only_on_content_and_time() -> None:
    content = build.minutes(
        "01/BA",
        {"entitled": 52, "present": 40, "cards_issued": 52},
        [("AD 1", True, "")],
        [FACTS],
        "id",
        ("", ""),
        "x",
    )
    first, second = to_pdf(content, WHEN), to_pdf(content, WHEN)
    assert first.startswith(b"%PDF") and first == second


def test_rules_are_described_from_their_fields() -> None:
    assert describe_rule(ART_RULE, "en").startswith("more than 1/2 of valid votes")
    assert "quorum of 2/3" in describe_rule(ART_RULE, "en")
    assert Fraction(2, 3) == AD_RULE.fraction
    assert describe_rule(None, "id") == "suara terbanyak"


def test_a_small_secret_poll_shows_no_counts_in_its_decision() -> None:
    small = build.PollFacts(
        title="Pasal 2",
        rule="",
        outcome="adopted",
        digest="cd" * 32,
        snapshot={"entitled": 52, "present": 40, "cards_issued": 52, "ballots": 3},
        counts={"yes": "2", "no": "1"},
        withheld_below=5,
    )
    lab = labels("en")
    rows = dict(build._rows(small, lab))
    assert rows[lab["cast"]] == "fewer than 5 (details withheld to protect secrecy)"
    assert lab["yes"] not in rows and lab["valid"] not in rows and lab["blank"] not in rows
    full = dict(build._rows(FACTS, lab))
    assert full[lab["cast"]] == "39" and full[lab["yes"]] == "30"
