"""What the services' DOCX documents share: the centred lines of an official heading."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt


def centred(document, text: str, bold: bool = False, size: int | None = None,
            italic: bool = False) -> None:
    """A centred paragraph of one run, as a masthead or a title line is set."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
