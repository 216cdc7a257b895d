"""Hostile SMS texts for the understanding step, and what must hold for any text.

``understanding_problems(text)`` calls every entry point of the understanding step the worker
and the webhook use (``quick_read``, ``parse_command``, ``read_privacy``, ``mask_pii``,
``normalize``, ``detect_emergency``, ``detect_language``, ``understand``, and with
``with_analysis`` the classifier, the place finder and the router through ``analyse``) and
returns the invariants that failed, as sentences; an exception counts as one. Used by
``benchmarks.hostile_inputs`` (the table) and ``tests/test_hostile_inputs.py`` (property tests).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

from sms_gateway.intake import clean_text
from sms_gateway.quickread import quick_read
from sms_gateway.understand import (
    detect_emergency,
    detect_language,
    mask_pii,
    normalize,
    parse_command,
    read_privacy,
    understand,
)
from sms_gateway.understand.commands import Command
from sms_gateway.understand.pii import plausible_nik

# What no stored or forwarded text may carry: C0/C1 controls but tab/newline/CR, NUL, surrogates.
UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
NIK_RUN = re.compile(r"(?<!\d)\d{16}(?!\d)")

TEXTS: dict[str, str] = {
    "null bytes": "got\x00 mampet\x00\x00 di rt 02 \x00",
    "control characters": "lampu\x07 jalan\x1b[31m mati\x08\x0b\x0c\x7f\x85 sejak\r\n\t2 mggu",
    "SQL injection": "'; DROP TABLE tickets; -- \" OR 1=1 /* UNION SELECT * FROM users */",
    "HTML/script injection": "<script>alert(1)</script><img src=x onerror=alert(2)> jln rusak",
    "10,000 emoji": "\U0001f62d" * 10_000,
    "right-to-left override": "jalan rusak \u202egnanek gg\u202c di \u2067rt 03\u2069 \u200f",
    "very long single word (25,000 letters)": "a" * 25_000,
    "invalid UTF-8 decoded with errors=replace": b"jalan \xff\xfe rusak \xc3\x28 parah".decode(
        "utf-8", "replace"
    ),
    "lone surrogates": "jalan \ud800 rusak \udfff di gg \udc00 mawar",
    "empty": "",
    "only whitespace and punctuation": " \t\r\n ?!... ",
    "command keyword with SQL injection": "CEK ' OR 1=1 --",
    "INFO with a 40-digit number": "INFO " + "9" * 40 + " tambahan keterangan",
    "NILAI with a huge score": "NILAI 4827193059 " + "9" * 400,
    "a NIK glued between words": "warga dg NIK3201014508900001 ditolak di kantor desa",
    "a NIK, phone, e-mail and account together": "nik 3201014508900001 hp 081234567890 "
    "email wati.s@contoh.id rek bri 123456789012345 pungli di kelurahan",
    "digits only, 5,000 long": "1" * 5_000,
    "combining marks (zalgo)": "jalan" + "\u0301\u0316\u0327" * 2_000 + " rusak",
    "full-width and ligatures": "ｊａｌａｎ ｒｕｓａｋ ﬁ ﬂ ㍿ Ⅻ",
    "every leading privacy word": "RAHASIA ANONIM rahasia anonim #rahasia anonim: " * 50,
}


@contextmanager
def _fallbacks() -> Iterator[list[str]]:
    """The errors understand() caught and logged (it never raises: it falls back instead)."""
    caught: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            error = record.exc_info[1] if record.exc_info else None
            caught.append(f"{type(error).__name__}: {error}" if error else record.getMessage())

    logger, handler = logging.getLogger("sms_gateway.understand"), Catch(logging.ERROR)
    logger.addHandler(handler)
    try:
        yield caught
    finally:
        logger.removeHandler(handler)


def _unsafe(name: str, value: str) -> list[str]:
    return [f"{name} keeps control characters or surrogates"] if UNSAFE.search(value) else []


def understanding_problems(text: str, with_analysis: bool = False) -> list[str]:
    """The invariants of the understanding step that ``text`` breaks (empty: none)."""
    try:
        return _check(text, with_analysis)
    except Exception as exc:  # the finding is the exception itself
        return [f"raised {type(exc).__name__}: {str(exc)[:80]}"]


def _check(text: str, with_analysis: bool) -> list[str]:
    problems: list[str] = []
    read = quick_read(clean_text(text))  # what the webhook reads
    if read.kind not in ("complaint", "command", "empty") or not isinstance(read.text, str):
        problems.append(f"quick_read gave kind {read.kind!r}")
    command = parse_command(text)
    if command is not None and not isinstance(command, Command):
        problems.append("parse_command gave something else than a Command")
    privacy = read_privacy(text)
    if not isinstance(privacy.text, str):
        problems.append("read_privacy gave no text")
    masked = mask_pii(text)
    if any(plausible_nik(run) for run in NIK_RUN.findall(masked.text)):
        problems.append("a NIK went through masking")
    normalized = normalize(text)
    if normalize(normalized) != normalized:
        problems.append("normalize is not idempotent")
    detect_emergency(text)
    detect_language(text)
    with _fallbacks() as fell_back:
        first, second = understand(text), understand(text)
    if fell_back:
        problems.append("understand fell back to its fail-safe: " + fell_back[0])
    if first != second:
        problems.append("understand is not deterministic")
    for name in ("text", "masked_text", "normalized"):
        value = getattr(first, name)
        if not isinstance(value, str):
            problems.append(f"understand().{name} is not a str")
        else:
            problems += _unsafe(f"understand().{name}", value)
    if with_analysis:
        problems += _analysis_problems(text)
    return problems


def _analysis_problems(text: str) -> list[str]:
    from sms_gateway.analysis import analyse

    found = analyse(text)
    problems = []
    if not 0.0 <= found.confidence <= 1.0:
        problems.append(f"confidence {found.confidence} outside 0-1")
    if not isinstance(found.masked_text, str) or not isinstance(found.reason, str):
        problems.append("analyse gave a non-text masked text or reason")
    if any(plausible_nik(run) for run in NIK_RUN.findall(found.masked_text)):
        problems.append("a NIK went through analyse's masking")
    return problems
