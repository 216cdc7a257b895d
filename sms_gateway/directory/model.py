"""Agency records and the vocabularies their fields use."""

from __future__ import annotations

import re
from dataclasses import dataclass

LEVELS = ("nasional", "provinsi", "kabupaten_kota")

# Organisational type. Offices (perangkat daerah) are dinas, badan, satpol_pp or inspektorat; bumd is a
# regional public company (Perumda Air Minum); bpjs are the two public social-security bodies.
KINDS = (
    "admin",
    "kementerian",
    "lembaga",
    "kepolisian",
    "bumn",
    "bpjs",
    "pemprov",
    "pemkab",
    "pemkot",
    "dinas",
    "badan",
    "satpol_pp",
    "inspektorat",
    "bumd",
)

# What a regional office does; routing rules name these as `fn:<function>`.
FUNCTIONS = (
    "jalan_drainase",
    "lingkungan_sampah",
    "sosial",
    "perhubungan",
    "kependudukan",
    "pendidikan",
    "kesehatan",
    "ketertiban",
    "perumahan_pertanahan",
    "tenaga_kerja",
    "komunikasi",
    "perempuan_anak",
    "perdagangan_umkm",
    "pariwisata_olahraga",
    "pendapatan_daerah",
    "bencana",
    "air_minum",
    "pertanian",
    "pemadam_kebakaran",
    "pemberdayaan_desa",
    "perizinan",
    "pengawasan",
    "kepegawaian",
    "kehutanan",
    "energi_sdm",
    "kelautan_perikanan",
)

CHANNELS = ("portal", "email", "webhook")

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9.\-]*[A-Z0-9]$")
PROVINCE_RE = re.compile(r"^\d{2}$")
KABKOTA_RE = re.compile(r"^\d{2}\.\d{2}$")


@dataclass(frozen=True, slots=True)
class Agency:
    """One agency that can receive complaints (ministry, lembaga, government, office, utility)."""

    code: str
    name: str
    kind: str
    level: str
    region_code: str | None = None
    function: str | None = None
    parent_code: str | None = None
    email: str = ""
    webhook_url: str = ""
    channel: str = "portal"

    @property
    def is_government(self) -> bool:
        """True for a provincial or kabupaten/kota government itself (not one of its offices)."""
        return self.kind in ("pemprov", "pemkab", "pemkot")


def government_code(region_code: str, is_kota: bool = False) -> str:
    """Code of the government of a region: PEMPROV-35, PEMKAB-33.02, PEMKOT-35.78."""
    if PROVINCE_RE.match(region_code):
        return f"PEMPROV-{region_code}"
    return f"{'PEMKOT' if is_kota else 'PEMKAB'}-{region_code}"


def office_code(region_code: str, abbreviation: str) -> str:
    """Code of a regional office: 35.78-DINKES, 35-BPBD."""
    return f"{region_code}-{abbreviation}"
