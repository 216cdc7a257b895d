"""Accounts and signed-in clients for the console and agency portal tests."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from sms_gateway import accounts

PASSWORD = "kata-sandi-uji-123"
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


class BrowserLikeClient(FlaskClient):
    """A test client whose every request gets its own application context, as in production.

    The ``app`` fixture holds one context open for the whole test; requests would otherwise
    share its ``g`` (the per-request CSRF token and signed-in user would leak between them).
    """

    def open(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        with self.application.app_context():
            return super().open(*args, **kwargs)


def browser(app):  # noqa: ANN001, ANN201
    """A client that keeps cookies and behaves like one browser."""
    app.test_client_class = BrowserLikeClient
    return app.test_client()


def csrf_token(client, path: str = "/login") -> str:  # noqa: ANN001
    """The CSRF token of the client's session, as a page carries it."""
    page = client.get(path)
    match = CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


def sign_in(client, username: str, password: str = PASSWORD):  # noqa: ANN001, ANN201
    """Sign in through the real form; returns the response."""
    token = csrf_token(client)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


def make_user(app, username: str, role: str, agency_code: str | None = None) -> None:  # noqa: ANN001
    with app.extensions["db"].scope() as session:
        accounts.create_user(
            session, username, PASSWORD, role, name=username.title(), agency_code=agency_code
        )
        session.commit()


@pytest.fixture
def operator_client(seeded):  # noqa: ANN001, ANN201
    """A client signed in as an operator of the national admin."""
    make_user(seeded, "ratna", "operator")
    client = browser(seeded)
    assert sign_in(client, "ratna").status_code == 302
    return client


@pytest.fixture
def agency_code(seeded) -> str:  # noqa: ANN001
    """A kabupaten/kota public-works office from the seeded directory."""
    from sqlalchemy import select

    from sms_gateway.models import Agency

    with seeded.extensions["db"].scope() as session:
        return session.scalars(
            select(Agency.code).where(Agency.level == "kabupaten_kota").order_by(Agency.code)
        ).first()


@pytest.fixture
def officer_client(seeded, agency_code: str):  # noqa: ANN001, ANN201
    """A client signed in as an officer of ``agency_code``."""
    make_user(seeded, "petugas", "agency", agency_code)
    client = browser(seeded)
    assert sign_in(client, "petugas").status_code == 302
    return client
