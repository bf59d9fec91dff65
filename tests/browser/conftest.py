"""
A real server and a real browser: pytest-django's ``live_server`` runs the
project in a thread on a free port of 127.0.0.1, against the test database,
and Playwright drives Debian's Chromium (never a browser of its own).

Not part of ``make test``: run with ``make test-browser``.
"""

import contextlib
import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "correct horse battery staple"
# What Chromium prints when the Content-Security-Policy stops something.
CSP_VIOLATION = re.compile(r"Content Security Policy|Content-Security-Policy", re.IGNORECASE)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright runs its own event loop; Django must not mistake the test
    # thread for async code when the fixtures touch the database.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def browser_settings(settings):
    """The comment form's "too fast" rule would make each test wait seconds."""
    settings.COMMENTS_MIN_SECONDS_TO_POST = 0
    settings.COMMENTS_FLOOD_SECONDS = 0


class Visitor:
    """One person's browser: its own cookies, Italian, and every CSP complaint kept."""

    def __init__(self, browser, base_url, name, **options):
        self.name = name
        self.context = browser.new_context(
            base_url=base_url,
            locale="it-IT",
            extra_http_headers={"Accept-Language": "it-IT,it;q=0.9"},
            viewport={"width": 1280, "height": 900},
            **options,
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", lambda message: self.console.append(message.text))
        self.page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))

    @property
    def csp_violations(self) -> list[str]:
        return [line for line in self.console if CSP_VIOLATION.search(line)]

    def screenshot(self, step: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def sign_in(self, username, password=PASSWORD):
        page = self.page
        page.goto("/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")

    def close(self):
        self.context.close()


def click_closing(window, locator):
    """
    Click a button that closes its own window, and wait until it has.

    Chromium may close the window before Playwright hears that the click
    ended, and Playwright then reports the click as failed on a closed target
    (microsoft/playwright#26900). That error alone is let through: the close
    event is still awaited, and whether the click did its work is for the
    caller to check on the page that stays open.
    """
    # Not exported by playwright.sync_api, whose Error would also let through
    # a click that never happened.
    from playwright._impl._errors import TargetClosedError

    with window.expect_event("close"), contextlib.suppress(TargetClosedError):
        locator.click()


@pytest.fixture
def visitor(browser, live_server):
    """``visitor("editor")`` opens a new browser context on the live server."""
    opened = []

    def make(name, **options):
        person = Visitor(browser, live_server.url, name, **options)
        opened.append(person)
        return person

    yield make
    for person in opened:
        person.close()


@pytest.fixture
def moderator(db):
    from tests.conftest import make_member

    return make_member("moderatore", "Moderator", first_name="Giulia", last_name="Neri")


@pytest.fixture
def reader_pages(make_article, make_upload, author, section):
    """Published content on every kind of reader page; {name: path}."""
    lead = make_article(
        "La diga di Genova",
        summary="Il cantiere più grande d'Italia.",
        body=(
            "<p>Apertura.</p><h2>Il contesto</h2>"
            "<p>Vedi <a href='https://example.org/'>la fonte</a>.</p>"
        ),
        authors=[author],
        tags=["Genova", "Porti"],
        hero_image=make_upload(),
        hero_alt="La diga in costruzione",
    )
    for number in range(3):
        make_article(f"Altra notizia {number}", authors=[author], tags=["Genova"])
    return {
        "home": "/",
        "article": lead.get_absolute_url(),
        "section": section.get_absolute_url(),
        "tag": "/tag/genova/",
        "author": author.get_absolute_url(),
        "search": "/cerca/?q=diga",
    }


def send_comment_with_errors(page, article_path):
    """
    Fields that pass the browser's own checks (required, type=email) but not the
    server's: a name and a comment of spaces only. The answer is the form again,
    with its errors (the response is returned).
    """
    page.goto(article_path)
    page.get_by_role("textbox", name="Nome").fill("   ")
    page.get_by_role("textbox", name="Email").fill("anna@example.org")
    page.get_by_role("textbox", name="Commento").fill("   ")
    with page.expect_navigation() as sent:
        page.get_by_role("button", name="Invia commento").click()
    return sent.value
