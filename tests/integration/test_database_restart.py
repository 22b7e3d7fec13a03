"""PostgreSQL restarted while people work: while it is down they are asked, in their language,
to try again in a few seconds (503 with ``Retry-After``; JSON for the API), never shown a 500;
the first request once it is back succeeds, on a pool whose connections all died with it."""

from __future__ import annotations

import pytest

from intake_service.app import create_app
from shared.settings import from_env
from tests.integration.test_consumer_outages import postgres
from tests.support.engines import broker_in_use
from tests.support.people import add_people, bearer, browser, cast
from tests.support.stack import wait_for


@pytest.fixture
def app(intake_env):
    app = create_app(from_env())
    add_people(app.extensions["intake"].sessions, cast("donvi"))
    yield app
    app.extensions["intake"].engine.dispose()


def server_down() -> bool:
    import psycopg

    try:
        psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", connect_timeout=2).close()
    except psycopg.OperationalError:
        return True
    return False


@pytest.mark.parametrize("intake_env", ["real"], indirect=True)
def test_while_postgresql_restarts_people_get_503_in_their_language_and_2xx_once_it_is_back(app):
    api = app.test_client()
    token = bearer(app, "donvi")
    vietnamese, english = browser(app, "donvi"), browser(app, "donvi", lang="en")
    for client in (vietnamese, english):  # the pool holds connections that will die
        assert client.get("/submissions").status_code == 200
    assert api.get("/api/submissions", headers=token).status_code == 200

    with broker_in_use(exclusive=True):  # no other test process uses the engines meanwhile
        try:
            postgres("stop")
            wait_for(server_down, message="PostgreSQL stopped")
            page = vietnamese.get("/submissions")
            assert page.status_code == 503
            assert page.headers["Retry-After"] == "5"
            assert "Vui lòng thử lại sau vài giây" in page.get_data(as_text=True)
            assert "Thử lại" in page.get_data(as_text=True)
            page = english.get("/submissions")
            assert page.status_code == 503
            assert "Please try again in a few seconds" in page.get_data(as_text=True)
            answer = api.get("/api/submissions", headers=token)
            assert answer.status_code == 503
            assert answer.headers["Retry-After"] == "5"
            assert "try again" in answer.get_json()["error"] or "thử lại" in answer.get_json()["error"]
        finally:
            postgres("start", check=False)  # brings it back whatever happened

    # The very first request after the restart, on connections pooled before it, succeeds.
    assert vietnamese.get("/submissions").status_code == 200
    assert api.get("/api/submissions", headers=token).status_code == 200
    assert english.get("/submissions").status_code == 200
