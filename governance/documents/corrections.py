"""The correction decision on an annulled poll, and the minutes' list of annulled polls.

A published decision is never edited: the correction decision says the poll is void and
names every decision it supersedes; both stay listed. Indonesian first, like labels.py.
"""

# ruff: noqa: E501  (the wording tables read best one sentence a line)
from __future__ import annotations

from dataclasses import dataclass

from governance.documents.content import Block, Content
from governance.documents.labels import labels

CORRECTION_LABELS: dict[str, dict[str, str]] = {
    "id": {
        "about": "PEMBATALAN PEMUNGUTAN SUARA {title}",
        "considering_1": "bahwa pemungutan suara {title} telah dibatalkan dalam sidang pleno oleh pimpinan sidang bersama pengawas;",
        "considering_2": "bahwa keputusan Kongres yang telah diterbitkan tidak diubah, melainkan digantikan oleh keputusan koreksi;",
        "recalling": "Tata Tertib Kongres yang telah disahkan;",
        "noting": "pembatalan sebagaimana tercatat dalam catatan tindakan dan catatan pemilihan:",
        "reason": "Alasan pembatalan",
        "proposed": "Diusulkan oleh",
        "cosigned": "Ditandatangani juga oleh",
        "first": "PERTAMA: Menyatakan pemungutan suara {title} batal; hasilnya tidak berlaku.",
        "second": "KEDUA: Keputusan Nomor {numbers} dinyatakan tidak berlaku dan digantikan oleh keputusan ini.",
        "sealed": "Surat suara pemungutan suara tersebut tetap tersegel dalam catatan pemilihan dan dapat diperiksa oleh pengawas.",
        "role_chair": "pimpinan sidang",
        "role_secretariat": "sekretariat",
        "role_observer": "pengawas",
        "card": "{role}, kartu {card}",
        "annulled": "Pemungutan suara yang dibatalkan",
        "annulled_item": "{title}: dibatalkan oleh pimpinan sidang bersama pengawas. Alasan: {reason}. Surat suaranya tetap tersegel dalam catatan; hasilnya tidak berlaku.",
    },
    "en": {
        "about": "ANNULMENT OF THE VOTE ON {title}",
        "considering_1": "that the vote on {title} was annulled in the plenary session by the session chair with an observer;",
        "considering_2": "that a published decision of the Congress is never edited, but superseded by a correction decision;",
        "recalling": "the Rules of Procedure of the Congress as adopted;",
        "noting": "the annulment as recorded in the action log and the election record:",
        "reason": "Reason for the annulment",
        "proposed": "Proposed by",
        "cosigned": "Co-signed by",
        "first": "FIRST: The vote on {title} is void; its result does not hold.",
        "second": "SECOND: Decision number {numbers} no longer holds and is superseded by this decision.",
        "sealed": "The ballots of that vote stay sealed in the election record, open to the observers' check.",
        "role_chair": "session chair",
        "role_secretariat": "secretariat",
        "role_observer": "observer",
        "card": "{role}, card {card}",
        "annulled": "Annulled votes",
        "annulled_item": "{title}: annulled by the session chair with an observer. Reason: {reason}. Its ballots stay sealed in the record; its result does not hold.",
    },
}


def correction_labels(language: str) -> dict[str, str]:
    return CORRECTION_LABELS.get(language, CORRECTION_LABELS["id"])


@dataclass(frozen=True)
class Annulment:
    """What the correction decision prints about an annulled poll."""

    title: str
    reason: str
    proposed: tuple[str, int]  # (role, card number)
    cosigned: tuple[str, int]
    superseded: tuple[str, ...] = ()  # numbers of the decisions it replaces


def _official(who: tuple[str, int], lab: dict[str, str]) -> str:
    role, card = who
    return lab["card"].format(role=lab.get(f"role_{role}", role), card=card)


def correction_decision(
    number: str,
    annulment: Annulment,
    language: str,
    signatures: tuple[str, str],
    date: str,
    place: str = "",
) -> Content:
    """Keputusan Kongres on the annulment: Menimbang, Mengingat, Memperhatikan, Menetapkan."""
    lab = labels(language)
    own = correction_labels(language)
    title = annulment.title
    establishing = [own["first"].format(title=title)]
    if annulment.superseded:
        establishing.append(own["second"].format(numbers=", ".join(annulment.superseded)))
    establishing += [own["sealed"], lab["in_force"]]
    blocks = (
        Block(
            lab["considering"],
            items=(own["considering_1"].format(title=title), own["considering_2"]),
        ),
        Block(lab["recalling"], items=(own["recalling"],)),
        Block(
            lab["noting"],
            items=(own["noting"],),
            rows=(
                (own["reason"], annulment.reason),
                (own["proposed"], _official(annulment.proposed, lab | own)),
                (own["cosigned"], _official(annulment.cosigned, lab | own)),
            ),
        ),
        Block(lab["deciding"]),
        Block(lab["establishing"], paragraphs=tuple(establishing)),
    )
    return Content(
        language,
        lab["decision"],
        f"{lab['number']}: {number}",
        f"{lab['about']} {own['about'].format(title=title.upper())}",
        blocks,
        lab["signed"].format(date=date, place=place or lab["blank_place"]),
        ((lab["chair"], signatures[0]), (lab["secretary"], signatures[1])),
    )


def annulled_block(annulled: tuple[tuple[str, str], ...], language: str) -> Block | None:
    """The minutes' paragraph on annulled polls: (title, reason) each."""
    if not annulled:
        return None
    own = correction_labels(language)
    items = tuple(own["annulled_item"].format(title=t, reason=r) for t, r in annulled)
    return Block(own["annulled"], items=items)
