"""English for the layout, sign-in and the overview page."""

ENGLISH: dict[str, str] = {
    "Masuk": "Sign in",
    "Keluar": "Sign out",
    "Nama pengguna": "Username",
    "Kata sandi": "Password",
    "Nama pengguna atau kata sandi salah.": "Wrong username or password.",
    "Terlalu banyak percobaan masuk. Coba lagi dalam {minutes} menit.": (
        "Too many sign-in attempts. Try again in {minutes} minutes."
    ),
    "Sesi formulir kedaluwarsa. Muat ulang halaman dan coba lagi.": (
        "The form's session expired. Reload the page and try again."
    ),
    "Anda tidak berhak membuka halaman ini.": "You may not open this page.",
    "Konsol Operator": "Operator console",
    "Portal Instansi": "Agency portal",
    "Ringkasan": "Overview",
    "Antrean SMS": "SMS queue",
    "Triase": "Triage",
    "Papan SLA": "SLA board",
    "Grafik": "Charts",
    "Cari": "Search",
    "Simulator HP": "Phone simulator",
    "Tiket": "Tickets",
    "Bahasa": "Language",
    "menunggu triase": "waiting for triage",
    "terlambat (lewat SLA)": "overdue (past SLA)",
    "tiket terbuka": "open tickets",
    "SMS masuk 24 jam terakhir": "SMS received in the last 24 hours",
    "Tiket terbuka menurut status": "Open tickets by status",
    "Status": "Status",
    "Jumlah": "Count",
    "Belum ada tiket terbuka.": "No open tickets yet.",
}
