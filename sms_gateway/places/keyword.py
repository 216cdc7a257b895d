"""region_keyword(): the region word some citizens put first ("BANJARBARU jalan rusak")."""

from __future__ import annotations

from .index import FUZZY_MIN, name_index
from .locate import _common_ancestor
from .matching import _fits
from .regions import Region, depth, region_of
from .text import PREFIXES, tokens, vocabulary

_UPPER_PREFIXES = ("kabupaten", "kab", "kotamadya", "kodya", "kota", "provinsi", "prov")


def _split_prefix(words: list[str]) -> tuple[frozenset[str] | None, str]:
    """Levels named by a leading "KAB"/"KOTA"/"PROV" (also glued: "KOTABATU"), and the name key."""
    if len(words) > 1 and words[0] in _UPPER_PREFIXES:
        return PREFIXES[words[0]], "".join(words[1:])
    key = "".join(words)
    index = name_index()
    if not any(depth(c) <= 2 for c in index.codes(key)):
        for prefix in _UPPER_PREFIXES:
            rest = key.removeprefix(prefix)
            if rest != key and any(depth(c) <= 2 for c in index.codes(rest)):
                return PREFIXES[prefix], rest
    return None, key


def region_keyword(word: str) -> Region | None:
    """Kabupaten/kota (or province) named by a leading word, exact or with one typo; else None."""
    words = tokens(word)
    if not words or len(words) > 4:
        return None
    levels, key = _split_prefix(words)
    index = name_index()
    codes = [c for c in index.codes(key) if depth(c) <= 2]
    if not codes and len(key) >= FUZZY_MIN and key.isalpha() and key not in vocabulary():
        near = [k for k in index.near(key) if any(depth(c) <= 2 for c in index.codes(k))]
        if len(near) == 1:
            codes = [c for c in index.codes(near[0]) if depth(c) <= 2]
    if levels:
        codes = [c for c in codes if _fits(c, levels)] or codes
    if not codes:
        return None
    top = min(depth(c) for c in codes)
    coarsest = [c for c in codes if depth(c) == top]
    chosen = coarsest[0] if len(coarsest) == 1 else _common_ancestor(coarsest)
    return region_of(chosen) if chosen is not None else None
