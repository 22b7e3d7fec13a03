"""People's journeys through both services in a real browser, against the Procfile's processes.

A unit registers a model on intake; reviewers at commune, district and committee decide it
on review; the decisions travel back through relays and consumers to the unit's status page.
The interface speaks Vietnamese unless someone picks English.
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from tests.support.stack import procfile

# Reviewers' and unit's names as the demo accounts carry them.
HOA, THANG, MAI, BINH = "Lô Thị Hoa", "Lương Văn Thắng", "Ngân Thị Mai", "Moong Văn Bình"
DELIVERY_S = 20  # an event's trip through outbox, relay, broker and consumer, with slack
POLL_MS = 15_000  # the status section polls every 5 s


def register(page: Page, site, title: str, field: str = "new_rural",
             subject_type: str = "collective") -> str:
    """The unit fills the registration form and submits it; returns its status page's URL."""
    page.goto(f"{site.intake}/submissions/new")
    page.fill("#title", title)
    page.select_option("#field", field)
    page.select_option("#subject_type", subject_type)
    return submit_form(page, site)


def submit_form(page: Page, site) -> str:
    page.locator("button[name=action][value=submit]").click()
    expect(page).to_have_url(re.compile(rf"^{site.intake}/submissions/\d+\?saved=1$"))
    expect(page.locator("#current-status")).to_have_class(re.compile(r"\b(submitted|in_review)\b"))
    return page.url.split("?")[0]


def reload_until(page: Page, url: str, locator, what: str, timeout: float = DELIVERY_S) -> None:
    """Open ``url`` again and again until ``locator`` shows up: events arrive asynchronously."""
    deadline = time.monotonic() + timeout
    page.goto(url)
    while not locator.count():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not show at {url} within {timeout}s")
        page.wait_for_timeout(300)
        page.goto(url)


def open_queue(page: Page, site) -> None:
    """A reviewer follows the header's link from intake (where they signed in) to their queue."""
    page.locator(f"header nav a[href='{site.review}/queue']").click()
    expect(page).to_have_url(f"{site.review}/queue")


def open_from_queue(page: Page, site, title: str, stage: str) -> None:
    open_queue(page, site)
    link = page.locator("#items a", has_text=title)
    reload_until(page, f"{site.review}/queue", link, f"«{title}» in the queue")
    link.click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("#item-stage")).to_have_text(stage)


def decide(page: Page, site, title: str, decision: str, vi) -> None:
    page.locator(f"button[name=decision][value={decision}]").click()
    expect(page).to_have_url(f"{site.review}/queue")
    expect(page.locator(".flash")).to_have_text(vi("Decision recorded."))
    expect(page.locator("#items a", has_text=title)).to_have_count(0)


def approve(page: Page, site, title: str, stage: str, vi) -> None:
    open_from_queue(page, site, title, stage)
    decide(page, site, title, "approve", vi)


