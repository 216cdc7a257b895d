"""English for the charts pages."""

ENGLISH: dict[str, str] = {
    "Rentang waktu": "Time range",
    "{n} hari terakhir": "last {n} days",
    "Tabel data": "Data table",
    "Tanggal": "Date",
    "Tanggal (WIB)": "Date (WIB)",
    "Kode": "Code",
    "Wilayah": "Region",
    "Kabupaten/kota": "Regency/city",
    "Belum ada tiket dengan wilayah.": "No tickets with a region yet.",
    "Pengaduan per hari menurut kategori": "Complaints per day by category",
    "Wilayah dengan pengaduan terbanyak": "Regions with the most complaints",
    "Diteruskan otomatis atau lewat triase operator": "Routed automatically or through triage",
    "Diteruskan otomatis": "Routed automatically",
    "Tiket terverifikasi": "Verified tickets",
    "otomatis": "automatic",
    "operator": "operator",
    "lainnya": "other",
    "Keberhasilan pengiriman SMS per hari": "SMS delivery success per day",
    "Terkirim": "Delivered",
    "menunggu": "waiting",
    "Terkirim: diterima jaringan (sent) atau sampai ke ponsel (delivered), dari semua SMS "
    "yang sudah selesai diproses.": (
        "Delivered: accepted by the network (sent) or reached the phone (delivered), out of "
        "all SMS whose sending has finished."
    ),
}
