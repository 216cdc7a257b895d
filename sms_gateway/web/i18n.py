"""The interface speaks Bahasa Indonesia first; English for those who choose it.

Every label is written in Indonesian in the templates and code, wrapped in ``_()``; ENGLISH maps
it to English, gathered from one file per part of the interface in ``translations/``. A label with
no English entry shows in Indonesian (never a blank).
"""

from __future__ import annotations

from flask import Flask, session
from flask_login import current_user

from ..sms.templates import status_name
from .translations import (
    agency,
    boards,
    charts,
    common,
    queue,
    search,
    simulator,
    triage,
)

LANGUAGES = ("id", "en")

ENGLISH: dict[str, str] = {
    text: english
    for part in (agency, boards, charts, common, queue, search, simulator, triage)
    for text, english in part.ENGLISH.items()
}


def translate(text: str, **values: object) -> str:
    """``text`` in the current user's language, with ``values`` filled in."""
    if language() == "en":
        text = ENGLISH.get(text, text)
    return text.format(**values) if values else text


def language() -> str:
    """The signed-in user's language, else the one chosen on the sign-in page, else Indonesian."""
    if current_user and current_user.is_authenticated:
        return current_user.language
    chosen = session.get("lang")
    return chosen if chosen in LANGUAGES else "id"


def status_label(status: str) -> str:
    """A ticket status in plain words, in the user's language."""
    return status_name(status, language())


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(_=translate, ui_language=language, status_label=status_label)
