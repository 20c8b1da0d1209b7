"""What must hold on every page, measured in the browser: axe-core, labels, targets, weight."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Request

BLOCKING_IMPACTS = ("serious", "critical")
MIN_TARGET_PX = 44
DELEGATE_PAGE_BUDGET = 60 * 1024

_AXE = Axe()  # axe.min.js as shipped inside the axe-playwright-python wheel, injected locally

# Controls whose accessible name we compute ourselves, so that a missing label is named in the
# failure even where axe reports it under a broader rule.
_UNLABELLED_JS = """
() => {
  const named = (el) => {
    if ((el.getAttribute('aria-label') || '').trim()) return true;
    const by = el.getAttribute('aria-labelledby');
    if (by && by.split(/\\s+/).some(id => (document.getElementById(id)?.textContent || '').trim()))
      return true;
    if (el.labels && [...el.labels].some(l => l.textContent.trim())) return true;
    if (el.tagName === 'BUTTON') return el.textContent.trim().length > 0;
    if (el.tagName === 'INPUT' && ['submit', 'button', 'reset'].includes(el.type))
      return (el.value || '').trim().length > 0;
    return false;
  };
  return [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
    .filter(el => !named(el)).map(el => el.outerHTML.slice(0, 120));
}
"""

# Every tap target at least 44 x 44 CSS px. A radio or checkbox counts by its label (the label
# is what a finger hits); a link inside a sentence is exempt, as in WCAG 2.5.8.
_SMALL_TARGETS_JS = """
(min) => {
  const visible = (el) => {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden';
  };
  const inSentence = (a) => {
    const p = a.parentElement;
    if (!p) return false;
    let rest = p.textContent;
    for (const c of p.querySelectorAll('a, button')) rest = rest.replace(c.textContent, '');
    return /[\\p{L}\\p{N}]/u.test(rest);
  };
  const small = [];
  const controls = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary');
  for (const el of controls) {
    if (!visible(el)) continue;
    let target = el;
    if (el.tagName === 'INPUT' && ['radio', 'checkbox'].includes(el.type))
      target = el.closest('label') || el;
    else if (el.tagName === 'A' && inSentence(el)) continue;
    const r = target.getBoundingClientRect();
    if (r.width < min - 0.5 || r.height < min - 0.5)
      small.push(`${Math.round(r.width)}x${Math.round(r.height)} ${el.outerHTML.slice(0, 100)}`);
  }
  return small;
}
"""


def blocking_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations, one readable line each."""
    results = _AXE.run(page, options={"resultTypes": ["violations"]})
    found: list[str] = []
    for violation in results.response["violations"]:
        if violation.get("impact") in BLOCKING_IMPACTS:
            targets = [n.get("target") for n in violation.get("nodes", [])][:3]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


def unlabelled_controls(page: Page) -> list[str]:
    result: list[str] = page.evaluate(_UNLABELLED_JS)
    return result


def small_targets(page: Page) -> list[str]:
    result: list[str] = page.evaluate(_SMALL_TARGETS_JS, MIN_TARGET_PX)
    return result


@dataclass
class Transfer:
    """Bytes that crossed the network for one page load, by URL (headers and encoded body)."""

    sizes: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.sizes.values())

    def record(self, request: Request) -> None:
        # The event stream never finishes, so it is not counted; it sends a few hundred bytes
        # per change and nothing while the room is quiet.
        sizes: Any = request.sizes()
        self.sizes[request.url] = sizes["responseHeadersSize"] + sizes["responseBodySize"]


def measure_transfer(page: Page, url: str) -> Transfer:
    """Load a page with an empty cache and add up what was transferred for it."""
    transfer = Transfer()
    page.on("requestfinished", transfer.record)
    try:
        page.goto(url, wait_until="load")
        # Not "networkidle": the event stream keeps a connection open on live pages.
        page.wait_for_timeout(300)
    finally:
        page.remove_listener("requestfinished", transfer.record)
    return transfer
