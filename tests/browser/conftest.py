"""The real app in a real browser: a live server, a worker thread and Debian's Chromium.

Each test gets the application served over HTTP on 127.0.0.1 (a free port, a clean database and
Redis), an rq worker running jobs in the background while the test clicks, and Chromium driven by
Playwright. Every page a test opens records JavaScript errors, CSP violations and failed requests:
any of them fails the test. Screenshots of every step land in ``test-results/screenshots/``.
Without /usr/bin/chromium or the ``playwright`` package the tests skip, saying why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from config import Settings
from sms_gateway import accounts
from tests.browser.site import LiveSite, serve

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "kata-sandi-peramban-123"
STEP_TIMEOUT_MS = 5_000  # one click, one page: a few seconds at most
LIVE_MS = 20_000  # what a worker does in the background, seen through a poll every 3 s


@pytest.fixture(scope="package")
def chromium() -> Iterator:
    """Debian's Chromium, headless, driven by Playwright's bundled driver (closed after this
    folder's tests, so no Playwright event loop lingers into the rest of the suite)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium; scripts/test does it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        sync_api.expect.set_options(timeout=STEP_TIMEOUT_MS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def live(chromium, settings: Settings, _seeded: bool) -> Iterator[LiveSite]:  # noqa: ANN001
    """The application served over HTTP with a worker processing jobs as they come."""
    with serve(settings) as site:
        yield site


@pytest.fixture
def screenshots(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """``shot(page, step)`` saves ``test-results/screenshots/<test>-<step>.png``."""
    folder = request.config.rootpath / "test-results" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)

    def shot(page, step: str) -> Path:  # noqa: ANN001
        path = folder / f"{name}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shot


@pytest.fixture
def new_page(chromium, live: LiveSite, screenshots) -> Iterator[Callable]:  # noqa: ANN001
    """``new_page()`` opens a page in its own browser context (its own cookies: one person)."""
    opened: list[tuple] = []

    def open_page(language: str = "id-ID"):  # noqa: ANN202
        context = chromium.new_context(base_url=live.url, locale=language)
        context.set_default_timeout(STEP_TIMEOUT_MS)
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda msg: _console(problems, msg))
        page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))
        page.on("requestfailed", lambda req: _failed(problems, req))
        page.on("response", lambda res: _bad_response(problems, res))
        page.on("dialog", lambda dialog: _dialog(problems, dialog))
        opened.append((context, page, problems))
        return page

    yield open_page
    found = []
    for index, (context, page, problems) in enumerate(opened, start=1):
        try:
            if not page.is_closed():
                screenshots(page, f"end-{index}")
        finally:
            context.close()
        found.extend(problems)
    assert not found, "the browser saw problems:\n" + "\n".join(found)


def _console(problems: list[str], message) -> None:  # noqa: ANN001
    # A CSP violation or a script error shows here; a bad response is told (with its URL) below.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        problems.append(f"console error: {message.text}")


def _failed(problems: list[str], request) -> None:  # noqa: ANN001
    # A poll cut short by leaving the page is not a failure of the page.
    if "ERR_ABORTED" not in (request.failure or ""):
        problems.append(f"request failed: {request.method} {request.url} ({request.failure})")


def _bad_response(problems: list[str], response) -> None:  # noqa: ANN001
    expected = (response.request.method == "POST" and response.url.endswith("/login")) or (
        response.url.endswith("/favicon.ico")  # the browser asks; the site has none
    )
    if response.status >= 500 or (response.status >= 400 and not expected):
        problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")


def _dialog(problems: list[str], dialog) -> None:  # noqa: ANN001
    problems.append(f"a dialog opened ({dialog.type}): {dialog.message}")
    dialog.dismiss()


@pytest.fixture
def make_account(live: LiveSite) -> Callable[..., str]:
    """``make_account(username, role, agency_code=None)`` creates a user; returns the username."""

    def make(username: str, role: str, agency_code: str | None = None) -> str:
        with live.app.extensions["db"].scope() as session:
            accounts.create_user(
                session, username, PASSWORD, role, name=username.title(), agency_code=agency_code
            )
            session.commit()
        return username

    return make


def sign_in(page, username: str, password: str = PASSWORD) -> None:  # noqa: ANN001
    """Sign in through the real form, as a person would."""
    page.goto("/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("button.primary").click()
    page.wait_for_load_state()


def wait_until(page, check: Callable[[], bool], what: str, seconds: float = LIVE_MS / 1000) -> None:  # noqa: ANN001
    """Wait (bounded) for work done in the background; the page's own events go on meanwhile."""
    for _ in range(int(seconds * 4)):
        if check():
            return
        page.wait_for_timeout(250)
    assert check(), f"still not {what} after {seconds:.0f} s"


def wait_for_status(page, live: LiveSite, number: str, status: str) -> None:  # noqa: ANN001
    """The worker acts in the background: wait for the ticket to reach ``status``."""
    wait_until(
        page,
        lambda: live.ticket(number).status == status,
        f"{status} (ticket {number})",
    )
