"""Signing in and out of the console and the agency portal, with a limit on failed attempts."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import redis
from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from .. import accounts
from ..db import db
from . import access
from .i18n import LANGUAGES, translate

bp = Blueprint("auth", __name__)
bp.after_request(access.secure_headers)
log = logging.getLogger(__name__)

# Failed sign-ins allowed per window, per username and per client address.
WINDOW_SECONDS = 15 * 60
PER_USERNAME = 5
PER_ADDRESS = 30


def _home_of(user) -> str:  # noqa: ANN001
    return url_for("agency.index") if user.role == "agency" else url_for("console.home.index")


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site (no scheme, no host): never an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _failure_keys(username: str) -> tuple[str, str]:
    return f"lapor:login:user:{username.strip().lower()}", f"lapor:login:addr:{request.remote_addr}"


def _blocked_for(username: str) -> int:
    """Seconds until this username/address may try again (0: now)."""
    connection = current_app.extensions["redis"]
    user_key, addr_key = _failure_keys(username)
    try:
        counts = connection.mget(user_key, addr_key)
        over = [
            key
            for key, count, limit in zip(
                (user_key, addr_key), counts, (PER_USERNAME, PER_ADDRESS), strict=True
            )
            if int(count or 0) >= limit
        ]
        return max((connection.ttl(key) for key in over), default=0)
    except redis.RedisError as exc:  # without Redis, sign-in still works (argon2 stays slow)
        log.warning("sign-in limit unavailable: %s", exc)
        return 0


# The window starts at the first failure (EXPIRE … NX needs Redis 7; the embedded one is 6).
_COUNT = """
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, ARGV[1]) end
end
return 1
"""


def _count_failure(username: str) -> None:
    connection = current_app.extensions["redis"]
    try:
        connection.eval(_COUNT, 2, *_failure_keys(username), WINDOW_SECONDS)
    except redis.RedisError as exc:
        log.warning("sign-in limit unavailable: %s", exc)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str:
    """The sign-in form; staff land in the console, officers in their agency's portal."""
    target = _safe_next(request.values.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(target or _home_of(current_user))
    error, status = None, 200
    username = ""
    if request.method == "POST":
        access.csrf.protect()
        username = request.form.get("username", "")[:80]
        password = request.form.get("password", "")[:1024]
        wait = _blocked_for(username)
        if wait:
            error = translate(
                "Terlalu banyak percobaan masuk. Coba lagi dalam {minutes} menit.",
                minutes=max(1, (wait + 59) // 60),
            )
            status = 429
        else:
            user = accounts.authenticate(db.session, username, password)
            if user is None:
                _count_failure(username)
                error, status = translate("Nama pengguna atau kata sandi salah."), 401
            else:
                db.session.commit()
                session.clear()  # a fresh session on every sign-in (no fixation)
                login_user(user)
                return redirect(target or _home_of(user))
    return render_template(
        "auth/login.html", error=error, username=username, next=target or ""
    ), status


@bp.post("/logout")
def logout() -> Response:
    """End the session."""
    access.csrf.protect()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.post("/language")
def choose_language() -> Response:
    """Bahasa Indonesia or English, for the signed-in user (kept on the account) or this session."""
    access.csrf.protect()
    chosen = request.form.get("lang", "id")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        if current_user.is_authenticated:
            current_user.language = chosen
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("auth.login"))
