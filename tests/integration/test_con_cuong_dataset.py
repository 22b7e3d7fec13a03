"""The Con Cuông data set, loaded through the services' own interfaces, holds the seed report's
figures (H1 2024): 177 models by field and subject type, 27 units and 73 people, and the
contributions mobilised for new-rural work; loading it twice adds nothing."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from demo import con_cuong as data
from demo.load import load
from intake_service.models import Submission, User
from intake_service.periods.models import Period
from intake_service.reports.models import ReportFigure
from shared.identity import ROLES


@pytest.fixture(scope="module")
def loaded(system):
    """The data set loaded once, then loaded again; both runs' summaries."""
    first = load(system.intake.application, system.review.application, log=lambda _line: None)
    again = load(system.intake.application, system.review.application, log=lambda _line: None)
    return system, first, again


def intake_db(system):
    return system.intake.application.extensions["intake"].sessions()


def registrations(db) -> list[Submission]:
    """The H1-2024 registrations, as intake (the database of record) holds them."""
    period = db.scalar(select(Period).where(Period.kind == "H1", Period.year == 2024))
    return list(db.scalars(select(Submission).where(Submission.kind == "registration",
                                                    Submission.period_id == period.id)))


def admin_api(system, path: str, **query) -> dict:
    response = system.intake.get(path, query_string=query, headers=bearer(system, "admin"))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def bearer(system, username: str) -> dict:
    from intake_service import accounts
    from shared import tokens

    with intake_db(system) as db:
        user = db.scalar(select(User).where(User.username == username))
        return {"Authorization": "Bearer " + tokens.issue(system.settings.secret_key,
                                                          accounts.identity_of(user))}


def test_the_district_registered_the_seeds_models_by_field_and_subject_type(loaded):
    system, first, _again = loaded
    assert first.added["registrations"] == data.TOTAL_MODELS
    with intake_db(system) as db:
        models = registrations(db)
        by_field = Counter((m.subject_type, m.field) for m in models)
        assert len(models) == 177
        assert {(s, f): n for (s, f), n in by_field.items()} == {
            ("collective", "economy"): 24, ("collective", "culture_society"): 28,
            ("collective", "new_rural"): 23, ("collective", "defense_security"): 14,
            ("collective", "political_system"): 11,
            ("individual", "economy"): 34, ("individual", "culture_society"): 15,
            ("individual", "new_rural"): 16, ("individual", "defense_security"): 6,
            ("individual", "political_system"): 6,
        }
        assert len({m.unit_name for m in models if m.subject_type == "collective"}) == 27
        assert len({m.person_name for m in models if m.subject_type == "individual"}) == 73
        assert len({m.commune_code for m in models}) == 13  # every commune and the township


def test_every_registration_went_through_review_and_was_approved(loaded):
    system, first, _again = loaded
    with intake_db(system) as db:
        models = registrations(db)
        assert Counter(m.status for m in models) == {"approved": 177}
        assert {m.stage for m in models} == {"committee"}  # recognised by the committee
        returned = [m for m in models if any(h.to_status == "returned" for h in m.history)]
        assert len(returned) == len(data.RETURNED_AT_COMMUNE) + len(data.RETURNED_AT_DISTRICT)
    assert first.added["committee sessions"] == len(data.SESSIONS)
    sessions = system.review.get("/api/committee/sessions", headers=bearer(system, "chutich"))
    assert {s["status"] for s in sessions.get_json()["items"]} == {"closed"}
    one = sessions.get_json()["items"][0]["id"]
    shown = system.review.get(f"/api/committee/sessions/{one}",
                              headers=bearer(system, "chutich")).get_json()
    assert all(len(entry["votes"]) == 15 for entry in shown["agenda"])  # 15 of 20 came


def test_the_new_rural_results_add_up_to_the_seeds_contributions(loaded):
    system, first, _again = loaded
    assert first.added["result reports"] == len(data.REPORTS)
    with intake_db(system) as db:
        reports = select(Submission.id).where(Submission.kind == "result_report",
                                              Submission.status == "approved")
        totals = dict(db.execute(select(ReportFigure.code, func.sum(ReportFigure.value))
                                 .where(ReportFigure.submission_id.in_(reports))
                                 .group_by(ReportFigure.code)).all())
        not_approved = db.scalar(select(func.count()).select_from(Submission).where(
            Submission.kind == "result_report", Submission.status != "approved"))
    assert {code: Decimal(value) for code, value in totals.items()} == {
        "money_vnd": Decimal("1139000000"), "labour_days": Decimal("8524"),
        "land_m2": Decimal("9952"), "road_km": Decimal("569")}
    assert not_approved == 0


def test_the_directory_holds_the_district_its_villages_committee_and_merges(loaded):
    system, _first, _again = loaded
    tree = admin_api(system, "/api/directory/org-units", on="2024-06-10")["items"]
    communes = [u for u in tree if u["parent_code"] == "con-cuong"]
    villages = [u for u in tree if u["level"] == "village"]
    assert len(communes) == 13 and len(villages) == 115
    assert {v["parent_code"] for v in villages} == {c["code"] for c in communes}
    later = {u["code"]: u for u in admin_api(system, "/api/directory/org-units")["items"]}
    assert set(later["tra-lan"]["formed_from"]) >= {"bong-khe", "chi-khe-tien-thanh",
                                                    "tt-con-cuong"}
    assert set(later["mau-thach-2025"]["formed_from"]) >= {"mau-duc", "thach-ngan"}
    assert len(admin_api(system, "/api/directory/units")["items"]) >= 27
    with intake_db(system) as db:
        roles = Counter(db.scalars(select(User.role)))
    assert set(roles) >= set(ROLES)  # a user for every role
    assert roles["committee_member"] + roles["committee_chair"] == 20


def test_loading_twice_adds_nothing_and_says_so(loaded):
    system, _first, again = loaded
    assert again.already_loaded
    assert again.lines() == ["The Con Cuông data set is already loaded; nothing was added."]
    with intake_db(system) as db:
        assert len(registrations(db)) == 177
        assert db.scalar(select(func.count()).select_from(Submission).where(
            Submission.kind == "result_report")) == len(data.REPORTS)
