"""The rules of an award nomination: each step of its lifecycle, each refusal, who may do what,
and the checks on what is typed in."""

from __future__ import annotations

from datetime import date

import pytest

from review_service.nominations import config, domain
from review_service.nominations.domain import Action, Outcome, Refusal, Refused, Status
from shared.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from shared.identity import Identity

pytestmark = pytest.mark.unit

TODAY = date(2026, 11, 26)
ALL = list(Status)
OPEN = [s for s in Status if s not in domain.FINAL]


def person(role: str, scope: str = "con-cuong") -> Identity:
    return Identity(id=7, name="Ngân Thị Mai", role=role, scope=scope)


def refusal(call) -> Refusal:
    with pytest.raises(Refused) as refused:
        call()
    return refused.value.code


# ---- the lifecycle -------------------------------------------------------------------------


def test_a_proposed_nomination_goes_to_inspection_and_waits_for_it():
    assert domain.request_inspection(Status.PROPOSED) == Status.AWAITING_VERIFICATION


@pytest.mark.parametrize("status", [Status.AWAITING_VERIFICATION, Status.VERIFIED, Status.SUBMITTED])
def test_only_a_proposed_nomination_is_sent_to_inspection(status):
    assert refusal(lambda: domain.request_inspection(status)) == Refusal.NOT_PROPOSED


@pytest.mark.parametrize("status", domain.FINAL)
def test_a_decided_or_dropped_nomination_is_never_sent_to_inspection(status):
    assert refusal(lambda: domain.request_inspection(status)) == Refusal.FINAL


@pytest.mark.parametrize("status", [Status.PROPOSED, Status.AWAITING_VERIFICATION, Status.VERIFIED])
def test_a_verified_model_moves_the_nomination_on(status):
    assert domain.after_inspection(status, Outcome.VERIFIED) == (Action.VERIFY, Status.VERIFIED)


@pytest.mark.parametrize("outcome", [Outcome.PARTLY_VERIFIED, Outcome.NOT_VERIFIED])
@pytest.mark.parametrize("status", [Status.PROPOSED, Status.AWAITING_VERIFICATION, Status.VERIFIED])
def test_a_model_not_fully_verified_sends_the_nomination_back_to_the_committee(status, outcome):
    assert domain.after_inspection(status, outcome) == (Action.RETURN, Status.PROPOSED)


@pytest.mark.parametrize("outcome", list(Outcome))
@pytest.mark.parametrize("status", [Status.SUBMITTED, *domain.FINAL])
def test_a_late_inspection_outcome_is_only_noted_once_submitted_or_final(status, outcome):
    assert domain.after_inspection(status, outcome) == (Action.NOTE_INSPECTION, status)


def test_a_verified_nomination_of_an_eligible_subject_is_submitted_for_decision():
    assert domain.submit(Status.VERIFIED, None, returned=False) == Status.SUBMITTED


@pytest.mark.parametrize("status", [Status.PROPOSED, Status.AWAITING_VERIFICATION])
def test_submitting_before_the_inspection_verified_the_model_is_refused(status):
    assert refusal(lambda: domain.submit(status, None, returned=False)) == Refusal.NOT_VERIFIED


def test_submitting_one_the_inspection_did_not_verify_says_so():
    assert refusal(lambda: domain.submit(Status.PROPOSED, None, returned=True)) == Refusal.RETURNED


@pytest.mark.parametrize("status", OPEN)
def test_submitting_while_the_subject_is_flagged_ineligible_is_refused_with_the_reason(status):
    with pytest.raises(Refused) as refused:
        domain.submit(status, "Đang bị xem xét kỷ luật", returned=False)
    assert refused.value.code == Refusal.INELIGIBLE
    assert refused.value.detail == "Đang bị xem xét kỷ luật"


def test_submitting_twice_is_refused():
    assert refusal(lambda: domain.submit(Status.SUBMITTED, None, False)) == Refusal.ALREADY_SUBMITTED


@pytest.mark.parametrize("status", domain.FINAL)
def test_nothing_is_submitted_once_final(status):
    assert refusal(lambda: domain.submit(status, None, False)) == Refusal.FINAL


def test_a_submitted_nomination_is_decided():
    assert domain.decide(Status.SUBMITTED) == Status.DECIDED


