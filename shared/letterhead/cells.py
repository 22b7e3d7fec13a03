"""Borderless layout tables and the lines written in them (heading, signing block)."""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

CENTRE, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT


def layout_table(document, widths: tuple, rows: int = 1):
    """A table without borders whose columns keep ``widths`` (a heading, a signing block)."""
    table = document.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    return table


def line(cell, text: str, size: int, bold: bool = False, italic: bool = False,
         underline: bool = False, align=CENTRE, first: bool = False):
    """One line of a layout cell: the cell's empty first paragraph, or a new one after it."""
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    fmt = paragraph.paragraph_format
    paragraph.alignment = align
    fmt.first_line_indent, fmt.space_before, fmt.space_after, fmt.line_spacing = Cm(0), Pt(0), Pt(0), 1.0
    run = paragraph.add_run(text)
    run.font.size, run.bold, run.italic, run.underline = Pt(size), bold, italic, underline
    return paragraph


def grid(document, header: list[str], lines: list[list[str]], widths: tuple | None = None,
         size: int = 12):
    """A data table with its header row in bold, repeated on every page it runs onto."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cells(table.rows[0].cells, header, size, bold=True)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for values in lines:
        _cells(table.add_row().cells, values, size)
    if widths:
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
    return table


def _cells(cells, values, size: int, bold: bool = False) -> None:
    for cell, value in zip(cells, values, strict=True):
        line(cell, str(value), size, bold=bold, align=CENTRE if bold else LEFT, first=True)
