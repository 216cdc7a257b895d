"""``flask --app wsgi users …``: accounts of the console and the agency portal."""

from __future__ import annotations

import secrets

import click
from flask.cli import AppGroup
from sqlalchemy import select

from . import accounts
from .db import db
from .models import ROLES, User

users_cli = AppGroup("users", help="Accounts of the console and the agency portal.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--agency", "agency_code", help="The agency's code (agency officers only).")
@click.option("--name", default="", help="The name shown in the console and on events.")
@click.option("--language", type=click.Choice(("id", "en")), default="id", show_default=True)
@click.password_option(
    envvar="LAPOR_NEW_PASSWORD", help="Asked twice when not given (or LAPOR_NEW_PASSWORD)."
)
def create(
    username: str, role: str, agency_code: str | None, name: str, language: str, password: str
) -> None:
    """Create an account: admin, supervisor, operator, or agency (with --agency CODE)."""
    with db.scope() as session:
        try:
            user = accounts.create_user(
                session,
                username,
                password,
                role,
                name=name,
                agency_code=agency_code,
                language=language,
            )
        except accounts.AccountError as exc:
            raise click.ClickException(str(exc)) from exc
        session.commit()
        click.echo(f"created {user.role} {user.username}")


@users_cli.command("password")
@click.argument("username")
@click.password_option(envvar="LAPOR_NEW_PASSWORD")
def password(username: str, password: str) -> None:
    """Set a new password (ends the user's other sessions)."""
    with db.scope() as session:
        user = session.execute(
            select(User).where(User.username == username.strip().lower())
        ).scalar_one_or_none()
        if user is None:
            raise click.ClickException(f"no user {username!r}")
        try:
            accounts.set_password(session, user, password)
        except accounts.AccountError as exc:
            raise click.ClickException(str(exc)) from exc
        session.commit()
    click.echo(f"password changed for {username}")


@users_cli.command("deactivate")
@click.argument("username")
def deactivate(username: str) -> None:
    """Close an account at once (its sessions end on their next request)."""
    with db.scope() as session:
        user = session.execute(
            select(User).where(User.username == username.strip().lower())
        ).scalar_one_or_none()
        if user is None:
            raise click.ClickException(f"no user {username!r}")
        user.active = False
        session.commit()
    click.echo(f"deactivated {username}")


@users_cli.command("bootstrap")
def bootstrap() -> None:
    """On a service with no accounts yet: create 'admin' and print its password (once)."""
    with db.scope() as session:
        if session.scalar(select(User.id).limit(1)) is not None:
            return
        password = secrets.token_urlsafe(12)
        accounts.create_user(session, "admin", password, "admin", name="Admin")
        session.commit()
    click.echo(
        f"first account: admin / {password}  (change it: flask --app wsgi users password admin)"
    )


@users_cli.command("list")
def list_users() -> None:
    """Every account: username, role, agency, active."""
    with db.scope() as session:
        for user in session.scalars(select(User).order_by(User.username)):
            state = "active" if user.active else "inactive"
            click.echo(f"{user.username}\t{user.role}\t{user.agency_code or '-'}\t{state}")
