"""Personal data in a complaint: NIK, phone numbers, e-mail addresses, bank account numbers.

:func:`mask_pii` returns a masked copy for everything forwarded or shown publicly; the original
stays with the ticket for authorised operators. A finding keeps the value it found, but never
shows it in its repr, so logging a finding leaks nothing. Tracking numbers written after "no
laporan" or "tiket" are not personal data and stay readable.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

from sms_gateway.understand._util import clean

PLACEHOLDERS = {"nik": "[NIK]", "phone": "[TELEPON]", "email": "[EMAIL]", "account": "[REKENING]"}

# Kemendagri province codes (the first two digits of a NIK), 2025, including the new Papua ones.
_PROVINCES = frozenset(
    [11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53]
    + [61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96]
)
_EMAIL = re.compile(r"[\w.+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63})+")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+62|62|0)[\s\-.]?8\d(?:[\s\-.]?\d){7,10}(?![\d])"
    r"|(?<![\w+])(?:\(\s*0\d{2,3}\s*\)|(?:\+62|62|0)[\s\-.]?[2-7]\d{1,2})[\s\-.]?\d{3,4}[\s\-.]?\d{3,4}(?!\d)"
)
# Digit runs of 10-16 digits, single spaces, dots or dashes allowed between groups.
_LONG_NUMBER = re.compile(r"(?<![\w+])\d(?:[\s\-.]?\d){9,15}(?![\d])")
# 16 digits written straight after a letter ("NIK3201…", "ktpku3578…"): _LONG_NUMBER leaves
# these out so that a word ending in digits ("rt05") never swallows the number after it. The
# first digit comes before the lookbehind only because that is faster (most characters fail it).
_GLUED_16 = re.compile(r"\d(?<=[^\W\d]\d)\d{15}(?!\d)")
_NIK_LABEL = re.compile(r"\b(?:nik|ktp|no\.?\s*ktp|nomor induk(?: kependudukan)?)\W{0,4}$", re.I)
_ACCOUNT_BEFORE = re.compile(
    r"\b(?:rek|rekening|norek|no\.?\s*rek|nomor\s+rekening|bri|bni|bca|mandiri|bsi|btn|cimb|"
    r"danamon|permata|bank|tf|trf|transfer|virtual account|va)\b[\w\s.:/#\-]{0,25}$",
    re.I,
)
_MONEY = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_ACCOUNT_AFTER = re.compile(r"^\W{0,3}(?:a\s*/\s*n|a\.n\.?|an\.|atas nama)\b", re.I)
_TICKET_BEFORE = re.compile(
    r"\b(?:laporan|lapor|tiket|ticket|aduan|pengaduan|report)\b\W{0,3}(?:no|nomor|nmr)?\W{0,4}$",
    re.I,
)


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: its kind ("nik", "phone", "email", "account") and span."""

    kind: str
    start: int
    end: int
    value: str = field(repr=False)


@dataclass(frozen=True)
class Masked:
    """A masked copy of a text and what was masked in it."""

    text: str
    findings: tuple[Finding, ...]


def plausible_nik(digits: str) -> bool:
    """True when 16 digits can be a NIK: known province, real birth date (+40 for women)."""
    if len(digits) != 16 or not digits.isdigit():
        return False
    if int(digits[:2]) not in _PROVINCES or digits[2:4] == "00" or digits[4:6] == "00":
        return False
    day, month, year = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    if day > 40:
        day -= 40
    if not 1 <= month <= 12 or day < 1:
        return False
    return day <= calendar.monthrange(2000 + year, month)[1] and digits[12:] != "0000"


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def find_pii(text: str) -> list[Finding]:
    """Personal data found in ``text``, in order, without overlaps."""
    text = clean(text)
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(Finding(kind, start, end, text[start:end]))

    for m in _EMAIL.finditer(text):
        add("email", m.start(), m.end())
    for m in _LONG_NUMBER.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        digits = _digits(m.group())
        if _MONEY.fullmatch(m.group()) or re.search(r"\brp\.?\s*$", before, re.I):
            continue  # an amount of rupiah, not an account
        if len(digits) == 10 and _TICKET_BEFORE.search(before):
            taken.append((m.start(), m.end()))  # a tracking number: leave it readable
        elif _ACCOUNT_BEFORE.search(before) or _ACCOUNT_AFTER.match(text[m.end() : m.end() + 15]):
            if not _PHONE.fullmatch(m.group()) or re.search(r"\brek", before, re.I):
                add("account", m.start(), m.end())
        elif len(digits) == 16 and (plausible_nik(digits) or _NIK_LABEL.search(before)):
            add("nik", m.start(), m.end())
    for m in _PHONE.finditer(text):
        if m.group()[0] in "0+(" or len(_digits(m.group())) >= 11:
            add("phone", m.start(), m.end())  # "62…" with ten digits is a tracking number
    for m in _LONG_NUMBER.finditer(text):
        if len(_digits(m.group())) == 16 and _NIK_LABEL.search(
            text[max(0, m.start() - 40) : m.start()]
        ):
            add("nik", m.start(), m.end())
    for m in _GLUED_16.finditer(text):
        if plausible_nik(m.group()) or _NIK_LABEL.search(text[max(0, m.start() - 40) : m.start()]):
            add("nik", m.start(), m.end())
    return sorted(found, key=lambda f: f.start)


def mask_pii(text: str) -> Masked:
    """A copy of ``text`` with each piece of personal data replaced by a typed placeholder."""
    text = clean(text)
    findings = find_pii(text)
    parts: list[str] = []
    pos = 0
    for f in findings:
        parts.append(text[pos : f.start])
        parts.append(PLACEHOLDERS[f.kind])
        pos = f.end
    parts.append(text[pos:])
    return Masked("".join(parts), tuple(findings))
