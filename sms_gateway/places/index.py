"""Index of region names: exact keys, one-typo neighbours, and which names are ordinary words."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .regions import depth, table, to_int
from .text import COMMON, everyday_words, is_ordinary, key_of, name_words, tokens, vocabulary

#: Shortest name (in letters) matched with one typo.
FUZZY_MIN = 6

#: Everyday names for provinces and cities that Kemendagri spells otherwise.
ALIASES: dict[str, str] = {
    "nad": "11", "sumut": "12", "sumbar": "13", "sumsel": "16", "babel": "19",
    "bangka belitung": "19", "kepri": "21", "jakarta": "31", "dki": "31", "dki jakarta": "31",
    "jabar": "32", "jateng": "33", "diy": "34", "jogja": "34", "yogya": "34", "jogjakarta": "34",
    "jatim": "35", "ntb": "52", "ntt": "53", "kalbar": "61", "kalteng": "62", "kalsel": "63",
    "kaltim": "64", "kaltara": "65", "sulut": "71", "sulteng": "72", "sulsel": "73",
    "sultra": "74", "sulbar": "76", "malut": "82", "pabar": "92",
    "jakpus": "31.71", "jakut": "31.72", "jakbar": "31.73", "jaksel": "31.74", "jaktim": "31.75",
    "solo": "33.72", "purwokerto": "33.02", "tangsel": "36.74", "jogja kota": "34.71",
    # SMS shorthands of cities with one region of that name (not "bdg" or "mlg": Kota and
    # Kabupaten share the name; not "smg", "plg" or "mks": SMS for semoga, pulang, makasih).
    "sby": "35.78", "jkt": "31", "mdn": "12.71", "dps": "51.71",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class NameIndex:
    """Normalised names to integer region codes, with the flags the matching rules need."""

    by_key: dict[str, int | tuple[int, ...]]
    common: frozenset[str]  # every word generic ("pasar baru"): needs a prefix at any level
    ordinary: frozenset[
        str
    ]  # every word an everyday SMS word ("kantor"): kecamatan/desa need a prefix
    wordlike: frozenset[str]  # kata dasar or affixed forms ("genteng", "bubutan"): never alone
    # Words of province and kabupaten/kota names that only look affixed ("bekasi" as be-kasi,
    # "pekalongan", "tabanan"): names, not ordinary words.
    proper: frozenset[str]
    # Keys of province and kabupaten/kota names of several words ("bandarlampung", "kuburaya").
    regional: frozenset[str]
    deletions: dict[str, tuple[str, ...]]  # one-letter deletions of province..kecamatan keys
    lower_by_length: dict[int, tuple[str, ...]]  # keys of kecamatan/desa names by length
    max_words: int

    def is_ordinary(self, word: str) -> bool:
        """`text.is_ordinary`, except for the words of province and kabupaten/kota names."""
        return word not in self.proper and is_ordinary(word)

    def codes(self, key: str) -> tuple[int, ...]:
        """Integer codes of every region whose name has this key."""
        found = self.by_key.get(key)
        if found is None:
            return ()
        return found if isinstance(found, tuple) else (found,)

    def near(self, key: str, lower: bool = False) -> list[str]:
        """Keys one typo away (insertion, deletion, substitution, swap) from a key of 5+ letters."""
        if len(key) < FUZZY_MIN - 1:
            return []
        seen: set[str] = set()
        for variant in (key, *(key[:i] + key[i + 1 :] for i in range(len(key)))):
            seen.update(self.deletions.get(variant, ()))
        if lower:
            choices = [k for n in (len(key) - 1, len(key), len(key) + 1)
                       for k in self.lower_by_length.get(n, ())]  # fmt: skip
            for match, _, _ in process.extract(
                key, choices, scorer=OSA.distance, score_cutoff=1, limit=None
            ):
                seen.add(match)
        found = [k for k in seen if k != key and len(k) >= FUZZY_MIN and k not in self.common]
        return sorted(k for k in found if OSA.distance(key, k) <= 1)


@cache
def name_index() -> NameIndex:
    """Build the name index once per process."""
    data = table()
    vocab = everyday_words()
    grouped: dict[str, list[int]] = defaultdict(list)
    generic: dict[str, bool] = {}
    everyday: dict[str, bool] = {}
    wordy: dict[str, bool] = {}
    max_words = 1
    dictionary = vocabulary()
    proper = frozenset(
        w
        for number, name in zip(data.codes, data.names, strict=True)
        if depth(number) <= 2
        for w in name_words(name)
        if w not in dictionary and is_ordinary(w)
    )
    for number, name in zip(data.codes, data.names, strict=True):
        words = name_words(name)
        if not words:
            continue
        key = key_of(words)
        grouped[key].append(number)
        max_words = max(max_words, len(words))
        generic[key] = generic.get(key, True) and all(w in COMMON or w.isdigit() for w in words)
        everyday[key] = everyday.get(key, True) and all(w.isdigit() or w in vocab for w in words)
        wordy[key] = wordy.get(key, True) and all(
            w.isdigit() or (w not in proper and is_ordinary(w)) for w in words
        )
    for alias, code in ALIASES.items():
        number = to_int(code)
        if number is not None and data.row(number) is not None:
            grouped[key_of(tokens(alias))].append(number)
    by_key: dict[str, int | tuple[int, ...]] = {
        k: (v[0] if len(v) == 1 else tuple(sorted(set(v)))) for k, v in grouped.items()
    }
    deletions: dict[str, set[str]] = defaultdict(set)
    lower: dict[int, list[str]] = defaultdict(list)
    for key, numbers in grouped.items():
        if len(key) < FUZZY_MIN:
            continue
        if any(depth(n) <= 3 for n in numbers):
            for i in range(len(key)):
                deletions[key[:i] + key[i + 1 :]].add(key)
            deletions[key].add(key)
        if any(depth(n) >= 3 for n in numbers):
            lower[len(key)].append(key)
    return NameIndex(
        by_key=by_key,
        common=frozenset(k for k, flag in generic.items() if flag),
        ordinary=frozenset(k for k, flag in everyday.items() if flag) | (vocab & by_key.keys()),
        wordlike=frozenset(k for k, flag in wordy.items() if flag),
        proper=proper,
        regional=frozenset(
            key_of(name_words(name))
            for number, name in zip(data.codes, data.names, strict=True)
            if depth(number) <= 2 and len(name_words(name)) > 1
        ),
        deletions={k: tuple(sorted(v)) for k, v in deletions.items()},
        lower_by_length={n: tuple(keys) for n, keys in lower.items()},
        max_words=max_words,
    )
