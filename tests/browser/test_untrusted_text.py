"""An SMS is untrusted input: HTML and script in it show as text on every page, and never run."""

from __future__ import annotations

import re

import pytest

from .conftest import LIVE_MS, sign_in, wait_for_status
from .site import tracking_number_in

expect = pytest.importorskip("playwright.sync_api", reason="pip install playwright").expect
pytestmark = pytest.mark.timeout(120)

# Routed by itself (a road in Kota Bandung), so it reaches the agency portal too.
SMS = (
    "<b>tebal</b> <img src=x onerror=alert(1)> <script>alert(2)</script> "
    "jalan berlubang di kota bandung dekat alun-alun"
)
INJECTED = "script, img, b"  # what the SMS would add to the page if it were taken as HTML


def shows_as_text(area) -> None:  # noqa: ANN001
    """``area`` shows the SMS's markup as characters and holds none of its elements."""
    expect(area).to_contain_text("<script>alert(2)</script>")
    expect(area).to_contain_text("<b>tebal</b>")
    assert area.locator(INJECTED).count() == 0


def test_html_in_an_sms_shows_as_text_to_operator_and_officer(
    live,  # noqa: ANN001
    new_page,  # noqa: ANN001
    make_account,  # noqa: ANN001
    screenshots,  # noqa: ANN001
) -> None:
    make_account("ratna", "operator")
    page = new_page()  # a dialog, a script error or a CSP violation fails the test (conftest)
    sign_in(page, "ratna")
    page.goto("/console/queue/")
    number = tracking_number_in(live.text(SMS, sender="+6281311100022"))

    row = page.locator(f"table#inbound tr[data-ticket='{number}']")
    expect(row).to_be_visible(timeout=LIVE_MS)
    shows_as_text(row)
    screenshots(page, "1-queue")

    wait_for_status(page, live, number, "dispatched")
    agency = live.ticket(number).agency_code
    page.goto(f"/console/tickets/{number}")
    shows_as_text(page.locator("#thread"))
    shows_as_text(page.locator("p.complaint"))
    screenshots(page, "2-ticket")
    page.goto("/console/simulator/?from=%2B6281311100022")
    shows_as_text(page.locator("#phone-messages .msg.in"))
    screenshots(page, "3-simulator")

    make_account("petugas", "agency", agency)
    portal = new_page()
    sign_in(portal, "petugas")
    shows_as_text(portal.locator(f"tr[data-ticket='{number}']"))
    screenshots(portal, "4-portal-list")
    portal.locator(f"tr[data-ticket='{number}'] a").first.click()
    expect(portal).to_have_url(re.compile(rf"/agency/tickets/{number}$"))
    shows_as_text(portal.locator("p.complaint"))
    screenshots(portal, "5-portal-ticket")
