"""Logging that never writes a citizen's phone number, NIK or bank account in clear."""

from __future__ import annotations

import logging
import re

_NUMBERS = re.compile(
    r"(?<![\w])(\+?62|0)(8\d{1,2})[\d\- ]{5,12}(\d{3})(?!\d)|(?<!\d)\d{12,18}(?!\d)"
)


def redact(text: str) -> str:
    """Phone numbers keep their prefix and last three digits; long digit runs are hidden."""

    def _one(match: re.Match) -> str:
        if match.group(1):
            return f"{match.group(1)}{match.group(2)}****{match.group(3)}"
        return "[angka disembunyikan]"

    return _NUMBERS.sub(_one, text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with :func:`redact` before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logged as it is
            return True
        record.msg, record.args = redact(message), None
        return True


def configure(level: str) -> None:
    """Root logging at ``level``, every handler redacting personal numbers."""
    logging.basicConfig(level=level)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
