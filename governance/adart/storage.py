"""The statute as one JSON document and back: what the repository stores on the row."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from governance.adart.model import (
    Amendment,
    AmendmentStatus,
    Article,
    ArticleStatus,
    Chapter,
    Paragraph,
    StatuteStatus,
    rules_from_json,
    rules_to_json,
)
from governance.adart.statute import Statute


def statute_state(statute: Statute) -> dict[str, Any]:
    return {
        "id": statute.id,
        "congress_id": statute.congress_id,
        "title": statute.title,
        "rules": rules_to_json(statute.rules),
        "chapters": [asdict(c) for c in statute.chapters],
        "articles": [asdict(a) for a in statute.articles.values()],
        "amendments": [asdict(a) for a in statute.amendments.values()],
        "status": statute.status.value,
        "final_poll_id": statute.final_poll_id,
    }


def _paragraphs(items: list[dict[str, str]]) -> list[Paragraph]:
    return [Paragraph(p["pid"], p["text"]) for p in items]


def _article(data: dict[str, Any]) -> Article:
    values = dict(data)
    values["draft"] = _paragraphs(data["draft"])
    values["text"] = _paragraphs(data["text"])
    values["status"] = ArticleStatus(data["status"])
    return Article(**values)


def _amendment(data: dict[str, Any]) -> Amendment:
    values = dict(data)
    values["status"] = AmendmentStatus(data["status"])
    return Amendment(**values)


def statute_from_state(data: dict[str, Any]) -> Statute:
    articles = [_article(a) for a in data["articles"]]
    amendments = [_amendment(a) for a in data["amendments"]]
    return Statute(
        id=data["id"],
        congress_id=data["congress_id"],
        title=data["title"],
        rules=rules_from_json(data["rules"]),
        chapters=[Chapter(**c) for c in data["chapters"]],
        articles={a.key: a for a in articles},
        amendments={a.id: a for a in amendments},
        status=StatuteStatus(data["status"]),
        final_poll_id=data["final_poll_id"],
    )