@pytest.mark.parametrize("status", [Status.PROPOSED, Status.AWAITING_VERIFICATION, Status.VERIFIED])
def test_only_a_submitted_nomination_is_decided(status):
    assert refusal(lambda: domain.decide(status)) == Refusal.NOT_SUBMITTED


@pytest.mark.parametrize("status", domain.FINAL)
def test_a_final_nomination_is_not_decided_again(status):
    assert refusal(lambda: domain.decide(status)) == Refusal.FINAL


@pytest.mark.parametrize("status", OPEN)
def test_any_nomination_not_final_may_be_dropped(status):
    assert domain.drop(status) == Status.DROPPED


@pytest.mark.parametrize("status", domain.FINAL)
def test_a_final_nomination_is_not_dropped(status):
    assert refusal(lambda: domain.drop(status)) == Refusal.FINAL


def test_the_details_are_written_while_the_nomination_is_prepared_until_it_is_submitted():
    for status in (Status.PROPOSED, Status.AWAITING_VERIFICATION, Status.VERIFIED):
        domain.check_editable(status)
    assert refusal(lambda: domain.check_editable(Status.SUBMITTED)) == Refusal.NOT_PREPARED
    for status in domain.FINAL:
        assert refusal(lambda s=status: domain.check_editable(s)) == Refusal.FINAL


def test_a_dossier_holds_only_nominations_their_inspection_verified():
    assert domain.in_dossier([Status.VERIFIED, Status.SUBMITTED, Status.DECIDED])
    for status in (Status.PROPOSED, Status.AWAITING_VERIFICATION, Status.DROPPED):
        assert not domain.in_dossier([Status.VERIFIED, status])


def test_a_refusal_is_an_invalid_transition_so_the_api_answers_409():
    assert issubclass(Refused, InvalidTransition)


@pytest.mark.parametrize(("status", "ineligible", "offered"), [
    (Status.PROPOSED, False, [Action.EDIT, Action.REQUEST_INSPECTION, Action.DROP]),
    (Status.AWAITING_VERIFICATION, False, [Action.EDIT, Action.DROP]),
    (Status.VERIFIED, False, [Action.EDIT, Action.SUBMIT, Action.DROP]),
    (Status.VERIFIED, True, [Action.EDIT, Action.DROP]),
    (Status.SUBMITTED, False, [Action.DECIDE, Action.DROP]),
    (Status.DECIDED, False, []),
    (Status.DROPPED, False, []),
])
def test_the_page_offers_exactly_the_steps_the_rules_allow(status, ineligible, offered):
    assert domain.allowed_actions(status, ineligible) == offered


def test_every_offered_step_is_one_the_rules_accept():
    steps = {Action.REQUEST_INSPECTION: domain.request_inspection,
             Action.SUBMIT: lambda s: domain.submit(s, None, False), Action.DECIDE: domain.decide,
             Action.DROP: domain.drop, Action.EDIT: domain.check_editable}
    for status in ALL:
        for action in domain.allowed_actions(status, ineligible=False):
            steps[action](status)  # raises if the page offered a step the rules refuse


# ---- who -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["committee_member", "committee_chair", "district_reviewer"])
def test_the_committee_and_the_districts_reviewers_see_their_districts_nominations(role):
    domain.check_viewer(person(role), "con-cuong")
    with pytest.raises(NotFound):
        domain.check_viewer(person(role, "anh-son"), "con-cuong")


@pytest.mark.parametrize("role", ["submitter", "commune_reviewer", "inspector", "viewer",
                                  "province_reviewer"])
def test_other_roles_see_no_nominations(role):
    with pytest.raises(NotPermitted):
        domain.check_viewer(person(role))


def test_an_administrator_sees_and_acts_on_every_district():
    domain.check_actor(person("admin", "con-cuong"), "anh-son")
    domain.check_flagger(person("admin", "con-cuong"), "anh-son")


def test_a_committee_member_sees_but_does_not_move_a_nomination():
    with pytest.raises(NotPermitted):
        domain.check_actor(person("committee_member"), "con-cuong")
    assert not domain.may_act(person("committee_member"), "con-cuong")
    assert domain.may_act(person("committee_chair"), "con-cuong")
    assert not domain.may_act(person("district_reviewer", "anh-son"), "con-cuong")


