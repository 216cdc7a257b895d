"""Signing in and choosing the interface language, in Chromium."""

from __future__ import annotations

import re

import pytest

from .conftest import sign_in

expect = pytest.importorskip("playwright.sync_api", reason="pip install playwright").expect
pytestmark = pytest.mark.timeout(120)


def test_operator_signs_in_and_sees_the_console_overview(live, new_page, make_account, screenshots):  # noqa: ANN001
    make_account("ratna", "operator")
    page = new_page()
    page.goto("/console/")
    expect(page).to_have_url(re.compile(r"/login\?next=/console/"))
    screenshots(page, "1-sign-in-form")
    sign_in(page, "ratna")
    expect(page).to_have_url(re.compile(r"/console/$"))
    expect(page.locator("h1")).to_have_text("Ringkasan")
    expect(page.locator("header .who")).to_contain_text("Ratna")
    screenshots(page, "2-console")


def test_wrong_password_is_refused_with_a_message(live, new_page, make_account, screenshots):  # noqa: ANN001
    make_account("ratna", "operator")
    page = new_page()
    sign_in(page, "ratna", "bukan-kata-sandinya")
    expect(page.locator("[role=alert]")).to_have_text("Nama pengguna atau kata sandi salah.")
    expect(page).to_have_url(re.compile(r"/login"))
    screenshots(page, "refused")


def test_agency_officer_lands_in_the_portal_not_the_console(
    live,  # noqa: ANN001
    new_page,  # noqa: ANN001
    make_account,  # noqa: ANN001
    screenshots,  # noqa: ANN001
) -> None:
    make_account("petugas", "agency", _an_agency(live))
    page = new_page()
    sign_in(page, "petugas")
    expect(page).to_have_url(re.compile(r"/agency/$"))
    expect(page.locator("header .brand")).to_contain_text("Portal Instansi")
    screenshots(page, "portal")


def test_operator_switches_the_interface_to_english_and_back(
    live,  # noqa: ANN001
    new_page,  # noqa: ANN001
    make_account,  # noqa: ANN001
    screenshots,  # noqa: ANN001
) -> None:
    make_account("ratna", "operator")
    page = new_page()
    sign_in(page, "ratna")
    expect(page.locator("h1")).to_have_text("Ringkasan")
    screenshots(page, "1-indonesian")
    page.locator("header .who button[name=lang]").click()
    expect(page.locator("h1")).to_have_text("Overview")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("header nav.areas")).to_contain_text("SMS queue")
    screenshots(page, "2-english")
    page.reload()  # the choice is kept on the account
    expect(page.locator("h1")).to_have_text("Overview")
    page.locator("header .who button[name=lang]").click()
    expect(page.locator("h1")).to_have_text("Ringkasan")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    screenshots(page, "3-back-to-indonesian")


def test_sign_in_page_offers_english_before_signing_in(live, new_page, screenshots) -> None:  # noqa: ANN001
    page = new_page()
    page.goto("/login")
    expect(page.locator("h1")).to_have_text("Masuk")
    page.locator("button[name=lang]").click()
    expect(page.locator("h1")).to_have_text("Sign in")
    expect(page.get_by_label("Username")).to_be_visible()
    screenshots(page, "english")


def _an_agency(live) -> str:  # noqa: ANN001
    from sqlalchemy import select

    from sms_gateway.models import Agency

    with live.app.extensions["db"].scope() as session:
        return session.scalars(
            select(Agency.code).where(Agency.level == "kabupaten_kota").order_by(Agency.code)
        ).first()
