"""Logging that never writes a citizen's phone number, NIK or bank account in clear.

Nor what a database error would quote of a row: the engines hide statements' parameters
(db.py) and the values PostgreSQL copies into an error's DETAIL or CONTEXT are cut here.

Every record carries the id of the web request (``X-Request-ID``) or the rq job it belongs to,
so one SMS can be followed from the webhook to the worker. ``LOG_FORMAT=json`` writes one JSON
object per line for a log pipeline; the default is plain text for people.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from contextvars import ContextVar
from datetime import UTC, datetime

from flask import Flask, Response, request

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
JOB_ID: ContextVar[str | None] = ContextVar("job_id", default=None)

_NUMBERS = re.compile(
    r"(?<![\w])(\+?62|0)(8\d{1,2})[\d\- ]{5,12}(\d{3})(?!\d)|(?<!\d)\d{12,18}(?!\d)"
)
# What PostgreSQL quotes of the data in an error: the failing row, a key's values, JSON input,
# a value of the wrong type. Rows and values may hold newlines: a quoted row runs to the next
# line SQLAlchemy or a traceback starts.
_END = r"(?=\n(?:\[SQL|HINT:|CONTEXT:|\(Background|The above|Traceback|During handling|  File )|\Z)"
_PG_VALUES = (
    (re.compile(r"(Failing row contains ).*?" + _END, re.DOTALL), r"\1(…)"),
    (
        re.compile(
            r"(Key \([^)]*\)=)\(.*?\)(?= already exists| is not present| is still referenced"
            r"| conflicts with)",
            re.DOTALL,
        ),
        r"\1(…)",
    ),
    (re.compile(r"(CONTEXT: +JSON data, line \d+: ).*?" + _END, re.DOTALL), r"\1…"),
    (
        re.compile(
            r"((?:invalid input syntax for type|invalid input value for enum"
            r'|malformed (?:array|record|range) literal)[^:\n]*: )".*?"(?=\n|$)',
            re.M,
        ),
        r'\1"…"',
    ),
)
TEXT_FORMAT = "%(levelname)s %(name)s [%(context)s] %(message)s"


def redact(text: str) -> str:
    """Phone numbers keep their prefix and last three digits; long digit runs are hidden."""

    def _one(match: re.Match) -> str:
        if match.group(1):
            return f"{match.group(1)}{match.group(2)}****{match.group(3)}"
        return "[angka disembunyikan]"

    return _NUMBERS.sub(_one, text)


def hide_values(text: str) -> str:
    """PostgreSQL's error text without the data it quotes (the failing row, key values...)."""
    if "DETAIL:" in text or "CONTEXT:" in text or "invalid input" in text or "malformed" in text:
        for pattern, replacement in _PG_VALUES:
            text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with :func:`redact` and adds the request or job id."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id, record.job_id = REQUEST_ID.get(), JOB_ID.get()
        record.context = (
            f"req {record.request_id}"
            if record.request_id
            else f"job {record.job_id}"
            if record.job_id
            else "-"
        )
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logged as it is
            return True
        record.msg, record.args = redact(hide_values(message)), None
        if record.exc_info and not record.exc_text:
            # Tracebacks may quote what a statement wrote: hidden and redacted too.
            trace = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(hide_values(trace))
            record.exc_info = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id or job_id."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "job_id"):
            if getattr(record, key, None):
                entry[key] = getattr(record, key)
        if record.exc_text:
            entry["error"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str, fmt: str = "text") -> None:
    """Root logging at ``level`` in ``fmt`` (text | json), every handler redacting."""
    logging.basicConfig(level=level, format=TEXT_FORMAT)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
        if fmt == "json":
            handler.setFormatter(JsonFormatter())


def init_app(app: Flask) -> None:
    """Give every request an id (the caller's ``X-Request-ID`` if sane) and echo it back."""

    @app.before_request
    def _request_id() -> None:
        given = request.headers.get("X-Request-ID", "")
        sane = 8 <= len(given) <= 64 and given.replace("-", "").isalnum()
        REQUEST_ID.set(given if sane else secrets.token_hex(8))

    @app.after_request
    def _echo(response: Response) -> Response:
        response.headers["X-Request-ID"] = REQUEST_ID.get() or ""
        return response

    @app.teardown_request
    def _forget(exc: BaseException | None) -> None:
        REQUEST_ID.set(None)  # what this thread logs next is not this request's
