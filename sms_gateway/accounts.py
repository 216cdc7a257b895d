"""Accounts of the console and the agency portal: creation, passwords (argon2id), sign-in.

Passwords are hashed with argon2id; an unknown username costs the same as a wrong password, so
sign-in timing does not tell which usernames exist.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import ROLES, Agency, User, utcnow

MIN_PASSWORD = 10
_hasher = PasswordHasher()  # argon2id, the library's current recommended parameters
_DUMMY_HASH = _hasher.hash("not a password of anyone's")


class AccountError(ValueError):
    """An account that cannot be made or changed as asked, with the reason."""


def hash_password(password: str) -> str:
    """The argon2id hash to store."""
    return _hasher.hash(password)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    *,
    name: str = "",
    agency_code: str | None = None,
    language: str = "id",
) -> User:
    """A new account; an agency officer is bound to exactly one agency, staff to none."""
    username = username.strip().lower()
    if (
        not username
        or len(username) > 80
        or not username.replace(".", "").replace("_", "").replace("-", "").isalnum()
    ):
        raise AccountError("a username is 1-80 letters, digits, dots, dashes or underscores")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if role == "agency":
        if not agency_code or session.get(Agency, agency_code) is None:
            raise AccountError(f"unknown agency code: {agency_code!r}")
    elif agency_code:
        raise AccountError("only agency officers belong to an agency")
    _check_password(password)
    if session.scalar(select(func.count()).select_from(User).where(User.username == username)):
        raise AccountError(f"the username {username!r} is taken")
    user = User(
        username=username,
        name=name.strip() or username,
        password_hash=hash_password(password),
        role=role,
        agency_code=agency_code if role == "agency" else None,
        language=language if language in ("id", "en") else "id",
        active=True,
        session_stamp=secrets.token_hex(8),
    )
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """Change a password; every other session of the user ends (new session stamp)."""
    _check_password(password)
    user.password_hash = hash_password(password)
    user.session_stamp = secrets.token_hex(8)


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, or None (same cost either way)."""
    username = username.strip().lower()
    user = None
    if "\x00" not in username:  # no username has NUL (and PostgreSQL refuses to compare it)
        user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user
