"""Understanding what a citizen texted: command or complaint, privacy words, personal data,
normalised words, emergency, language. Pure functions: no Flask, no rq, no database.

``understand(text)`` never raises and its work is bounded: it looks at the first
``MAX_CHARS`` characters only (``truncated`` says when there were more), which is far more than
ten concatenated SMS parts.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sms_gateway.understand._util import MAX_CHARS, clean
from sms_gateway.understand.commands import Command, parse_command
from sms_gateway.understand.emergency import detect_emergency
from sms_gateway.understand.language import Language, detect_language
from sms_gateway.understand.normalize import normalize, tokens
from sms_gateway.understand.pii import Finding, mask_pii
from sms_gateway.understand.privacy import read_privacy

__all__ = [
    "MAX_CHARS",
    "Understanding",
    "detect_emergency",
    "detect_language",
    "mask_pii",
    "normalize",
    "parse_command",
    "read_privacy",
    "tokens",
    "understand",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Understanding:
    """Everything the gateway needs to know about one inbound SMS.

    ``text`` is the complaint without the leading privacy words, otherwise verbatim (minus control
    characters, NUL bytes and lone surrogates, which no database stores); ``masked_text`` is that
    text with personal data replaced by placeholders; ``normalized`` is the masked text normalised.
    """

    command: Command | None
    is_empty: bool
    rahasia: bool  # the whole report is never public
    anonim: bool  # the reporter's identity never reaches the agency or the public
    text: str
    masked_text: str
    pii: tuple[Finding, ...]
    normalized: str
    emergency: str | None
    language: Language
    truncated: bool = False


def _understand(text: str) -> Understanding:
    truncated = len(text) > MAX_CHARS
    text = clean(text)
    command = parse_command(text)
    privacy = read_privacy(text)
    body = privacy.text
    masked = mask_pii(body)
    normalized = normalize(masked.text)
    meaningful = any(ch.isalnum() for ch in body)
    return Understanding(
        command=command,
        is_empty=command is None and not meaningful,
        rahasia=privacy.rahasia,
        anonim=privacy.anonim,
        text=body,
        masked_text=masked.text,
        pii=masked.findings,
        normalized=normalized,
        emergency=detect_emergency(body, normalized=normalized),
        language=detect_language(body),
        truncated=truncated,
    )


def understand(text: str) -> Understanding:
    """What ``text`` (one inbound SMS, possibly joined parts) says; never raises."""
    try:
        return _understand(text if isinstance(text, str) else str(text))
    except Exception:  # a bug here must not lose a citizen's message
        log.exception("understand() failed; falling back to the raw text")
        return _fail_safe(text)


def _fail_safe(text: str) -> Understanding:
    """The most private reading of ``text``: both flags set, every digit and address hidden."""
    body = clean(text) if isinstance(text, str) else ""
    hidden = re.sub(r"\S*@\S*", "[EMAIL]", re.sub(r"\d", "X", body))
    return Understanding(
        command=None,
        is_empty=not any(ch.isalnum() for ch in body),
        rahasia=True,
        anonim=True,
        text=body,
        masked_text=hidden,
        pii=(),
        normalized=hidden.lower(),
        emergency=None,
        language="id",
        truncated=isinstance(text, str) and len(text) > MAX_CHARS,
    )
