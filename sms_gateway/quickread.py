"""The part of understanding the immediate reply depends on, cheap enough for the webhook.

Commands, the privacy words (which must be honoured from the first second), emergencies (the
reply must point to 112 at once) and the reply language. The rest of understanding — personal
data, places, classification — runs in the worker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import tracking

_STATUS = re.compile(
    r"^\s*(?:status|cek|check)\s*[:.]?\s*(?:(?:no|nomor|nmr)\b\.?\s*|#\s*)?([\d\s.\-/]*)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class StatusCommand:
    """STATUS / CEK: ``number`` is the valid tracking number, ``given`` what was typed."""

    number: str | None
    given: str


@dataclass(frozen=True)
class QuickRead:
    """What the immediate reply needs to know about an SMS."""

    kind: str  # complaint | status | empty
    text: str
    command: StatusCommand | None = None
    rahasia: bool = False
    anonim: bool = False
    emergency: str | None = None
    language: str = "id"
    region_hint: str | None = None


def quick_read(body: str) -> QuickRead:
    """Read an SMS just enough to answer it at once."""
    text = body.strip()
    if not any(ch.isalnum() for ch in text):
        return QuickRead(kind="empty", text=text)
    match = _STATUS.match(text)
    if match:
        given = match.group(1).strip()
        return QuickRead(
            kind="status",
            text=text,
            command=StatusCommand(number=tracking.normalise(given) if given else None, given=given),
        )
    return QuickRead(kind="complaint", text=text)
