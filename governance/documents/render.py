"""Render a document's content as HTML (Jinja2, autoescaped) and as PDF (fpdf2)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from jinja2 import Environment, FileSystemLoader, select_autoescape

from governance.documents.content import Content
from governance.documents.pdf_text import pdf_text

_ENV = Environment(
    loader=FileSystemLoader(str(Path(__file__).resolve().parent / "templates")),
    autoescape=select_autoescape(default=True),
)


def to_html(content: Content) -> str:
    return _ENV.get_template("document.html").render(doc=content)


SIGNATURE_BLOCK_MM = 45  # the place and date, both roles, the space to sign and the names


def _pdf_table(pdf: FPDF, table: tuple[tuple[str, ...], ...]) -> None:
    """A small table: the first column (names) and the last (notes) get the room."""
    columns = len(table[0])
    width = pdf.w - pdf.l_margin - pdf.r_margin
    narrow = 22.0
    middle = narrow * (columns - 3) + 24 if columns > 2 else 0
    wide = (width - middle) / 2
    widths = [wide] + [24.0] + [narrow] * (columns - 3) + [wide] if columns > 2 else [width / 2] * 2
    for number, row in enumerate(table):
        pdf.set_font("Helvetica", "B" if number == 0 else "", 9)
        if pdf.will_page_break(5):
            pdf.add_page()
        for w, cell in zip(widths, row, strict=False):
            text = pdf_text(cell)
            while text and pdf.get_string_width(text) > w - 2:
                text = text[:-1]
            pdf.cell(w, 5, text, border="B" if number == 0 else 0)
        pdf.ln(5)
    pdf.set_font("Helvetica", "", 10)


def to_pdf(content: Content, when: datetime) -> bytes:
    """A PDF whose bytes depend only on the content and the publication time."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(when)
    pdf.set_title(pdf_text(content.subject))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    for line in (content.heading, f"{content.number}", content.subject):
        if line:
            pdf.multi_cell(0, 7, pdf_text(line), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 10)
    for paragraph in content.intro:
        pdf.multi_cell(0, 5, pdf_text(paragraph), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    for block in content.blocks:
        if block.heading:
            pdf.set_font("Helvetica", "B", 11)
            if pdf.will_page_break(16):
                pdf.add_page()  # a heading never sits alone at the foot of a page
            pdf.multi_cell(0, 6, pdf_text(block.heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for paragraph in block.paragraphs:
            pdf.multi_cell(0, 5, pdf_text(paragraph), new_x="LMARGIN", new_y="NEXT")
        for index, item in enumerate(block.items):
            text = f"{chr(ord('a') + index % 26)}. {item}"
            pdf.multi_cell(0, 5, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
        for label, value in block.rows:
            # Values such as sha256 digests are long unbroken words: they wrap, never overflow.
            pdf.cell(70, 5, pdf_text(label))
            pdf.multi_cell(0, 5, pdf_text(value), new_x="LMARGIN", new_y="NEXT")
        if block.table:
            pdf.ln(1)
            _pdf_table(pdf, block.table)
        for paragraph in block.after:
            pdf.ln(1)
            pdf.multi_cell(0, 5, pdf_text(paragraph), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    # The signature block stays whole: names never sit alone on a page of their own.
    if pdf.will_page_break(SIGNATURE_BLOCK_MM):
        pdf.add_page()
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, pdf_text(content.signed), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for role, _name in content.signatures:
        pdf.cell(95, 5, pdf_text(role))
    pdf.ln(20)
    for _role, name in content.signatures:
        pdf.cell(95, 5, pdf_text(f"( {name or '....................'} )"))
    return bytes(pdf.output())
