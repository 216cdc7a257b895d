"""English for the triage list and the ticket page (with its actions and their messages)."""

ENGLISH: dict[str, str] = {
    # The triage list
    "Daftar triase": "Triage lists",
    "Mesin ragu": "Machine unsure",
    "Perlu keterangan": "Needs info",
    "Dialihkan instansi": "Sent back by agency",
    "Ditandai": "Flagged",
    "Yang paling lama menunggu di atas.": "What waited longest is on top.",
    "No. tiket": "Ticket no.",
    "Menunggu": "Waiting",
    "Alasan": "Reason",
    "Isi SMS": "SMS text",
    "Kategori (keyakinan)": "Category (confidence)",
    "Dikerjakan oleh": "Being handled by",
    "mendesak": "urgent",
    "pelapor ditandai": "reporter flagged",
    "sedang dikerjakan oleh {name}": "being handled by {name}",
    "Tidak ada tiket yang menunggu di sini.": "No ticket waits here.",
    "Kembali ke awal": "Back to the start",
    "Berikutnya": "Next",
    "{days} hari {hours} jam": "{days} d {hours} h",
    "{hours} jam {minutes} mnt": "{hours} h {minutes} min",
    "{minutes} mnt": "{minutes} min",
    # The ticket page
    "RAHASIA": "CONFIDENTIAL",
    "ANONIM": "ANONYMOUS",
    "ditandai": "flagged",
    "perlu triase": "needs triage",
    "Digabung ke tiket": "Merged into ticket",
    "anonim: jangan diberikan ke instansi": "anonymous: never give to the agency",
    "berhenti SMS status (STOP)": "no status SMS (STOP)",
    "Privasi": "Privacy",
    "Rahasia: tidak pernah dipublikasikan.": "Confidential: never made public.",
    "Anonim: identitas pelapor tidak diberikan ke instansi.": (
        "Anonymous: the reporter's identity is not given to the agency."
    ),
    "Tidak ada tanda privasi.": "No privacy flag.",
    "Instansi": "Agency",
    "Batas SLA": "SLA due",
    "Alasan triase": "Triage reason",
    "Penjelasan rute": "Routing explanation",
    "Belum ada keputusan rute.": "No routing decision yet.",
    "Aturan": "Rule",
    "Tebakan mesin": "Machine's guess",
    "ragu": "unsure",
    "Wilayah dikenali": "Region recognised",
    "dari kata": "from the words",
    "Usulan instansi": "Suggested agency",
    "Ditolak instansi": "Declined by",
    "Diputuskan oleh": "Decided by",
    "Percakapan SMS": "SMS thread",
    "tiket lain": "another ticket",
    "Belum ada SMS.": "No SMS yet.",
    "Tindakan": "Actions",
    "Anda sedang mengerjakan tiket ini": "You are handling this ticket",
    "Tiket ini sedang dikerjakan oleh {name}. Anda tetap bisa bertindak setelah konfirmasi.": (
        "{name} is handling this ticket. You may still act after confirming."
    ),
    "Saya tahu tiket ini sedang dikerjakan oleh {name}; tetap lanjutkan.": (
        "I know {name} is handling this ticket; go ahead."
    ),
    "Verifikasi dan teruskan": "Verify and forward",
    "Ke instansi hasil rute": "To the routed agency",
    "Belum ada instansi hasil rute: pilih satu.": "No routed agency yet: choose one.",
    "Instansi lain (opsional)": "Another agency (optional)",
    "cari nama atau kode instansi": "search an agency's name or code",
    "Verifikasi": "Verify",
    "Klasifikasi ulang": "Reclassify",
    "Kategori SP4N-LAPOR!": "SP4N-LAPOR! category",
    "Simpan kategori dan rute ulang": "Save the category and route again",
    "Alihkan ke instansi lain": "Reroute to another agency",
    "Alasan (wajib bila sudah diteruskan)": "Reason (required once forwarded)",
    "Alihkan": "Reroute",
    "Gabungkan duplikat": "Merge a duplicate",
    "Tiket ini ditolak sebagai duplikat; pelapornya menerima satu SMS berisi nomor tiket yang "
    "diikuti.": (
        "This ticket is rejected as a duplicate; its reporter gets one SMS naming the ticket to "
        "follow."
    ),
    "Ke nomor tiket": "Into ticket number",
    "Gabungkan": "Merge",
    "Tolak": "Reject",
    "Alasan (dikirim ke pelapor lewat SMS)": "Reason (sent to the reporter by SMS)",
    "Tolak tiket": "Reject the ticket",
    "Balas pelapor": "Reply to the reporter",
    "Pesan SMS": "SMS message",
    "Kirim SMS": "Send SMS",
    "{segments} SMS · {encoding} · {units} dari {limit} karakter": (
        "{segments} SMS · {encoding} · {units} of {limit} characters"
    ),
    "terlalu panjang: paling banyak {most} SMS": "too long: at most {most} SMS",
    "Operator hanya bisa menambah perlindungan. Tanda rahasia/anonim dari pelapor tidak pernah "
    "dapat dicabut.": (
        "Operators can only add protection. A reporter's confidential/anonymous flag can never "
        "be removed."
    ),
    "sudah {flag}": "already {flag}",
    "Tandai {flag}": "Mark {flag}",
    "Tanda perhatian": "Flag for attention",
    "Tanda": "Flag",
    "— lepas tanda —": "— clear the flag —",
    "Catatan": "Note",
    "Simpan tanda": "Save the flag",
    "Penyalahgunaan": "Abuse",
    "Darurat": "Emergency",
    "Perlu perhatian": "Needs attention",
    # What an action answers
    "Tiket ini sedang dikerjakan oleh {name}. Centang konfirmasi untuk tetap bertindak.": (
        "{name} is handling this ticket. Tick the confirmation to act anyway."
    ),
    "Tiket diverifikasi dan diteruskan.": "Ticket verified and forwarded.",
    "Kategori diganti; tiket masih perlu instansi tujuan.": (
        "Category changed; the ticket still needs an agency."
    ),
    "Kategori diganti; tiket diteruskan.": "Category changed; ticket forwarded.",
    "Tiket dialihkan ke instansi lain.": "Ticket rerouted to another agency.",
    "Tiket digabung ke {number}.": "Ticket merged into {number}.",
    "Tiket ditolak; pelapor diberi tahu alasannya.": "Ticket rejected; the reporter is told why.",
    "Balasan dikirim: {segments} SMS, {encoding}.": "Reply sent: {segments} SMS, {encoding}.",
    "Tiket menunggu keterangan pelapor.": "The ticket waits for the citizen's answer.",
    "pelapor sudah menjawab": "the citizen has answered",
    'Tunggu jawabannya: tiket pindah ke "Perlu keterangan"; SMS pelapor dalam 3 hari ditambahkan ke tiket ini lalu dianalisis ulang.': (
        'Wait for the answer: the ticket moves to "Needs info"; the citizen\'s SMS in the next '
        "3 days is added to this ticket and analysed again."
    ),
    "Tiket berstatus {status} tidak menunggu keterangan: kirim balasan tanpa pilihan itu.": (
        "A ticket that is {status} does not wait for details: send the reply without that option."
    ),
    "(tertahan: {status})": "(held: {status})",
    "Tiket sudah bertanda {flag}.": "The ticket is already {flag}.",
    "Tiket ditandai {flag}.": "Ticket marked {flag}.",
    "Tanda dipasang.": "Flag raised.",
    "Tanda dilepas.": "Flag cleared.",
    "Nomor tiket tujuan tidak ditemukan.": "The target ticket number was not found.",
    "Tanda rahasia/anonim tidak dapat dicabut.": (
        "A confidential/anonymous flag cannot be removed."
    ),
    # What the domain refuses (sms_gateway.triage)
    "Instansi {code} tidak ada di direktori.": "Agency {code} is not in the directory.",
    "Pilih instansi tujuan sebelum memverifikasi.": "Choose an agency before verifying.",
    "Tiket berstatus {status} tidak dapat diverifikasi.": "A ticket that is {status} cannot be verified.",
    "Tiket berstatus {status} tidak dapat diklasifikasi ulang; alihkan instansinya.": (
        "A ticket that is {status} cannot be reclassified; reroute it instead."
    ),
    "Tiket sudah ditujukan ke {agency}.": "The ticket already goes to {agency}.",
    "Mengalihkan tiket yang sudah diteruskan perlu alasan.": (
        "Rerouting a forwarded ticket needs a reason."
    ),
    "Tiket berstatus {status} tidak dapat dialihkan.": "A ticket that is {status} cannot be rerouted.",
    "Tiket tidak dapat digabung ke dirinya sendiri.": "A ticket cannot be merged into itself.",
    "Tiket {number} sudah {status}: pilih tiket yang masih terbuka.": (
        "Ticket {number} is already {status}: choose an open ticket."
    ),
    "Tiket berstatus {status} tidak dapat digabung.": "A ticket that is {status} cannot be merged.",
    "Tiket {number} rahasia: tolak duplikat ini dengan alasan saja.": (
        "Ticket {number} is confidential: reject this duplicate with a reason instead."
    ),
    "Tulis balasannya dulu.": "Write the reply first.",
    "Balasan terlalu panjang: {segments} SMS ({encoding}); paling banyak {most}.": (
        "The reply is too long: {segments} SMS ({encoding}); at most {most}."
    ),
    "Nomor pelapor tidak dapat dikirimi SMS.": "The reporter's number cannot receive SMS.",
    "Tanda privasi tidak dikenal: {kind}.": "Unknown privacy flag: {kind}.",
    "Tanda tidak dikenal: {flag}.": "Unknown flag: {flag}.",
    "Kategori SP4N-LAPOR! tidak dikenal: {category}": "Unknown SP4N-LAPOR! category: {category}",
    "Penolakan perlu alasan yang bisa dibaca pelapor.": (
        "A rejection needs a reason the reporter can read."
    ),
    "Tiket berstatus {status} tidak dapat ditolak.": "A ticket that is {status} cannot be rejected.",
}
