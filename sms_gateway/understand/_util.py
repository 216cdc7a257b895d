"""Small helpers shared by the understanding modules: cleaning input and typo tolerance."""

from __future__ import annotations

import re

# C0/C1 controls except tab, newline and carriage return, plus lone surrogates (which cannot be
# encoded as UTF-8, so no database could store them) and NUL (PostgreSQL refuses it in text).
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

# Upper bound on the characters any understanding step looks at. Ten concatenated SMS parts are
# 1,530 GSM-7 characters; anything far longer is not an SMS and must not cost more time.
MAX_CHARS = 4000


def clean(text: str) -> str:
    """``text`` capped at MAX_CHARS, without control characters, NUL bytes or lone surrogates."""
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    return _UNSAFE.sub("", text)


def within_one_edit(word: str, target: str) -> bool:
    """True when ``word`` is ``target`` or one insertion, deletion, substitution or swap away."""
    if word == target:
        return True
    lw, lt = len(word), len(target)
    if abs(lw - lt) > 1:
        return False
    if lw == lt:
        diffs = [i for i in range(lw) if word[i] != target[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and word[diffs[0]] == target[diffs[1]]
            and word[diffs[1]] == target[diffs[0]]
        )
    short, long_ = (word, target) if lw < lt else (target, word)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def fuzzy_lookup(word: str, table: dict[str, str], min_len: int = 4) -> str | None:
    """``table[word]``, or the value of the one key of ≥ ``min_len`` letters one edit away."""
    if word in table:
        return table[word]
    if len(word) < min_len - 1:
        return None
    found = {
        value for key, value in table.items() if len(key) >= min_len and within_one_edit(word, key)
    }
    return found.pop() if len(found) == 1 else None


def word_set(words: str) -> frozenset[str]:
    """The whitespace-separated words of ``words`` as a frozen set (for readable word lists)."""
    return frozenset(words.split())
