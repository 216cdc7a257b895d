"""English for the agency pages."""

ENGLISH: dict[str, str] = {
    "Semua": "All",
    "Semua tiket": "All tickets",
    "Urutan:": "Order:",
    "terbaru dulu": "newest first",
    "paling mendesak dulu": "most urgent first",
    "Nomor": "Number",
    "Laporan": "Report",
    "Masuk": "Received",
    "Batas waktu": "Due",
    "darurat": "emergency",
    "rahasia": "confidential",
    "anonim": "anonymous",
    "terlambat": "overdue",
    "Tidak ada tiket di sini.": "No tickets here.",
    "Halaman": "Pages",
    "Halaman {page} dari {pages}": "Page {page} of {pages}",
    "sebelumnya": "previous",
    "berikutnya": "next",
    "Laporan rahasia: tidak pernah tampil di halaman publik.": (
        "Confidential report: never shown on the public page."
    ),
    "Identitas pelapor dirahasiakan.": "The reporter's identity is withheld.",
    "Pelapor": "Reporter",
    "Jenis": "Type",
    "Kategori": "Category",
    "Wilayah": "Region",
    "Diteruskan": "Forwarded",
    "Nilai pelapor": "Reporter's rating",
    "Halaman publik": "Public page",
    "Riwayat": "History",
    "pelapor": "reporter",
    "instansi": "agency",
    "admin nasional": "national admin",
    "Tindak lanjut": "Follow-up",
    "Tanggapan untuk pelapor (dikirim lewat SMS)": "Response to the reporter (sent by SMS)",
    "Kirim tanggapan": "Send response",
    "Selesai": "Resolved",
    "Catatan penyelesaian (boleh kosong)": "Resolution note (optional)",
    "Tandai selesai": "Mark resolved",
    "Bukan wewenang": "Not our responsibility",
    "Alasan (tiket kembali ke admin nasional untuk dialihkan)": (
        "Reason (the ticket goes back to the national admin to be rerouted)"
    ),
    "Minta pengalihan": "Request transfer",
    "Isi teksnya dulu.": "Write the text first.",
    "Tiket berstatus {status} tidak bisa diberi tindakan ini.": (
        "A ticket that is {status} cannot take this action."
    ),
    "Tanggapan tersimpan dan dikirim ke pelapor.": "Response saved and sent to the reporter.",
    "Tiket ditandai selesai; pelapor diminta memberi nilai.": (
        "Ticket marked resolved; the reporter is asked for a rating."
    ),
    "Tiket dikembalikan ke admin nasional untuk dialihkan.": (
        "Ticket handed back to the national admin to be rerouted."
    ),
    # The history's events.
    "Laporan masuk": "Report received",
    "Diarahkan ke instansi": "Routed to the agency",
    "Diteruskan ke instansi": "Forwarded to the agency",
    "Ditanggapi": "Responded",
    "Tanggapan tambahan": "Further response",
    "Diselesaikan": "Resolved",
    "Dialihkan (bukan wewenang)": "Transferred (not our responsibility)",
    "Dibuka kembali": "Reopened",
    "Balasan pelapor": "Reporter's reply",
    "Keterangan tambahan pelapor": "Reporter's further information",
    "Dinilai pelapor": "Rated by the reporter",
    "Ditutup": "Closed",
    "Status berubah": "Status changed",
}
