"""Tracking numbers: ten digits, random, with a Damm check digit.

A citizen types the number back on a feature-phone keypad, so it is digits only. The Damm check
digit catches every single wrong digit and every swap of two neighbouring digits. Nine random
digits (the first never 0, so spreadsheets keep it whole) give 900 million numbers: guessing a
valid one is hopeless, and collisions are rare enough that a retried insert settles them.
"""

from __future__ import annotations

import re
import secrets

LENGTH = 10

# The quasigroup of order 10 from H. Michael Damm's thesis (2004).
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

_SEPARATORS = re.compile(r"[\s.\-/#]+")


def check_digit(digits: str) -> str:
    """The Damm check digit of a string of digits."""
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][ord(ch) - 48]
    return str(interim)


def is_valid(digits: str) -> bool:
    """True when ``digits`` is a well-formed tracking number (length and check digit)."""
    return (
        len(digits) == LENGTH
        and digits.isascii()
        and digits.isdigit()
        and check_digit(digits) == "0"
    )


def generate() -> str:
    """A new random tracking number (not yet checked for uniqueness)."""
    first = 10 ** (LENGTH - 2)  # nine digits, the first never 0
    body = str(first + secrets.randbelow(9 * first))
    return body + check_digit(body)


def normalise(text: str) -> str | None:
    """Digits of a tracking number typed with or without separators; None if not one."""
    digits = _SEPARATORS.sub("", text.strip())
    return digits if is_valid(digits) else None


def looks_like(text: str) -> bool:
    """True when ``text`` has the shape of a tracking number, valid or mistyped."""
    digits = _SEPARATORS.sub("", text.strip())
    return digits.isascii() and digits.isdigit() and LENGTH - 2 <= len(digits) <= LENGTH + 1


def display(digits: str) -> str:
    """The grouped form shown to people: ``48271-93056``."""
    return f"{digits[:5]}-{digits[5:]}"
