"""The whole day's main flow in Chromium: a citizen texts from the simulator phone, the operator
sees it arrive, triages and forwards it, the agency officer answers in the portal, and the answer
arrives on the phone."""

from __future__ import annotations

import re

import pytest

from .conftest import LIVE_MS, sign_in, wait_for_status

expect = pytest.importorskip("playwright.sync_api", reason="pip install playwright").expect
pytestmark = pytest.mark.timeout(180)

CITIZEN = "+6281322200031"
# So vague the classifier doubts it (whatever model is trained), but the place is clear: it
# waits for an operator, who reads it and knows it for a public-order matter.
COMPLAINT = "ada yg aneh di kota bandung, tolong dicek"
CATEGORY = "KETENTERAMAN, KETERTIBAN UMUM, DAN PELINDUNGAN MASYARAKAT"
ANSWER = "Satpol PP sudah menegur warga tsb tgl 3, mohon kabari bila masih terjadi."


@pytest.fixture
def by_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """Status SMS go out at once, as by day (21:00-07:00 local holds them till the morning)."""
    from sms_gateway.dispatch import citizen

    monkeypatch.setattr(citizen, "quiet_until", lambda _region, _now: None)


def test_complaint_goes_from_the_phone_through_triage_to_the_agency_and_back(
    live,  # noqa: ANN001
    new_page,  # noqa: ANN001
    make_account,  # noqa: ANN001
    screenshots,  # noqa: ANN001
    by_day: None,
) -> None:
    make_account("ratna", "operator")
    queue = new_page()
    sign_in(queue, "ratna")
    queue.goto("/console/queue/")
    expect(queue.locator("table#inbound")).to_be_visible()

    # The citizen texts 1708 from the simulator (a second tab of the operator's browser).
    phone = queue.context.new_page()
    phone.goto(f"/console/simulator/?from={CITIZEN}")
    phone.locator("#phone-form textarea[name=text]").fill(COMPLAINT)
    phone.locator("#phone-form button[type=submit]").click()
    reply = phone.locator("#phone-messages .msg.out").first
    expect(reply).to_contain_text(re.compile(r"\d{4,5}-\d{4,5}"))
    number = re.sub(r"\D", "", re.search(r"\d{4,5}-\d{4,5}", reply.inner_text()).group())
    screenshots(phone, "1-phone-sent")

    # The operator's queue shows it without a reload.
    arrived = queue.locator(f"table#inbound tr[data-ticket='{number}']")
    expect(arrived).to_be_visible(timeout=LIVE_MS)
    expect(arrived).to_contain_text("processed", timeout=LIVE_MS)  # the worker has read it
    assert live.ticket(number).needs_triage, "the classifier is sure of this SMS now: pick another"
    screenshots(queue, "2-queue")

    # Triage: the ticket waits among the unsure ones; the operator corrects it and forwards it.
    page = queue
    page.goto("/console/triage/?tab=unsure")
    row = page.locator(f"tr[data-ticket='{number}']")
    expect(row).to_be_visible(timeout=LIVE_MS)
    screenshots(page, "3-triage")
    row.locator("a").first.click()
    expect(page).to_have_url(re.compile(rf"/console/tickets/{number}$"))
    expect(page.locator("#thread")).to_contain_text("ada yg aneh")
    page.locator("form[data-action=reclassify] select[name=category]").select_option(CATEGORY)
    page.locator("form[data-action=reclassify] button").click()
    # The corrected category routes it (Satpol PP of Kota Bandung) and forwards it at once.
    expect(page.locator(".flash").first).to_have_text("Kategori diganti; tiket diteruskan.")
    expect(page.locator("#events")).to_contain_text("operator:ratna")
    screenshots(page, "4-reclassified")
    wait_for_status(page, live, number, "dispatched")
    agency = live.ticket(number).agency_code
    assert agency and agency.startswith("32.73-"), agency
    page.reload()
    expect(page.locator("#events")).to_contain_text("32.73-")
    screenshots(page, "5-forwarded")

    # The agency officer, in a browser of their own, answers in the portal.
    make_account("petugas", "agency", agency)
    portal = new_page()
    sign_in(portal, "petugas")
    expect(portal).to_have_url(re.compile(r"/agency/$"))
    portal_row = portal.locator(f"tr[data-ticket='{number}']")
    expect(portal_row).to_be_visible()
    screenshots(portal, "6-portal")
    portal_row.locator("a").first.click()
    expect(portal.locator("p.complaint")).to_contain_text("ada yg aneh")
    portal.locator("form[data-action=respond] textarea[name=text]").fill(ANSWER)
    portal.locator("form[data-action=respond] button").click()
    expect(portal.locator(".flash").first).to_have_text(
        "Tanggapan tersimpan dan dikirim ke pelapor."
    )
    assert live.ticket(number).status == "responded"
    screenshots(portal, "7-answered")

    # The answer arrives on the citizen's phone, without touching the page.
    answer = phone.locator("#phone-messages .msg.out", has_text="Satpol PP sudah menegur")
    expect(answer).to_be_visible(timeout=LIVE_MS)
    screenshots(phone, "8-phone-answer")
