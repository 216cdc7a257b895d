"""Who may see what in the console and the agency portal: sessions, roles, CSRF, headers.

Sessions are Flask-Login's; the session carries the user's id and session stamp, so changing a
password or deactivating an account ends its sessions at once. Every form (and every htmx POST,
through the ``X-CSRFToken`` header) carries a CSRF token checked by Flask-WTF.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from flask import Flask, Response, abort, current_app, redirect, request, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from ..db import db
from ..models import STAFF, User

login_manager = LoginManager()
csrf = CSRFProtect()

# No inline script or style anywhere: a citizen's SMS shown on a page can never run.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask) -> None:
    # CSRF is checked where forms live (console, portal, sign-in), not on machine endpoints.
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 12 * 3600)
    app.config.update(
        REMEMBER_COOKIE_SECURE=app.config["SESSION_COOKIE_SECURE"],
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    login_manager.login_view = "auth.login"
    login_manager.login_message = None


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    raw_id, _, stamp = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.active or user.session_stamp != stamp:
        return None
    return user


@login_manager.unauthorized_handler
def _unauthorized() -> Response:
    target = url_for("auth.login", next=request.full_path if request.method == "GET" else None)
    if request.headers.get("HX-Request"):
        # htmx follows HX-Redirect with a full page load instead of swapping a login form in.
        return Response(status=401, headers={"HX-Redirect": target})
    return redirect(target)


def guard(roles: Iterable[str]) -> Callable[[], Response | None]:
    """A before_request hook: signed in, one of ``roles``, CSRF token on every change."""
    allowed = frozenset(roles)

    def check() -> Response | None:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.role not in allowed:
            abort(403)
        if request.method not in SAFE_METHODS:
            csrf.protect()
        return None

    return check


def requires(*roles: str) -> Callable:
    """Limit a view to some roles (inside a blueprint already guarded)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def secure_headers(response: Response) -> Response:
    """Headers for every page of the console, portal and sign-in (an after_request hook)."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.method == "GET" and response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def sees_phone_numbers() -> bool:
    """Staff see citizens' phone numbers (except anonim reports' on exports); officers never."""
    return current_user.is_authenticated and current_user.role in STAFF


def settings():  # noqa: ANN201
    """The app's settings (config.Settings)."""
    return current_app.config["SETTINGS"]
