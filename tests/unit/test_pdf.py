"""PDF documents from blocks: Vietnamese text comes out as written, tables keep their cells."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from shared import pdf

pytestmark = pytest.mark.unit


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_headings_paragraphs_and_tables_print_vietnamese_as_written():
    data = pdf.render("Tờ trình", [
        pdf.Heading("TỜ TRÌNH ĐỀ NGHỊ KHEN THƯỞNG"),
        pdf.Heading("I. Sơ lược", level=2),
        pdf.Paragraph("Hội Liên hiệp Phụ nữ xã Môn Sơn vận động hiến 8.524 ngày công."),
        pdf.Table(header=["STT", "Tập thể, cá nhân"], rows=[["1", "Vi Văn Pín"], ["2", "Lô Thị Hoa"]]),
    ])
    assert data.startswith(b"%PDF")
    text = text_of(data)
    for expected in ("TỜ TRÌNH ĐỀ NGHỊ KHEN THƯỞNG", "I. Sơ lược", "8.524 ngày công", "Tập thể, cá nhân",
                     "Vi Văn Pín", "Lô Thị Hoa"):
        assert expected in text


def test_a_long_document_runs_onto_further_pages():
    rows = [[str(n), f"Mô hình số {n}"] for n in range(1, 121)]
    data = pdf.render("Danh sách", [pdf.Table(header=["STT", "Mô hình"], rows=rows)])
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 1
    assert "Mô hình số 120" in text_of(data)


def test_a_row_shorter_than_the_header_is_padded_and_a_table_may_have_no_header():
    data = pdf.render("Bảng", [pdf.Table(header=["A", "B", "C"], rows=[["một"]]),
                               pdf.Table(header=[], rows=[["THƯ KÝ", "CHỦ TRÌ"]])])
    assert "một" in text_of(data) and "CHỦ TRÌ" in text_of(data)


def test_anything_else_is_refused():
    with pytest.raises(TypeError):
        pdf.render("Sai", ["not a block"])
