"""API tokens one by one, sessions that end on their own, and throttling nobody can turn against
someone else."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import select

from intake_service.accounts.tables import ApiToken
from intake_service.tables import outbox
from review_service.consumer import handler
from shared import clock, events, tokens
from shared.web.auth import MAX
from tests.support.people import PASSWORD, browser, carried, sign_in
from tests.support.web import csrf


def new_token(client, name: str = "báo cáo tuần") -> str:
    page = client.get("/account").get_data(as_text=True)
    shown = client.post("/account/token", data={"csrf_token": csrf(page), "name": name})
    assert shown.status_code == 200
    return re.search(r'id="token" readonly value="([^"]+)"', shown.get_data(as_text=True)).group(1)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def deliver_intakes_events(apps) -> None:
    """What the relay and review's consumer would do: intake's outbox reaches review."""
    with apps[0].extensions["intake"].sessions() as db:
        bodies = db.execute(select(outbox.c.body)).scalars().all()
    handle = handler(apps[1].extensions["review"])
    for body in bodies:
        handle(events.decode(json.loads(body)))


def test_a_token_is_named_listed_with_its_expiry_and_last_use_and_stored_only_hashed(apps):
    hoa = browser(apps[0], "donvi")
    token = new_token(hoa)
    assert apps[0].test_client().get("/api/submissions", headers=bearer(token)).status_code == 200
    with apps[0].extensions["intake"].sessions() as db:
        row = db.scalar(select(ApiToken))
    assert row.name == "báo cáo tuần" and row.last_used_at is not None
    assert row.token_hash == tokens.digest(token) and token not in row.token_hash
    assert timedelta(days=89) < row.expires_at - clock.now() <= timedelta(days=90)
    page = hoa.get("/account").get_data(as_text=True)
    assert "báo cáo tuần" in page and row.expires_at.strftime("%d/%m/%Y") in page
    assert token not in page  # shown once, when it was made


def test_a_revoked_token_stops_at_once_on_intake_and_on_review_once_its_event_arrives(apps):
    hoa = browser(apps[0], "donvi")
    kept, revoked = new_token(hoa, "giữ lại"), new_token(hoa, "thu hồi")
    review = apps[1].test_client()
    with apps[0].extensions["intake"].sessions() as db:
        token_id = db.scalar(select(ApiToken.id).where(ApiToken.name == "thu hồi"))
    page = hoa.get("/account").get_data(as_text=True)
    assert hoa.post(f"/account/tokens/{token_id}/revoke",
                    data={"csrf_token": csrf(page)}).status_code == 302

    intake = apps[0].test_client()
    assert intake.get("/api/submissions", headers=bearer(revoked)).status_code == 401
    assert intake.get("/api/submissions", headers=bearer(kept)).status_code == 200
    deliver_intakes_events(apps)
    assert review.get("/api/items/1", headers=bearer(revoked)).status_code == 401
    assert review.get("/api/items/1", headers=bearer(kept)).status_code == 404  # signed in
    assert "thu hồi" in hoa.get("/account").get_data(as_text=True)


def test_nobody_revokes_someone_elses_token_but_an_administrator_may(apps):
    token = new_token(browser(apps[0], "donvi"))
    with apps[0].extensions["intake"].sessions() as db:
        token_id = db.scalar(select(ApiToken.id))
    other = browser(apps[0], "donvi2")
    assert other.post(f"/api/tokens/{token_id}/revoke",
                      headers=bearer(new_token(other))).status_code == 404
    admin_token = new_token(browser(apps[0], "quantri"))
    listed = apps[0].test_client().get("/api/users/1/tokens", headers=bearer(admin_token))
    assert [t["name"] for t in listed.get_json()["items"]] == ["báo cáo tuần"]
    assert apps[0].test_client().post(f"/api/tokens/{token_id}/revoke",
                                      headers=bearer(admin_token)).status_code == 200
    assert apps[0].test_client().get("/api/submissions", headers=bearer(token)).status_code == 401


def test_expired_and_old_untimed_tokens_are_refused_by_both_services(apps):
    from itsdangerous import URLSafeSerializer

    from intake_service.accounts.services import identity_of
    from intake_service.accounts.tables import User

    with apps[0].extensions["intake"].sessions() as db:
        hoa = identity_of(db.scalar(select(User).where(User.username == "donvi")))
    secret = apps[0].config["SECRET_KEY"]
    expired = tokens.issue(secret, hoa, expires_at=clock.now() - timedelta(seconds=1))
    untimed = URLSafeSerializer(secret, salt="dvk-api-token").dumps(hoa.to_session())
    for app in apps:
        for token in (expired, untimed):
            assert app.test_client().get("/api/queue" if app is apps[1] else "/api/submissions",
                                         headers=bearer(token)).status_code == 401


def test_a_session_ends_after_its_absolute_lifetime_however_busy(apps):
    hoa = browser(apps[0], "donvi")
    assert hoa.get("/account").status_code == 200
    apps[0].config[MAX] = timedelta(seconds=-1)
    try:
        assert hoa.get("/account").status_code == 302  # back to sign in
    finally:
        apps[0].config[MAX] = timedelta(hours=8)


def test_a_session_left_unused_past_its_idle_time_ends(apps):
    from shared.web.auth import IDLE

    hoa = browser(apps[0], "donvi")
    at_review = carried(hoa, apps[1])
    assert at_review.get("/api/queue").status_code != 401
    apps[0].config[IDLE] = apps[1].config[IDLE] = timedelta(seconds=-1)
    try:
        assert hoa.get("/account").status_code == 302
        assert at_review.get("/api/queue").status_code == 401  # review ends it just the same
    finally:
        apps[0].config[IDLE] = apps[1].config[IDLE] = timedelta(minutes=30)


def failing(client, username: str, address: str):
    token = csrf(client.get("/login", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True))
    return client.post("/login", environ_base={"REMOTE_ADDR": address},
                       data={"csrf_token": token, "username": username, "password": "sai-mat-khau"})


def test_a_strangers_failures_do_not_keep_the_user_out_from_another_address(apps):
    stranger = apps[0].test_client()
    answers = [failing(stranger, "donvi", "203.0.113.9").status_code for _ in range(7)]
    assert answers[:5] == [401] * 5 and answers[5:] == [429, 429]  # the stranger is slowed down

    hoa = apps[0].test_client()
    token = csrf(hoa.get("/login", environ_base={"REMOTE_ADDR": "198.51.100.4"}).get_data(as_text=True))
    signed_in = hoa.post("/login", environ_base={"REMOTE_ADDR": "198.51.100.4"}, data={
        "csrf_token": token, "username": "donvi", "password": PASSWORD})
    assert signed_in.status_code == 302  # the right password from her own address still works


def test_an_address_failing_against_many_accounts_is_slowed_down(apps):
    client = apps[0].test_client()
    answers = [failing(client, f"nguoi-{n}", "203.0.113.20").status_code for n in range(21)]
    assert answers[:20] == [401] * 20 and answers[20] == 429


def test_the_refusal_reads_the_same_whether_the_username_exists_or_not(apps):
    client = apps[0].test_client()
    refusals = []
    for username, address in (("donvi", "203.0.113.10"), ("khong-ai-ca", "203.0.113.11")):
        for _ in range(5):
            failing(client, username, address)
        refused = failing(client, username, address)
        assert refused.status_code == 429
        refusals.append(refused.get_data(as_text=True).replace(username, ""))
    assert refusals[0] == refusals[1]


def test_a_wrong_current_password_is_throttled_like_a_sign_in(apps):
    hoa = browser(apps[0], "donvi")
    answers = []
    for _ in range(6):
        page = hoa.get("/account").get_data(as_text=True)
        answers.append(hoa.post("/account/password", data={
            "csrf_token": csrf(page), "current": "sai", "new": "mot-mat-khau-moi-dai",
            "confirm": "mot-mat-khau-moi-dai"}).status_code)
    assert answers == [422] * 5 + [429]
    assert sign_in(apps[0].test_client(), "donvi").status_code == 302  # her sign-in is untouched
