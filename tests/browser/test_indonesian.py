"""Every page in `pages.PAGES`, read in Indonesian: no English identifier shows (issue 17).

A person reads the page's text, its options and its tooltips; identifiers that slipped past the
catalogue (a region, a method id, an outcome, an option, a rule) show up as English words. The
demo's own titles are bilingual on purpose ("Mengesahkan agenda kongres / Adopt the congress
agenda"); what the congress writes is its own, so only words that Suara itself prints are listed.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.actions import Sessions
from tests.browser.conftest import VIEWPORTS
from tests.browser.pages import PAGES, PageCase, Targets
from tests.browser.server import LiveServer

pytestmark = pytest.mark.e2e

# Identifiers and phrases Suara itself has printed in English on Indonesian pages.
ENGLISH = (
    "west",
    "central",
    "east",
    "north",
    "south",
    "irv",
    "scottish-stv",
    "meek-stv",
    "yes-no-abstain",
    "plurality",
    "two-round",
    "approval",
    "borda",
    "ranked",
    "single choice",
    "adopted",
    "rejected",
    "elected",
    "excluded",
    "withheld",
    "no_quorum",
    "no quorum",
    "decided",
    "pending",
    "published",
    "draft",
    "open",
    "closed",
    "accepted",
    "declined",
    "yes",
    "against",
    "simple majority",
    "two-thirds",
    "valid votes",
    "voting right",
    "missing column",
    "full member",
    "observer member",
    "secretariat",
    "chair",
    "observer",
    "delegate",
    "motion",
    "election",
    "ballot",
    "receipt",
    "quorum",
    "seats",
    "votes",
    "round",
    "candidate",
    "nomination",
    "position",
    "speaker",
)
WORD = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w-])", re.I)

# What a page shows: its text, what its controls offer, and its tooltips and labels.
READ = """() => {
  // Commands and file names in <code> are typed as they are, in any language.
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll("code, pre, kbd").forEach((el) => el.remove());
  document.body.appendChild(copy);
  copy.style.position = "absolute";
  const text = copy.innerText;
  copy.remove();
  const seen = [document.title, text];
  const shown = "option, [title], [aria-label], [placeholder], input[type=submit]";
  for (const el of document.querySelectorAll(shown)) {
    for (const a of ["title", "aria-label", "placeholder"]) {
      if (el.getAttribute(a)) seen.push(el.getAttribute(a));
    }
    if (el.matches("input[type=submit]")) seen.push(el.value);
    if (el.tagName === "OPTION") seen.push(el.textContent);
  }
  return seen.join("\\n");
}"""


def english_in(text: str, own: set[str]) -> list[str]:
    """Lines with English identifiers in a page's text, but not inside the congress's words."""
    found = []
    for line in text.splitlines():
        if any(o and o.casefold() in line.casefold() for o in own):
            continue
        words = sorted({m.group(1) for m in WORD.finditer(line)})
        if words:
            found.append(f"{', '.join(words)}: {line.strip()[:160]}")
    return sorted(set(found))


def own_words(live: LiveServer) -> set[str]:
    """What the congress wrote itself (titles, options, items), never Suara's identifiers."""
    congress_id = live.demo.congress_id
    polls = live.app.queries.polls(congress_id)
    own = {p.title for p in polls} | {o for p in polls for o in p.options if len(o) > 3}
    own |= {i.item.title for i in live.app.queries.plenary.agenda(congress_id)}
    own.add(" / ")  # the demo's bilingual titles and motions
    return own


@pytest.mark.parametrize("case", PAGES, ids=str)
def test_an_indonesian_page_shows_no_english_identifier(
    sessions: Sessions, live: LiveServer, targets: Targets, case: PageCase
) -> None:
    context = sessions.context(case.who, VIEWPORTS["laptop"])
    try:
        page = context.new_page()
        page.goto(live.url(case.path(targets)))
        assert page.locator("html").get_attribute("lang") == "id"
        text = page.evaluate(READ)
    finally:
        context.close()
    hits = english_in(text, own_words(live))
    assert not hits, "English on an Indonesian page:\n" + "\n".join(hits)
