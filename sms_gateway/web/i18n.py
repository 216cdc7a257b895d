"""The interface speaks Bahasa Indonesia first; English for those who choose it.

Every label is written in Indonesian in the templates and code, wrapped in ``_()``; ENGLISH maps
it to English. A label with no English entry shows in Indonesian (never a blank).
"""

from __future__ import annotations

from flask import Flask, session
from flask_login import current_user

from ..sms.templates import status_name

LANGUAGES = ("id", "en")

ENGLISH: dict[str, str] = {
    "Masuk": "Sign in",
    "Keluar": "Sign out",
    "Nama pengguna": "Username",
    "Kata sandi": "Password",
    "Nama pengguna atau kata sandi salah.": "Wrong username or password.",
    "Terlalu banyak percobaan masuk. Coba lagi dalam {minutes} menit.": (
        "Too many sign-in attempts. Try again in {minutes} minutes."
    ),
    "Sesi formulir kedaluwarsa. Muat ulang halaman dan coba lagi.": (
        "The form's session expired. Reload the page and try again."
    ),
    "Anda tidak berhak membuka halaman ini.": "You may not open this page.",
    "Konsol Operator": "Operator console",
    "Portal Instansi": "Agency portal",
    "Ringkasan": "Overview",
    "Antrean SMS": "SMS queue",
    "Triase": "Triage",
    "Papan SLA": "SLA board",
    "Grafik": "Charts",
    "Cari": "Search",
    "Simulator HP": "Phone simulator",
    "Tiket": "Tickets",
    "Bahasa": "Language",
    "menunggu triase": "waiting for triage",
    "terlambat (lewat SLA)": "overdue (past SLA)",
    "tiket terbuka": "open tickets",
    "SMS masuk 24 jam terakhir": "SMS received in the last 24 hours",
    "Tiket terbuka menurut status": "Open tickets by status",
    "Status": "Status",
    "Jumlah": "Count",
    "Belum ada tiket terbuka.": "No open tickets yet.",
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
