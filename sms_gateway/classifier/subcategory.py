"""Sub-category where the text plainly supports it: a small keyword table, checked against the tree.

The top-level category comes from the model; within it, a sub-category is named only when all the
words of one of its cues appear in the normalised text. Otherwise `None` (operators refine it).
"""

from __future__ import annotations

import functools
import json
from importlib import resources

# top-level category → [(sub-category exactly as in lapor-categories.json, [cues])]; a cue is a
# space-separated list of words that must all occur (as whole words or word prefixes), written as
# the normaliser leaves them ("ppdb" and "spp" reach here spelt out).
RULES: dict[str, list[tuple[str, list[str]]]] = {
    "PEKERJAAN UMUM DAN PENATAAN RUANG": [
        ("JALAN BERLUBANG", ["jalan lubang", "jalan berlubang", "aspal lubang", "jalan rusak"]),
        ("DRAINASE (GORONG-GORONG/PARIT)", ["gorong", "drainase", "saluran air", "got", "parit"]),
        ("JEMBATAN", ["jembatan"]),
        ("TROTOAR", ["trotoar", "pedestrian"]),
        ("PENERANGAN JALAN", ["penerangan jalan"]),
        ("TAMAN", ["taman"]),
        ("SERTIFIKAT TANAH", ["sertifikat tanah", "sertipikat", "ptsl", "balik nama sertifikat"]),
        ("SENGKETA TANAH", ["sengketa tanah", "batas tanah", "serobot tanah", "diserobot"]),
        ("PERTANAHAN", ["pertanahan", "bpn", "pengukuran tanah"]),
    ],
    "PERHUBUNGAN": [
        ("LAMPU PENERANGAN JALAN UMUM", ["lampu jalan", "pju", "penerangan jalan"]),
        ("PARKIR LIAR", ["parkir liar", "juru parkir", "jukir"]),
        ("TRANSPORTASI ONLINE", ["ojek online", "taksi online"]),
    ],
    "LINGKUNGAN HIDUP DAN KEHUTANAN": [
        ("PENGELOLAAN SAMPAH", ["sampah"]),
        ("PENCEMARAN LINGKUNGAN", ["pencemaran", "limbah", "bau menyengat"]),
        ("BANJIR", ["banjir"]),
    ],
    "SOSIAL DAN KESEJAHTERAAN": [
        ("PKH PROGRAM KELUARGA HARAPAN", ["pkh", "keluarga harapan"]),
        ("BANTUAN PANGAN NON TUNAN (BPNT)", ["bpnt"]),
        ("DATA TERPADU KESEJAHTERAAN SOSIAL (DTKS)", ["dtks"]),
        ("BANTUAN SOSIAL", ["bansos", "bantuan sosial"]),
    ],
    "KEPENDUDUKAN": [
        ("KTP (KARTU TANDA PENDUDUK)", ["ktp"]),
        ("KARTU KELUARGA", ["kartu keluarga", "kk"]),
        ("AKTA KELAHIRAN", ["akta kelahiran", "akta lahir"]),
        ("AKTA KEMATIAN", ["akta kematian"]),
        ("KARTU IDENTITAS ANAK", ["kartu identitas anak", "kia"]),
        ("PINDAH DOMISILI", ["pindah domisili", "surat pindah"]),
    ],
    "KESEHATAN": [
        ("FOGGING NYAMUK", ["fogging", "pengasapan nyamuk"]),
        ("LAYANAN AMBULAN", ["ambulans"]),
        ("KEKOSONGAN OBAT", ["obat kosong", "obat habis"]),
        ("PELAYANAN KESEHATAN", ["puskesmas", "dokter", "rumah sakit"]),
    ],
    "ENERGI DAN SUMBER DAYA ALAM": [
        ("GANGGUAN LAYANAN PENYALURAN AIR", ["air mati", "air tidak mengalir", "pdam"]),
        ("PEMADAMAN LISTRIK", ["listrik padam", "pemadaman", "mati lampu", "listrik mati"]),
        ("KELANGKAAN BBM/ELPIJI", ["elpiji langka", "gas langka", "bbm langka"]),
    ],
    "PENDIDIKAN DAN KEBUDAYAAN": [
        (
            "PENERIMAAN SISWA BARU",
            ["penerimaan peserta didik", "penerimaan siswa", "pendaftaran sekolah"],
        ),
        ("BIAYA SEKOLAH", ["biaya sekolah", "uang sekolah", "sumbangan pembinaan pendidikan"]),
        ("BEASISWA", ["beasiswa"]),
    ],
    "POLITIK DAN HUKUM": [
        (
            "PUNGUTAN LIAR",
            ["pungli", "pungutan liar", "pelicin", "uang damai", "pemerasan", "diperas", "memeras"]
            + ["minta amplop", "dimintai amplop", "meminta amplop", "uang rokok", "uang kopi"]
            + ["dimintai uang", "dimintai biaya", "dimintai ribu", "dimintai juta"],
        ),
        (
            "KORUPSI, KOLUSI, DAN NEPOTISME",
            ["korupsi", "koruptor", "suap", "menyuap", "disuap", "sogok", "menyogok", "disogok"]
            + ["gratifikasi", "nepotisme", "jual beli jabatan", "beli jabatan", "makelar cpns"]
            + ["makelar pns", "makelar pppk", "makelar asn", "minta fee", "meminta fee"]
            + ["dimintai fee", "fee proyek", "setoran proyek"],
        ),
        ("PASPOR", ["paspor"]),
        ("IMIGRASI", ["imigrasi"]),
        ("KARTU IZIN TINGGAL TERBATAS (KITAS)", ["kitas"]),
        ("PELANGGARAN ADMINISTRASI PEMILU", ["politik uang", "serangan fajar", "bawaslu"]),
        ("PEMILIHAN UMUM", ["pemilu"]),
        ("LEMBAGA PEMASYARAKATAN", ["narapidana", "remisi"]),
        ("HAK ASASI MANUSIA (HAM)", ["hak asasi manusia"]),
        ("DANA BANTUAN HUKUM", ["bantuan hukum"]),
    ],
    "KETENTERAMAN, KETERTIBAN UMUM, DAN PELINDUNGAN MASYARAKAT": [
        ("SURAT KETERANGAN CATATAN KEPOLISIAN", ["skck"]),
        ("KEPOLISIAN", ["polsek", "polres", "polda", "kantor polisi", "laporan polisi"]),
        ("TAWURAN/ RUSUH", ["tawuran"]),
        ("PEMADAMAN KEBAKARAN", ["kebakaran"]),
        ("KETERTIBAN UMUM", ["pkl", "pedagang kaki lima", "gelandangan", "pengamen"]),
    ],
}


@functools.cache
def tree() -> dict[str, list[str]]:
    """The SP4N-LAPOR! category tree shipped in `sms_gateway/data` ({top: [sub, ...]})."""
    source = resources.files("sms_gateway.data").joinpath("lapor-categories.json")
    return json.loads(source.read_text(encoding="utf-8"))


@functools.cache
def _compiled() -> dict[str, list[tuple[str, list[list[str]]]]]:
    return {
        top: [(sub, [cue.split() for cue in cues]) for sub, cues in rules]
        for top, rules in RULES.items()
    }


def _has(words: list[str], cue: list[str]) -> bool:
    return all(any(w == c or (len(c) >= 4 and w.startswith(c)) for w in words) for c in cue)


def subcategory_for(category: str, normalized_text: str) -> str | None:
    """The first sub-category of `category` whose cue words all occur in the text, else None."""
    rules = _compiled().get(category)
    if not rules:
        return None
    words = normalized_text.split()
    for sub, cues in rules:
        if any(_has(words, cue) for cue in cues):
            return sub
    return None
