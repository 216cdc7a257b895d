"""Every SMS the service writes, in Bahasa Indonesia and English, in one place.

Each template renders to GSM-7 and fits the segment budget given beside it; tests render every
template with the longest values it can take and check both.
"""

from __future__ import annotations

from ..tracking import display

SHORT_CODE = "1708"

# name -> (segments allowed, {language: text})
TEMPLATES: dict[str, tuple[int, dict[str, str]]] = {
    "ack": (
        1,
        {
            "id": "LAPOR! 1708: Laporan Anda diterima. No. laporan {number}. Kami teruskan ke "
            "instansi terkait. Cek status: kirim CEK {digits} ke 1708.",
            "en": "LAPOR! 1708: Your report is received. Report no. {number}. We will forward it "
            "to the agency in charge. Status: text CEK {digits} to 1708.",
        },
    ),
    "emergency_ack": (
        1,
        {
            "id": "DARURAT? Segera telepon 112 (gratis). Laporan Anda tetap kami catat, "
            "no. {number}, dan kami tandai mendesak.",
            "en": "EMERGENCY? Call 112 now (free). Your report is recorded as urgent, "
            "no. {number}.",
        },
    ),
    "spooled": (
        1,
        {
            "id": "LAPOR! 1708: Terima kasih, pesan Anda kami terima. Nomor laporan akan kami "
            "kirim lewat SMS sebentar lagi.",
            "en": "LAPOR! 1708: Thank you, we got your message. We will text you the report "
            "number shortly.",
        },
    ),
    "empty": (
        1,
        {
            "id": "LAPOR! 1708: Pesan Anda kosong. Tulis keluhan Anda: apa masalahnya, di mana "
            "(jalan, desa/kelurahan, kecamatan, kota), sejak kapan.",
            "en": "LAPOR! 1708: Your message was empty. Write your complaint: what is wrong, "
            "where (street, village, district, city), since when.",
        },
    ),
    "status": (
        1,
        {
            "id": "LAPOR! 1708: Laporan {number}: {status}.",
            "en": "LAPOR! 1708: Report {number}: {status}.",
        },
    ),
    "status_unknown": (
        1,
        {
            "id": "LAPOR! 1708: Laporan {number} tidak ditemukan. Periksa lagi nomornya, "
            "contoh: CEK 4827193059.",
            "en": "LAPOR! 1708: Report {number} was not found. Check the number, for "
            "example: CEK 4827193059.",
        },
    ),
    "status_invalid": (
        1,
        {
            "id": "LAPOR! 1708: Nomor laporan {given} salah ketik. Nomor laporan 10 angka, "
            "contoh: CEK 4827193059.",
            "en": "LAPOR! 1708: Report number {given} looks mistyped. It has 10 digits, for "
            "example: CEK 4827193059.",
        },
    ),
    "status_missing": (
        1,
        {
            "id": "LAPOR! 1708: Sertakan nomor laporan, contoh: CEK 4827193059.",
            "en": "LAPOR! 1708: Add your report number, for example: CEK 4827193059.",
        },
    ),
}

# Plain-language status names a citizen reads on a feature phone.
STATUS_NAMES: dict[str, dict[str, str]] = {
    "received": {"id": "diterima, sedang diperiksa", "en": "received, being checked"},
    "needs_info": {
        "id": "perlu keterangan tambahan dari Anda",
        "en": "we need more detail from you",
    },
    "verified": {
        "id": "sudah diverifikasi, segera diteruskan",
        "en": "verified, about to be forwarded",
    },
    "dispatched": {
        "id": "sudah diteruskan ke instansi, menunggu tindak lanjut",
        "en": "forwarded to the agency, awaiting follow-up",
    },
    "responded": {"id": "sudah ditanggapi instansi", "en": "the agency has responded"},
    "resolved": {"id": "selesai ditindaklanjuti", "en": "resolved"},
    "closed": {"id": "ditutup", "en": "closed"},
    "rejected": {"id": "tidak dapat diproses", "en": "could not be processed"},
    "withdrawn": {"id": "dibatalkan atas permintaan Anda", "en": "withdrawn at your request"},
    "transferred": {
        "id": "sedang dialihkan ke instansi yang berwenang",
        "en": "being moved to the agency in charge",
    },
}


def render(name: str, language: str = "id", **values: str) -> str:
    """The text of template ``name`` in ``language`` (Indonesian when unknown)."""
    _, texts = TEMPLATES[name]
    lang = language if language in texts else "id"
    if "digits" in values and "number" not in values:
        values["number"] = display(values["digits"])
    return texts[lang].format(**values)


def status_name(status: str, language: str = "id") -> str:
    """The plain-language name of a ticket status."""
    names = STATUS_NAMES.get(status, STATUS_NAMES["received"])
    return names.get(language, names["id"])
