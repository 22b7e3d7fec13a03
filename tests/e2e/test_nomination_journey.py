"""From an exemplar to an award dossier, through an inspection on site.

A unit's model is approved by commune and district, and the steering committee votes it an
exemplar: that proposes an award nomination, and the nomination asks for an inspection. The
task goes to the team covering the model's commune, without the team's member who lives
there (conflict of interest). The inspector fills the checklist on a phone-sized page, keeps
a photo, and concludes. Verified: the nomination moves on and its dossier is made and
downloaded. Not verified (typed through a dropped connection): the nomination goes back to
the committee with the findings. The unit sees the inspection's outcome on its model.
"""

from __future__ import annotations

import io
import re

from docx import Document
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.test_browser_journey import POLL_MS, reload_until
from tests.e2e.test_committee_journey import cast, close, to_committee

TEAM = "Đoàn kiểm tra số 1 huyện Con Cuông"
PHONE = {"width": 390, "height": 844}


def photo(folder) -> str:
    """A photo as a phone camera would leave it."""
    path = folder / "hien-truong.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 130, 70)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def team_covering_mon_son(people, site) -> None:
    """The administrator sets up the team (once): Kiểm of Yên Khê, and Thắng of Môn Sơn."""
    people("kiemtra").goto(f"{site.review}/inspections")  # review now knows the inspector
    people("xa").goto(f"{site.review}/queue")  # and the commune reviewer
    admin = people("admin")
    admin.locator(f"header nav a[href='{site.review}/inspections']").click()
    admin.locator("#teams-link").click()
    expect(admin).to_have_url(f"{site.review}/admin/inspection-teams")
    if admin.locator("#teams a", has_text=TEAM).count():
        return
    reload_until(admin, admin.url, admin.locator("#team-communes input[value='mon-son']"),
                 "the district's communes, from intake's directory")
    admin.fill("#name", TEAM)
    admin.check("#team-communes input[value='mon-son']")
    admin.locator("#new-team button[type=submit]").click()
    expect(admin.locator("h1")).to_have_text(TEAM)
    for who, home in (("Kha Văn Kiểm", "yen-khe"), ("Lương Văn Thắng", "mon-son")):
        known = admin.locator("#known_id option", has_text=who).get_attribute("value")
        admin.select_option("#known_id", known)
        admin.select_option("#home_commune", home)
        admin.locator("#add-member button[type=submit]").click()
        expect(admin.locator("#members")).to_contain_text(who)


def exemplar(people, site, model: str, vi) -> str:
    """The model goes through commune and district; the committee votes it an exemplar."""
    status_page = to_committee(people, site, model, vi)
    chair = people("chutich")
    chair.goto(f"{site.review}/committee")
    reload_until(chair, f"{site.review}/committee",
                 chair.locator("#waiting-count", has_text=re.compile(r"^[1-9]\d*$")),
                 "the model waiting at the committee stage")
    chair.fill("#title", f"Phiên họp xét điển hình: {model}")
    chair.fill("#meeting_date", "2026-12-15")
    chair.fill("#member_count", "3")
    chair.locator("#new-session button[type=submit]").click()
    entry = chair.locator(".agenda-entry", has_text=model)
    entry.locator("select[name=decision_type]").select_option("exemplar")
    entry.locator("button[type=submit]").click()
    expect(chair.locator(".agenda-entry", has_text=model).locator("select[name=decision_type]")
           ).to_have_value("exemplar")
    chair.locator("#open-vote").click()
    session_url = chair.url
    for member in ("chutich", "bcd", "bcd2"):
        cast(people(member), session_url, model, "approve")
    close(chair, session_url)
    expect(chair.locator(".agenda-entry", has_text=model).locator(".exemplar")).to_be_visible()
    return status_page


