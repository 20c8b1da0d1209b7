"""Printable card sheets: A4 PDF, several cards per page, each a QR code and a grouped code.

Voting cards are generated offline: the PDF goes to the printer, and only the HMAC tags
(with the published fingerprint of the list) go to the server.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import segno
from fpdf import FPDF

from governance.documents.pdf_text import pdf_text
from governance.domain import codes
from governance.service_layer.setup import card_list_fingerprint

_TAG = re.compile(r"[0-9a-f]{64}")
COLUMNS, ROWS = 2, 5  # ten cards per A4 sheet
CARD_W, CARD_H = 95.0, 55.0
MARGIN_X, MARGIN_Y = 10.0, 11.0


@dataclass(frozen=True)
class Card:
    """What one printed card shows: a heading, a line, and the code (in the QR code too)."""

    heading: str
    line: str
    code: str
    serial: str = ""


def _qr_png(text: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return buffer


def cards_pdf(cards: Sequence[Card], title: str) -> bytes:
    """A4 sheets with cut lines; Helvetica only (see `documents.pdf_text`)."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_title(title)
    for i, card in enumerate(cards):
        slot = i % (COLUMNS * ROWS)
        if slot == 0:
            pdf.add_page()
        x = MARGIN_X + (slot % COLUMNS) * CARD_W
        y = MARGIN_Y + (slot // COLUMNS) * CARD_H
        pdf.set_draw_color(160, 160, 160)
        pdf.rect(x, y, CARD_W, CARD_H)
        pdf.image(_qr_png(card.code), x=x + 3, y=y + 3, w=36, h=36)
        pdf.set_xy(x + 42, y + 5)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(CARD_W - 45, 6, pdf_text(card.heading))
        pdf.set_xy(x + 42, y + 18)
        pdf.set_font("Helvetica", "", 9)
        pdf.multi_cell(CARD_W - 45, 4.5, pdf_text(card.line))
        pdf.set_xy(x + 3, y + 42)
        pdf.set_font("Courier", "B", 12)
        pdf.cell(CARD_W - 6, 8, card.code)
        if card.serial:
            pdf.set_xy(x + 42, y + 34)
            pdf.set_font("Helvetica", "", 8)
            pdf.cell(CARD_W - 45, 4, f"No. seri / serial: {card.serial}")
    return bytes(pdf.output())


@dataclass(frozen=True)
class VotingCardSet:
    """Printed codes (for the PDF only), their tags and the list's fingerprint."""

    codes: tuple[str, ...]
    tags: tuple[str, ...]
    fingerprint: str
    serials: tuple[str, ...] = ()  # in print order, like `codes`
    serial_of: dict[str, str] = field(default_factory=dict)  # tag -> serial

    def tags_file(self) -> str:
        """What the server receives: a tag and its card's serial a line, in tag order (so the
        lines say nothing of the printing order)."""
        return "".join(
            f"{t} {self.serial_of[t]}\n" if self.serial_of else f"{t}\n" for t in self.tags
        )


def new_voting_cards(secret_key: str, count: int) -> VotingCardSet:
    printed = tuple(codes.new_voting_code() for _ in range(count))
    serials = codes.new_serials(count)
    serial_of = {codes.card_tag(secret_key, c): s for c, s in zip(printed, serials, strict=True)}
    tags = tuple(sorted(serial_of))
    return VotingCardSet(printed, tags, card_list_fingerprint(tags), serials, serial_of)


def voting_cards_pdf(cards: VotingCardSet, congress_name: str) -> bytes:
    line = "Kartu suara rahasia / Secret voting card. Jangan tunjukkan kode ini."
    serials = cards.serials or ("",) * len(cards.codes)
    printed = [Card(congress_name, line, c, s) for c, s in zip(cards.codes, serials, strict=True)]
    return cards_pdf(printed, "Kartu suara")


def read_tags_file(text: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """Tags and serials from a tags file: `tag serial` lines, or bare tags (files written
    before serials). None when a line is neither; serials are all there or none."""
    tags: list[str] = []
    serials: list[str] = []
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        if len(parts) > 2 or not _TAG.fullmatch(parts[0]):
            return None
        tags.append(parts[0])
        if len(parts) == 2:
            serial = codes.normalise_serial(parts[1])
            if serial is None or serial != parts[1]:
                return None
            serials.append(serial)
    if serials and len(serials) != len(tags):
        return None
    return tuple(tags), tuple(serials)


def identity_cards_pdf(holders: Sequence[tuple[str, str]], congress_name: str) -> bytes:
    """Identity cards: (alias, printed code) each; the legal name is never printed."""
    line = f"{congress_name}. Kartu identitas / Identity card: untuk masuk, bukan untuk memilih."
    return cards_pdf([Card(alias, line, code) for alias, code in holders], "Kartu identitas")
