"""Simple PDF documents from a list of blocks: headings, paragraphs and tables.

Vietnamese needs a Unicode font, so the text is set in DejaVu Sans, which matplotlib ships
with its data (``matplotlib.get_data_path()``): no font path of any machine is written here.
Used for official documents that are also given as editable DOCX (the award dossier, district
reports): the PDF is the copy to print or send as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

FONT = "DejaVu"
MARGIN_MM = 18
BASE_SIZE = 11
HEADING_SIZES = {1: 15, 2: 13, 3: 12}


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


@cache
def font_files() -> tuple[Path, Path]:
    """The regular and bold DejaVu Sans TrueType files that matplotlib installs."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


def render(title: str, blocks: list) -> bytes:
    """A PDF of ``blocks`` in order, A4 portrait, with ``title`` as its document title."""
    from fpdf import FPDF

    regular, bold = font_files()
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=MARGIN_MM)
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold))
    pdf.set_title(title)
    pdf.set_creator("Dân vận khéo")
    pdf.add_page()
    try:
        for block in blocks:
            if isinstance(block, Heading):
                _heading(pdf, block)
            elif isinstance(block, Paragraph):
                _paragraph(pdf, block)
            elif isinstance(block, Table):
                _table(pdf, block)
            else:
                raise TypeError(f"not a PDF block: {block!r}")
        return bytes(pdf.output())
    finally:
        for font in pdf.fonts.values():  # fpdf2 reads the font files lazily and keeps them open
            if hasattr(font, "close"):
                font.close()


def _heading(pdf, block: Heading) -> None:
    pdf.set_font(FONT, "B", HEADING_SIZES.get(block.level, BASE_SIZE))
    pdf.ln(2)
    pdf.multi_cell(0, 7, block.text, align="C" if block.level == 1 else "L",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _paragraph(pdf, block: Paragraph) -> None:
    pdf.set_font(FONT, "", BASE_SIZE)
    pdf.multi_cell(0, 6, block.text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _table(pdf, block: Table) -> None:
    pdf.set_font(FONT, "", BASE_SIZE - 2)
    width = len(block.header) or max((len(row) for row in block.rows), default=1)
    with pdf.table(text_align="LEFT", line_height=5, first_row_as_headings=bool(block.header),
                   headings_style=_bold_headings()) as table:
        for row in ([block.header] if block.header else []) + block.rows:
            cells = table.row()
            for text in (list(row) + [""] * width)[:width]:
                cells.cell(str(text))
    pdf.ln(2)


def _bold_headings():
    from fpdf.fonts import FontFace

    return FontFace(family=FONT, emphasis="BOLD")
