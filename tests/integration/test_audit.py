"""The audit log: append-only in the database itself, and exported per area as XLSX."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from review_service.queue import services as review_services
from shared import events
from shared.days import today_in_vietnam
from shared.db import make_engine
from tests.conftest import ENGINE_KINDS, require_engines
from tests.integration.system import submitted_event
from tests.support.engines import drop_databases, environment
from tests.support.people import at_review, cast
from tests.support.web import running_apps

PEOPLE = cast("xa", "xa2", "huyen", "donvi")


@pytest.mark.parametrize("kind", ENGINE_KINDS)
def test_the_database_refuses_to_change_or_delete_an_audit_row(kind, tmp_path):
    require_engines(kind)
    env = environment(kind, tmp_path, review="schema")  # migrated: its triggers in place
    url = env.get("REVIEW_DATABASE_URL") or f"sqlite:///{tmp_path}/review.db"
    engine = make_engine(url)
    try:
        with engine.begin() as db:
            db.execute(text("INSERT INTO review_items (id, submission_id, kind, title, title_key, "
                            "field, subject_type, commune_code, commune_name, district_code, "
                            "submitter_name, chain, chain_version, stage, status, intake_version, "
                            "version, opened_at, due_at, updated_at, escalation) VALUES (1, 1, "
                            "'registration', 't', 't', 'economy', 'collective', 'mon-son', 'x', "
                            "'con-cuong', 'x', 'commune', 0, 'commune', 'open', 1, 1, :now, :now, "
                            ":now, 0)"), {"now": datetime.now(UTC)})
            db.execute(text("INSERT INTO audit_log (item_id, at, actor_name, action, to_status) "
                            "VALUES (1, :now, 'Lương Văn Thắng', 'approve', 'open')"),
                       {"now": datetime.now(UTC)})
        for statement in ("UPDATE audit_log SET actor_name = 'someone else'", "DELETE FROM audit_log"):
            with pytest.raises(DatabaseError, match="append-only"), engine.begin() as db:
                db.execute(text(statement))
        with engine.connect() as db:
            assert db.execute(text("SELECT actor_name FROM audit_log")).scalar_one() == \
                "Lương Văn Thắng"
    finally:
        engine.dispose()
        drop_databases(env)


def test_a_reviewer_exports_the_audit_of_their_own_area_only(tmp_path):
    with running_apps(tmp_path, PEOPLE) as (intake, review_app):
        review = review_app.extensions["review"]
        with review.uow() as uow:
            for number, commune in ((1, "mon-son"), (2, "chau-khe")):
                review_services.on_submitted(events.decode(submitted_event(
                    number, commune_code=commune, title=f"Mô hình xã {commune}",
                    submitted_at=datetime.now(UTC))), uow, review.chain_config)
            uow.commit()

        def client_of(username: str):
            return at_review((intake, review_app), username)

        def titles(username: str) -> list[str]:
            today = today_in_vietnam().isoformat()  # the export's days are Vietnam's
            response = client_of(username).get(f"/audit.xlsx?from={today}&to={today}")
            assert response.status_code == 200
            sheet = load_workbook(io.BytesIO(response.data)).active
            return [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]

        assert titles("xa") == ["Mô hình xã mon-son"]
        assert titles("xa2") == ["Mô hình xã chau-khe"]
        assert sorted(titles("huyen")) == ["Mô hình xã chau-khe", "Mô hình xã mon-son"]
        assert client_of("xa").get("/audit.xlsx?from=2024-06-10&to=2024-01-01").status_code == 422
        assert client_of("donvi").get("/audit.xlsx").status_code == 403