def inspect(people, site, model: str, outcome: str, answer: str, findings: str,
            tmp_path, drop_connection: bool = False) -> None:
    """The inspector, on a phone, finds the task, keeps a photo and concludes."""
    inspector = people.context("kiemtra").new_page()
    inspector.set_viewport_size(PHONE)
    reload_until(inspector, f"{site.review}/inspections",
                 inspector.locator(".task-row a", has_text=model), f"«{model}» among my inspections")
    inspector.locator(".task-row a", has_text=model).click()
    expect(inspector.locator("h1")).to_have_text(model)
    expect(inspector.locator("#task-team")).to_have_text(TEAM)
    expect(inspector.locator("#inspectors")).to_contain_text("Kha Văn Kiểm")
    expect(inspector.locator("#inspectors")).not_to_contain_text("Lương Văn Thắng")  # of Môn Sơn
    inspector.set_input_files("#files", photo(tmp_path))
    inspector.locator("#upload button[type=submit]").click()
    expect(inspector.locator("#evidence-files img")).to_have_count(1)
    for select in inspector.locator("#checklist select").all():
        select.select_option(answer)
    inspector.fill("#findings", findings)
    if drop_connection:  # a mountain commune: the page is lost, what was typed is not
        task_url = inspector.url.split("#")[0]
        inspector.wait_for_function("""async () => !!navigator.serviceWorker.controller
            && !!(await (await caches.open('dvk-pages')).match(location.href))""")
        people.context("kiemtra").set_offline(True)
        inspector.wait_for_function("!navigator.onLine")
        inspector.reload()  # the page kept for offline use opens, with what was typed
        expect(inspector.locator("#findings")).to_have_value(findings)
        people.context("kiemtra").set_offline(False)
        inspector.goto(task_url)
        expect(inspector.locator("#findings")).to_have_value(findings)
        expect(inspector.locator("#checklist select").first).to_have_value(answer)
    inspector.select_option("#outcome", outcome)
    inspector.locator("#conclude-button").click()
    expect(inspector.locator("#task-status")).to_have_class(re.compile(rf"\b{outcome}\b"))
    expect(inspector.locator("#findings-text")).to_have_text(findings)
    key = inspector.locator("#conclusion").get_attribute("data-saved")
    # Nothing left over: the saved page clears the kept form once its scripts have run (a page
    # can show before they do), so wait for that; if it never happens this fails after WAIT_MS.
    inspector.wait_for_function(
        "key => !Object.keys(localStorage).some(k => k.startsWith('dvk:') && k.endsWith(':' + key))",
        arg=key)
    inspector.close()


def nomination_of(page: Page, site, model: str, status: str) -> None:
    """Open the model's nomination once it has reached ``status``."""
    row = page.locator(f"#nominations tr[data-status='{status}']", has_text=model)
    reload_until(page, f"{site.review}/nominations", row,
                 f"the nomination of «{model}» {status}")
    row.locator("a").first.click()
    expect(page.locator("#nomination-status")).to_have_attribute("data-status", status)


def test_a_verified_exemplar_gets_its_award_dossier(site, people, vi, tmp_path):
    model = "Hội LHPN xã Môn Sơn vận động hiến đất làm đường bản Xiềng"
    team_covering_mon_son(people, site)
    status_page = exemplar(people, site, model, vi)

    inspect(people, site, model, "verified", "met",
            "Mô hình hoạt động đều, 12 hộ hiến 950 m² đất; sổ sách đầy đủ.", tmp_path)

    mai = people("huyen")
    nomination_of(mai, site, model, "verified")
    expect(mai.locator("#inspection-outcome")).to_have_attribute("data-outcome", "verified")
    mai.locator("#make-dossier").click()
    expect(mai.locator("#dossier-progress")).to_have_attribute("data-status", "done",
                                                               timeout=POLL_MS * 4)
    with mai.expect_download() as download:
        mai.locator("#download-docx").click()
    document = Document(download.value.path())
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert model in text

    hoa = people("donvi")
    reload_until(hoa, status_page, hoa.locator("#inspection-outcome"),
                 "the inspection's outcome on the unit's model")
    expect(hoa.locator("#inspection-outcome")).to_have_text(vi("Verified"))


def test_a_model_not_verified_goes_back_to_the_committee_with_the_findings(
        site, people, vi, tmp_path):
    model = "Đoàn thanh niên xã Môn Sơn thắp sáng đường quê bản Cò Phạt"
    team_covering_mon_son(people, site)
    status_page = exemplar(people, site, model, vi)

    findings = "Không thấy đèn nào được lắp tại bản Cò Phạt; chưa có sổ sách."
    inspect(people, site, model, "not_verified", "not_met", findings, tmp_path,
            drop_connection=True)

    chair = people("chutich")
    nomination_of(chair, site, model, "proposed")
    expect(chair.locator("#returned")).to_contain_text(findings)
    expect(chair.locator("#submit-for-decision")).to_have_count(0)  # cannot go forward

    hoa = people("donvi")
    reload_until(hoa, status_page, hoa.locator("#inspection-outcome"),
                 "the inspection's outcome on the unit's model")
    expect(hoa.locator("#inspection-outcome")).to_have_text(vi("Not verified"))
