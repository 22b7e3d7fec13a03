"""A user who signs out everywhere is signed out of both services, browsers and API tokens alike.

Intake refuses an old session or token at once; review does as soon as the
``sessions_revoked`` event has reached it through the broker (polled here).
"""

from __future__ import annotations

import re

from intake_service.directory.con_cuong import DISTRICT_CODE
from intake_service.manage import DEMO_PASSWORD
from shared import tokens
from shared.identity import Identity
from tests.support.stack import wait_for
from tests.support.web import csrf

ADMIN = Identity(7, "Quản trị hệ thống", "admin", DISTRICT_CODE)  # the demo seed's seventh user


def signed_in(system, username: str, password: str = DEMO_PASSWORD):
    """A browser signed in at intake, and the same browser's cookie carried to review."""
    browser = system.intake.application.test_client()
    token = csrf(browser.get("/login").get_data(as_text=True))
    response = browser.post("/login", data={"csrf_token": token, "username": username,
                                            "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return browser, browser.get_cookie("dvk_session").value


def with_cookie(app_client, cookie: str):
    client = app_client.application.test_client()
    client.set_cookie("dvk_session", cookie)
    return client


def api_token(browser) -> str:
    page = browser.get("/account").get_data(as_text=True)
    shown = browser.post("/account/token", data={"csrf_token": csrf(page), "name": "báo cáo"})
    assert shown.headers["Cache-Control"] == "no-store"
    return re.search(r'id="token" readonly value="([^"]+)"', shown.get_data(as_text=True)).group(1)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def works_everywhere(system, cookie: str, token: str) -> bool:
    return (with_cookie(system.intake, cookie).get("/submissions").status_code == 200
            and with_cookie(system.review, cookie).get("/queue").status_code == 200
            and system.intake.get("/api/submissions", headers=bearer(token)).status_code == 200
            and system.review.get("/api/queue", headers=bearer(token)).status_code == 200)


def refused_by_review(system, cookie: str, token: str) -> bool:
    page = with_cookie(system.review, cookie).get("/queue")
    api = system.review.get("/api/queue", headers=bearer(token))
    return page.status_code == 302 and "/login" in page.headers["Location"] \
        and api.status_code == 401


def test_after_signing_out_everywhere_old_sessions_and_tokens_fail_on_both_services(system):
    browser, old_cookie = signed_in(system, "xa")
    old_token = api_token(browser)
    assert works_everywhere(system, old_cookie, old_token)

    page = browser.get("/account").get_data(as_text=True)
    left = browser.post("/account/sign-out-everywhere", data={"csrf_token": csrf(page)})
    assert left.status_code == 302 and left.headers["Location"].endswith("/login")

    stale = with_cookie(system.intake, old_cookie).get("/submissions")
    assert stale.status_code == 302 and "/login" in stale.headers["Location"]
    refused = system.intake.get("/api/submissions", headers=bearer(old_token))
    assert refused.status_code == 401 and refused.get_json()["error"]
    wait_for(lambda: refused_by_review(system, old_cookie, old_token), timeout=20,
             message="review refusing the signed-out session and token")

    _browser, new_cookie = signed_in(system, "xa")
    new_token = api_token(_browser)
    assert works_everywhere(system, new_cookie, new_token)


def test_changing_the_password_keeps_this_browser_and_signs_out_every_other(system):
    here, _cookie = signed_in(system, "xa2")
    _there, other_cookie = signed_in(system, "xa2")
    page = here.get("/account").get_data(as_text=True)

    wrong = here.post("/account/password", data={"csrf_token": csrf(page), "current": "sai",
                                                 "new": "ngan", "confirm": "ngan"})
    assert wrong.status_code == 422
    assert with_cookie(system.review, other_cookie).get("/queue").status_code == 200

    changed = here.post("/account/password", data={
        "csrf_token": csrf(page), "current": DEMO_PASSWORD, "new": "mat-khau-moi-2025",
        "confirm": "mat-khau-moi-2025"})
    assert changed.status_code == 302
    assert here.get("/submissions").status_code == 200
    assert with_cookie(system.intake, other_cookie).get("/submissions").status_code == 302
    wait_for(lambda: with_cookie(system.review, other_cookie).get("/queue").status_code == 302,
             message="review refusing the other browser after the password change")
    assert with_cookie(system.review, here.get_cookie("dvk_session").value) \
        .get("/queue").status_code == 200
    signed_in(system, "xa2", "mat-khau-moi-2025")


def test_an_administrator_signs_a_user_out_everywhere_through_the_api(system):
    _browser, cookie = signed_in(system, "huyen")
    admin = bearer(tokens.issue(system.settings.secret_key, ADMIN))

    refused = system.intake.post("/api/users/5/sign-out-everywhere", headers=system.auth("bcd"))
    assert refused.status_code == 403
    assert system.intake.post("/api/users/999/sign-out-everywhere",
                              headers=admin).status_code == 404
    done = system.intake.post("/api/users/5/sign-out-everywhere", headers=admin)
    assert done.status_code == 200 and done.get_json() == {"user_id": 5, "epoch": 1}

    assert system.intake.get("/api/submissions", headers=system.auth("huyen")).status_code == 401
    wait_for(lambda: with_cookie(system.review, cookie).get("/queue").status_code == 302,
             message="review refusing the signed-out district reviewer")
    assert system.review.get("/api/queue", headers=system.auth("huyen")).status_code == 401
    assert system.review.get("/api/queue", headers=system.auth("bcd"),
                             query_string={"stage": "committee"}).status_code == 200
