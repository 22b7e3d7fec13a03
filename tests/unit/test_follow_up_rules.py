"""Amendments change something and say why; reports keep exact figures; evidence is judged by content."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from PIL import Image

from intake_service.results.evidence import Refused, check
from intake_service.submissions.domain import (
    AmendmentInProgress,
    NothingChanged,
    ReportExists,
    Status,
    amendment_changes,
    check_amendable,
    check_reportable,
)
from intake_service.submissions.schemas import load_amendment, load_report
from shared.db import ExactDecimal
from shared.errors import InvalidInput, InvalidTransition
from shared.numbers import NumberError, parse_decimal_number

APPROVED = {"title": "Hiến đất làm đường bản Xiềng", "field": "new_rural", "objectives": None}
MB = 1024 * 1024


def test_an_amendment_lists_only_what_it_changes_with_the_approved_value_beside_it():
    proposed = APPROVED | {"title": "Hiến đất làm đường bê tông bản Xiềng", "objectives": "2 km"}
    assert amendment_changes(APPROVED, proposed) == [
        {"name": "title", "before": "Hiến đất làm đường bản Xiềng",
         "after": "Hiến đất làm đường bê tông bản Xiềng"},
        {"name": "objectives", "before": None, "after": "2 km"},
    ]


def test_an_amendment_that_changes_nothing_is_refused():
    with pytest.raises(NothingChanged):
        amendment_changes(APPROVED, APPROVED | {"objectives": ""})  # empty is no target, as before


@pytest.mark.parametrize(("kind", "status", "open_ones", "error"), [
    ("registration", Status.DRAFT, 0, InvalidTransition),
    ("registration", Status.IN_REVIEW, 0, InvalidTransition),
    ("amendment", Status.APPROVED, 0, InvalidTransition),
    ("registration", Status.APPROVED, 1, AmendmentInProgress),
])
def test_only_an_approved_model_is_amended_and_one_amendment_at_a_time(kind, status, open_ones, error):
    with pytest.raises(error):
        check_amendable(kind, status, open_ones)


def test_an_approved_model_with_no_amendment_running_can_be_amended():
    check_amendable("registration", Status.APPROVED, 0)


def test_results_are_reported_once_per_period_on_an_approved_model():
    check_reportable("registration", Status.APPROVED, 0)
    with pytest.raises(ReportExists):
        check_reportable("registration", Status.APPROVED, 1)
    with pytest.raises(InvalidTransition):
        check_reportable("registration", Status.RETURNED, 0)


def test_an_amendment_needs_a_reason():
    with pytest.raises(InvalidInput) as refused:
        load_amendment({"title": "Tên mới của mô hình", "field": "economy", "reason": "  "})
    assert set(refused.value.errors) == {"reason"}


@pytest.mark.parametrize(("typed", "decimals", "number"), [
    ("1,5", 2, Decimal("1.5")),
    ("9.952", 1, Decimal("9952")),
    ("1.139.000.000", 0, Decimal("1139000000")),
    ("0,25", 2, Decimal("0.25")),
    (1.5, 2, Decimal("1.5")),  # a JSON number, read as written
])
def test_figures_are_read_the_vietnamese_way_and_kept_exactly(typed, decimals, number):
    assert parse_decimal_number(typed, decimals, 10**15) == number


@pytest.mark.parametrize(("typed", "reason"), [
    ("1.5", "format"),  # a dot groups thousands: "1.5" is neither 1,5 nor 15
    ("-3", "negative"),
    ("1,234", "fraction"),
    ("abc", "format"),
    ("1e5", "format"),
    ("Infinity", "format"),
    ("10.000.000", "too_large"),
])
def test_figures_that_cannot_be_taken_say_why(typed, reason):
    with pytest.raises(NumberError) as refused:
        parse_decimal_number(typed, 2, 1_000_000)
    assert refused.value.reason == reason


def test_a_report_keeps_each_figure_as_typed_and_names_each_bad_one():
    report = load_report({"period_id": "1", "money_vnd": "1.139.000.000", "road_km": "1,5",
                          "land_m2": "", "narrative": "<script>alert(1)</script>"})
    assert report["money_vnd"] == Decimal("1139000000")
    assert report["road_km"] == Decimal("1.5")
    assert report["land_m2"] is None
    assert report["narrative"] == "<script>alert(1)</script>"  # kept as text, escaped on output
    with pytest.raises(InvalidInput) as refused:
        load_report({"period_id": "x", "households": "-2", "road_km": "1,555"})
    assert set(refused.value.errors) == {"period_id", "households", "road_km"}


def test_exact_decimals_are_stored_as_thousandths_and_come_back_unchanged():
    column = ExactDecimal()
    assert column.process_bind_param(Decimal("1.5"), None) == 1500
    assert column.process_result_value(1500, None) == Decimal("1.5")
    assert column.process_bind_param(Decimal("1139000000"), None) == 1_139_000_000_000
    with pytest.raises(ValueError):
        column.process_bind_param(Decimal("0.0001"), None)


def image(kind: str = "PNG", size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def office(*parts: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        for part in ("word/document.xml", *parts):
            package.writestr(part, "<x/>")
    return buffer.getvalue()


def test_photos_and_pdfs_are_kept_by_their_content():
    assert check(image("PNG"), MB).content_type == "image/png"
    assert check(image("JPEG"), MB).extension == "jpg"
    assert check(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n", MB).content_type == "application/pdf"


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty"),
    (b"<html><script>alert(1)</script></html>", "type"),  # a page named photo.jpg
    (b"MZ\x90\x00" + b"\x00" * 400, "type"),  # a Windows program named report.pdf
    (b"#!/bin/sh\nrm -rf /\n", "type"),
    (image("PNG")[:40], "damaged"),  # a PNG cut short
    (office("word/vbaProject.bin"), "macros"),
])
def test_disguised_damaged_or_executable_files_are_refused(content, reason):
    with pytest.raises(Refused) as refused:
        check(content, MB)
    assert refused.value.reason == reason


def test_a_file_over_the_limit_is_refused_before_it_is_read_further():
    with pytest.raises(Refused) as refused:
        check(image("PNG") + b"\x00" * MB, MB)
    assert refused.value.reason == "too_large"
