"""Regional offices by function: which exist at each level and how they are named."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OfficeSpec:
    """How one function's office is coded and named (abbreviation, kind, generic name)."""

    function: str
    abbreviation: str
    kind: str
    name: str
    standalone: bool = False  # the name is complete: no place appended


def _spec(
    function: str, abbreviation: str, name: str, kind: str = "dinas", standalone: bool = False
) -> OfficeSpec:
    return OfficeSpec(function, abbreviation, kind, name, standalone)


# Generic nomenclature (Permendagri on perangkat daerah); real names vary by region and a
# deployment can override them through CSV import without changing codes.
KABKOTA_OFFICES: tuple[OfficeSpec, ...] = (
    _spec("jalan_drainase", "DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    _spec("lingkungan_sampah", "DLH", "Dinas Lingkungan Hidup"),
    _spec("sosial", "DINSOS", "Dinas Sosial"),
    _spec("perhubungan", "DISHUB", "Dinas Perhubungan"),
    _spec("kependudukan", "DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil"),
    _spec("pendidikan", "DISDIK", "Dinas Pendidikan"),
    _spec("kesehatan", "DINKES", "Dinas Kesehatan"),
    _spec("ketertiban", "SATPOLPP", "Satuan Polisi Pamong Praja", "satpol_pp"),
    _spec(
        "perumahan_pertanahan",
        "DPRKPP",
        "Dinas Perumahan Rakyat, Kawasan Permukiman, dan Pertanahan",
    ),
    _spec("tenaga_kerja", "DISNAKER", "Dinas Tenaga Kerja"),
    _spec("komunikasi", "DISKOMINFO", "Dinas Komunikasi dan Informatika"),
    _spec("perempuan_anak", "DP3A", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak"),
    _spec("perdagangan_umkm", "DISKOPDAG", "Dinas Koperasi, Usaha Mikro, dan Perdagangan"),
    _spec("pariwisata_olahraga", "DISPARPORA", "Dinas Pariwisata, Pemuda, dan Olahraga"),
    _spec("pendapatan_daerah", "BAPENDA", "Badan Pendapatan Daerah", "badan"),
    _spec("bencana", "BPBD", "Badan Penanggulangan Bencana Daerah", "badan"),
    _spec("air_minum", "PDAM", "Perusahaan Umum Daerah Air Minum", "bumd"),
    _spec("pertanian", "DISTAN", "Dinas Pertanian"),
    _spec("pemadam_kebakaran", "DAMKAR", "Dinas Pemadam Kebakaran dan Penyelamatan"),
    _spec("pemberdayaan_desa", "DPMD", "Dinas Pemberdayaan Masyarakat dan Desa"),
    _spec("perizinan", "DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    _spec("pengawasan", "INSPEKTORAT", "Inspektorat Daerah", "inspektorat"),
    _spec(
        "kepegawaian",
        "BKPSDM",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "badan",
    ),
)

# Provinces hold a smaller set of affairs (UU 23/2014): provincial roads, SMA/SMK/SLB, forestry,
# energy and mining, the sea up to 12 miles, labour inspection, motor-vehicle tax (PKB).
PROVINCE_OFFICES: tuple[OfficeSpec, ...] = (
    _spec("jalan_drainase", "DPUBM", "Dinas Pekerjaan Umum Bina Marga"),
    _spec("lingkungan_sampah", "DLH", "Dinas Lingkungan Hidup"),
    _spec("sosial", "DINSOS", "Dinas Sosial"),
    _spec("perhubungan", "DISHUB", "Dinas Perhubungan"),
    _spec("pendidikan", "DISDIK", "Dinas Pendidikan"),
    _spec("kesehatan", "DINKES", "Dinas Kesehatan"),
    _spec("bencana", "BPBD", "Badan Penanggulangan Bencana Daerah", "badan"),
    _spec("tenaga_kerja", "DISNAKERTRANS", "Dinas Tenaga Kerja dan Transmigrasi"),
    _spec("kehutanan", "DISHUT", "Dinas Kehutanan"),
    _spec("energi_sdm", "DESDM", "Dinas Energi dan Sumber Daya Mineral"),
    _spec("kelautan_perikanan", "DKP", "Dinas Kelautan dan Perikanan"),
    _spec("pendapatan_daerah", "BAPENDA", "Badan Pendapatan Daerah", "badan"),
    _spec("ketertiban", "SATPOLPP", "Satuan Polisi Pamong Praja", "satpol_pp"),
    _spec("perempuan_anak", "DP3A", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak"),
    _spec("komunikasi", "DISKOMINFO", "Dinas Komunikasi dan Informatika"),
    _spec("pengawasan", "INSPEKTORAT", "Inspektorat Daerah", "inspektorat"),
    _spec("kepegawaian", "BKD", "Badan Kepegawaian Daerah", "badan"),
)

JAKARTA = "31"
# Jakarta's kota/kabupaten administrasi are not autonomous: their offices are suku dinas of the
# province, the water company (PAM Jaya) is provincial, and there are no desa.
JAKARTA_PROVINCE_EXTRA = (
    _spec("air_minum", "PDAM", "Perusahaan Umum Daerah Air Minum Jaya (PAM Jaya)", "bumd", True),
)
JAKARTA_KABKOTA_ABSENT = frozenset({"air_minum", "pemberdayaan_desa"})

# Functions every kabupaten/kota has an office for (kota have no DPMD; Jakarta no PDAM).
CORE_KABKOTA_FUNCTIONS = frozenset(s.function for s in KABKOTA_OFFICES) - {
    "air_minum",
    "pemberdayaan_desa",
}


def kabkota_offices(province_code: str, is_kota: bool) -> tuple[OfficeSpec, ...]:
    """The offices a kabupaten/kota has."""
    absent: set[str] = set()
    if is_kota:
        absent.add("pemberdayaan_desa")
    if province_code == JAKARTA:
        absent |= JAKARTA_KABKOTA_ABSENT
    return tuple(s for s in KABKOTA_OFFICES if s.function not in absent)


def province_offices(province_code: str) -> tuple[OfficeSpec, ...]:
    """The offices a province has."""
    extra = JAKARTA_PROVINCE_EXTRA if province_code == JAKARTA else ()
    return PROVINCE_OFFICES + extra


def province_label(name: str) -> str:
    """How a province is named after an office: "Provinsi Jawa Timur", "Aceh", "Daerah Istimewa …"."""
    if name == "Aceh" or name.startswith("Daerah Istimewa"):
        return name
    return f"Provinsi {name}"


def province_government_name(name: str) -> str:
    """Official name of a provincial government ("Pemerintah Aceh" is its own legal name)."""
    if name == "Aceh":
        return "Pemerintah Aceh"
    if name.startswith("Daerah Istimewa"):
        return f"Pemerintah Daerah {name}"
    return f"Pemerintah Provinsi {name}"


def office_name(spec: OfficeSpec, place: str, jakarta_kabkota: bool = False) -> str:
    """Full office name for a place label: "Dinas Kesehatan Kota Surabaya"."""
    if spec.standalone:
        return spec.name
    name = spec.name
    if jakarta_kabkota and spec.kind in ("dinas", "badan"):
        name = "Suku " + name
    return f"{name} {place}"


# Short names used in routing explanations ("Kependudukan → Disdukcapil kabupaten/kota").
FUNCTION_LABELS = {
    "jalan_drainase": "Dinas PU (jalan, drainase)",
    "lingkungan_sampah": "Dinas Lingkungan Hidup",
    "sosial": "Dinas Sosial",
    "perhubungan": "Dinas Perhubungan",
    "kependudukan": "Disdukcapil",
    "pendidikan": "Dinas Pendidikan",
    "kesehatan": "Dinas Kesehatan",
    "ketertiban": "Satpol PP",
    "perumahan_pertanahan": "Dinas Perumahan dan Permukiman",
    "tenaga_kerja": "Dinas Tenaga Kerja",
    "komunikasi": "Diskominfo",
    "perempuan_anak": "Dinas PPPA",
    "perdagangan_umkm": "Dinas Koperasi, UMKM, dan Perdagangan",
    "pariwisata_olahraga": "Dinas Pariwisata dan Olahraga",
    "pendapatan_daerah": "Bapenda",
    "bencana": "BPBD",
    "air_minum": "PDAM/Perumda Air Minum",
    "pertanian": "Dinas Pertanian",
    "pemadam_kebakaran": "Damkar",
    "pemberdayaan_desa": "DPMD",
    "perizinan": "DPMPTSP",
    "pengawasan": "Inspektorat",
    "kepegawaian": "BKPSDM/BKD",
    "kehutanan": "Dinas Kehutanan",
    "energi_sdm": "Dinas ESDM",
    "kelautan_perikanan": "Dinas Kelautan dan Perikanan",
}
