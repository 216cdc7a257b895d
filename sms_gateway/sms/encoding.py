"""SMS encoding: GSM-7 or UCS-2, segment counts, and the substitutions that keep text in GSM-7.

One SMS carries 160 GSM-7 characters (153 per part once split). A single character outside the
GSM-7 alphabet (an emoji, a curly quote) turns the whole message into UCS-2: 70 characters, 67 per
part. Outgoing text is therefore passed through :func:`to_gsm7` first.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = "^{}\\[~]|€\f"  # each costs two septets (escape + char)

_BASIC = frozenset(GSM7_BASIC) - {"\x1b"}
_EXTENDED = frozenset(GSM7_EXTENDED)
_GSM7 = _BASIC | _EXTENDED
_WITHOUT_EXTENDED = str.maketrans(dict.fromkeys(GSM7_EXTENDED))  # set and table: no loop in Python

# Common characters phones and editors produce that GSM-7 lacks, and what to send instead.
SUBSTITUTIONS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2033": '"',
    "«": '"',
    "»": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\ufeff": "",
    "\t": " ",
    "\u2022": "-",
    "\u00b7": "-",
    "\u2192": "->",
    "\u00d7": "x",
    "\u00b0": "o",
    "á": "a",
    "â": "a",
    "ã": "a",
    "í": "i",
    "î": "i",
    "ï": "i",
    "ó": "o",
    "ô": "o",
    "õ": "o",
    "ú": "u",
    "û": "u",
    "ê": "e",
    "ë": "e",
    "ç": "c",
    "Á": "A",
    "Í": "I",
    "Ó": "O",
    "Ú": "U",
    "È": "E",
    "Ê": "E",
}

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True)
class Encoded:
    """How a text travels as SMS."""

    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int


def is_gsm7(text: str) -> bool:
    """True when every character of ``text`` exists in the GSM-7 alphabet (basic or extension)."""
    return _GSM7.issuperset(text)


def to_gsm7(text: str) -> str:
    """Replace common non-GSM characters (curly quotes, dashes, accents) with GSM-7 ones.

    Characters with no sensible substitute are kept: the caller decides whether UCS-2 is
    acceptable (it is for a citizen's own words quoted back, never for our templates).
    """
    if is_gsm7(text):
        return text
    out = []
    for ch in text:
        if ch in _GSM7:
            out.append(ch)
        elif ch in SUBSTITUTIONS:
            out.append(SUBSTITUTIONS[ch])
        else:
            base = unicodedata.normalize("NFKD", ch)
            stripped = "".join(c for c in base if not unicodedata.combining(c))
            out.append(stripped if stripped and is_gsm7(stripped) else ch)
    return "".join(out)


def measure(text: str) -> Encoded:
    """Encoding, length in units and number of segments of ``text`` as it would be sent."""
    if is_gsm7(text):
        units = 2 * len(text) - len(text.translate(_WITHOUT_EXTENDED))  # extension chars count 2
        segments = 1 if units <= GSM7_SINGLE else -(-units // GSM7_PART)
        return Encoded("GSM-7", units, segments)
    units = len(text.encode("utf-16-le")) // 2
    segments = 1 if units <= UCS2_SINGLE else -(-units // UCS2_PART)
    return Encoded("UCS-2", units, segments)


def truncate_to_segments(text: str, segments: int, ellipsis: str = "...") -> str:
    """Shorten ``text`` (already GSM-7) so it fits in ``segments`` parts, ending with ``ellipsis``."""
    if measure(text).segments <= segments:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(text[:mid].rstrip() + ellipsis).segments <= segments:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ellipsis
