"""Signing in, roles, CSRF and the accounts command."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sms_gateway import accounts
from sms_gateway.models import User

from .conftest import PASSWORD, browser, csrf_token, make_user, sign_in


def test_password_is_stored_as_argon2id_never_in_clear(seeded, session) -> None:  # noqa: ANN001
    make_user(seeded, "dewi", "supervisor")
    user = session.execute(select(User).where(User.username == "dewi")).scalar_one()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_operator_signs_in_and_lands_in_the_console(seeded) -> None:  # noqa: ANN001
    make_user(seeded, "ratna", "operator")
    client = browser(seeded)
    response = sign_in(client, "ratna")
    assert response.status_code == 302 and response.headers["Location"] == "/console/"
    page = client.get("/console/")
    assert page.status_code == 200
    assert "Ringkasan" in page.get_data(as_text=True)
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]


def test_agency_officer_lands_in_the_portal_and_may_not_open_the_console(
    officer_client,  # noqa: ANN001
) -> None:
    assert officer_client.get("/agency/").status_code == 200
    assert officer_client.get("/console/").status_code == 403


def test_staff_may_not_open_the_agency_portal(operator_client) -> None:  # noqa: ANN001
    assert operator_client.get("/agency/").status_code == 403


def test_signed_out_visitor_is_sent_to_sign_in_with_the_page_to_return_to(seeded) -> None:  # noqa: ANN001
    response = browser(seeded).get("/console/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/console/")
    htmx = browser(seeded).get("/console/", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/login")


def test_wrong_password_and_unknown_user_get_the_same_answer(seeded) -> None:  # noqa: ANN001
    make_user(seeded, "ratna", "operator")
    client = browser(seeded)
    wrong = sign_in(client, "ratna", "bukan-kata-sandinya")
    unknown = sign_in(client, "tidakada", "bukan-kata-sandinya")
    assert wrong.status_code == unknown.status_code == 401
    assert "salah" in wrong.get_data(as_text=True)
    tokens = re.compile(r'(csrf[-_]token"? (?:content|value)=")[^"]+')

    def page(answer, name: str) -> str:  # noqa: ANN001
        return tokens.sub(r"\1", answer.get_data(as_text=True)).replace(name, "")

    assert page(wrong, "ratna") == page(unknown, "tidakada")


def test_sixth_failed_sign_in_is_refused_even_with_the_right_password(seeded) -> None:  # noqa: ANN001
    make_user(seeded, "ratna", "operator")
    client = browser(seeded)
    for _ in range(5):
        assert sign_in(client, "ratna", "salah-lagi-salah").status_code == 401
    blocked = sign_in(client, "ratna")
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.get_data(as_text=True)


def test_sign_in_without_csrf_token_is_refused(seeded) -> None:  # noqa: ANN001
    make_user(seeded, "ratna", "operator")
    client = browser(seeded)
    client.get("/login")
    response = client.post("/login", data={"username": "ratna", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/console/").status_code == 302  # still signed out


def test_console_post_without_csrf_token_is_refused(operator_client) -> None:  # noqa: ANN001
    response = operator_client.post("/language", data={"lang": "en"})
    assert response.status_code == 400
    token = csrf_token(operator_client, "/console/")
    response = operator_client.post("/language", data={"lang": "en", "csrf_token": token})
    assert response.status_code == 302
    assert "Overview" in operator_client.get("/console/").get_data(as_text=True)


def test_next_never_leaves_the_site(seeded) -> None:  # noqa: ANN001
    make_user(seeded, "ratna", "operator")
    client = browser(seeded)
    token = csrf_token(client)
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.post(
            "/login",
            data={"username": "ratna", "password": PASSWORD, "csrf_token": token, "next": target},
        )
        assert response.headers["Location"] == "/console/"
        client.post("/logout", data={"csrf_token": csrf_token(client, "/console/")})
        token = csrf_token(client)


def test_changing_the_password_ends_other_sessions(seeded, operator_client) -> None:  # noqa: ANN001
    assert operator_client.get("/console/").status_code == 200
    with seeded.extensions["db"].scope() as session:
        user = session.execute(select(User).where(User.username == "ratna")).scalar_one()
        accounts.set_password(session, user, "kata-sandi-baru-456")
        session.commit()
    assert operator_client.get("/console/").status_code == 302


def test_deactivated_account_is_signed_out_on_its_next_request(seeded, operator_client) -> None:  # noqa: ANN001
    runner = seeded.test_cli_runner()
    result = runner.invoke(args=["users", "deactivate", "ratna"])
    assert result.exit_code == 0, result.output
    assert operator_client.get("/console/").status_code == 302


def test_users_create_command_makes_an_agency_officer(seeded, agency_code: str) -> None:  # noqa: ANN001
    runner = seeded.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "budi", "--role", "agency", "--agency", agency_code],
        env={"LAPOR_NEW_PASSWORD": PASSWORD},
    )
    assert result.exit_code == 0, result.output
    client = browser(seeded)
    assert sign_in(client, "budi").headers["Location"] == "/agency/"


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["x", "--role", "agency"], "unknown agency"),
        (["x", "--role", "operator", "--agency", "KAB"], "only agency officers"),
        (["bad name!", "--role", "operator"], "username"),
    ],
)
def test_users_create_refuses_what_cannot_be(seeded, args: list[str], problem: str) -> None:  # noqa: ANN001
    result = seeded.test_cli_runner().invoke(
        args=["users", "create", *args], env={"LAPOR_NEW_PASSWORD": PASSWORD}
    )
    assert result.exit_code != 0 and problem in result.output


def test_short_password_is_refused(seeded) -> None:  # noqa: ANN001
    result = seeded.test_cli_runner().invoke(
        args=["users", "create", "ani", "--role", "operator"], env={"LAPOR_NEW_PASSWORD": "pendek"}
    )
    assert result.exit_code != 0 and "at least" in result.output


def test_bootstrap_creates_the_first_admin_once(seeded) -> None:  # noqa: ANN001
    runner = seeded.test_cli_runner()
    first = runner.invoke(args=["users", "bootstrap"])
    assert first.exit_code == 0 and first.output.startswith("first account: admin / ")
    password = first.output.split(" / ", 1)[1].split()[0]
    assert sign_in(browser(seeded), "admin", password).headers["Location"] == "/console/"
    again = runner.invoke(args=["users", "bootstrap"])
    assert again.exit_code == 0 and again.output == ""