def test_a_model_is_checked_as_typed_submitted_and_approved_at_every_stage(site, people, vi):
    title = "Hội LHPN xã Môn Sơn vận động hiến đất làm đường"
    hoa = people("donvi")
    expect(hoa.locator("html")).to_have_attribute("lang", "vi")
    hoa.locator("main a.button[href='/submissions/new']").click()
    expect(hoa).to_have_url(f"{site.intake}/submissions/new")
    expect(hoa.locator("h1")).to_have_text(vi("Register a model"))
    hoa.wait_for_load_state()  # the form shows before htmx (deferred) listens to what is typed

    # A too-short name is flagged under the field while she types, in Vietnamese, unsent.
    hoa.fill("#title", "Hội")
    too_short = hoa.locator("#title-feedback .field-error")
    expect(too_short).to_have_text(vi("The name must be between 5 and 200 characters."))
    expect(hoa).to_have_url(f"{site.intake}/submissions/new")
    hoa.fill("#title", title)
    expect(too_short).to_have_count(0)
    hoa.select_option("#field", "new_rural")
    hoa.select_option("#subject_type", "collective")
    status_page = submit_form(hoa, site)
    expect(hoa.locator(".flash")).to_have_text(vi("Submitted for review. You can follow it here."))
    expect(hoa.locator("h1")).to_have_text(title)

    approve(people("xa"), site, title, vi("Commune"), vi)
    approve(people("huyen"), site, title, vi("District"), vi)
    from tests.e2e.test_committee_journey import committee_approves  # it builds on this module

    committee_approves(people, site, title)

    # Hoa left her status page open: it updates itself (htmx polls it) to the final decision.
    status = hoa.locator("#current-status")
    expect(status).to_have_class(re.compile(r"\bapproved\b"), timeout=POLL_MS)
    expect(status).to_have_text(vi("Approved"))

    hoa.goto(status_page)
    steps = hoa.locator("#history li")
    expect(steps).to_have_count(6)
    expect(steps.nth(0)).to_contain_text(vi("Draft"))
    expect(steps.nth(0)).to_contain_text(HOA)
    expect(steps.nth(1)).to_contain_text(vi("Submitted"))
    expect(steps.nth(2)).to_contain_text(vi("In review at %(stage)s", stage=vi("Commune")))
    expect(steps.nth(3)).to_contain_text(vi("Approved at %(stage)s, moved on", stage=vi("Commune")))
    expect(steps.nth(3)).to_contain_text(THANG)
    expect(steps.nth(4)).to_contain_text(vi("Approved at %(stage)s, moved on",
                                            stage=vi("District")))
    expect(steps.nth(4)).to_contain_text(MAI)
    expect(steps.nth(5)).to_contain_text(vi("%(status)s at %(stage)s", status=vi("Approved"),
                                            stage=vi("Steering committee")))
    expect(steps.nth(5)).to_contain_text("Lương Thị Ngọc")  # the chair who closed the vote
    expect(hoa.locator("#status time").first).to_have_text(re.compile(r"^\d\d:\d\d \d+/\d+/\d{4}$"))


def test_district_returns_with_a_comment_and_the_fixed_model_goes_back_to_district(
        site, people, vi):
    title = "Mô hình bản không có ma túy"
    fixed_title = "Mô hình bản không có ma túy, 3 chỉ tiêu"
    comment = "Bổ sung chỉ tiêu cụ thể"
    hoa = people("donvi")
    status_page = register(hoa, site, title, field="defense_security")
    approve(people("xa"), site, title, vi("Commune"), vi)

    mai = people("huyen")
    open_from_queue(mai, site, title, vi("District"))
    item_page = mai.url

    # Returning without saying what to fix is refused, and the form stays for her to complete.
    mai.locator("button[name=decision][value=return]").click()
    expect(mai).to_have_url(f"{item_page}/decision")
    expect(mai.locator("#comment ~ .field-error")).to_have_text(
        vi("Write a comment telling the unit what to fix."))
    expect(mai.locator("#comment")).to_have_attribute("aria-invalid", "true")
    expect(mai.locator("#item-stage")).to_have_text(vi("District"))
    mai.fill("#comment", comment)
    decide(mai, site, title, "return", vi)

    # Hoa finds it returned among her submissions, reads the comment and fixes the name.
    hoa.locator(f"header nav a[href='{site.intake}/submissions']").click()
    row = hoa.locator("tbody tr", has_text=title)
    reload_until(hoa, f"{site.intake}/submissions", row.locator(".status.returned"),
                 f"«{title}» returned")
    expect(row.locator(".status")).to_have_text(vi("Returned for changes"))
    row.locator("a").click()
    expect(hoa).to_have_url(status_page)
    expect(hoa.locator("#return-comment")).to_have_text(comment)
    last_step = hoa.locator("#history li").last
    expect(last_step).to_contain_text(MAI)
    expect(last_step.locator("blockquote")).to_have_text(comment)

    hoa.locator("#status a.button[href$='/edit']").click()
    expect(hoa).to_have_url(f"{status_page}/edit")
    expect(hoa.locator("main .warning")).to_contain_text(comment)
    expect(hoa.locator("#title")).to_have_value(title)
    hoa.fill("#title", fixed_title)
    assert submit_form(hoa, site) == status_page

    # The resubmission skips the commune and waits at the district, which returned it.
    open_queue(mai, site)
    reload_until(mai, f"{site.review}/queue", mai.locator("#items a", has_text=fixed_title),
                 f"«{fixed_title}» back in the district queue")
    thang = people("xa")
    open_queue(thang, site)
    expect(thang.locator("h1")).to_contain_text(vi("Commune"))
    expect(thang.locator("#items a", has_text=title)).to_have_count(0)
    reload_until(hoa, status_page, hoa.locator("#status", has_text=vi("District")),
                 "the district stage on the status page")
    expect(hoa.locator("#current-status")).to_have_class(re.compile(r"\bin_review\b"))


