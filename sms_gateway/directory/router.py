"""Route a classified, located complaint to the agency that must act, or to triage, with a reason.

Decisions the router makes (see README.md in this folder):
- A kecamatan or desa/kelurahan code maps up to its kabupaten/kota; national targets need no region.
- A regional rule whose region is missing, unknown, or only a province when the rule needs a
  kabupaten/kota goes to triage (the province has no authority over kabupaten/kota affairs, so
  forwarding there would be a wrong door); the provincial government is offered as a suggestion.
- A missing office falls back to the same function at the province (Jakarta's PAM Jaya), then to
  the regional government itself.
- Excluded agencies ("bukan wewenang") are skipped: the next matching rule is tried, then the
  regional government of the last regional rule, then triage. Never nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from ..understand import normalize
from .build import agencies
from .model import Agency
from .offices import FUNCTION_LABELS
from .regions import Region, administering_region, region
from .rules import RoutingRule, load_rules, normalise_name, normalise_text

LEVEL_LABEL = {"nasional": "nasional", "provinsi": "provinsi", "kabupaten_kota": "kabupaten/kota"}


@dataclass(frozen=True, slots=True)
class RouteDecision:
    """Where a complaint goes and why; agency_code is None exactly when needs_triage is True."""

    agency_code: str | None
    rule_id: str | None
    level: str | None
    explanation: str
    needs_triage: bool
    suggested_code: str | None = None  # a hint for the triage operator, never forwarded to
    # Triage only because the complaint's place is missing or too coarse for the rule (the
    # citizen can be asked for it: kabupaten/kota, kecamatan, desa).
    needs_place: bool = False


class DirectoryIndex:
    """Agencies indexed by code, by (region, function) and by region for their government."""

    def __init__(self, items: Iterable[Agency]):
        self.by_code: dict[str, Agency] = {}
        self.office: dict[tuple[str, str], str] = {}
        self.government: dict[str, str] = {}
        for a in items:
            self.by_code[a.code] = a
            if a.region_code and a.is_government:
                self.government[a.region_code] = a.code
            elif a.region_code and a.function:
                self.office.setdefault((a.region_code, a.function), a.code)


def _words(text: str) -> str:
    """Text as keywords are compared: read by the understanding step's normaliser (so "bpjs tk",
    "ukt" or "sembako" in a rule meet the same words in an SMS however either was written), then
    lower-case words padded with spaces. Normalising twice changes nothing."""
    return normalise_text(normalize(text))


class RuleSet:
    """Rules grouped by category, sorted by priority, with names and keywords pre-normalised."""

    def __init__(self, rules: Iterable[RoutingRule]):
        self.by_category: dict[str, list[tuple[RoutingRule, frozenset[str], tuple[str, ...]]]] = {}
        for r in sorted(rules, key=lambda r: (r.priority, r.id)):
            subs = frozenset(normalise_name(s) for s in r.subcategories)
            kws = tuple(_words(k) for k in r.keywords)
            self.by_category.setdefault(normalise_name(r.category), []).append((r, subs, kws))

    def matching(self, category: str, subcategory: str | None, text: str):
        """(rule, matched keyword or None) for every rule that applies, best first."""
        sub = normalise_name(subcategory) if subcategory else None
        padded = _words(text)
        for rule, subs, kws in self.by_category.get(normalise_name(category), []):
            if subs and sub not in subs:
                continue
            if kws:
                hit = next(
                    (k for k, n in zip(rule.keywords, kws, strict=True) if n in padded), None
                )
                if hit is None:
                    continue
                yield rule, hit
            else:
                yield rule, None


@cache
def default_directory() -> DirectoryIndex:
    """Index of the built-in directory (built once)."""
    return DirectoryIndex(agencies())


@cache
def default_rules() -> RuleSet:
    """Index of the shipped routing rules (built once)."""
    return RuleSet(load_rules())


class _RegionProblem(Exception):
    def __init__(self, reason: str, suggestion: str | None = None, needs_place: bool = False):
        super().__init__(reason)
        self.reason, self.suggestion, self.needs_place = reason, suggestion, needs_place


def _target_label(rule: RoutingRule, d: DirectoryIndex) -> str:
    if rule.is_national:
        a = d.by_code.get(rule.target)
        return a.name if a else rule.target
    what = (
        "pemerintah daerah"
        if rule.target == "gov"
        else FUNCTION_LABELS.get(rule.function or "", rule.target)
    )
    level = "setempat" if rule.level == "auto" else LEVEL_LABEL.get(rule.level, rule.level)
    return f"{what} {level}"


def _place(r: Region) -> str:
    return f"{r.code} ({r.name})"


def _resolve(rule: RoutingRule, place: Region | None, raw_region: str | None, d: DirectoryIndex):
    """(agency code, region used, fallback note) for a rule; raises _RegionProblem."""
    if rule.is_national:
        return rule.target, None, ""
    if place is None:
        if raw_region:
            raise _RegionProblem(f"wilayah {raw_region!r} tidak dikenal")
        raise _RegionProblem("wilayah pelapor tidak diketahui", needs_place=True)
    if rule.level == "kabupaten_kota" and place.is_province:
        raise _RegionProblem(
            f"urusan ini kewenangan kabupaten/kota, tetapi wilayah hanya sampai provinsi {_place(place)}",
            d.government.get(place.code),
            needs_place=True,
        )
    use = (region(place.province_code) or place) if rule.level == "provinsi" else place
    gov = d.government.get(use.code)
    if gov is None:
        raise _RegionProblem(f"direktori tidak memuat pemerintah daerah {_place(use)}")
    if rule.target == "gov":
        return gov, use, ""
    fn = rule.function or ""
    code = d.office.get((use.code, fn))
    if code:
        return code, use, ""
    code = d.office.get((use.province_code, fn)) if not use.is_province else None
    if code:
        return code, use, "; kantor kabupaten/kota tidak ada, ditangani provinsi"
    return gov, use, "; kantor fungsi ini tidak ada, diteruskan ke pemerintah daerah"


def _triage(
    reason: str,
    rule_id: str | None = None,
    suggestion: str | None = None,
    needs_place: bool = False,
) -> RouteDecision:
    return RouteDecision(
        None,
        rule_id,
        None,
        f"Perlu triase admin nasional: {reason}.",
        True,
        suggestion,
        needs_place,
    )


def route(
    category: str,
    region_code: str | None,
    text: str = "",
    *,
    subcategory: str | None = None,
    exclude: Iterable[str] = frozenset(),
    rules: RuleSet | Iterable[RoutingRule] | None = None,
    directory: DirectoryIndex | Iterable[Agency] | None = None,
) -> RouteDecision:
    """Pick the agency for a complaint (category, region, text), or send it to triage with a reason."""
    rs = (
        rules
        if isinstance(rules, RuleSet)
        else default_rules()
        if rules is None
        else RuleSet(rules)
    )
    d = (
        directory
        if isinstance(directory, DirectoryIndex)
        else default_directory()
        if directory is None
        else DirectoryIndex(directory)
    )
    excluded = set(exclude)
    place = administering_region(region_code)
    raw_region = (region_code or "").strip()[:20] or None
    if normalise_name(category) not in rs.by_category:
        return _triage(f"tidak ada aturan untuk kategori {category!r}")

    skipped: list[str] = []
    fallback_gov: tuple[str, Region, RoutingRule] | None = None
    any_rule = False
    for rule, keyword in rs.matching(category, subcategory, text):
        any_rule = True
        if rule.target == "triage":
            return _triage(f"aturan {rule.id} ({rule.note or 'dipilah admin nasional'})", rule.id)
        try:
            code, used, note = _resolve(rule, place, raw_region, d)
        except _RegionProblem as p:
            reason = f"aturan {rule.id} ({_target_label(rule, d)}): {p.reason}"
            return _triage(reason, rule.id, p.suggestion, p.needs_place)
        if used is not None:
            fallback_gov = (d.government[used.code], used, rule)  # present: _resolve checked
        if code in excluded or code not in d.by_code:
            skipped.append(code if code in excluded else f"{code} tidak ada di direktori")
            continue
        agency = d.by_code[code]
        head = f"Aturan {rule.id}: {category}" + (f" / {subcategory}" if subcategory else "")
        head += f' (kata kunci "{keyword}")' if keyword else ""
        skip = f"; dilewati (bukan wewenang): {', '.join(skipped)}" if skipped else ""
        if used is None:
            tail = f"{code} ({agency.name}), tanpa melihat wilayah"
        else:
            tail = f"{_target_label(rule, d)}; wilayah {_place(used)}: {code} ({agency.name}){note}"
        return RouteDecision(code, rule.id, agency.level, f"{head} → {tail}{skip}.", False)
    if fallback_gov and fallback_gov[0] not in excluded:
        code, used, rule = fallback_gov
        return RouteDecision(
            code,
            rule.id,
            d.by_code[code].level,
            f"Aturan {rule.id}: semua tujuan yang cocok menyatakan bukan wewenang "
            f"({', '.join(skipped)}); diteruskan ke {d.by_code[code].name} untuk didisposisi; "
            f"wilayah {_place(used)}.",
            False,
        )
    if fallback_gov:
        skipped.append(fallback_gov[0])
    if skipped:
        return _triage(f"semua tujuan menyatakan bukan wewenang ({', '.join(skipped)})")
    if not any_rule:
        return _triage(f"tidak ada aturan yang cocok untuk kategori {category!r}")
    return _triage("tidak ada tujuan")
