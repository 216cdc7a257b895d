"""CSV import and export of the agency directory, so a deployment can load its own contacts.

Header (first line, this order on export; on import the order is free and every column but
code, name, kind and level may be left out):

    code,name,kind,level,region_code,function,parent_code,channel,email,webhook_url

Import checks every row and raises `CsvImportError` listing every problem with its line number;
nothing is returned unless the whole file is valid (no half-imports). Webhook secrets are never
part of the file.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import astuple, fields
from typing import IO

from .model import (
    CHANNELS,
    CODE_RE,
    FUNCTIONS,
    KABKOTA_RE,
    KINDS,
    LEVELS,
    PROVINCE_RE,
    Agency,
)

HEADER = tuple(f.name for f in fields(Agency))
REQUIRED = ("code", "name", "kind", "level")
_EMAIL_RE = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[A-Za-z]{2,}$")
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


class CsvImportError(ValueError):
    """A CSV file (agencies or routing rules) that cannot be imported; `problems` lists "line N: …"."""

    def __init__(self, problems: list[str], what: str = "agency CSV"):
        self.problems = problems
        shown = "\n".join(problems[:50])
        more = f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in {what}:\n{shown}{more}")


def export_csv(agencies: Iterable[Agency], fileobj: IO[str]) -> int:
    """Write agencies as CSV with the documented header; returns the number of rows written."""
    writer = csv.writer(fileobj, lineterminator="\n")
    writer.writerow(HEADER)
    count = 0
    for agency in agencies:
        writer.writerow(["" if v is None else v for v in astuple(agency)])
        count += 1
    return count


def _row_problems(row: dict[str, str]) -> list[str]:
    """What is wrong with one row's values, in isolation."""
    out = []
    code, level, region = row["code"], row["level"], row["region_code"]
    if not CODE_RE.match(code):
        out.append(f"code {code!r} must be upper-case ASCII letters, digits, '.' and '-'")
    if not row["name"]:
        out.append("name is empty")
    if row["kind"] not in KINDS:
        out.append(f"kind {row['kind']!r} is not one of {', '.join(KINDS)}")
    if level not in LEVELS:
        out.append(f"level {level!r} is not one of {', '.join(LEVELS)}")
    elif level == "nasional" and region:
        out.append(f"a nasional agency has no region_code (got {region!r})")
    elif level == "provinsi" and not PROVINCE_RE.match(region):
        out.append(f"region_code {region!r} is not a province code like '35'")
    elif level == "kabupaten_kota" and not KABKOTA_RE.match(region):
        out.append(f"region_code {region!r} is not a kabupaten/kota code like '35.78'")
    if row["function"] and row["function"] not in FUNCTIONS:
        out.append(f"function {row['function']!r} is unknown")
    channel = row["channel"] or "portal"
    if channel not in CHANNELS:
        out.append(f"channel {channel!r} is not one of {', '.join(CHANNELS)}")
    if row["email"] and not _EMAIL_RE.match(row["email"]):
        out.append(f"email {row['email']!r} is not an e-mail address")
    if row["webhook_url"] and not _URL_RE.match(row["webhook_url"]):
        out.append(f"webhook_url {row['webhook_url']!r} is not an http(s) URL")
    if channel == "email" and not row["email"]:
        out.append("channel 'email' needs an email")
    if channel == "webhook" and not row["webhook_url"]:
        out.append("channel 'webhook' needs a webhook_url")
    if row["parent_code"] == code and code:
        out.append("parent_code is the agency itself")
    return out


def import_csv(fileobj: IO[str], *, known_codes: Iterable[str] | None = None) -> list[Agency]:
    """Read and validate agencies from CSV; raises CsvImportError (with line numbers) if any row is bad.

    A parent_code must name an agency in the same file or in `known_codes`
    (by default, the codes of the built-in directory).
    """
    reader = csv.DictReader(fileobj)
    header = [h.strip() for h in (reader.fieldnames or [])]
    unknown = [h for h in header if h not in HEADER]
    missing = [h for h in REQUIRED if h not in header]
    if unknown or missing or len(set(header)) != len(header):
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        if len(set(header)) != len(header):
            parts.append("a column is repeated")
        raise CsvImportError([f"line 1 (header): {'; '.join(parts)}; expected {','.join(HEADER)}"])
    reader.fieldnames = header

    problems: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    first_line: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        if None in raw:
            problems.append(f"line {line}: more values than columns")
            continue
        row = {k: (raw.get(k) or "").strip() for k in HEADER}
        if not any(row.values()):
            continue
        for problem in _row_problems(row):
            problems.append(f"line {line}: {problem}")
        if row["code"] in first_line:
            problems.append(
                f"line {line}: code {row['code']!r} already used on line {first_line[row['code']]}"
            )
        first_line.setdefault(row["code"], line)
        rows.append((line, row))

    if known_codes is None:
        from .build import agencies as _builtin

        known_codes = (a.code for a in _builtin())
    known = set(known_codes) | set(first_line)
    for line, row in rows:
        if row["parent_code"] and row["parent_code"] not in known:
            problems.append(
                f"line {line}: parent_code {row['parent_code']!r} is not a known agency"
            )
    if problems:
        raise CsvImportError(problems)
    return [
        Agency(
            code=r["code"],
            name=r["name"],
            kind=r["kind"],
            level=r["level"],
            region_code=r["region_code"] or None,
            function=r["function"] or None,
            parent_code=r["parent_code"] or None,
            email=r["email"],
            webhook_url=r["webhook_url"],
            channel=r["channel"] or "portal",
        )
        for _, r in rows
    ]
