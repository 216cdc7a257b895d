"""Canaries and surfaces for leak sweeps: distinctive values planted in reports, looked for in
every output collected as text."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from sms_gateway import logs

# Separators a surface may put between digit groups ("0813-7771-4001", "3578 0512 …").
_DIGIT_GAP = re.compile(r"(?<=\d)[ .\-](?=\d)")
# Loggers of the test's own servers (aiosmtpd is the agency's mail server, not part of the
# service): what they log is not what the service logs.
HARNESS_LOGGERS = ("mail.log",)
# An Indonesian mobile number in clear: +62 8…, 62 8… or 08…, 9 to 13 digits after the prefix.
UNMASKED_MOBILE = re.compile(r"(?<![\w+])(?:\+62|62|0)8\d{7,11}(?!\d)")


def joined_digits(text: str) -> str:
    """``text`` with the separators inside digit groups removed."""
    return _DIGIT_GAP.sub("", text)


@dataclass(frozen=True)
class Canary:
    """One planted value: ``kind`` (what it is) of the report ``case`` (whose it is)."""

    case: str
    kind: str
    forms: tuple[str, ...]  # any of these found (case-insensitive) is the canary found
    digits: bool = False  # also look in the text with digit separators removed

    def found_in(self, text: str, folded: str, joined: str) -> bool:
        """True when any form occurs in ``text`` (``folded``: lower case; ``joined``: digits)."""
        return any(
            form.lower() in folded or (self.digits and form in joined) for form in self.forms
        )


@dataclass
class Surface:
    """One output surface: its parts as text, each named by where it came from."""

    name: str
    parts: list[tuple[str, str]] = field(default_factory=list)
    _views: list[tuple[str, str, str]] = field(default_factory=list, repr=False)

    def add(self, source: str, text: str) -> None:
        self.parts.append((source, text))

    @property
    def size(self) -> int:
        return sum(len(text.encode()) for _, text in self.parts)

    def where(self, canary: Canary) -> list[str]:
        """The sources of the parts that contain ``canary``."""
        if len(self._views) != len(self.parts):  # each part lower-cased and digit-joined once
            self._views = [(t, t.lower(), joined_digits(t)) for _, t in self.parts]
        return [
            source
            for (source, _), view in zip(self.parts, self._views, strict=True)
            if canary.found_in(*view)
        ]

    def containing(self, needle: str) -> list[str]:
        """The sources of the parts that contain ``needle`` verbatim."""
        return [source for source, text in self.parts if needle in text]


class LogCapture(logging.Handler):
    """Every record of the service the root logger passes on, redacted as production handlers
    redact it (``logs.configure`` puts a RedactingFilter on each handler), in both LOG_FORMATs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.addFilter(lambda record: not record.name.startswith(HARNESS_LOGGERS))
        self.addFilter(logs.RedactingFilter())
        self.text_format = logging.Formatter(logs.TEXT_FORMAT)
        self.json_format = logs.JsonFormatter()
        self.text: list[str] = []
        self.json: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.text.append(self.text_format.format(record))
        self.json.append(self.json_format.format(record))
