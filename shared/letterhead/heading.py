"""The top of an official document: the two-column heading, the number, the place and date, the
document's type and summary.

Left: the issuing body's parent, the body's name (bold), a "*" (Party) or underlined (state),
then the number and symbol. Right: "ĐẢNG CỘNG SẢN VIỆT NAM" (Party) or the national name and
motto (state), then the place and date in italics.
"""

from __future__ import annotations

from datetime import date

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt

from shared.letterhead.bodies import IssuingBody
from shared.letterhead.cells import layout_table, line
from shared.letterhead.wording import PARTY, STATE, number_line, place_and_date

PARTY_HEADING = "ĐẢNG CỘNG SẢN VIỆT NAM"
NATION, MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"
WIDTHS = {PARTY: (Mm(72), Mm(93)), STATE: (Mm(62), Mm(103))}  # of the 165 mm between the margins


def letterhead(document, body: IssuingBody, kind: str | None, day: date | None,
               number: str | None = None):
    """The heading table of ``body``'s document of ``kind`` ('BC', 'BB', 'TTr'; None: a document
    that takes no number) dated ``day``."""
    table = layout_table(document, WIDTHS[body.layout])
    left, right = table.rows[0].cells
    _issuer(left, body)
    if kind:
        line(left, number_line(body.layout, kind, body.symbol, number), 13)
    if body.layout == PARTY:
        line(right, PARTY_HEADING, 15, bold=True, underline=True, first=True)
    else:
        line(right, NATION, 12, bold=True, first=True)
        line(right, MOTTO, 14, bold=True, underline=True)
    line(right, "", 13)
    if day is not None:
        line(right, place_and_date(body.place, day), 14, italic=True,
             align=WD_ALIGN_PARAGRAPH.RIGHT if body.layout == PARTY else WD_ALIGN_PARAGRAPH.CENTER)
    return table


def _issuer(cell, body: IssuingBody) -> None:
    if not body.name:  # an individual's own report: the national heading alone
        return
    first = True
    if body.parent:
        line(cell, body.parent, 13, first=True)
        first = False
    line(cell, body.name, 13, bold=True, underline=body.layout != PARTY, first=first)
    line(cell, "*" if body.layout == PARTY else "", 13)


def title(document, kind_name: str, summary: str = "", to: str = "") -> None:
    """The document's type ('BÁO CÁO'), its summary, and whom it is sent to ('Kính gửi: ...')."""
    centred(document, kind_name, 15, bold=True, before=18)
    for text in summary.split("\n") if summary else ():
        centred(document, text, 14, bold=True)
    if to:
        centred(document, to, 14, before=6)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def centred(document, text: str, size: int = 14, bold: bool = False, italic: bool = False,
            before: int = 0):
    """A centred paragraph of one run, not indented (a title line)."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = paragraph.paragraph_format
    fmt.first_line_indent, fmt.space_before, fmt.space_after = Cm(0), Pt(before), Pt(0)
    run = paragraph.add_run(text)
    run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return paragraph

