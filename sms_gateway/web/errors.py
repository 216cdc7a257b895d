"""Plain, clear error answers: a client mistake is never a 500."""

from __future__ import annotations

from flask import Flask, Response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .i18n import translate

# Pages for people (console, portal, sign-in) answer in HTML; machine endpoints in plain text.
PEOPLE = ("console", "agency", "auth")


def _for_people() -> bool:
    return (request.blueprint or "").split(".")[0] in PEOPLE


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError) -> Response | tuple[str, int]:
        message = translate("Sesi formulir kedaluwarsa. Muat ulang halaman dan coba lagi.")
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response | tuple[str, int]:
        if _for_people() and exc.code in (403, 404, 409, 400):
            messages = {403: translate("Anda tidak berhak membuka halaman ini.")}
            message = messages.get(exc.code, exc.description or exc.name)
            return render_template("error.html", code=exc.code, message=message), exc.code
        messages = {
            413: "Request too large: an SMS webhook is a few kilobytes at most.",
            405: "Method not allowed here.",
            404: "Not found.",
        }
        text = messages.get(exc.code or 500, exc.description or exc.name)
        return Response(text + "\n", status=exc.code, mimetype="text/plain")
