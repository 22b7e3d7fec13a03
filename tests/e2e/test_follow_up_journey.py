"""After approval, in a real browser: the unit amends its model and reports results with a photo.

The amendment is reviewed like a submission and, once approved, renames the model; the
result report carries exact Vietnamese figures and a photo whose thumbnail the worker makes.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from PIL import Image
from playwright.sync_api import expect

from tests.e2e.test_browser_journey import approve, open_from_queue, register, reload_until
from tests.e2e.test_committee_journey import committee_approves

TITLE = "Dân vận khéo hiến đất làm đường bản Thái Sơn"
NEW_TITLE = "Dân vận khéo hiến đất làm đường bê tông bản Thái Sơn"


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (30, 110, 50)).save(buffer, "JPEG")
    return buffer.getvalue()


def open_report_period(page, site) -> None:
    """The administrator opens this half-year for result reports."""
    today = date.today()
    page.goto(f"{site.intake}/periods")
    page.select_option("#kind", "H1")
    page.fill("#year", str(today.year))
    page.check("input[name=due_items][value=reports]")
    page.fill("#opens_on", (today - timedelta(days=10)).isoformat())
    page.fill("#deadline", (today + timedelta(days=20)).isoformat())
    page.locator("main form.card button[type=submit]").click()
    expect(page.locator(".flash")).to_be_visible()


def test_a_unit_amends_an_approved_model_and_reports_its_results_with_a_photo(site, people, vi):
    unit, commune = people("donvi"), people("xa")
    model_url = register(unit, site, TITLE)
    for reviewer, stage in (("xa", vi("Commune")), ("huyen", vi("District"))):
        approve(people(reviewer), site, TITLE, stage, vi)
    committee_approves(people, site, TITLE)
    reload_until(unit, model_url, unit.locator("#amend"), "the amend button on an approved model")

    # Amend: a new name, with the reason; the approved name stands until review approves it.
    unit.locator("#amend").click()
    unit.fill("#title", NEW_TITLE)
    unit.fill("#reason", "Bổ sung loại đường cho đúng thực tế")
    unit.locator("button[name=action][value=submit]").click()
    expect(unit.locator("#amendment-diff tr[data-change=title] td.before")).to_have_text(TITLE)
    expect(unit.locator("#amendment-diff tr[data-change=title] td.after")).to_have_text(NEW_TITLE)

    open_from_queue(commune, site, NEW_TITLE, vi("Commune"))
    expect(commune.locator("#amendment-reason")).to_contain_text("Bổ sung loại đường")
    expect(commune.locator("#amendment-diff td.before")).to_have_text(TITLE)
    commune.locator("button[name=decision][value=approve]").click()
    approve(people("huyen"), site, NEW_TITLE, vi("District"), vi)
    committee_approves(people, site, NEW_TITLE)
    reload_until(unit, model_url, unit.locator("h1", has_text=NEW_TITLE), "the amended name")

    # Report results: a figure written the English way is refused, and nothing typed is lost.
    open_report_period(people("admin"), site)
    unit.goto(model_url)
    unit.locator("#report-results").click()
    unit.fill("#money_vnd", "1.139.000.000")
    unit.fill("#road_km", "1.5")
    unit.fill("#narrative", "Nhân dân hiến 9.952 m² đất")
    unit.locator("button[name=action][value=draft]").click()
    expect(unit.locator("#road_km-error")).to_have_text(
        vi("Enter the number the Vietnamese way, for example 9.952 or 1,5."))
    expect(unit.locator("#money_vnd")).to_have_value("1.139.000.000")
    expect(unit.locator("#narrative")).to_have_value("Nhân dân hiến 9.952 m² đất")
    unit.fill("#road_km", "1,5")
    unit.locator("button[name=action][value=draft]").click()
    expect(unit.locator("#figure-road_km")).to_have_text("1,5 km")
    report_url = unit.url.split("?")[0]

    unit.set_input_files("#files", {"name": "duong-moi.jpg", "mimeType": "image/jpeg",
                                    "buffer": photo()})
    unit.locator("#evidence-form button[type=submit]").click()
    expect(unit.locator(".flash").first).to_contain_text("duong-moi.jpg")
    reload_until(unit, report_url, unit.locator("#evidence img"), "the photo's thumbnail")
    unit.locator("#status button[type=submit]", has_text=vi("Submit for review")).click()
    expect(unit.locator("#current-status")).to_have_class(re.compile(r"\b(submitted|in_review)\b"))

    open_from_queue(commune, site, NEW_TITLE, vi("Commune"))
    expect(commune.locator("#figure-money_vnd")).to_have_text("1.139.000.000 đ")
    expect(commune.locator("#figure-road_km")).to_have_text("1,5 km")
    thumbnail = commune.locator("#evidence img")
    expect(thumbnail).to_have_attribute("alt", "duong-moi.jpg")
    assert thumbnail.evaluate("image => image.complete && image.naturalWidth > 0")
