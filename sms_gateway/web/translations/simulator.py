"""English for the simulator pages."""

ENGLISH: dict[str, str] = {
    "Telepon warga": "A citizen's phone",
    "Nomor pengirim": "Sender number",
    "Tulis SMS ke 1708": "Write an SMS to 1708",
    "Kirim": "Send",
    "mengirim…": "sending…",
    "Cara pakai": "How to use",
    "Pilih nomor pengirim lalu tulis SMS seperti warga. SMS masuk lewat webhook Twilio yang asli "
    "(ditandatangani), jadi pemeriksaan tanda tangan, pembatasan, dan balasan langsung sama "
    "seperti sungguhan.": (
        "Choose a sender number and write an SMS as a citizen would. It comes in through the real "
        "(signed) Twilio webhook, so the signature check, throttling and the immediate reply are "
        "the real ones."
    ),
    "SMS berikutnya (status tiket, tanggapan instansi) muncul di layar begitu terkirim oleh "
    "penyedia sandbox.": (
        "Later SMS (ticket status, the agency's response) appear on the screen as soon as the "
        "sandbox provider sends them."
    ),
    "Coba: CEK <nomor tiket>, RAHASIA …, ANONIM …": (
        "Try: CEK <ticket number>, RAHASIA …, ANONIM …"
    ),
    "Terkirim": "Sent",
    "SMS ditolak webhook ({status}): {error}": "The webhook refused the SMS ({status}): {error}",
    "Belum ada SMS dari nomor ini.": "No SMS from this number yet.",
}
