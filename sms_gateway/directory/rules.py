"""Routing rules as data: category (and sub-category, keywords) -> national agency or regional office.

File columns (data/routing_rules.csv; the lead loads it into a table operators edit):

    id,category,subcategory,keywords,level,target,priority,note

- category: a top-level SP4N-LAPOR! name, spelled exactly.
- subcategory: empty (any), or sub-category names separated by "|"; compared case-insensitively.
- keywords: empty (any), or words/phrases separated by "|"; the rule matches only if one of them
  occurs as whole words in the complaint text (case and punctuation ignored).
- level: nasional | provinsi | kabupaten_kota | auto (auto: the kabupaten/kota if the region is
  known to that level, otherwise the province).
- target: a national agency code (level nasional), `fn:<function>` (the regional office of that
  function), `gov` (the regional government itself) or `triage` (straight to the national admin).
- priority: integer; among matching rules the lowest number is tried first (then the id).
  Conventions: 10 sub-category+keywords, 20 keywords that raise the level, 30 sub-category,
  40-50 weaker keywords, 90 the category's default.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import IO

from .csvio import CsvImportError
from .model import CODE_RE, FUNCTIONS, LEVELS

RULE_HEADER = ("id", "category", "subcategory", "keywords", "level", "target", "priority", "note")
RULE_LEVELS = (*LEVELS, "auto")
_ID_RE = re.compile(r"^[A-Za-z0-9_.\-]+$")
_WORDS_RE = re.compile(r"[\W_]+")


def normalise_text(text: str) -> str:
    """Lower-case words separated by single spaces, padded with a space on each side."""
    return f" {_WORDS_RE.sub(' ', text.lower()).strip()} "


def normalise_name(name: str) -> str:
    """A category or sub-category name for comparison: upper case, single spaces."""
    return " ".join(name.upper().split())


@dataclass(frozen=True, slots=True)
class RoutingRule:
    """One row of the routing table."""

    id: str
    category: str
    level: str
    target: str
    priority: int = 90
    subcategories: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    note: str = ""

    @property
    def function(self) -> str | None:
        """The office function for an `fn:` target, else None."""
        return self.target[3:] if self.target.startswith("fn:") else None

    @property
    def is_national(self) -> bool:
        """True when the target is a national agency code."""
        return self.target not in ("gov", "triage") and not self.target.startswith("fn:")


def _split(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.split("|") if p.strip())


def _rule_problems(row: dict[str, str]) -> list[str]:
    out = []
    if not _ID_RE.match(row["id"]):
        out.append(f"id {row['id']!r} must be letters, digits, '_', '.' or '-'")
    if not row["category"]:
        out.append("category is empty")
    level, target = row["level"], row["target"]
    if level not in RULE_LEVELS:
        out.append(f"level {level!r} is not one of {', '.join(RULE_LEVELS)}")
    if target.startswith("fn:"):
        if target[3:] not in FUNCTIONS:
            out.append(f"target {target!r} names an unknown function")
        if level == "nasional":
            out.append(f"target {target!r} is regional but level is nasional")
    elif target == "gov":
        if level == "nasional":
            out.append("target 'gov' is regional but level is nasional")
    elif target != "triage":
        if not CODE_RE.match(target):
            out.append(f"target {target!r} is not an agency code, fn:<function>, gov or triage")
        elif level != "nasional":
            out.append(f"target {target!r} is a national agency; level must be nasional")
    try:
        int(row["priority"] or "90")
    except ValueError:
        out.append(f"priority {row['priority']!r} is not a whole number")
    return out


def load_rules(fileobj: IO[str] | None = None) -> list[RoutingRule]:
    """Read and validate routing rules (default: the shipped file); raises CsvImportError."""
    if fileobj is None:
        return list(_shipped_rules())
    reader = csv.DictReader(fileobj)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [
        h
        for h in RULE_HEADER
        if h not in header and h not in ("subcategory", "keywords", "note", "priority")
    ]
    unknown = [h for h in header if h not in RULE_HEADER]
    if missing or unknown:
        raise CsvImportError(
            [f"line 1 (header): expected {','.join(RULE_HEADER)}; got {','.join(header)}"],
            "routing rules",
        )
    reader.fieldnames = header
    problems: list[str] = []
    rules: list[RoutingRule] = []
    seen: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        if None in raw:
            problems.append(f"line {line}: more values than columns")
            continue
        row = {k: (raw.get(k) or "").strip() for k in RULE_HEADER}
        if not any(row.values()):
            continue
        problems += [f"line {line}: {p}" for p in _rule_problems(row)]
        if row["id"] in seen:
            problems.append(f"line {line}: id {row['id']!r} already used on line {seen[row['id']]}")
        seen.setdefault(row["id"], line)
        if not problems:
            rules.append(
                RoutingRule(
                    id=row["id"],
                    category=row["category"],
                    level=row["level"],
                    target=row["target"],
                    priority=int(row["priority"] or "90"),
                    subcategories=_split(row["subcategory"]),
                    keywords=_split(row["keywords"]),
                    note=row["note"],
                )
            )
    if problems:
        raise CsvImportError(problems, "routing rules")
    return rules


def export_rules_csv(rules: Iterable[RoutingRule], fileobj: IO[str]) -> int:
    """Write rules in the file format above; returns the number of rows written."""
    writer = csv.writer(fileobj, lineterminator="\n")
    writer.writerow(RULE_HEADER)
    count = 0
    for r in rules:
        writer.writerow(
            [
                r.id,
                r.category,
                "|".join(r.subcategories),
                "|".join(r.keywords),
                r.level,
                r.target,
                r.priority,
                r.note,
            ]
        )
        count += 1
    return count


@cache
def _shipped_rules() -> tuple[RoutingRule, ...]:
    path = resources.files(__package__).joinpath("data").joinpath("routing_rules.csv")
    with path.open(encoding="utf-8", newline="") as f:
        return tuple(load_rules(f))


def check_rules(
    rules: Iterable[RoutingRule], agency_codes: Iterable[str], categories: Iterable[str] = ()
) -> list[str]:
    """Problems a rule table has against a directory and a category list (empty list: all good)."""
    codes = set(agency_codes)
    cats = {normalise_name(c) for c in categories}
    problems = []
    covered = set()
    for r in rules:
        covered.add(normalise_name(r.category))
        if r.is_national and r.target not in codes:
            problems.append(f"rule {r.id}: target {r.target!r} is not in the directory")
        if cats and normalise_name(r.category) not in cats:
            problems.append(f"rule {r.id}: category {r.category!r} is not a known category")
    for c in sorted(cats - covered):
        problems.append(f"category {c!r} has no rule")
    return problems
