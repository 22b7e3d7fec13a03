"""Approval chains in practice: chosen by the rules in force, changed by an administrator,
kept by items in flight, and the two-level configuration from commune straight to province."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from review_service.queue import services as review_services
from review_service.queue.domain import Decision
from review_service.queue.tables import ReviewItem
from shared import events
from shared.identity import Identity
from tests.integration.system import submitted_event
from tests.support.people import at_review, cast
from tests.support.web import csrf, running_apps, sign_in

PEOPLE = cast("quantri", "xa", "huyen")
XA = Identity(2, "Lương Văn Thắng", "commune_reviewer", "mon-son")
TINH = Identity(9, "Vi Thị Hằng", "province_reviewer", "nghe-an")


def submit(review_app, number: int, **payload) -> ReviewItem:
    review = review_app.extensions["review"]
    with review.uow() as uow:
        review_services.on_submitted(events.decode(submitted_event(number, **payload)), uow,
                                     review.chain_config)
        uow.commit()
    with review.sessions() as db:
        return db.scalar(select(ReviewItem).where(ReviewItem.submission_id == number))


def decide(review_app, item: ReviewItem, user: Identity, decision=Decision.APPROVE) -> ReviewItem:
    review = review_app.extensions["review"]
    with review.uow() as uow:
        review_services.decide(review_services.Decide(user, item.id, decision, "", item.version), uow)
    with review.sessions() as db:
        return db.get(ReviewItem, item.id)


def admin_page(apps):
    return at_review(apps, "quantri", lang="en")  # the problems are read in English here


def save(client, config: str, based_on: int | None = None):
    page = client.get("/admin/chains").get_data(as_text=True)
    version = based_on if based_on is not None else int(
        page.split('name="based_on" value="')[1].split('"')[0])
    return client.post("/admin/chains", data={"csrf_token": csrf(page), "config": config,
                                              "based_on": version})


@pytest.fixture
def people():
    return PEOPLE


def test_the_kind_of_submission_chooses_its_chain(apps):
    registration = submit(apps[1], 1)
    report = submit(apps[1], 2, kind="result_report")
    assert (registration.chain, registration.stage) == ("commune,district,committee", "commune")
    assert report.chain == "commune,district"
    assert registration.chain_version == report.chain_version == 0  # as shipped


def test_an_administrators_change_applies_to_new_items_and_old_ones_finish_as_they_started(apps):
    before = submit(apps[1], 1)
    client = admin_page(apps)
    saved = save(client, '{"default": ["district", "committee"], "rules": []}')
    assert saved.status_code == 302
    assert "district" in client.get("/admin/chains").get_data(as_text=True)

    after = submit(apps[1], 2)
    assert (after.stage, after.chain, after.chain_version) == ("district", "district,committee", 1)
    moved = decide(apps[1], before, XA)
    assert (moved.stage, moved.chain, moved.chain_version) == (
        "district", "commune,district,committee", 0)


def test_a_broken_configuration_is_refused_with_every_reason_and_the_text_kept(apps):
    client = admin_page(apps)
    text = '{"default": ["commune", "mayor"], "rules": [{"when": {"colour": "red"}, "stages": []}]}'
    refused = save(client, text)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "unknown stage mayor" in page and "unknown condition colour" in page
    assert "&#34;mayor&#34;" in page or "&quot;mayor&quot;" in page  # the text, escaped, is kept
    assert submit(apps[1], 1).chain == "commune,district,committee"  # nothing changed


def test_the_reasons_are_read_in_the_readers_language_nested_parts_too(apps):
    client = admin_page(apps)
    client.set_cookie("lang", "vi")
    text = '{"default": [], "rules": [{"when": {"kind": "amendment"}, "stages": ["commune", "commune"]}]}'
    page = save(client, text).get_data(as_text=True)
    assert "quy trình mặc định: quy trình cần ít nhất một cấp xét duyệt" in page
    assert "quy tắc 1: một cấp xét duyệt xuất hiện hai lần" in page


def test_two_administrators_saving_from_the_same_version_do_not_overwrite_each_other(apps):
    client = admin_page(apps)
    assert save(client, '{"default": ["commune", "district"]}', based_on=0).status_code == 302
    assert save(client, '{"default": ["district"]}', based_on=0).status_code == 409


def test_only_an_administrator_reads_or_changes_the_chains(apps):
    intake, review = apps
    at_intake = intake.test_client()
    assert sign_in(at_intake, "huyen").status_code == 302
    token = csrf(at_intake.get("/login").get_data(as_text=True))
    client = review.test_client()
    client.set_cookie("dvk_session", at_intake.get_cookie("dvk_session").value)
    assert client.get("/admin/chains").status_code == 403
    assert client.post("/admin/chains", data={"csrf_token": token, "config": "{}",
                                              "based_on": 0}).status_code == 403


def test_two_level_government_goes_from_commune_straight_to_the_province(tmp_path):
    with running_apps(tmp_path, PEOPLE, {"DVK_CHAIN_CONFIG": "two-level"}) as (_intake, review):
        item = submit(review, 1, commune_code="mon-son-2025", commune_name="Xã Môn Sơn",
                      district_code="nghe-an")
        assert item.chain == "commune,province"
        at_province = decide(review, item, Identity(3, "Lê Văn Xã", "commune_reviewer",
                                                     "mon-son-2025"))
        assert at_province.stage == "province"
        with review.extensions["review"].sessions() as db:
            queue = review_services.queue(db, TINH, review_services.QueueFilter(stage="province"))
            assert [i.id for i in queue] == [item.id]
            district = Identity(5, "Ngân Thị Mai", "district_reviewer", "con-cuong")
            assert review_services.queue(db, district, review_services.QueueFilter(
                stage="province")) == []
        done = decide(review, at_province, TINH)
        assert done.status == "approved"
