from __future__ import annotations

from datetime import UTC, date, datetime

from governance.adapters.queries import ResultView
from governance.domain.polls import Poll
from web import charts, i18n


def poll(method: str, options: tuple[str, ...]) -> Poll:
    return Poll(id="p", congress_id="c", title="T", method=method, options=options)


def test_dates_and_numbers_follow_the_reader_language() -> None:
    moment = datetime(2026, 11, 27, 14, 5, tzinfo=UTC)
    i18n.set_language("id")
    assert i18n.date(date(2026, 8, 17)) == "17 Agu 2026"
    assert i18n.datetime(moment) == "27 Nov 2026 21.05"  # 14:05 UTC is 21.05 WIB
    assert i18n.number("1234.5") == "1.234,5"
    i18n.set_language("en")
    assert i18n.date(date(2026, 8, 17)) == "17 Aug 2026"
    assert i18n.datetime(moment) == "27 Nov 2026 21:05"
    assert i18n.number("1234.5") == "1,234.5"
    i18n.set_language("id")


def test_candidates_are_letters_on_the_projector_until_names_are_turned_on() -> None:
    i18n.set_language("en")
    election = poll("meek-stv", ("Melati Pagi", "Mawar Pagi"))
    assert charts.option_labels(election, show_names=False) == {
        "Melati Pagi": "Candidate A",
        "Mawar Pagi": "Candidate B",
    }
    assert charts.option_labels(election, show_names=True)["Melati Pagi"] == "Melati Pagi"
    motion = poll("yes-no-abstain", ("yes", "no", "abstain"))
    assert charts.option_labels(motion, show_names=False)["yes"] == "Yes"
    i18n.set_language("id")


def test_a_reveal_scales_bars_to_the_highest_total_and_lists_every_round() -> None:
    i18n.set_language("en")
    election = poll("scottish-stv", ("Melati", "Mawar", "Kenanga"))
    # The stored record sorts names; the chart and the table keep the ballot's order.
    stages = [
        {"number": 1, "totals": {"Kenanga": "1", "Mawar": "2", "Melati": "3"}, "exhausted": "0"},
        {"number": 2, "totals": {"Kenanga": "0", "Mawar": "2", "Melati": "4"}, "exhausted": "0"},
    ]
    data = {"stages": stages, "elected": [{"name": "Melati", "stage": 2}], "snapshot": {}}
    reveal = charts.reveal(election, ResultView("p", "elected", data, "d", True), False)
    assert [b.value for b in reveal.bars] == ["4", "2", "0"]
    assert reveal.bars[0].width == charts.CHART_WIDTH - charts.LABEL_WIDTH - charts.VALUE_ROOM
    assert reveal.bars[1].width == reveal.bars[0].width / 2
    assert reveal.stages == [1, 2]
    assert [r.label for r in reveal.rounds] == [
        "Candidate A",
        "Candidate B",
        "Candidate C",
        "Exhausted",
    ]
    assert reveal.rounds[0].values == ["3", "4"]
    assert reveal.elected == ["Candidate A"]
    assert "Melati" not in repr(reveal)
    i18n.set_language("id")