@pytest.mark.parametrize("role", ["committee_chair", "district_reviewer"])
def test_only_an_administrator_flags_a_subject_ineligible(role):
    with pytest.raises(NotPermitted):
        domain.check_flagger(person(role), "con-cuong")


# ---- what is typed in ----------------------------------------------------------------------


def test_the_award_forms_default_to_giay_khen_bang_khen_and_a_certificate():
    forms = config.award_forms({})
    assert [(f.code, f.name, f.level) for f in forms] == [
        ("giay_khen", "Giấy khen", "district"), ("bang_khen", "Bằng khen", "province"),
        ("giay_chung_nhan", "Giấy chứng nhận", "district")]


def test_the_award_forms_are_configured_as_json():
    forms = config.award_forms({"DVK_AWARD_FORMS":
                                '[{"code": "bang_khen_tw", "name": "Bằng khen TW", "level": "central"}]'})
    assert [(f.code, f.level) for f in forms] == [("bang_khen_tw", "central")]


@pytest.mark.parametrize("text", ['{"code": "x"}', "[]", '[{"code": "", "name": "X", "level": "district"}]',
                                  '[{"code": "x", "name": "X", "level": "village"}]',
                                  '[{"code": "x", "name": "X", "level": "district"}, '
                                  '{"code": "x", "name": "Y", "level": "district"}]'])
def test_a_wrong_award_form_configuration_is_refused_at_start(text):
    with pytest.raises(ValueError):
        domain.award_forms_from_json(text)


def test_the_details_name_every_bad_field():
    with pytest.raises(InvalidInput) as bad:
        domain.check_details("huan_chuong", "village", "yearly", "x" * 4001, "y" * 4001,
                             domain.DEFAULT_AWARD_FORMS)
    assert bad.value.errors == {"award_form": ["choice"], "level": ["choice"],
                                "commendation_type": ["choice"], "reasons": ["length"],
                                "achievements": ["length"]}
    domain.check_details("bang_khen", "province", "thematic", "", "", domain.DEFAULT_AWARD_FORMS)


def test_a_decision_needs_its_number_a_date_not_in_the_future_and_its_signer():
    domain.check_decision("125/QĐ-UBND", date(2026, 11, 20), "Vi Văn Sơn", TODAY)
    with pytest.raises(InvalidInput) as bad:
        domain.check_decision("", None, "", TODAY)
    assert bad.value.errors == {"decision_number": ["required"], "decision_date": ["required"],
                                "signer": ["required"]}
    with pytest.raises(InvalidInput) as bad:
        domain.check_decision("1/QĐ", date(2026, 11, 27), "Vi Văn Sơn", TODAY)
    assert bad.value.errors == {"decision_date": ["future"]}
    with pytest.raises(InvalidInput):
        domain.check_decision("1" * 81, TODAY, "Vi Văn Sơn", TODAY)


def test_dropping_needs_a_reason():
    domain.check_reason("Đơn vị xin rút")
    with pytest.raises(InvalidInput) as bad:
        domain.check_reason("")
    assert bad.value.errors == {"reason": ["required"]}
    with pytest.raises(InvalidInput) as bad:
        domain.check_reason("x" * 4001)
    assert bad.value.errors == {"reason": ["length"]}


@pytest.mark.parametrize(("text", "expected"), [
    ("05/12/2026", date(2026, 12, 5)), ("5/12/2026", date(2026, 12, 5)),
    ("2026-12-05", date(2026, 12, 5)), (" 31/1/2027 ", date(2027, 1, 31)),
    ("31/02/2026", None), ("12/2026", None), ("hôm qua", None), ("", None), ("1/1/26", None),
])
def test_dates_are_read_the_vietnamese_way(text, expected):
    assert domain.parse_vn_date(text) == expected


def test_the_subject_is_the_unit_or_the_person_the_registration_names():
    details = {"unit_name": "Hội LHPN xã Môn Sơn", "person_name": "Lô Thị Hoa"}
    assert domain.subject_of("collective", details, "Người gửi") == "Hội LHPN xã Môn Sơn"
    assert domain.subject_of("individual", details, "Người gửi") == "Lô Thị Hoa"
    assert domain.subject_of("individual", {"person_name": "  "}, "Người gửi") == "Người gửi"
    assert domain.subject_of("collective", None, "") == "—"
