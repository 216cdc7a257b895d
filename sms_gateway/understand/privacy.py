"""The citizen's privacy words: RAHASIA and ANONIM, only as the leading words of a message.

RAHASIA (confidential): the whole report is never public. ANONIM (anonymous): the reporter's
identity never reaches the agency or the public. Either order, both, any case, common misspellings,
"#" in front, separated by spaces, colons, commas, dashes or "dan"/"&"/"+". A word like "rahasia"
later in the complaint ("data rahasia bocor") sets nothing. When unsure at the start of a message
the flag is set: a needless flag costs little, a missing one leaks a citizen's name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sms_gateway.understand._util import within_one_edit, word_set

_RAHASIA = word_set(
    "rahasia rahasiah rahsia rhs rhsia rahasya rahasiaa rahasi rhasia rahaisa rahsa rhasiah "
    "confidential"
)
_ANONIM = word_set(
    "anonim anonym anonimus anonymous anonymus anonimous annonim anonimm anon anonym anomim "
    "anonime anonimity anonimitas"
)
# A leading word: optional "#", letters, an optional trailing dot; then separators.
_WORD = re.compile(r"\s*#?\s*([^\W\d_]+)\.?(?:[\s:;,\-–—/|+&]+|\Z)")
_JOINER = re.compile(r"(?:dan|and|\+|&)\s+", re.I)


@dataclass(frozen=True)
class Privacy:
    """The privacy flags a citizen asked for, and the text without the words that asked."""

    rahasia: bool
    anonim: bool
    text: str


def _kind(word: str) -> str | None:
    """Which privacy word one leading word is, typo-tolerant: rahasia, anonim or None."""
    word = word.lower()
    if word in _RAHASIA or (len(word) >= 6 and within_one_edit(word, "rahasia")):
        return "rahasia"
    if word in _ANONIM or (len(word) >= 5 and within_one_edit(word, "anonim")):
        return "anonim"
    return None


def read_privacy(text: str) -> Privacy:
    """The RAHASIA/ANONIM flags at the start of ``text`` and the rest of the text verbatim."""
    flags: set[str] = set()
    pos = 0
    head = unicodedata.normalize("NFKC", text[:200])
    if len(head) != len(text[:200]):
        head = text[:200]  # keep offsets into ``text`` exact
    for _ in range(6):
        m = _WORD.match(head, pos)
        if not m:
            break
        kind = _kind(m.group(1))
        if kind is None:
            break
        flags.add(kind)
        pos = m.end()
        joiner = _JOINER.match(head, pos)
        after = _WORD.match(head, joiner.end()) if joiner else None
        if joiner and after and _kind(after.group(1)):
            pos = joiner.end()
    if not flags:
        return Privacy(False, False, text)
    return Privacy("rahasia" in flags, "anonim" in flags, text[pos:].lstrip())
