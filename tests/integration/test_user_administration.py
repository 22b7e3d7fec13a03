"""Administrators manage accounts on intake: create, disable and enable, reset a password,
change role and scope; each change is in the administration log, which they read and export."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from tests.integration.test_tokens_sessions_throttling import bearer, deliver_intakes_events, new_token
from tests.support.people import PASSWORD, browser, carried, cast, sign_in
from tests.support.web import csrf

PEOPLE = cast("quantri", "donvi", "xa")


@pytest.fixture
def people():
    return PEOPLE


def send(client, path: str, page: str = "/admin/users", **form):
    return client.post(path, data={"csrf_token": csrf(client.get(page).get_data(as_text=True)),
                                   **form})


def user_id(apps, username: str) -> int:
    from sqlalchemy import select

    from intake_service.accounts.tables import User

    with apps[0].extensions["intake"].sessions() as db:
        return db.scalar(select(User.id).where(User.username == username))


def test_an_administrator_creates_an_account_that_then_signs_in(apps):
    admin = browser(apps[0], "quantri")
    created = send(admin, "/admin/users", username="xa-moi", name="Lô Văn Mới",
                   role="commune_reviewer", scope="mon-son", password="mot-cau-dai-kho-doan")
    assert created.status_code == 302
    assert sign_in(apps[0].test_client(), "xa-moi", "mot-cau-dai-kho-doan").status_code == 302


@pytest.mark.parametrize(("password", "why"), [
    ("ngan", "ít nhất"), ("12345678", "Chọn mật khẩu khác"), ("Mat-Khau-123", "Chọn mật khẩu khác"),
    ("aaaaaaaaaa", "Chọn mật khẩu khác")])
def test_a_short_or_common_password_is_refused(apps, password, why):
    admin = browser(apps[0], "quantri")
    refused = send(admin, "/admin/users", username="xa-moi", name="Lô Văn Mới",
                   role="commune_reviewer", scope="mon-son", password=password)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert why in page and 'value="Lô Văn Mới"' in page  # what was typed is kept


def test_a_disabled_account_stops_at_once_on_both_services_and_comes_back_when_enabled(apps):
    hoa = browser(apps[0], "donvi")
    token = new_token(hoa)
    at_review = carried(hoa, apps[1])
    assert at_review.get("/api/queue").status_code in (200, 403)  # signed in there
    admin = browser(apps[0], "quantri")
    hoa_id = user_id(apps, "donvi")
    assert send(admin, f"/admin/users/{hoa_id}/disable").status_code == 302

    assert hoa.get("/account").status_code == 302  # her session ended
    assert apps[0].test_client().get("/api/submissions", headers=bearer(token)).status_code == 401
    assert sign_in(apps[0].test_client(), "donvi").status_code == 401
    deliver_intakes_events(apps)
    assert at_review.get("/api/queue").status_code == 401
    assert apps[1].test_client().get("/api/queue", headers=bearer(token)).status_code == 401

    assert send(admin, f"/admin/users/{hoa_id}/enable").status_code == 302
    assert sign_in(apps[0].test_client(), "donvi").status_code == 302


def test_a_reset_password_is_a_one_time_code_and_the_user_must_choose_a_new_one(apps):
    admin = browser(apps[0], "quantri")
    shown = send(admin, f"/admin/users/{user_id(apps, 'donvi')}/reset-password")
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    code = re.search(r'id="one-time-code" readonly value="([^"]+)"',
                     shown.get_data(as_text=True)).group(1)
    assert code not in admin.get("/admin/users").get_data(as_text=True)  # shown once
    assert sign_in(apps[0].test_client(), "donvi").status_code == 401  # the old password is gone

    hoa = apps[0].test_client()
    signed_in = sign_in(hoa, "donvi", code)
    assert signed_in.headers["Location"].endswith("/account")
    assert hoa.get("/submissions").headers["Location"].endswith("/account")  # a new password first
    assert carried(hoa, apps[1]).get("/queue").headers["Location"].endswith("/account")  # review too
    changed = send(hoa, "/account/password", "/account", current=code,
                   new="mot-mat-khau-moi-that-dai", confirm="mot-mat-khau-moi-that-dai")
    assert changed.status_code == 302
    assert hoa.get("/submissions").status_code == 200


def test_a_role_change_ends_the_old_sessions_and_everything_is_in_the_log(apps):
    xa = browser(apps[0], "xa")
    admin = browser(apps[0], "quantri")
    xa_id = user_id(apps, "xa")
    assert send(admin, f"/admin/users/{xa_id}/role", role="district_reviewer",
                scope="con-cuong").status_code == 302
    assert xa.get("/account").status_code == 302  # the session carried the old role
    assert send(admin, f"/admin/users/{xa_id}/role", role="commune_reviewer",
                scope="con-cuong").status_code == 422  # a commune role needs a commune
    send(admin, f"/admin/users/{xa_id}/disable")

    log = admin.get("/admin/users/log").get_data(as_text=True)
    assert "Hà Văn Quản" in log and "xa" in log
    export = admin.get("/admin/users/log.xlsx")
    rows = list(load_workbook(io.BytesIO(export.data)).worksheets[0].iter_rows(values_only=True))
    assert [row[2] for row in rows[1:]] == ["đã vô hiệu hóa", "đổi vai trò hoặc phạm vi"]
    assert all(row[3] == "xa" for row in rows[1:])


@pytest.mark.parametrize("username", ["donvi", "xa"])
def test_nobody_else_manages_accounts(apps, username):
    client = browser(apps[0], username)
    assert client.get("/admin/users").status_code == 403
    token = new_token(client)
    api = apps[0].test_client()
    assert api.post(f"/api/users/{user_id(apps, 'quantri')}/disable",
                    headers=bearer(token)).status_code == 403
    assert api.post("/api/users", headers=bearer(token), json={
        "username": "ke-gian", "name": "Kẻ Gian", "password": "mot-cau-dai-kho-doan",
        "role": "admin", "scope": "con-cuong"}).status_code == 403


def test_the_api_creates_disables_and_resets_accounts(apps):
    token = new_token(browser(apps[0], "quantri"))
    api = apps[0].test_client()
    created = api.post("/api/users", headers=bearer(token), json={
        "username": "donvi-moi", "name": "Vi Thị Mới", "password": "mot-cau-dai-kho-doan",
        "role": "submitter", "scope": "mon-son"})
    assert created.status_code == 201, created.get_json()
    new_id = created.get_json()["id"]
    assert api.post(f"/api/users/{new_id}/disable", headers=bearer(token)).get_json()["disabled"]
    reset = api.post(f"/api/users/{new_id}/reset-password", headers=bearer(token)).get_json()
    assert len(reset["code"]) >= 12
    actions = [e["action"] for e in api.get("/api/users/log", headers=bearer(token)).get_json()["items"]]
    assert actions == ["password_reset", "disabled", "created"]
    assert sign_in(apps[0].test_client(), "donvi-moi", PASSWORD).status_code == 401


def test_an_administrator_issues_and_revokes_a_users_token_and_the_log_says_so(apps):
    admin = browser(apps[0], "quantri")
    hoa_id = user_id(apps, "donvi")
    page = f"/admin/users/{hoa_id}/tokens"
    shown = send(admin, page, page, name="máy chủ báo cáo")
    token = re.search(r'id="token" readonly value="([^"]+)"', shown.get_data(as_text=True)).group(1)
    assert apps[0].test_client().get("/api/submissions", headers=bearer(token)).status_code == 200
    listed = admin.get(page).get_data(as_text=True)
    assert "máy chủ báo cáo" in listed and token not in listed
    token_id = int(re.search(r'id="token-(\d+)"', listed).group(1))
    assert send(admin, f"{page}/{token_id}/revoke", page).status_code == 302
    assert apps[0].test_client().get("/api/submissions", headers=bearer(token)).status_code == 401
    log = admin.get("/admin/users/log").get_data(as_text=True)
    assert "đã cấp mã API" in log and "đã thu hồi mã API" in log
