"""An A4 document in an official document's page and type: margins, Times New Roman, page numbers.

Margins as Nghị định 30/2020 and Hướng dẫn 36 set them (top and bottom 20–25 mm, left 30–35 mm,
right 15–20 mm); the body in Times New Roman 14 pt, justified, its first line indented; pages
numbered from the second, in the middle of the header (a PAGE field in the header of a section
whose first page has a header of its own, empty).
"""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

FONT = "Times New Roman"
BODY_PT, TABLE_PT, HEADING_PT = 14, 12, 14
A4 = (Mm(210), Mm(297))
MARGINS = {"top_margin": Mm(20), "bottom_margin": Mm(20), "left_margin": Mm(30), "right_margin": Mm(15)}
FIRST_LINE = Cm(1.27)
BLACK = RGBColor(0, 0, 0)
AFTER_PAGE_NUMBERING = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                        "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings")


def new_document():
    """An empty A4 portrait document in the official type, its pages numbered from the second."""
    document = Document()
    _styles(document)
    section = document.sections[0]
    _page(section, landscape=False)
    _numbered_from_second_page(section, restart=False)
    return document


def _styles(document) -> None:
    normal = document.styles["Normal"]
    _font(normal, BODY_PT)
    body = normal.paragraph_format
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.first_line_indent = FIRST_LINE
    body.space_before, body.space_after, body.line_spacing = Pt(0), Pt(6), 1.1
    for level in (1, 2, 3):  # black, serif, bold section headings: an official document's
        style = document.styles[f"Heading {level}"]
        _font(style, HEADING_PT, bold=True, italic=level == 3)
        fmt = style.paragraph_format
        fmt.alignment, fmt.first_line_indent = WD_ALIGN_PARAGRAPH.JUSTIFY, FIRST_LINE
        fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(6), Pt(6), True
    for name in ("List Bullet", "Table Grid"):
        _font(document.styles[name], BODY_PT if name == "List Bullet" else TABLE_PT)


def _font(style, size: int, bold: bool | None = None, italic: bool | None = None) -> None:
    """Set a style's font, dropping the theme fonts Word would otherwise prefer to its name."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    style.font.size = Pt(size)
    style.font.color.rgb = BLACK
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic


def _page(section, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    for name, value in MARGINS.items():
        setattr(section, name, value)
    section.header_distance = section.footer_distance = Mm(10)
    for numbering in section._sectPr.findall(qn("w:pgNumType")):  # copied from the section before
        section._sectPr.remove(numbering)


def _numbered_from_second_page(section, restart: bool) -> None:
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # the first page shows no number
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Cm(0)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    if restart:
        numbering = OxmlElement("w:pgNumType")
        numbering.set(qn("w:start"), "1")
        section._sectPr.insert_element_before(numbering, *AFTER_PAGE_NUMBERING)


def new_part(document) -> None:
    """Start another document of a bundle on a new page: its own first page, numbered from 1."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=False)
    _numbered_from_second_page(section, restart=True)


def landscape(document) -> None:
    """Go on in a landscape section (a wide table), its pages numbered on from the last."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    section.different_first_page_header_footer = False

