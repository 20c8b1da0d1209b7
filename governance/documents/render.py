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


def to_pdf(content: Content, when: datetime) -> bytes:
    """A PDF whose bytes depend only on the content and the publication time."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(when)
    pdf.set_title(pdf_text(content.subject))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    for line in (content.heading, f"{content.number}", content.subject):
        pdf.multi_cell(0, 7, pdf_text(line), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for block in content.blocks:
        pdf.set_font("Helvetica", "B", 11)
        pdf.multi_cell(0, 6, pdf_text(block.heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for index, item in enumerate(block.items):
            text = f"{chr(ord('a') + index % 26)}. {item}"
            pdf.multi_cell(0, 5, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
        for paragraph in block.paragraphs:
            pdf.multi_cell(0, 5, pdf_text(paragraph), new_x="LMARGIN", new_y="NEXT")
        for label, value in block.rows:
            # Values such as sha256 digests are long unbroken words: they wrap, never overflow.
            pdf.cell(70, 5, pdf_text(label))
            pdf.multi_cell(0, 5, pdf_text(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, pdf_text(content.signed), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for role, _name in content.signatures:
        pdf.cell(95, 5, pdf_text(role))
    pdf.ln(20)
    for _role, name in content.signatures:
        pdf.cell(95, 5, pdf_text(f"( {name or '....................'} )"))
    return bytes(pdf.output())
