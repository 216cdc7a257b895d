"""Find region-name mentions in the words of an SMS, and decide which may stand alone."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .index import FUZZY_MIN, NameIndex
from .regions import ancestor, depth, table
from .text import BLOCKERS, EVERYDAY_PHRASES, PREFIXES, STREETS, stopwords

#: Shortest typo'd kabupaten/kota name that may stand alone without support.
FUZZY_ALONE_MIN = 7

#: Longest run of words tried as a typo'd name ("kali mnah" -> "kalimanah").
_FUZZY_WORDS = 3

#: Levels after whose prefix a typo'd name is also looked for among kecamatan and desa names.
_LOWER = frozenset({"kecamatan", "kelurahan", "desa"})


@dataclass(frozen=True, slots=True)
class Mention:
    """Words of the SMS that name one or more regions."""

    words: str  # as folded from the SMS, with any prefix: "kec kalimanah"
    codes: tuple[int, ...]  # every reading (integer codes) the words allow
    alone: frozenset[int]  # readings accepted without support from another mention
    fuzzy: bool
    prefixed: bool
    relaxed: frozenset[int] = frozenset()  # readings of another level than the prefix wrote


def _fits(number: int, levels: frozenset[str]) -> bool:
    d = depth(number)
    if d == 2:
        is_kota = table().name(number).startswith("Kota ")
        return ("kota" in levels and is_kota) or ("kabupaten" in levels and not is_kota)
    wanted = {"provinsi": 1, "kecamatan": 3, "kelurahan": 4, "desa": 4}
    return any(wanted.get(level) == d for level in levels)


def _level_after(words: list[str], at: int, codes: tuple[int, ...]) -> str | None:
    """A kabupaten/kota level word written after a name it picks a reading of ("kediri kota",
    "malang kab"), else None."""
    if at >= len(words):
        return None
    levels = PREFIXES.get(words[at])
    if levels is None or not levels & {"kota", "kabupaten"}:
        return None
    kinds = {_fits(c, frozenset({"kota"})) for c in codes if depth(c) == 2}
    return words[at] if len(kinds) == 2 else None  # only where both readings exist


def _span(words: list[str], start: int, limit: int) -> int:
    """How many words from start may form one name: no prefix, blocker or number inside."""
    end = start + 1
    while end < len(words) and end - start < limit:
        w = words[end]
        if w in PREFIXES or w in BLOCKERS or w in STREETS or w.isdigit():
            break
        end += 1
    return end - start


def _joinable(part: list[str], key: str, index: NameIndex, levels: frozenset[str] | None) -> bool:
    """Words may be joined into one name unless one is a letter or they are all ordinary words
    that do not make up an ordinary-word name ("dan yang" is not "Danyang"). Ordinary words do make
    a name after a prefix of its level ("kec sungai raya"), and as a province or kabupaten/kota
    ("bandar lampung", "kubu raya", "nusa tenggara barat"), unless that is an everyday phrase
    ("batu bara")."""
    if any(len(w) < 2 for w in part):
        return False
    if key in index.ordinary or not all(map(index.is_ordinary, part)):
        return True
    if levels and any(_fits(c, levels) for c in index.codes(key)):
        return True
    return key in index.regional and key not in EVERYDAY_PHRASES


def _lookup(
    words: list[str], start: int, index: NameIndex, levels: frozenset[str] | None
) -> tuple[int, str, tuple[int, ...], bool] | None:
    """Longest exact name at start, else the longest name one typo away: (length, key, codes, fuzzy)."""
    span = _span(words, start, index.max_words)
    for length in range(span, 0, -1):
        part = words[start : start + length]
        key = "".join(part)
        codes = index.codes(key)
        if codes and (length == 1 or _joinable(part, key, index, levels)):
            return length, key, codes, False
    for length in range(min(span, _FUZZY_WORDS), 0, -1):
        part = words[start : start + length]
        key = "".join(part)
        if len(key) < FUZZY_MIN - 1 or not key.isalpha() or all(map(index.is_ordinary, part)):
            continue
        if length > 1 and not _joinable(part, key, index, levels):
            continue
        near = index.near(key, lower=bool(levels and levels & _LOWER))
        if near:
            codes = tuple(sorted({c for k in near for c in index.codes(k)}))
            return length, key, codes, True
    return None


def _classify(
    text: str, key: str, codes: tuple[int, ...], fuzzy: bool, levels: frozenset[str] | None,
    index: NameIndex,
) -> Mention | None:  # fmt: skip
    """Apply the prefix, common-word and distinctiveness rules to one match."""
    if all(w in stopwords() for w in text.split()[1 if levels else 0 :]):
        return None
    if levels:
        fitting = tuple(c for c in codes if _fits(c, levels))
        if fitting:
            # Citizens mix up kecamatan, kelurahan and desa ("kel. tikala" for Kecamatan Tikala):
            # below the kabupaten the other levels' readings stay, needing another mention's
            # support ("pemkot manado ... kel. tikala"), so they never outweigh the written level.
            other = tuple(c for c in codes if depth(c) >= 3 and c not in fitting)
            if not levels & _LOWER:
                other = ()
            return Mention(
                text,
                tuple(sorted(fitting + other)),
                frozenset(fitting),
                fuzzy,
                True,
                frozenset(other),
            )
        text = text.split(" ", 1)[1]  # the prefix did not fit: judge the name bare
    if key in index.common:
        return None
    top = min(depth(c) for c in codes)
    if top <= 2:
        if fuzzy and len(key) < FUZZY_MIN:
            return None
        # A typo'd kabupaten/kota name stands alone only when long ("surabya", not "bantua").
        sure = not fuzzy or len(key) >= FUZZY_ALONE_MIN
        alone = frozenset(c for c in codes if depth(c) == top) if sure else frozenset()
        return Mention(text, codes, alone, fuzzy, False)
    if key in index.ordinary:
        return None
    # Only a kecamatan name can stand alone, and only when found once in the whole country, exact,
    # and not an affixed ordinary word; bare desa/kelurahan names (often streets) need support.
    # Its own same-named desa inside it ("Mertoyudan" in Kecamatan Mertoyudan) is no rival.
    kecamatan = [c for c in codes if depth(c) == 3]
    distinctive = (
        len(kecamatan) == 1
        and all(ancestor(c, 3) == kecamatan[0] for c in codes)
        and not fuzzy
        and len(key) >= FUZZY_MIN
        and key not in index.wordlike
    )
    return Mention(text, codes, frozenset(kecamatan) if distinctive else frozenset(), fuzzy, False)


def spell_kepulauan(words: list[str], index: NameIndex) -> list[str]:
    """`words` with "kep" spelt "kepulauan" where that names a region ("kab. kep. selayar",
    "kep riau", "kep. bangka belitung"); elsewhere "kep" stays what it was ("kep desa")."""
    if "kep" not in words:
        return words
    out = list(words)
    for i, word in enumerate(words):
        rest = words[i + 1 : i + 4]
        if word == "kep" and any(
            index.codes("kepulauan" + "".join(rest[:n])) for n in range(1, len(rest) + 1)
        ):
            out[i] = "kepulauan"
    return out


def _same(a: Mention, b: Mention) -> bool:
    """The same readings, at the same levels (a name written twice counts once)."""
    return a.codes == b.codes and a.relaxed == b.relaxed


def mentions(words: list[str], index: NameIndex) -> list[Mention]:
    """All mentions in a list of folded words, left to right, longest name first."""
    found: list[Mention] = []
    levels: frozenset[str] | None = None
    prefix = ""
    blocked = street = False
    i = 0
    while i < len(words):
        word = words[i]
        if word in PREFIXES:
            levels, prefix, blocked, street = PREFIXES[word], word, False, False
            i += 1
            continue
        if word in BLOCKERS or word in STREETS or word.isdigit():
            levels, blocked, street = None, word in BLOCKERS, word in STREETS
            i += 1
            continue
        hit = _lookup(words, i, index, levels)
        if hit is None:
            i += 1
        else:
            length, key, codes, fuzzy = hit
            name = words[i : i + length]
            after = _level_after(words, i + length, codes) if levels is None else None
            if after is not None:  # "malang kota" reads as "kota malang"; the level word is used up
                prefix, levels = after, PREFIXES[after]
            text = " ".join(([prefix] if levels else []) + name)
            mention = None if blocked else _classify(text, key, codes, fuzzy, levels, index)
            if mention is not None and after is not None:
                mention = replace(mention, words=" ".join([*name, after]))  # as written
            if mention is not None and not any(_same(m, mention) for m in found):
                # A street named after a place ("jl surabaya") only counts with hierarchy support.
                found.append(replace(mention, alone=frozenset()) if street else mention)
            i += length + (after is not None)
        levels, blocked, street = None, False, False
    return found
