"""The whole system as the Procfile starts it, driven by Debian's Chromium through Playwright.

One stack per module: every Procfile process (both web apps under gunicorn, both relays,
both consumers, the rq worker) on free ports of 127.0.0.1 with embedded defaults. Each
person gets a browser context of their own, so their sign-in cookies never mix; the cookie
is honoured by both services because they share the host and the SECRET_KEY.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.support import Translations
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from shared import embedded
from tests.support.engines import environment, prepare
from tests.support.stack import ROOT, Stack, procfile, wait_for

CHROMIUM = shutil.which("chromium")  # Debian's package; Playwright's own download is not used
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PASSWORD = "dvk-demo-2024"
TRANSLATIONS = ROOT / "shared" / "translations"
VI_CATALOG = TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.mo"
WAIT_MS = 15_000  # one page's worth of patience: a swap, a redirect, an htmx check, on a cold machine
expect.set_options(timeout=WAIT_MS)  # assertions wait as long as actions do


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@dataclass(frozen=True)
class Site:
    intake: str
    review: str
    processes: dict  # Procfile name -> the running process
    env: dict  # the processes' environment: where their databases and broker are


@pytest.fixture(scope="module")
def site(request, tmp_path_factory):
    """Every Procfile process running on embedded defaults; yields the two services' URLs."""
    if CHROMIUM is None:
        pytest.fail("chromium is missing: apt-get install chromium")
    tmp = tmp_path_factory.mktemp("e2e")
    data_dir = tmp / "data"
    intake_port, review_port = _free_port(), _free_port()
    env = environment("embedded", data_dir) | {
        # `python` and `gunicorn` in the Procfile must be this virtualenv's, activated or not.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "INTAKE_PORT": str(intake_port),
        "REVIEW_PORT": str(review_port),
        "INTAKE_URL": f"http://127.0.0.1:{intake_port}",
        "REVIEW_URL": f"http://127.0.0.1:{review_port}",
    }
    prepare(env)
    (tmp / "logs").mkdir()
    stack = Stack(env, tmp / "logs")
    failed_before = request.session.testsfailed
    try:
        for name in procfile():
            stack.start(name)
        for url in (env["INTAKE_URL"], env["REVIEW_URL"]):
            wait_for(lambda url=url: _healthy(url), timeout=30, every=0.2,
                     message=f"{url}/healthz")
        yield Site(intake=env["INTAKE_URL"], review=env["REVIEW_URL"],
                   processes=stack.processes, env=env)
    finally:
        crashed = {name: p.returncode for name, p in stack.processes.items()
                   if p.poll() is not None}
        stack.stop_all()
        embedded.stop(data_dir, keep=False)
        if crashed or request.session.testsfailed > failed_before:
            print(f"processes that had exited: {crashed}\n{stack.logs()}")


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class People:
    """Opens one signed-in browser context per person, on demand."""

    def __init__(self, browser: Browser, site: Site):
        self.browser, self.site = browser, site
        self.contexts: dict[str, BrowserContext] = {}
        self.pages: dict[str, Page] = {}

    def context(self, username: str) -> BrowserContext:
        if username not in self.contexts:
            context = self.browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
            context.set_default_timeout(WAIT_MS)
            self.contexts[username] = context
        return self.contexts[username]

    def __call__(self, username: str) -> Page:
        """A page for ``username``, signed in through intake's /login form."""
        if username not in self.pages:
            page = self.context(username).new_page()
            page.goto(f"{self.site.intake}/login")
            self.sign_in(page, username)
            self.pages[username] = page
        return self.pages[username]

    def anonymous(self, username: str) -> Page:
        """A page in ``username``'s browser before they sign in."""
        return self.context(username).new_page()

    @staticmethod
    def sign_in(page: Page, username: str) -> None:
        """Fill and send the sign-in form the page shows."""
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".who")).to_be_visible()

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()


@pytest.fixture
def people(browser, site):
    crowd = People(browser, site)
    yield crowd
    crowd.close()


@pytest.fixture(scope="session")
def vi():
    """``vi("msgid")``: the Vietnamese the app must show, read from the catalogue it serves."""
    if not VI_CATALOG.exists():
        pytest.fail(f"{VI_CATALOG.relative_to(ROOT)} is missing: run `make translations`")
    catalogue = Translations.load(str(TRANSLATIONS), ["vi"])

    def translate(msgid: str, **values) -> str:
        text = catalogue.gettext(msgid)
        assert text != msgid, f"{msgid!r} has no Vietnamese translation"
        return text % values if values else text

    return translate
