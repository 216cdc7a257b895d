"""Normalisation of SMS Indonesian for everything downstream (classifier, places, emergencies).

``normalize("Jln dpn rmh sy rusak parahhh, udh 2 mggu blm dibenerin!!")`` gives
``"jalan depan rumah saya rusak parah sudah 2 minggu belum dibenerin"``: lower case, no control
characters or punctuation, repeated letters folded, digits inside words read as letters ("s4ya"),
reduplication spelled out ("jalan2" → "jalan jalan"), slang and abbreviations expanded from the
merged MIT word lists in ``data/`` with domain fixes on top (kel. = kelurahan, gg. = gang;
public-service acronyms such as pkl, satpol pp and ppa kept as written, not read as chat slang).
Negation and urgency words are never dropped. Numbers keep their inner separators ("4827-1930").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources

from sms_gateway.understand._util import MAX_CHARS, clean

_TOKEN = re.compile(r"\d+(?:[.,:/\-]\d+)+|[^\W_]+")
# "Gg. Melati", "Gg Melati", "gg Melati": gang (a lane) when dotted, capitalised or before a
# capitalised name; bare "gg" is SMS for "enggak" unless a number follows ("gg 3").
_GANG = re.compile(r"\bG[gG]\b\.?|\bgg\.|\bgg\b(?=[ \t]+[A-Z])")
# Read differently before a number: "gg 3" is a lane, "pkl 10" a time (pukul). Otherwise bare
# "gg" is "enggak" and "pkl" street vendors (pedagang kaki lima), kept as written.
_BEFORE_NUMBER = {"gg": "gang", "pkl": "pukul"}
# Units read differently after a number: "30 cm" is centimetres (elsewhere "cm" is SMS for
# "cuma"), "5 g" grams (else "tidak"), "3 mnt" minutes (else "minta"), "2 x" times.
_AFTER_NUMBER = {
    "cm": "cm", "mm": "mm", "m": "meter", "kg": "kilogram", "gr": "gram", "g": "gram",
    "ml": "ml", "l": "liter", "lt": "liter", "ltr": "liter", "mnt": "menit", "x": "kali",
}  # fmt: skip
# Units that read the same anywhere; with the two above, a number written against its unit
# ("5kg", "30rb", "2x") is the number and the unit, never digits read as letters ("5kg" is not
# "skg", SMS for "sekarang").
_UNITS = frozenset({
    "rb", "ribu", "jt", "juta", "hr", "hari", "th", "thn", "tahun", "bln", "bulan", "mgg",
    "minggu", "org", "orang", "kwh", "ton", "ons", "jam", "menit", "km", "meter", "mtr", "kali",
    "unit",
})  # fmt: skip
_NUMBER_UNIT = re.compile(r"(\d+)([a-z]+)")
# Names that SMS also use as abbreviations, kept as written beside a word that makes them a name
# (the word before, the word after): "bkn" is "bukan" (not) except in "web bkn", "ke bkn", "bkn
# pusat", where it is the civil service agency; "spt" is "seperti" (like) except in "lapor spt",
# "spt tahunan", where it is the tax return.
_NAMES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "bkn": (
        frozenset({"web", "website", "situs", "portal", "aplikasi", "server", "kantor", "pihak",
                   "petugas", "ke", "dari", "dr", "oleh"}),
        frozenset({"pusat", "regional", "kanreg", "ri"}),
    ),
    "spt": (
        frozenset({"lapor", "melapor", "laporan", "pelaporan", "isi", "mengisi", "ngisi",
                   "efiling"}),
        frozenset({"tahunan", "pajak", "pph", "masa"}),
    ),
}  # fmt: skip
# Two words that are one: "byar pet" (power going off and on), not "bayar" (to pay).
_JOINED = {("byar", "pet"): "byarpet"}
_FIRST_OF_PAIR = frozenset(first for first, _ in _JOINED)
# "Wi-Fi", "wi fi": one word ("fi" alone is slang for "di").
_WIFI = re.compile(r"\bwi[\s\-]?fi\b", re.IGNORECASE)
_RUN3 = re.compile(r"([^\W\d_])\1{2,}")
_PREFIX_NUMBER = re.compile(r"(rt|rw|no|km|gg|blok|kav|lt|jl|jln|gang|kel|kec)(\d+)")
_REDUPLICATION = re.compile(r"([^\W\d_]{2,})2([^\W\d_]*)")
_LEET = str.maketrans({"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t", "9": "g"})
_TWO_DIGITS = re.compile(r"\d\d")


@functools.cache
def lexicon() -> dict[str, str]:
    """The merged informal → formal table ("" for a known formal word), loaded once."""
    table: dict[str, str] = {}
    source = resources.files(__package__).joinpath("data").joinpath("lexicon.tsv")
    for line in source.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("\t")
            table[key] = value
    return table


@functools.cache
def vocabulary() -> frozenset[str]:
    """Formal words: every word the lexicon produces or keeps."""
    words = {w for value in lexicon().values() for w in value.split()}
    words.update(k for k, v in lexicon().items() if not v)
    return frozenset(words)


def _expand(word: str) -> tuple[str, ...]:
    """One lower-case token as normalised words (remembered for words of SMS length)."""
    return _read_remembered(word) if len(word) <= 40 else _read(word)


def _read(word: str) -> tuple[str, ...]:
    table = lexicon()
    value = table.get(word)
    if value is not None:
        return tuple(value.split()) if value else (word,)
    if word in vocabulary() or word.isdigit():
        return (word,)
    if not word.isalpha():
        return _mixed(word)
    if _RUN3.search(word) or (len(word) > 3 and word[-1] == word[-2]):
        return _fold(word)
    return (word,)


# SMS reuse a small vocabulary, and normalize reads its own output again: most words are known.
_read_remembered = functools.lru_cache(maxsize=1 << 15)(_read)


def _mixed(word: str) -> tuple[str, ...]:
    """A token mixing letters and digits: "rt05", "jalan2", "s4ya"."""
    if m := _PREFIX_NUMBER.fullmatch(word):
        return (*_expand(m.group(1)), m.group(2))
    if (m := _NUMBER_UNIT.fullmatch(word)) and (
        m.group(2) in _AFTER_NUMBER or m.group(2) in _UNITS
    ):
        unit = m.group(2)
        return (m.group(1), *((_AFTER_NUMBER[unit],) if unit in _AFTER_NUMBER else _expand(unit)))
    if m := _REDUPLICATION.fullmatch(word):
        stem = _expand(m.group(1))
        return (*stem, *stem[:-1], stem[-1] + m.group(2)) if m.group(2) else (*stem, *stem)
    if word.isascii() and not _TWO_DIGITS.search(word) and sum(c.isalpha() for c in word) >= 2:
        letters = word.translate(_LEET)
        if letters in lexicon() or letters in vocabulary():
            return _expand(letters)
    return (word,)


def _fold(word: str) -> tuple[str, ...]:
    """Elongated words ("parahhhh", "tolonggg", "bgttt") folded to a known form when one exists."""
    table, known = lexicon(), vocabulary()
    two = _RUN3.sub(r"\1\1", word)
    one = re.sub(r"([^\W\d_])\1+", r"\1", word)
    for candidate in (two, two[:-1] if two[-1] == two[-2] else two, one):
        if candidate in table or candidate in known:
            return _expand(candidate)
    return (one,)


def tokens(text: str) -> list[str]:
    """The normalised words of ``text``."""
    text = unicodedata.normalize("NFKC", clean(text))
    text = _WIFI.sub("wifi", _GANG.sub(" gang ", text)).lower()
    raw = _TOKEN.findall(text)
    out: list[str] = []
    joined = False
    for i, word in enumerate(raw):
        if joined:  # the second word of a pair read as one
            joined = False
        elif word in _BEFORE_NUMBER and i + 1 < len(raw) and raw[i + 1][0].isdigit():
            out.append(_BEFORE_NUMBER[word])
        elif word in _AFTER_NUMBER and i > 0 and raw[i - 1][-1].isdigit():
            out.append(_AFTER_NUMBER[word])
        elif word in _NAMES and _named(word, raw, i):
            out.append(word)
        elif i + 1 < len(raw) and (word, raw[i + 1]) in _JOINED:
            out.append(_JOINED[word, raw[i + 1]])
            joined = True
        else:
            out.extend(_expand(word))
    return out


def _named(word: str, raw: list[str], i: int) -> bool:
    """Whether ``raw[i]`` (one of ``_NAMES``) stands beside a word that makes it a name."""
    before, after = _NAMES[word]
    return (i > 0 and raw[i - 1] in before) or (i + 1 < len(raw) and raw[i + 1] in after)


@functools.lru_cache(maxsize=1 << 15)
def _settled(word: str) -> bool:
    """True when reading ``word`` again, alone or among others, gives ``word`` back unchanged."""
    return (
        word not in _BEFORE_NUMBER  # read differently before a number
        and word not in _NAMES  # or beside a word that makes it a name
        and word not in _AFTER_NUMBER  # or after one
        and word not in _FIRST_OF_PAIR  # or before its pair
        and word.lower() == word
        and unicodedata.is_normalized("NFKC", word)
        and _TOKEN.fullmatch(word) is not None
        and _expand(word) == (word,)
    )


def normalize(text: str) -> str:
    """``text`` as normalised words separated by single spaces (see the module docstring).

    A word produced by one rule (a reduplication, a digit read as letters) can be input for
    another, so the rules run until nothing changes (at most a few passes): normalising twice
    gives the same text as normalising once. When every word of the first pass reads as itself
    (nearly always), that pass is the last.
    """
    words = tokens(text)
    result = " ".join(words)
    if len(result) <= MAX_CHARS and all(map(_settled, words)):
        return result
    for _ in range(4):
        again = " ".join(tokens(result))
        if again == result:
            break
        result = again
    return result
