"""Printable card sheets: A4 PDF, several cards per page, each a QR code and a grouped code.

Voting cards are generated offline: the PDF goes to the printer, and only the HMAC tags
(with the published fingerprint of the list) go to the server.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import segno
from fpdf import FPDF

from governance.documents.pdf_text import pdf_text
from governance.domain import codes
from governance.service_layer.setup import card_list_fingerprint

COLUMNS, ROWS = 2, 5  # ten cards per A4 sheet
CARD_W, CARD_H = 95.0, 55.0
MARGIN_X, MARGIN_Y = 10.0, 11.0


@dataclass(frozen=True)
class Card:
    """What one printed card shows: a heading, a line, and the code (in the QR code too)."""

    heading: str
    line: str
    code: str


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
    return bytes(pdf.output())


@dataclass(frozen=True)
class VotingCardSet:
    """Printed codes (for the PDF only), their tags and the list's fingerprint."""

    codes: tuple[str, ...]
    tags: tuple[str, ...]
    fingerprint: str


def new_voting_cards(secret_key: str, count: int) -> VotingCardSet:
    printed = tuple(codes.new_voting_code() for _ in range(count))
    tags = tuple(sorted(codes.card_tag(secret_key, c) for c in printed))
    return VotingCardSet(printed, tags, card_list_fingerprint(tags))


def voting_cards_pdf(cards: VotingCardSet, congress_name: str) -> bytes:
    line = "Kartu suara rahasia / Secret voting card. Jangan tunjukkan kode ini."
    return cards_pdf([Card(congress_name, line, c) for c in cards.codes], "Kartu suara")


def identity_cards_pdf(holders: Sequence[tuple[str, str]], congress_name: str) -> bytes:
    """Identity cards: (alias, printed code) each; the legal name is never printed."""
    line = f"{congress_name}. Kartu identitas / Identity card: untuk masuk, bukan untuk memilih."
    return cards_pdf([Card(alias, line, code) for alias, code in holders], "Kartu identitas")
