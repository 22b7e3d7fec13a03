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


@pytest.mark.parametrize("target", ["/\\evil.example", "/%5Cevil.example", "//evil.example",
                                    "/\t/evil.example"])
def test_after_claiming_an_item_a_reviewer_is_sent_back_only_to_our_own_pages(apps, person, target):
    from sqlalchemy import select

    from review_service.queue.tables import ReviewItem
    from tests.integration.test_committee import at_committee

    at_committee(apps[1], 1, "Bản Khe Ló không có ma túy")
    with apps[1].extensions["review"].uow() as uow:
        item = uow.session.scalar(select(ReviewItem))
        item.stage, item_id, version = "commune", item.id, item.version
        uow.commit()
    reviewer = person("xa")
    page = reviewer.get(f"/items/{item_id}").get_data(as_text=True)
    claimed = reviewer.post(f"/items/{item_id}/claim", data={
        "csrf_token": csrf(page), "version": str(version), "next": target})
    assert claimed.status_code == 302
    assert claimed.headers["Location"] == f"/items/{item_id}"
