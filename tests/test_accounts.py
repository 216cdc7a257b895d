"""Signing in: a username no account can have is a failed sign-in like any other."""

from __future__ import annotations

from sms_gateway import accounts
from tests.console.conftest import PASSWORD, browser, make_user, sign_in


def test_a_username_with_a_null_byte_signs_no_one_in_and_the_session_goes_on(seeded, session):  # noqa: ANN001
    make_user(seeded, "ratna", "operator")
    assert accounts.authenticate(session, "rat\x00na", PASSWORD) is None
    # On PostgreSQL a refused statement would have aborted the transaction.
    assert accounts.authenticate(session, "ratna", PASSWORD).username == "ratna"


def test_a_null_byte_in_the_username_answers_like_a_wrong_password(seeded):  # noqa: ANN001
    make_user(seeded, "ratna", "operator")
    client = browser(seeded)
    wrong = sign_in(client, "ratna", "bukan-kata-sandinya")
    nul = sign_in(client, "rat\x00na")
    assert wrong.status_code == nul.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in nul.get_data(as_text=True)


def test_sign_ins_with_a_null_byte_in_the_username_count_towards_the_limit(seeded):  # noqa: ANN001
    make_user(seeded, "ratna", "operator")
    client = browser(seeded)
    for _ in range(5):
        assert sign_in(client, "rat\x00na").status_code == 401
    assert sign_in(client, "rat\x00na").status_code == 429
