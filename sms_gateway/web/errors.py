"""Plain, clear error answers: a client mistake is never a 500."""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.exceptions import HTTPException


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        messages = {
            413: "Request too large: an SMS webhook is a few kilobytes at most.",
            405: "Method not allowed here.",
            404: "Not found.",
        }
        text = messages.get(exc.code or 500, exc.description or exc.name)
        return Response(text + "\n", status=exc.code, mimetype="text/plain")
