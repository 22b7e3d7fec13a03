"""After signing in, a unit goes where the link asked only if that is one of our own pages."""

from __future__ import annotations

import pytest

from tests.support.people import PASSWORD
from tests.support.web import csrf


def sign_in_via(client, next_target: str):
    page = client.get("/login", query_string={"next": next_target}).get_data(as_text=True)
    return client.post("/login", query_string={"next": next_target}, data={
        "csrf_token": csrf(page), "username": "donvi", "password": PASSWORD})


def test_a_link_to_one_of_our_pages_is_followed_after_signing_in(apps):
    response = sign_in_via(apps[0].test_client(), "/submissions/new")
    assert response.status_code == 302
    assert response.headers["Location"] == "/submissions/new"


@pytest.mark.parametrize("target", ["/\\evil.example", "/%5Cevil.example", "//evil.example",
                                    "https://evil.example/", "/\t/evil.example", "javascript:alert(1)"])
def test_a_link_elsewhere_lands_on_the_home_page_instead(apps, target):
    response = sign_in_via(apps[0].test_client(), target)
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"] and "javascript" not in response.headers["Location"]
    assert response.headers["Location"] == "/"


def test_switching_language_goes_back_only_to_our_own_pages(apps):
    client = apps[0].test_client()
    assert client.get("/lang/en", headers={"Referer": "http://localhost/login"}) \
        .headers["Location"] == "http://localhost/login"
    assert client.get("/lang/en", headers={"Referer": "http://evil.example/"}).headers["Location"] == "/"
