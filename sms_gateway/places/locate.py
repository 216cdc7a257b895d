"""locate(): the finest administrative region an SMS supports, never a guess between homonyms."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from .index import name_index
from .matching import Mention, mentions, spell_kepulauan
from .regions import Region, ancestor, depth, region_of, table, to_code, to_int
from .text import read_shorthands, tokens

_HINT = -1
# What a mention counts for a region it names only at another level than its prefix wrote, so
# that the written level wins a tie ("kel tegalsari surabaya" is the kelurahan, not the kecamatan
# of that name); more than the hint's 0.5, so the text still wins over the hint.
_RELAXED = 0.75
_MAX_CANDIDATES = 10


@dataclass(frozen=True, slots=True)
class Match:
    """Evidence: which words of the SMS named which region, and how."""

    words: str  # folded words of the SMS ("kec kalimanah"); "" for the hint
    code: str
    name: str
    how: Literal["exact", "typo", "hint"]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a complaint is: the finest certain region, its chain, evidence and open readings."""

    region: Region | None
    chain: tuple[Region, ...]  # province first, ending with `region`; () when None
    confidence: float  # 0.0 (nothing) .. 1.0; a heuristic, see _confidence
    evidence: tuple[Match, ...]
    candidates: tuple[Region, ...]  # finer readings left ambiguous (at most 10), else ()

    def as_dict(self) -> dict[str, str] | None:
        """The public JSON shape of the region, or None."""
        return self.region.as_dict() if self.region else None


NOWHERE = Location(None, (), 0.0, (), ())


def _hint_code(hint: str | None) -> int | None:
    if not hint:
        return None
    number = to_int(hint)
    return number if number is not None and table().row(number) is not None else None


def _chain(number: int) -> list[int]:
    return [ancestor(number, d) for d in range(1, depth(number) + 1)]


def _common_ancestor(numbers: list[int]) -> int | None:
    shared = None
    for d in range(1, 5):
        level = {ancestor(n, d) for n in numbers if depth(n) >= d}
        if len(level) != 1 or any(depth(n) < d for n in numbers):
            break
        shared = level.pop()
    return shared


def locate(text: str, hint: str | None = None) -> Location:
    """Find the region an SMS is about; `hint` is a Kemendagri code prefix ("35.78") from context."""
    index = name_index()
    found = mentions(spell_kepulauan(read_shorthands(tokens(text)), index), index)
    hint_number = _hint_code(hint)
    covers: dict[int, set[int]] = defaultdict(set)
    relaxed: dict[int, set[int]] = defaultdict(set)  # readings of another level than written
    for i, mention in enumerate(found):
        for number in mention.codes:
            (relaxed if number in mention.relaxed else covers)[number].add(i)
    if hint_number is not None:
        covers[hint_number].add(_HINT)

    def support_of(number: int) -> tuple[float, set[int]]:
        chain = _chain(number)
        full = set().union(*(covers.get(a, ()) for a in chain))
        loose = set().union(*(relaxed.get(a, ()) for a in chain)) - full
        return _score(full) + _RELAXED * len(loose), full | loose

    # Support only counts from a mention that could stand alone (or the hint): two weak names
    # ("sukamaju", a typo) never confirm each other.
    strong = {i for i, m in enumerate(found) if m.alone} | {_HINT}
    scored: list[tuple[float, int, set[int]]] = []
    for i, mention in enumerate(found):
        for number in mention.codes:
            if number in mention.relaxed and not mention.alone.isdisjoint(_chain(number)):
                continue  # inside a reading of the written level ("kec tegalsari"'s own kelurahan)
            score, support = support_of(number)
            if number in mention.alone or (support - {i}) & strong:
                scored.append((score, number, support))
    if hint_number is not None:
        score, support = support_of(hint_number)
        scored.append((score, hint_number, support))
    if not scored:
        return NOWHERE

    best = max(s for s, _, _ in scored)
    top = sorted({n for s, n, _ in scored if s == best})
    if len(top) > 1:
        top = _least_ambiguous(top, scored, best, found)
    supports = set().union(*(sup for s, n, sup in scored if s == best and n in top))
    chosen = top[0] if len(top) == 1 else _common_ancestor(top)
    candidates = () if len(top) == 1 else tuple(region_of(n) for n in top[:_MAX_CANDIDATES])
    if chosen is None:
        return Location(None, (), 0.0, (), candidates)
    evidence = _evidence(found, supports, top, chosen, hint_number)
    chain = tuple(region_of(a) for a in _chain(chosen))
    confidence = _confidence(evidence, ambiguous=len(top) > 1)
    return Location(chain[-1], chain, confidence, evidence, candidates)


def _least_ambiguous(
    top: list[int], scored: list[tuple[float, int, set[int]]], best: float, found: list[Mention]
) -> list[int]:
    """Of readings tied on score, those whose mentions name fewest places: "desa Sukamaju kab.
    Grobogan", where none of the 119 Sukamaju villages is in Grobogan, is Grobogan, not nowhere."""
    spread: dict[int, int] = {}
    for score, number, support in scored:
        if score == best:
            widest = max((_readings(found[i]) for i in support if i != _HINT), default=1)
            spread[number] = min(spread.get(number, widest), widest)
    least = min(spread[n] for n in top)
    return [n for n in top if spread[n] == least]


def _readings(mention: Mention) -> int:
    """How many places a mention names at the level it was written."""
    return len(mention.codes) - len(mention.relaxed)


def _score(support: set[int]) -> float:
    """Each mention in the text counts 1; the hint counts 0.5, so the text wins over the hint."""
    return sum(0.5 if m == _HINT else 1.0 for m in support)


def _evidence(
    found: list[Mention], supports: set[int], top: list[int], chosen: int, hint: int | None
) -> tuple[Match, ...]:
    on_chains = {a for n in top for a in _chain(n)}
    matches: list[Match] = []
    for i in sorted(m for m in supports if m != _HINT):
        mention = found[i]
        readings = sorted(n for n in mention.codes if n in on_chains)
        number = readings[0] if len(readings) == 1 else chosen
        how: Literal["exact", "typo"] = "typo" if mention.fuzzy else "exact"
        matches.append(Match(mention.words, to_code(number), table().name(number), how))
    if hint is not None and _HINT in supports:
        matches.append(Match("", to_code(hint), table().name(hint), "hint"))
    return tuple(matches)


def _confidence(evidence: tuple[Match, ...], ambiguous: bool) -> float:
    """0.6 for one mention, +0.15 per further mention, +0.1 for an agreeing hint, -0.1 per typo."""
    words = [m for m in evidence if m.how != "hint"]
    if not words:
        return 0.5
    value = 0.45 + 0.15 * len(words) + (0.1 if len(words) < len(evidence) else 0.0)
    value -= 0.1 * sum(m.how == "typo" for m in words)
    if ambiguous:
        value *= 0.8
    return round(max(0.05, min(1.0, value)), 2)
