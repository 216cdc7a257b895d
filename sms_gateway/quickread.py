"""The part of understanding the immediate reply depends on, cheap enough for the webhook.

Commands, the privacy words (honoured from the first second: the flag is set at intake, by the
citizen's own word), emergencies (the reply must point to 112 at once) and the reply language.
The rest of understanding — personal data, places, classification — runs in the worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from .understand import detect_emergency, detect_language, normalize, parse_command, read_privacy
from .understand.commands import Command


@dataclass(frozen=True)
class QuickRead:
    """What the immediate reply needs to know about an SMS."""

    kind: str  # complaint | command | empty
    text: str  # the complaint without its leading privacy words
    command: Command | None = None
    rahasia: bool = False
    anonim: bool = False
    emergency: str | None = None
    language: str = "id"
    normalized: str | None = None  # of a complaint's text (understand.normalize), read once here


def _meaningful(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def quick_read(body: str) -> QuickRead:
    """Read an SMS just enough to answer it at once."""
    if not _meaningful(body):
        return QuickRead(kind="empty", text=body.strip())
    command = parse_command(body)
    language = detect_language(body)
    if command is not None:
        return QuickRead(kind="command", text=body.strip(), command=command, language=language)
    privacy = read_privacy(body)
    text = privacy.text.strip()
    if not _meaningful(text):
        return QuickRead(
            kind="empty",
            text=text,
            rahasia=privacy.rahasia,
            anonim=privacy.anonim,
            language=language,
        )
    normalized = normalize(text)
    return QuickRead(
        kind="complaint",
        text=text,
        rahasia=privacy.rahasia,
        anonim=privacy.anonim,
        emergency=detect_emergency(text, normalized=normalized),
        language=language,
        normalized=normalized,
    )
