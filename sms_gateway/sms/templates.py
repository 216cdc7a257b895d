"""Every SMS the service writes, in Bahasa Indonesia and English, in one place.

Each template renders to GSM-7 and fits the segment budget given beside it; tests render every
template with the longest values it can take and check both.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..tracking import display

SHORT_CODE = "1708"


@dataclass(frozen=True)
class Template:
    """One SMS in both languages, and the number of segments it may take."""

    segments: int
    id: str
    en: str


TEMPLATES: dict[str, Template] = {
    "ack": Template(
        1,
        id=(
            "LAPOR! 1708: Laporan Anda diterima. No. laporan {number}. Kami teruskan ke instansi "
            "terkait. Cek status: kirim CEK {digits} ke 1708."
        ),
        en=(
            "LAPOR! 1708: Your report is received. Report no. {number}. We will forward it to the"
            " agency in charge. Status: text CEK {digits} to 1708."
        ),
    ),
    "emergency_ack": Template(
        1,
        id=(
            "DARURAT? Segera telepon 112 (gratis). Laporan Anda tetap kami catat, no. {number}, "
            "dan kami tandai mendesak."
        ),
        en="EMERGENCY? Call 112 now (free). Your report is recorded as urgent, no. {number}.",
    ),
    "spooled": Template(
        1,
        id=(
            "LAPOR! 1708: Terima kasih, pesan Anda kami terima. Nomor laporan akan kami kirim "
            "lewat SMS sebentar lagi."
        ),
        en=(
            "LAPOR! 1708: Thank you, we got your message. We will text you the report number "
            "shortly."
        ),
    ),
    "empty": Template(
        1,
        id=(
            "LAPOR! 1708: Pesan Anda kosong. Tulis keluhan Anda: apa masalahnya, di mana (jalan, "
            "desa/kelurahan, kecamatan, kota), sejak kapan."
        ),
        en=(
            "LAPOR! 1708: Your message was empty. Write your complaint: what is wrong, where "
            "(street, village, district, city), since when."
        ),
    ),
    "status": Template(
        1,
        id="LAPOR! 1708: Laporan {number}: {status}.",
        en="LAPOR! 1708: Report {number}: {status}.",
    ),
    "status_unknown": Template(
        1,
        id=(
            "LAPOR! 1708: Laporan {number} tidak ditemukan. Periksa lagi nomornya, contoh: CEK "
            "4827193059."
        ),
        en=(
            "LAPOR! 1708: Report {number} was not found. Check the number, for example: CEK "
            "4827193059."
        ),
    ),
    "status_invalid": Template(
        1,
        id=(
            "LAPOR! 1708: Nomor laporan {given} salah ketik. Nomor laporan 10 angka, contoh: CEK "
            "4827193059."
        ),
        en=(
            "LAPOR! 1708: Report number {given} looks mistyped. It has 10 digits, for example: "
            "CEK 4827193059."
        ),
    ),
    "status_missing": Template(
        1,
        id="LAPOR! 1708: Sertakan nomor laporan, contoh: CEK 4827193059.",
        en="LAPOR! 1708: Add your report number, for example: CEK 4827193059.",
    ),
    "continued": Template(
        1,
        id="LAPOR! 1708: Lanjutan pesan Anda sudah kami gabungkan ke laporan {number}.",
        en="LAPOR! 1708: The rest of your message was added to report {number}.",
    ),
    "duplicate": Template(
        1,
        id=(
            "LAPOR! 1708: Laporan yang sama sudah tercatat hari ini dengan no. {number}. Cek "
            "status: kirim CEK {digits} ke 1708."
        ),
        en=(
            "LAPOR! 1708: The same report was already recorded today as no. {number}. Status: "
            "text CEK {digits} to 1708."
        ),
    ),
    "help": Template(
        2,
        id=(
            "LAPOR! 1708: Tulis keluhan Anda langsung, tanpa format. Perintah: CEK <no> (status),"
            " INFO <no> <tambahan>, BATAL <no>, NILAI <no> <1-5>, STOP (hentikan SMS status), "
            "MULAI, BAHASA EN. Awali dengan RAHASIA agar laporan tidak dipublikasikan, atau "
            "ANONIM agar identitas Anda tidak diberikan ke instansi."
        ),
        en=(
            "LAPOR! 1708: Just write your complaint, no format needed. Commands: CEK <no> "
            "(status), INFO <no> <details>, BATAL <no> (cancel), NILAI <no> <1-5> (rate), STOP "
            "(no status SMS), MULAI (resume), BAHASA ID. Start with RAHASIA to keep the report "
            "private, or ANONIM to hide your identity from the agency."
        ),
    ),
    "info_added": Template(
        1,
        id="LAPOR! 1708: Keterangan tambahan untuk laporan {number} sudah kami terima.",
        en="LAPOR! 1708: Your additional details for report {number} are received.",
    ),
    "info_empty": Template(
        1,
        id=(
            "LAPOR! 1708: Tulis keterangannya setelah nomor, contoh: INFO 4827193059 lubangnya di"
            " depan SD."
        ),
        en=(
            "LAPOR! 1708: Write the details after the number, for example: INFO 4827193059 the "
            "hole is near the school."
        ),
    ),
    "not_yours": Template(
        1,
        id="LAPOR! 1708: Laporan {number} tidak ditemukan untuk nomor HP ini.",
        en="LAPOR! 1708: Report {number} was not found for this phone number.",
    ),
    "withdrawn": Template(
        1,
        id="LAPOR! 1708: Laporan {number} sudah dibatalkan sesuai permintaan Anda.",
        en="LAPOR! 1708: Report {number} is withdrawn as you asked.",
    ),
    "cannot_withdraw": Template(
        1,
        id="LAPOR! 1708: Laporan {number} tidak bisa dibatalkan lagi: {status}.",
        en="LAPOR! 1708: Report {number} can no longer be withdrawn: {status}.",
    ),
    "rated": Template(
        1,
        id="LAPOR! 1708: Terima kasih, nilai {score} untuk laporan {number} sudah kami catat.",
        en="LAPOR! 1708: Thank you, your rating {score} for report {number} is recorded.",
    ),
    "rate_not_yet": Template(
        1,
        id="LAPOR! 1708: Laporan {number} belum selesai ditindaklanjuti, belum bisa dinilai.",
        en="LAPOR! 1708: Report {number} is not resolved yet and cannot be rated.",
    ),
    "rate_needs_score": Template(
        1,
        id="LAPOR! 1708: Beri nilai 1 sampai 5, contoh: NILAI 4827193059 5.",
        en="LAPOR! 1708: Give a score from 1 to 5, for example: NILAI 4827193059 5.",
    ),
    "stopped": Template(
        1,
        id=(
            "LAPOR! 1708: Baik, kami tidak akan mengirim SMS status lagi. Balasan atas pesan Anda"
            " tetap dikirim. Kirim MULAI untuk mengaktifkan lagi."
        ),
        en=(
            "LAPOR! 1708: OK, no more status SMS. We still answer your own messages. Text MULAI "
            "to turn them back on."
        ),
    ),
    "started": Template(
        1,
        id="LAPOR! 1708: SMS status laporan Anda aktif kembali.",
        en="LAPOR! 1708: Status SMS for your reports are on again.",
    ),
    "language_set": Template(
        1,
        id="LAPOR! 1708: Balasan akan dikirim dalam Bahasa Indonesia.",
        en="LAPOR! 1708: Replies will now be in English.",
    ),
    "language_ask": Template(
        1,
        id="LAPOR! 1708: Pilih bahasa: BAHASA ID (Indonesia) atau BAHASA EN (English).",
        en="LAPOR! 1708: Choose a language: BAHASA ID (Indonesian) or BAHASA EN (English).",
    ),
    "number_missing": Template(
        1,
        id="LAPOR! 1708: Sertakan nomor laporan, contoh: {command} 4827193059.",
        en="LAPOR! 1708: Add your report number, for example: {command} 4827193059.",
    ),
    # An operator merged the citizen's report into another one about the same thing.
    "merged": Template(
        1,
        id=(
            "LAPOR! 1708: Laporan Anda sama dengan laporan {number} dan sudah kami gabungkan. "
            "Ikuti perkembangannya lewat laporan {number}."
        ),
        en=(
            "LAPOR! 1708: Your report is the same as report {number} and was merged into it. "
            "Follow report {number} for updates."
        ),
    ),
    # Immediate answers to a citizen's reply on an answered ticket.
    "answer_threaded": Template(
        1,
        id="LAPOR! 1708: Balasan Anda untuk laporan {number} sudah kami catat dan teruskan.",
        en="LAPOR! 1708: Your reply to report {number} is recorded and passed on.",
    ),
    "answer_reopened": Template(
        1,
        id=(
            "LAPOR! 1708: Laporan {number} kami buka kembali dan teruskan lagi ke instansi "
            "untuk ditindaklanjuti."
        ),
        en="LAPOR! 1708: Report {number} is reopened and sent back to the agency to act on.",
    ),
}

# Status updates at each public step (kind ``status``: not sent after STOP). Their free-text
# fields (agency, text, reason) are shortened to fit the budget by dispatch.citizen.compose,
# which is how they must be rendered; tests render them at their longest through it.
FITTED_TEMPLATES: dict[str, Template] = {
    "update_needs_info": Template(
        1,
        id=(
            "LAPOR! 1708: Di mana lokasi laporan {number}? Balas INFO {digits} desa/kelurahan, "
            "kecamatan, kabupaten/kota agar bisa kami teruskan."
        ),
        en=(
            "LAPOR! 1708: Where is report {number}? Reply INFO {digits} village, district, "
            "regency/city so we can forward it."
        ),
    ),
    "update_dispatched": Template(
        1,
        id=(
            "LAPOR! 1708: Laporan {number} sudah diteruskan ke {agency}. Kami kabari lagi bila "
            "ada tanggapan."
        ),
        en="LAPOR! 1708: Report {number} is forwarded to {agency}. We will text you its answer.",
    ),
    "update_responded": Template(
        2,
        id="LAPOR! 1708: Tanggapan {agency} atas laporan {number}: {text} Lihat: {link}",
        en="LAPOR! 1708: {agency} answered report {number}: {text} See: {link}",
    ),
    "update_resolved": Template(
        2,
        id=(
            "LAPOR! 1708: Laporan {number} dinyatakan selesai oleh {agency}. Beri nilai: kirim "
            "NILAI {digits} 1-5 (5 = puas) ke 1708. Belum beres? Balas SMS ini dalam 10 hari."
        ),
        en=(
            "LAPOR! 1708: {agency} marked report {number} as resolved. Rate it: text NILAI "
            "{digits} 1-5 (5 = satisfied) to 1708. Not fixed? Reply within 10 days."
        ),
    ),
    "update_transferred": Template(
        2,
        id=(
            "LAPOR! 1708: Laporan {number} bukan wewenang {agency}: {reason}. Kami teruskan ke "
            "instansi yang berwenang."
        ),
        en=(
            "LAPOR! 1708: Report {number} is not for {agency}: {reason}. We are passing it to "
            "the agency in charge."
        ),
    ),
    "update_rejected": Template(
        2,
        id="LAPOR! 1708: Laporan {number} tidak dapat diproses: {reason}",
        en="LAPOR! 1708: Report {number} could not be processed: {reason}",
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
    template = TEMPLATES[name]
    text = template.en if language == "en" else template.id
    if "digits" in values and "number" not in values:
        values["number"] = display(values["digits"])
    return text.format(**values)


def status_name(status: str, language: str = "id") -> str:
    """The plain-language name of a ticket status."""
    names = STATUS_NAMES.get(status, STATUS_NAMES["received"])
    return names.get(language, names["id"])
