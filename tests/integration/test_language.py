"""The interface speaks Vietnamese by default and English when the `lang` cookie asks for it.

Uses the intake web app on a SQLite file in a temporary directory (a copy of the migrated
template: signing in asks the database); no broker is involved.
"""

from __future__ import annotations

import pytest

from intake_service.app import create_app
from shared.settings import from_env
from tests.support import templates


@pytest.fixture
def app(tmp_path):
    settings = from_env({"DVK_DATA_DIR": str(tmp_path)})
    templates.clone("intake", "schema", settings.intake_database_url)
    app = create_app(settings)
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    yield app
    app.extensions["intake"].engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def test_login_page_is_vietnamese_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "<h1>Đăng nhập</h1>" in page
    assert "Tên đăng nhập" in page and "Mật khẩu" in page
    assert "Sign in" not in page


def test_login_page_is_english_with_the_cookie(client):
    client.set_cookie("lang", "en")
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "<h1>Sign in</h1>" in page
    assert "Username" in page and "Password" in page
    assert "Đăng nhập" not in page


def test_unknown_language_falls_back_to_vietnamese(client):
    client.set_cookie("lang", "fr")
    assert "<h1>Đăng nhập</h1>" in client.get("/login").get_data(as_text=True)


def test_switching_language_sets_the_cookie(client):
    response = client.get("/lang/en")
    assert response.status_code == 302
    assert client.get_cookie("lang").value == "en"
    assert "<h1>Sign in</h1>" in client.get("/login").get_data(as_text=True)


def test_messages_from_code_are_translated_too(client):
    response = client.post("/login", data={"username": "nobody", "password": "wrong"})
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)
    client.set_cookie("lang", "en")
    response = client.post("/login", data={"username": "nobody", "password": "wrong"})
    assert "The username or password is not correct." in response.get_data(as_text=True)
