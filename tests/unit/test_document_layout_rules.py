"""How official documents write their numbers, places and dates, and who issues them: the rules of
Nghị định 30/2020/NĐ-CP and Hướng dẫn 36-HD/VPTW, and the issuing bodies an administrator sets."""

from __future__ import annotations

import json
from datetime import date

import pytest

from shared.letterhead import bodies
from shared.letterhead.wording import day_and_month, in_sentence, number_line, place_and_date, place_of

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("day", "written"), [
    (date(2024, 6, 10), "ngày 10 tháng 6 năm 2024"),
    (date(2024, 1, 5), "ngày 05 tháng 01 năm 2024"),
    (date(2025, 2, 28), "ngày 28 tháng 02 năm 2025"),
    (date(2025, 3, 9), "ngày 09 tháng 3 năm 2025"),
    (date(2026, 12, 1), "ngày 01 tháng 12 năm 2026"),
])
def test_days_below_ten_and_the_first_two_months_take_a_leading_zero(day, written):
    assert day_and_month(day) == written


def test_the_place_comes_before_the_date_as_the_seed_writes_it():
    assert place_and_date("Con Cuông", date(2024, 6, 10)) == "Con Cuông, ngày 10 tháng 6 năm 2024"


def test_the_party_and_the_state_number_their_documents_differently():
    assert number_line("party", "BC", "BCĐ", "02") == "Số 02-BC/BCĐ"
    assert number_line("state", "BC", "UBND", "02") == "Số: 02/BC-UBND"
    assert number_line("party", "TTr", "BCĐ").startswith("Số ") and number_line(
        "party", "TTr", "BCĐ").endswith("-TTr/BCĐ")  # the number is left for the clerk


@pytest.mark.parametrize(("name", "place", "in_text"), [
    ("Huyện Con Cuông", "Con Cuông", "huyện Con Cuông"),
    ("Thị trấn Con Cuông", "Con Cuông", "thị trấn Con Cuông"),
    ("Xã Môn Sơn", "Môn Sơn", "xã Môn Sơn"),
])
def test_names_are_written_as_the_directory_spells_them(name, place, in_text):
    assert place_of(name) == place and in_sentence(name) == in_text


def test_by_default_the_steering_committee_issues_in_the_party_layout_under_its_district_party():
    body = bodies.default(bodies.STEERING_COMMITTEE, "Huyện Con Cuông")
    assert (body.layout, body.parent, body.symbol, body.place) == (
        "party", "HUYỆN ỦY CON CUÔNG", "BCĐ", "Con Cuông")
    assert body.signer_of("request") == bodies.Signer("TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN")
    assert body.signer_of("report").title.split("\n") == ["PHÓ BÍ THƯ THƯỜNG TRỰC", "Kiêm",
                                                          "TRƯỞNG BAN CHỈ ĐẠO"]
    assert body.recipients_of("report")[-1] == "Lưu BCĐ."
    people = bodies.default(bodies.PEOPLES_COMMITTEE, "Huyện Con Cuông")
    assert (people.layout, people.parent, people.name, people.symbol) == (
        "state", "ỦY BAN NHÂN DÂN", "HUYỆN CON CUÔNG", "UBND")


def test_a_body_configured_for_one_district_serves_it_and_the_others_keep_the_common_one():
    configured = bodies.from_json(json.dumps([
        *bodies.DEFAULTS,
        {"code": "steering_committee", "org": "anh-son", "layout": "state", "parent": "UBND HUYỆN ANH SƠN",
         "name": "BAN CHỈ ĐẠO", "symbol": "BCĐ", "signer": {"authority": "KT. TRƯỞNG BAN",
                                                           "title": "PHÓ TRƯỞNG BAN", "name": "Lô Văn Khác"},
         "recipients": {"*": ["Như trên", "Lưu: VT, BCĐ."]}}]))
    anh_son = bodies.choose(configured, "steering_committee", "anh-son", "Huyện Anh Sơn")
    assert (anh_son.layout, anh_son.signer_of("minutes").name) == ("state", "Lô Văn Khác")
    assert anh_son.recipients_of("report") == ("Như trên", "Lưu: VT, BCĐ.")
    con_cuong = bodies.choose(configured, "steering_committee", "con-cuong", "Huyện Con Cuông")
    assert (con_cuong.layout, con_cuong.parent) == ("party", "HUYỆN ỦY CON CUÔNG")


def test_unset_the_defaults_are_used():
    assert bodies.from_environ({}) == bodies.from_list(bodies.DEFAULTS)


@pytest.mark.parametrize(("text", "said"), [
    ("not json", "not JSON"),
    ("{}", "non-empty list"),
    ('[{"code": "steering_committee", "layout": "royal", "name": "X", "symbol": "X"}]', "layout"),
    ('[{"code": "steering_committee", "layout": "party", "symbol": "X"}]', "lacks name"),
    ('[{"code": "peoples_committee", "layout": "state", "name": "X", "symbol": "X"}]', "steering_committee"),
    ('[{"code": "steering_committee", "layout": "party", "name": "X", "symbol": "X", "signer": "Ông A"}]',
     "signer"),
    ('[{"code": "steering_committee", "layout": "party", "name": "X", "symbol": "X", '
     '"certificate": "a.p12"}]', "certificate"),
])
def test_a_bad_configuration_is_refused_saying_what_is_wrong(text, said):
    with pytest.raises(bodies.BodiesError, match=said):
        bodies.from_json(text)


@pytest.mark.parametrize("service", ["intake_service", "review_service"])
def test_a_service_refuses_to_start_on_bad_issuing_bodies_naming_the_variable(service):
    from importlib import import_module

    from shared.settings import SettingsError, from_env

    read = import_module(f"{service}.settings").from_settings
    with pytest.raises(SettingsError, match="DVK_ISSUING_BODIES: .*layout"):
        read(from_env({"DVK_ISSUING_BODIES": '[{"code": "steering_committee", "layout": "royal", '
                                             '"name": "X", "symbol": "X"}]'}))
    assert read(from_env({})).issuing_bodies == bodies.from_list(bodies.DEFAULTS)
