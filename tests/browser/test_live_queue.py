"""The SMS queue page shows a citizen's SMS as it arrives, without reloading."""

from __future__ import annotations

import pytest

from .conftest import LIVE_MS, sign_in
from .site import tracking_number_in

expect = pytest.importorskip("playwright.sync_api", reason="pip install playwright").expect
pytestmark = pytest.mark.timeout(120)


def test_new_sms_appears_on_the_open_queue_page_without_reload(
    live,  # noqa: ANN001
    new_page,  # noqa: ANN001
    make_account,  # noqa: ANN001
    screenshots,  # noqa: ANN001
) -> None:
    make_account("ratna", "operator")
    page = new_page()
    sign_in(page, "ratna")
    page.goto("/console/queue/")
    expect(page.locator("table#inbound")).to_be_visible()
    screenshots(page, "1-empty-queue")
    loads: list[str] = []
    page.on("load", lambda _page: loads.append("load"))

    answer = live.text(
        "lampu jalan mati di jl diponegoro kota bandung sdh seminggu, gelap kalau malam",
        sender="+6281311100021",
    )
    number = tracking_number_in(answer)

    row = page.locator(f"table#inbound tr[data-ticket='{number}']")
    expect(row).to_be_visible(timeout=LIVE_MS)
    expect(row).to_contain_text("lampu jalan mati")
    outbound = page.locator("table#outbound tr[data-outbound]")
    expect(outbound.first).to_be_visible(timeout=LIVE_MS)  # the reply with the tracking number
    assert loads == [], "the page reloaded; it should update itself"
    screenshots(page, "2-sms-arrived")
