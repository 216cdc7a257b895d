"""English for the SLA board and the agency league."""

ENGLISH: dict[str, str] = {
    "Aktivitas terakhir": "Last activity",
    "Belum ada tiket yang diteruskan ke instansi.": "No tickets forwarded to agencies yet.",
    "Belum diteruskan (verifikasi admin)": "Not forwarded yet (admin verification)",
    "Dijawab": "Answered",
    "Diteruskan": "Forwarded",
    "Instansi tidak aktif": "Inactive agencies",
    "Instansi yang punya tiket tetapi tidak berbuat apa pun dalam 30 hari.": (
        "Agencies with tickets that have done nothing in 30 days."
    ),
    "Instansi": "Agency",
    "Kategori": "Category",
    "Keadaan": "State",
    "Liga instansi": "Agency league",
    "Median respons pertama (hari kerja)": "Median first response (working days)",
    "Nomor": "Number",
    "Semua instansi aktif.": "Every agency is active.",
    "Tenggat": "Deadline",
    "Tepat waktu": "On time",
    "Terbuka & terlambat": "Open & overdue",
    "Terlambat dan jatuh tempo sampai akhir hari kerja berikutnya ({until} WIB), "
    "instansi terburuk lebih dulu.": (
        "Overdue, and due by the end of the next working day ({until} WIB), worst agency first."
    ),
    "Tidak ada tiket yang terlambat atau segera jatuh tempo.": "No ticket is overdue or due soon.",
    "Tiket yang diteruskan dalam": "Tickets forwarded in the last",
    "dan {n} tiket lain": "and {n} more tickets",
    "segera": "due soon",
    "terakhir; tenggat tindak lanjut 5 hari kerja.": "; follow-up deadline 5 working days.",
    "terlambat": "overdue",
    "tidak aktif": "inactive",
    "{n} hari": "{n} days",
    "{n} segera jatuh tempo": "{n} due soon",
    "{n} terbuka & terlambat": "{n} open & overdue",
    "{n} terlambat": "{n} overdue",
    "Dihitung {time} WIB (diperbarui tiap 5 menit).": "Computed at {time} WIB (refreshed every 5 minutes).",
}
