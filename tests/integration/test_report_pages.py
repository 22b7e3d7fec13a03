"""The result report pages: figures typed the Vietnamese way, evidence judged by its content."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from intake_service.accounts.tables import User
from intake_service.periods import services as periods
from intake_service.results.tables import Evidence
from intake_service.submissions.tables import Submission
from shared.identity import Identity
from tests.support.people import browser, cast
from tests.support.web import csrf, running_apps

PEOPLE = cast("donvi", "donvi2", "admin")


@pytest.fixture
def apps(tmp_path):
    with running_apps(tmp_path, PEOPLE, {"DVK_EVIDENCE_MAX_MB": "1"}) as both:
        yield both


@pytest.fixture
def model(apps) -> int:
    """An approved model of donvi's, and an open half-year asking for results."""
    intake = apps[0].extensions["intake"]
    with intake.uow() as uow:
        donvi = uow.session.scalar(select(User.id).where(User.username == "donvi"))
        submission = Submission(kind="registration", title="Hiến đất làm đường bản Tạng",
                                title_key="hien dat lam duong ban tang", field="new_rural",
                                subject_type="collective", commune_code="mon-son",
                                submitter_id=donvi, status="approved")
        uow.session.add(submission)
        uow.commit()
        admin = Identity(3, "Quản trị", "admin", "con-cuong")
        today = date.today()
        periods.open_period(periods.OpenPeriod(admin, "H1", today.year, ("reports",),
                                               today - timedelta(days=5),
                                               today + timedelta(days=5)), uow)
        return submission.id


def signed_in(apps, username: str):
    return browser(apps[0], username)


def png(size=(400, 300)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def new_report(client, model: int, **values):
    page = client.get(f"/models/{model}/reports/new").get_data(as_text=True)
    period = re.search(r'<option value="(\d+)"', page).group(1)
    return client.post(f"/models/{model}/reports", data={
        "csrf_token": csrf(page), "period_id": period, "action": "draft", **values})


def test_bad_figures_come_back_with_what_to_fix_and_everything_typed(apps, model):
    unit = signed_in(apps, "donvi")
    response = new_report(unit, model, money_vnd="1.139.000.000", road_km="1.5",
                          households="-3", narrative="<script>alert('x')</script>")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="1.139.000.000"' in page and 'value="1.5"' in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "<script>alert(" not in page
    assert page.count('class="field-error"') == 2


def test_a_report_shows_its_figures_the_vietnamese_way_and_keeps_a_photo(apps, model):
    unit = signed_in(apps, "donvi")
    saved = new_report(unit, model, money_vnd="1139000000", land_m2="9.952", road_km="1,5")
    assert saved.status_code == 302
    report_url = saved.headers["Location"].split("?")[0]
    page = unit.get(report_url).get_data(as_text=True)
    assert "1.139.000.000 đ" in page and "9.952 m²" in page and "1,5 km" in page

    report_id = int(report_url.rsplit("/", 1)[1])
    token = csrf(page)
    kept = unit.post(f"/reports/{report_id}/evidence", follow_redirects=True,
                     data={"csrf_token": token, "files": (io.BytesIO(png()), "ảnh hiện trường.png")},
                     content_type="multipart/form-data")
    assert "ảnh hiện trường.png" in kept.get_data(as_text=True)
    disguised = unit.post(f"/reports/{report_id}/evidence", follow_redirects=True,
                          data={"csrf_token": token,
                                "files": (io.BytesIO(b"<?php system($_GET['c']); ?>"), "anh.jpg")},
                          content_type="multipart/form-data")
    assert 'class="flash error"' in disguised.get_data(as_text=True)
    oversized = unit.post(f"/reports/{report_id}/evidence", follow_redirects=True,
                          data={"csrf_token": token,
                                "files": (io.BytesIO(png() + b"\0" * 1_100_000), "to.png")},
                          content_type="multipart/form-data")
    assert "1 MB" in oversized.get_data(as_text=True)
    beyond_the_request_cap = unit.post(
        f"/reports/{report_id}/evidence", follow_redirects=True,
        data={"csrf_token": token, "files": (io.BytesIO(b"\0" * 4_000_000), "video.png")},
        content_type="multipart/form-data")
    assert beyond_the_request_cap.status_code == 200
    assert "1 MB" in beyond_the_request_cap.get_data(as_text=True)

    with apps[0].extensions["intake"].sessions() as db:
        files = list(db.scalars(select(Evidence)))
    assert [(f.filename, f.content_type) for f in files] == [("ảnh hiện trường.png", "image/png")]
    with unit.get(f"/evidence/{files[0].id}") as photo:
        assert photo.headers["Content-Type"] == "image/png"
        assert photo.headers["X-Content-Type-Options"] == "nosniff"
        assert photo.get_data() == png()
    assert unit.get(f"/evidence/{files[0].id}/thumbnail").status_code == 404  # not made yet
    assert signed_in(apps, "donvi2").get(f"/evidence/{files[0].id}").status_code == 404
    assert signed_in(apps, "donvi2").get(report_url).status_code == 404


def test_another_unit_cannot_report_on_a_model_that_is_not_its_own(apps, model):
    other = signed_in(apps, "donvi2")
    assert other.get(f"/models/{model}/reports/new").status_code == 404
    assert other.get(f"/models/{model}/amend").status_code == 404


def test_a_period_that_does_not_ask_for_results_is_refused_by_name(apps, model):
    response = new_report(signed_in(apps, "donvi"), model, period_id="999", households="12")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="period_id-error"' in page and 'value="12"' in page
