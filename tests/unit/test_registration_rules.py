"""A registration's numbers are read the Vietnamese way, and an individual model names its person."""

from __future__ import annotations

import pytest

from intake_service.submissions.schemas import load_registration
from shared.errors import InvalidInput
from shared.numbers import MAX_AMOUNT, NumberError, parse_whole_number

VALID = {"title": "Hội Phụ nữ xã Môn Sơn vận động hiến đất làm đường", "field": "new_rural",
         "subject_type": "collective", "commune_code": "mon-son"}


@pytest.mark.parametrize(("typed", "number"), [
    ("1.139.000.000", 1_139_000_000),
    ("8.524", 8524),
    ("9952", 9952),
    (" 0 ", 0),
    (1_139_000_000, 1_139_000_000),
    (str(MAX_AMOUNT), MAX_AMOUNT),
])
def test_whole_numbers_are_read_with_vietnamese_thousands_separators(typed, number):
    assert parse_whole_number(typed) == number


@pytest.mark.parametrize(("typed", "reason"), [
    ("-5", "negative"),
    ("-1.000", "negative"),
    ("1,5", "fraction"),
    (1.5, "fraction"),
    ("10.000.000.000.000.000", "too_large"),
    (MAX_AMOUNT + 1, "too_large"),
    ("mười", "format"),
    ("1.5", "format"),  # a dot groups thousands: "1.5" is neither 15 nor 1,5
    ("1e9", "format"),
    ("NaN", "format"),
    ("", "format"),
    (True, "format"),
])
def test_what_is_not_a_whole_non_negative_number_is_refused_with_its_reason(typed, reason):
    with pytest.raises(NumberError) as refused:
        parse_whole_number(typed)
    assert refused.value.reason == reason


def test_a_registration_reads_its_money_and_labour_days_exactly():
    data = load_registration(VALID | {"funding_vnd": "1.139.000.000", "labour_days": "8.524"})
    assert (data["funding_vnd"], data["labour_days"]) == (1_139_000_000, 8524)


def test_the_details_are_optional_in_a_draft_and_empty_ones_are_stored_as_nothing():
    data = load_registration(VALID | {"unit_name": "", "funding_vnd": "", "situation": "  "})
    assert data["unit_name"] is None and data["funding_vnd"] is None and data["situation"] is None


def test_a_section_keeps_its_line_breaks_and_is_composed_to_nfc():
    data = load_registration(VALID | {"activities": "1. Họp dân\r\n2. Hie\u0302\u0301n đất  "})
    assert data["activities"] == "1. Họp dân\n2. Hiến đất"


def test_an_individual_model_needs_the_persons_name():
    with pytest.raises(InvalidInput) as refused:
        load_registration(VALID | {"subject_type": "individual", "person_name": " "})
    assert refused.value.errors == {
        "person_name": ["An individual model needs the full name of the person."]}
    named = load_registration(VALID | {"subject_type": "individual", "person_name": "Lô Văn Hùng"})
    assert named["person_name"] == "Lô Văn Hùng"


def test_a_collective_model_needs_no_person():
    assert load_registration(VALID)["person_name"] is None


@pytest.mark.parametrize(("field", "value"), [
    ("funding_vnd", "-1.000"), ("labour_days", "tám nghìn"), ("objectives", "x" * 4001),
    ("unit_name", "x" * 201),
])
def test_each_bad_detail_is_named_in_the_errors(field, value):
    with pytest.raises(InvalidInput) as refused:
        load_registration(VALID | {field: value})
    assert list(refused.value.errors) == [field]