def test_a_half_typed_registration_survives_a_dropped_connection(site, people, vi):
    title = "Chi đoàn bản Khe Ló giúp dân làm nhà chống lũ"
    hoa = people("donvi")
    hoa.goto(f"{site.intake}/submissions/new")
    hoa.wait_for_load_state()  # the form shows before its scripts (deferred) keep what is typed
    hoa.fill("#title", title)
    hoa.select_option("#field", "culture_society")

    # The page is kept for offline use (its service worker) and what she typed in the browser.
    hoa.wait_for_function("""async () => !!navigator.serviceWorker.controller
        && !!(await (await caches.open('dvk-pages')).match(location.href))""")
    browser = people.context("donvi")
    browser.set_offline(True)
    hoa.wait_for_function("!navigator.onLine")
    hoa.reload()
    expect(hoa.locator("#title")).to_have_value(title)
    expect(hoa.locator("#field")).to_have_value("culture_society")
    expect(hoa.locator("#autosave")).to_have_text(vi("Saved on this device, not yet sent."))
    browser.set_offline(False)  # back online, the browser sends what the server lacks
    expect(hoa.locator("#autosave")).to_have_attribute("data-state", "sent")

    hoa.goto(f"{site.intake}/submissions/new")
    expect(hoa.locator("#title")).to_have_value(title)
    expect(hoa.locator("#field")).to_have_value("culture_society")
    expect(hoa.locator("#autosave")).not_to_have_attribute("data-state", "pending")  # all sent

    # Once the server has it, the kept copy is dropped and the next form starts empty.
    hoa.select_option("#subject_type", "collective")
    submit_form(hoa, site)
    hoa.goto(f"{site.intake}/submissions/new")
    expect(hoa.locator("#title")).to_have_value("")


def test_the_interface_speaks_vietnamese_until_english_is_chosen(site, people, vi):
    page = people.anonymous("donvi")
    page.goto(f"{site.intake}/login")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_have_text("Đăng nhập")
    expect(page.locator("label[for=username]")).to_have_text(vi("Username"))

    page.locator("header a[href='/lang/en']").click()
    expect(page).to_have_url(f"{site.intake}/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Sign in")
    expect(page.locator("label[for=password]")).to_have_text("Password")

    # The choice is kept after signing in, on both services.
    people.sign_in(page, "donvi")
    expect(page.locator("h1")).to_have_text("My submissions")
    expect(page.locator("main a.button[href='/submissions/new']")).to_have_text("Register a model")
    page.goto(f"{site.review}/queue")  # a unit may not see the queue: the refusal is in English too
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main .error")).to_have_text("Your role or area does not allow this action.")

    page.goto(f"{site.intake}/submissions")
    page.locator("header a[href='/lang/vi']").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_have_text(vi("My submissions"))


def test_every_process_of_the_procfile_is_still_running_after_the_journeys(site):
    """honcho stops everything when one process exits, so none may fall over."""
    exited = {name: process.returncode for name, process in site.processes.items()
              if process.poll() is not None}
    assert exited == {}
    assert len(site.processes) == len(procfile())
