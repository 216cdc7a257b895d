"""The operator's ticket page in Chromium: verify towards a chosen agency, and reply to the
citizen while the counter shows how many SMS (and which encoding) the reply will cost."""

from __future__ import annotations

import re

import pytest

from .conftest import sign_in, wait_for_status, wait_until
from .site import tracking_number_in

expect = pytest.importorskip("playwright.sync_api", reason="pip install playwright").expect
pytestmark = pytest.mark.timeout(120)

# The classifier is unsure and no place is named: nothing to route by, an operator must choose.
VAGUE = "tolong ada masalah di kelurahan sukajadi, mohon dibantu secepatnya"
SATPOL_PP_BANDUNG = "32.73-SATPOLPP"


@pytest.fixture
def triaged(live, new_page, make_account) -> tuple:  # noqa: ANN001
    """An operator's page and the number of a ticket waiting for triage."""
    make_account("ratna", "operator")
    page = new_page()
    sign_in(page, "ratna")
    number = tracking_number_in(live.text(VAGUE, sender="+6281344400041"))
    wait_until(page, lambda: live.ticket(number).needs_triage, "waiting for triage")
    return page, number


def test_operator_verifies_an_unsure_ticket_to_the_agency_they_choose(
    live,  # noqa: ANN001
    triaged,  # noqa: ANN001
    screenshots,  # noqa: ANN001
) -> None:
    page, number = triaged
    page.goto(f"/console/tickets/{number}")
    expect(page.locator("form[data-action=verify]")).to_contain_text("pilih satu")
    screenshots(page, "1-unrouted")
    page.locator("form[data-action=verify] input[name=agency]").fill(SATPOL_PP_BANDUNG)
    page.locator("form[data-action=verify] button").click()
    expect(page.locator(".flash").first).to_have_text("Tiket diverifikasi dan diteruskan.")
    expect(page.locator("#events")).to_contain_text("operator:ratna")
    wait_for_status(page, live, number, "dispatched")
    assert live.ticket(number).agency_code == SATPOL_PP_BANDUNG
    page.reload()
    expect(page.locator(".facts")).to_contain_text(SATPOL_PP_BANDUNG)
    screenshots(page, "2-forwarded")


def test_segment_counter_follows_the_reply_as_the_operator_types(
    live,  # noqa: ANN001
    triaged,  # noqa: ANN001
    screenshots,  # noqa: ANN001
) -> None:
    page, number = triaged
    page.goto(f"/console/tickets/{number}")
    reply = page.locator("form[data-action=reply] textarea[name=text]")
    counter = page.locator("#segments")
    expect(counter).to_contain_text("0 SMS")

    reply.press_sequentially("Mohon sebutkan RT/RW dan kecamatannya, Pak.", delay=5)
    expect(counter).to_have_attribute("data-encoding", "GSM-7")
    expect(counter).to_have_attribute("data-segments", "1")
    expect(counter).to_contain_text("1 SMS · GSM-7 · 43 dari 160 karakter")
    screenshots(page, "1-gsm7")

    reply.press_sequentially(" Terima kasih 🙏")  # one emoji: the whole SMS becomes UCS-2
    expect(counter).to_have_attribute("data-encoding", "UCS-2")
    expect(counter).to_contain_text(re.compile(r"1 SMS · UCS-2 · \d+ dari 70 karakter"))
    screenshots(page, "2-ucs2")

    reply.fill("Laporan Bapak sudah kami terima dan sedang kami periksa bersama kelurahan. " * 3)
    expect(counter).to_have_attribute("data-encoding", "GSM-7")
    expect(counter).to_have_attribute("data-segments", "2")
    screenshots(page, "3-two-parts")

    reply.fill("Mohon sebutkan RT/RW dan kecamatannya, Pak. Terima kasih.")
    page.locator("form[data-action=reply] button").click()
    expect(page.locator(".flash").first).to_be_visible()
    expect(page.locator("#thread .msg.out")).to_contain_text("Mohon sebutkan RT/RW")
    screenshots(page, "4-sent")
