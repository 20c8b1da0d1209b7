"""An AD/ART ballot shows what it decides: the amendment's change as a diff, the article's text
(issue 17 item 3). The person reads the words before voting on them, not only a title."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from governance.adart import commands as c
from governance.adart.model import AdartRules
from governance.adart.sample import SAMPLE_DRAFT
from governance.bootstrap import Suara
from tests import factories
from web.app import create_app

pytestmark = pytest.mark.e2e


def test_the_amendment_ballot_shows_the_change_and_the_article_ballot_its_text(
    sqlite_app: Suara,
) -> None:
    congress = factories.congress(sqlite_app, delegates=6, cards=6)
    source = SAMPLE_DRAFT.read_text(encoding="utf-8")
    sqlite_app.bus.handle(c.ImportDraft(congress.id, source, AdartRules(required_support=1)))
    first, second = congress.delegate_ids[:2]
    amendment = sqlite_app.bus.handle(
        c.ProposeAmendment(
            congress.id, "AD-1", "replace", "1", "Nama organisasi ini Jaringan Baru.", "why", first
        )
    )
    sqlite_app.bus.handle(c.SupportAmendment(congress.id, amendment, second))
    sqlite_app.bus.handle(c.RecordDeliberation(congress.id, "AD-1", False, "tidak mufakat"))
    poll_id = sqlite_app.bus.handle(c.OpenAdartVote(congress.id, amendment))
    statute = sqlite_app.queries.adart.statute(congress.id)
    assert statute is not None
    article = statute.article("AD-1")
    before = article.text[0].text
    with TestClient(create_app(sqlite_app)) as client:
        page = client.get(f"/polls/{poll_id}").text
    section = page[
        page.index('<section class="subject"') : page.index(
            "</section>", page.index('<section class="subject"')
        )
    ]
    assert "Yang diputuskan dalam pemungutan suara ini" in section
    assert f"Pasal {article.number}" in section
    inserted = " ".join(re.findall(r"<ins>([^<]*)</ins>", section))
    removed = " ".join(re.findall(r"<del>([^<]*)</del>", section))
    assert inserted and removed
    first = re.search(r'<div class="diff"><p>(.*?)</p>', section, re.S)
    assert first is not None
    # Read without the struck words, the paragraph is the amendment; without the new ones,
    # the article as it stands.
    after = re.sub(r"<[^>]+>", "", re.sub(r"<del>[^<]*</del>", "", first.group(1)))
    old = re.sub(r"<[^>]+>", "", re.sub(r"<ins>[^<]*</ins>", "", first.group(1)))
    assert after.split() == ["Nama", "organisasi", "ini", "Jaringan", "Baru."]
    assert old.split() == before.split()
    assert "/adart/articles/AD-1#a-" in section
