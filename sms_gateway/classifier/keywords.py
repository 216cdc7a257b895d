"""Hand-written cue words per SP4N-LAPOR! top-level category (domain knowledge, not data).

Written by the project from what Indonesian public services are called and what they handle (the
agencies' names, their programmes, the things citizens complain about); no complaint text was
copied here. A cue is one or more words; each word matches a normalised word equal to it or, for
cue words of 4+ letters, a word starting with it ("sampah" also matches "sampahnya"). After its
first word, "#" stands for a number ("dimintai # ribu" matches "dimintai 150 ribu") and "~" for up
to three other words ("listrik ~ padam" matches "listrik di rumah kami padam").

The classifier uses them in two ways (see `features.keyword_hashes` and `train.prior_examples`):
a text gets one pseudo-token per category whose cues it contains (a learned feature), and every
cue plus every sub-category name of the category tree is a tiny labelled example, so categories
with few or no training complaints still have a prior.

`SERVICES` names services inside a category whose cues get a pseudo-token of their own: a service
the training city hardly complains about would otherwise be outvoted by the category token's
common meaning there (in Surabaya's file "listrik" and "pln" are mostly the cables that trees
touch, which the parks office prunes, and "padam" a street light, so a power cut read as those).
Their cues are phrases that name the service itself.
"""

from __future__ import annotations

import functools
from collections.abc import Collection

KEYWORDS: dict[str, list[str]] = {
    "KESETARAAN GENDER DAN SOSIAL INKLUSIF": [
        "catin", "calon pengantin", "kelas catin", "bimbingan perkawinan", "bimwin", "puspaga",
        "pusat pembelajaran keluarga", "konseling keluarga", "parenting", "kdrt",
        "kekerasan dalam rumah tangga", "kekerasan rumah tangga", "kekerasan perempuan",
        "kekerasan terhadap perempuan", "kekerasan anak", "kekerasan terhadap anak",
        "kekerasan seksual", "pelecehan seksual", "pelecehan", "dilecehkan", "melecehkan",
        "pencabulan", "dicabuli", "mencabuli", "cabul", "pemerkosaan", "perkosaan", "diperkosa",
        "memperkosa", "disetubuhi", "dipukuli suami", "dipukul suami", "dianiaya suami",
        "memukuli istri", "memukul istri", "kekerasan suami", "suami kasar", "ditampar suami",
        "ditendang suami", "disiksa suami", "dipukuli bojo", "dipukul bojo", "ditampar bojo",
        "dianiaya bojo", "dipukuli pasangan",
        "pernikahan dini", "pernikahan anak", "perkawinan anak", "perkawinan dini",
        "dispensasi nikah", "dispensasi kawin", "nikah siri", "perlindungan perempuan",
        "perlindungan anak", "pemberdayaan perempuan", "dp3a", "dp3appkb", "p2tp2a", "uptd ppa",
        "ppa", "kota layak anak", "ramah anak", "kesetaraan gender", "gender", "disabilitas",
        "difabel", "penyandang disabilitas", "berkebutuhan khusus", "tunanetra", "tunarungu",
        "tunadaksa", "kursi roda", "anak terlantar", "eksploitasi anak", "pekerja anak",
        "perdagangan orang", "trafficking", "keluarga berencana", "kontrasepsi", "akseptor",
        "penyuluh kb", "kampung kb", "hak asuh", "penelantaran", "korban kekerasan",
        "pendampingan korban",
    ],
    "PERHUBUNGAN": [
        "lampu jalan", "lampu penerangan", "penerangan jalan", "pju", "lampu pju", "traffic light",
        "lampu merah", "lampu lalu lintas", "apil", "lalu lintas", "parkir", "juru parkir", "jukir",
        "parkir liar", "karcis parkir", "rambu", "marka", "zebra cros", "penyeberangan",
        "jembatan penyeberangan", "angkot", "angkutan umum", "angkutan kota", "bus", "surabaya bus",
        "trans", "halte", "terminal", "stasiun", "kereta", "krl", "commuter line", "pelabuhan",
        "bandara",
        "dinas perhubungan", "uji kir", "kir", "odol", "truk", "macet", "kemacetan", "ojek online",
        "taksi online", "kendaraan", "derek", "cermin cembung", "palang pintu", "perlintasan",
        "angkudes", "angkutan desa", "angkutan pedesaan", "trayek", "akdp", "akap",
    ],
    "PEKERJAAN UMUM DAN PENATAAN RUANG": [
        "jalan rusak", "jalan berlubang", "berlubang", "lubang", "aspal", "pengaspalan", "paving",
        "cor jalan", "betonisasi", "saluran", "saluran air", "drainase", "gorong", "box culvert",
        "got", "parit", "plengsengan", "tanggul", "jembatan", "trotoar", "pedestrian", "genangan",
        "tergenang", "rumah pompa", "pompa air", "normalisasi", "pengerukan", "bozem", "waduk",
        "imb", "pbg", "izin bangunan", "tata ruang", "sempadan", "rusun", "rumah susun", "rutilahu",
        "rumah tidak layak huni", "bedah rumah", "perumahan", "fasum", "fasos", "bina marga",
        "cipta karya", "pekerjaan umum", "dinas pu", "sumber daya air", "dsda", "dprkp", "perkim",
        "galian", "urugan", "proyek", "kontraktor", "polisi tidur",
    ],
    "LINGKUNGAN HIDUP DAN KEHUTANAN": [
        "sampah", "tumpukan sampah", "tps", "tpa", "truk sampah", "gerobak sampah",
        "pengangkutan sampah", "buang sampah", "bau", "bau busuk", "limbah", "pencemaran",
        "tercemar", "polusi", "asap", "debu", "kebisingan", "bising", "pohon", "pohon tumbang",
        "ranting", "dahan", "pangkas", "perantingan", "penebangan", "penghijauan", "taman",
        "ruang terbuka hijau", "rth", "kebersihan", "dlh", "dinas lingkungan hidup", "dkrth",
        "hutan", "eceng gondok", "sungai kotor", "bangkai", "kompos", "bank sampah", "amdal",
    ],
    "SOSIAL DAN KESEJAHTERAAN": [
        "bansos", "bantuan sosial", "pkh", "program keluarga harapan", "bpnt", "blt",
        "bantuan langsung tunai", "dtks", "data terpadu", "mbr", "masyarakat berpenghasilan rendah",
        "gakin", "keluarga miskin", "warga miskin", "miskin", "kemiskinan", "permakanan",
        "sembilan bahan pokok", "kartu sembilan bahan pokok", "pmks", "odgj", "gangguan jiwa",
        "gelandangan", "pengemis", "anak jalanan", "lanjut usia", "panti", "panti asuhan",
        "panti jompo", "yatim", "dinsos", "dinas sosial", "penerima bantuan", "bantuan pangan",
        "rastra", "pbi", "kis pbi", "santunan", "pahlawan ekonomi",
    ],
    "KEPENDUDUKAN": [
        "ktp", "e ktp", "ktp el", "kartu tanda penduduk", "kartu keluarga", "kk", "akta", "akte",
        "akta kelahiran", "akta kematian", "akta perkawinan", "akta perceraian", "kia",
        "kartu identitas anak", "nik", "dispendukcapil", "dukcapil", "capil", "catatan sipil",
        "adminduk", "administrasi kependudukan", "domisili", "pindah datang", "surat pindah",
        "perekaman", "rekam", "biodata", "klampid", "blangko", "skpwni", "penduduk", "kependudukan",
        "ganti nama", "status perkawinan",
    ],
    "KESEHATAN": [
        "puskesmas", "pustu", "rumah sakit", "rsud", "rs", "dokter", "perawat", "bidan", "obat",
        "apotek", "klinik", "faskes", "rujukan", "berobat", "pasien", "rawat inap", "rawat jalan",
        "igd", "ugd", "ambulans", "imunisasi", "vaksin", "vaksinasi", "posyandu", "stunting",
        "gizi", "gizi buruk", "demam berdarah", "dbd", "fogging", "jentik", "nyamuk", "abate",
        "covid", "dinkes", "dinas kesehatan", "bpjs kesehatan", "jkn", "kis", "sakit", "kesehatan",
        "persalinan", "ibu hamil", "tbc", "diare", "bpom", "izin bpom", "izin edar", "jamu",
        "obat tradisional", "obat ilegal", "kosmetik", "skincare", "krim pemutih", "merkuri",
    ],
    "ENERGI DAN SUMBER DAYA ALAM": [
        "pdam", "air pdam", "air bersih", "air mati", "air keruh", "air tidak mengalir",
        "air kecil", "meteran air", "tagihan air", "pipa", "pipa bocor", "perumda air", "listrik",
        "pln", "token", "token listrik", "meteran listrik", "tiang listrik", "kabel listrik",
        "pemadaman", "gas", "elpiji", "lpg", "gas melon", "jaringan gas", "bbm", "spbu",
        "pertalite", "solar", "premium", "tambang", "pertambangan", "penambangan", "tambang pasir",
        "galian c", "sumur", "air tanah", "energi", "esdm",
    ],
    "PENDIDIKAN DAN KEBUDAYAAN": [
        "sekolah", "penerimaan peserta didik baru", "zonasi", "siswa", "murid", "pelajar", "guru",
        "kepala sekolah", "sd", "smp", "sma", "smk", "mi", "mts", "paud", "taman kanak", "ijazah",
        "rapor", "raport", "beasiswa", "sumbangan pembinaan pendidikan", "seragam",
        "buku pelajaran", "dispendik", "dinas pendidikan", "pendidikan", "kuliah", "kampus",
        "mahasiswa", "les", "bimbel", "dana bos", "sekolah swasta", "sekolah negeri",
        "cagar budaya", "museum", "kesenian", "budaya", "perpustakaan", "pramuka", "wisuda",
        "daftar ulang",
    ],
    "KETENTERAMAN, KETERTIBAN UMUM, DAN PELINDUNGAN MASYARAKAT": [
        "satpol pp", "satpol", "satuan polisi pamong praja", "satuan polisi", "pkl",
        "pedagang kaki lima", "gelandangan dan pengemis", "pengamen", "balap liar", "tawuran",
        "minuman keras", "mabuk", "judi", "perjudian", "sabung ayam", "narkotika",
        "sabu", "shabu", "ganja", "pil koplo", "obat terlarang", "pengedar", "preman",
        "premanisme", "keributan", "ribut", "kebakaran", "damkar", "pemadam kebakaran", "hidran",
        "apar", "reklame", "baliho", "spanduk", "banner", "perlindungan masyarakat", "ketertiban",
        "ketenteraman", "warung remang", "karaoke", "tempat hiburan", "hiburan malam", "prostitusi",
        "begal", "maling", "pencurian", "kriminal", "gangguan ketertiban", "bangunan liar", "lapak",
        "trantib", "evakuasi", "sarang tawon", "tawon", "ular",
    ],
    "KETENAGAKERJAAN": [
        "kerja", "pekerjaan", "lowongan", "loker", "lowongan kerja", "pelatihan kerja",
        "balai latihan kerja", "phk", "pemutusan hubungan kerja", "pesangon", "gaji", "upah", "umr",
        "umk", "thr", "bpjs ketenagakerjaan", "jamsostek", "jht", "disnaker", "tenaga kerja",
        "ketenagakerjaan", "buruh", "karyawan", "pegawai", "outsourcing", "kontrak kerja",
        "kartu kuning", "ak1", "pengangguran", "padat karya", "magang", "tki", "pmi",
        "pekerja migran", "lembur", "cuti", "hubungan industrial", "serikat pekerja", "taspen",
        "dana pensiun",
    ],
    "EKONOMI DAN KEUANGAN": [
        "pajak", "pbb", "pajak bumi", "bphtb", "retribusi", "bapenda", "umkm", "usaha mikro",
        "koperasi", "pasar", "pedagang pasar", "stan pasar", "harga", "harga naik", "pinjol",
        "pinjaman online", "pinjaman", "bank", "kredit", "rentenir", "bunga", "investasi",
        "investasi bodong", "modal usaha", "izin usaha", "nib", "oss", "perdagangan", "toko",
        "minimarket", "swalayan", "pameran", "ekonomi", "keuangan", "bumd", "sewa", "penipuan",
        "tagihan", "denda", "operasi pasar",
    ],
    "TEKNOLOGI INFORMASI DAN KOMUNIKASI": [
        "internet", "wifi", "sinyal", "jaringan", "aplikasi", "website", "situs", "web", "server",
        "error", "eror", "login", "akun", "email", "password", "otp", "diskominfo",
        "komunikasi dan informasi", "cctv", "tower", "bts", "menara", "kabel fiber", "fiber optik",
        "kabel optik", "kabel wifi", "kabel internet", "provider", "telekomunikasi", "indihome",
        "media sosial", "sosial media", "instagram", "aplikasi online", "sistem", "online",
        "data pribadi", "judi online", "situs judi", "slot online", "sms penipuan",
        "penipuan online", "blokir nomor", "telpon penipuan", "telepon penipuan", "nomor penipu",
        "penipuan lewat telepon", "penipuan lewat whatsapp",
    ],
}  # fmt: skip


SERVICES: dict[str, dict[str, list[str]]] = {
    "ENERGI DAN SUMBER DAYA ALAM": {
        "listrik": [
            "padam listrik", "mati listrik", "pemadaman listrik",
            "pemadaman bergilir", "mati lampu", "byarpet", "token listrik", "token pln",
            "pulsa listrik", "meteran listrik", "meteran pln", "kwh meter", "tagihan listrik",
            "rekening listrik", "tarif listrik", "tegangan listrik", "listrik tidak stabil",
            "voltase", "daya listrik", "tambah daya", "pasang baru listrik", "pasang listrik",
            "sambungan listrik", "listrik prabayar", "listrik pascabayar", "listrik pln",
            "gardu pln", "gardu listrik", "trafo", "trafo pln", "trafo listrik", "tiang pln", "petugas pln",
            "kantor pln", "pelayanan pln", "ulp pln", "pln", "sutet", "listrik ~ padam",
            "listrik ~ mati", "listrik ~ byarpet", "pln ~ padam", "aliran listrik",
        ],
        "bahan bakar": [
            "elpiji", "lpg", "gas melon", "gas 3 kilogram", "tabung gas", "pangkalan gas",
            "agen gas", "bbm", "spbu", "pom bensin", "bensin", "pertalite", "pertamax",
            "solar subsidi", "minyak tanah", "pertamina", "pangkalan elpiji", "pangkalan lpg",
            "tabung elpiji", "gas elpiji", "agen elpiji",
        ],
        # "galian" alone stays with public works (a road dug open); Surabaya's few "tambang"
        # rows are a place's name.
        "pertambangan": [
            "tambang pasir", "tambang batu", "tambang emas", "tambang ilegal", "tambang liar",
            "penambangan", "pertambangan", "penambang", "galian c", "galian pasir", "pasir ilegal",
            "izin tambang", "iup", "batu bara",
        ],
    },
    "KETENTERAMAN, KETERTIBAN UMUM, DAN PELINDUNGAN MASYARAKAT": {
        "kepolisian": [
            "polsek", "polres", "polresta", "polda", "kapolsek", "kantor polisi", "lapor polisi",
            "laporan polisi", "laporan kehilangan", "skck", "pencurian", "dicuri", "kemalingan",
            "begal", "jambret", "penjambretan", "perampokan", "dirampok", "penganiayaan", "dijambret",
            "dibegal", "kebegalan", "copet", "dicopet", "kecopetan", "dirampas",
            "pengeroyokan", "pencurian kendaraan bermotor", "curas",
        ],
    },
    "TEKNOLOGI INFORMASI DAN KOMUNIKASI": {
        "telekomunikasi": [
            "sinyal", "blank spot", "blankspot", "jaringan seluler", "operator seluler",
            "tower bts", "menara bts", "telkomsel", "indosat", "pulsa hilang", "kuota hilang",
        ],
        # A home connection. "telkom" alone stays out: in Surabaya's file it is mostly the
        # company's cables and poles along a road.
        "internet rumah": [
            "indihome", "iconnet", "biznet", "myrepublic", "first media", "wifi mati",
            "internet mati", "internet rumah", "internet lambat", "gangguan internet", "modem",
            "tagihan internet", "teknisi internet",
        ],
    },
    "EKONOMI DAN KEUANGAN": {
        "jasa keuangan": [
            "pinjol", "pinjaman online", "debt collector", "penagih utang", "penagih hutang",
            "leasing", "rentenir", "bank keliling", "koperasi simpan pinjam", "kredit macet",
            "fintech", "ojk", "rekening bank", "saldo rekening", "saldo tabungan", "nasabah",
            "mobile banking", "m banking", "mbanking", "internet banking", "kartu kredit",
            "skimming", "kartu atm", "mesin atm", "atm tertelan", "atm ketelen", "asuransi jiwa",
            "klaim asuransi", "polis asuransi", "premi asuransi", "agen asuransi", "investasi bodong",
            "investasi ilegal", "investasi online", "robot trading", "skema ponzi",
        ],
        "pariwisata": [
            "wisata", "tempat wisata", "objek wisata", "obyek wisata", "destinasi wisata",
            "pariwisata", "tiket masuk", "pengelola wisata",
        ],
        # Parcels and couriers. "kantor pos" alone stays out: social aid is paid out there.
        "pos dan kurir": [
            "paket kiriman", "kiriman paket", "paket hilang", "paket belum sampai",
            "paket tidak sampai", "paket ~ belum sampai", "nomor resi", "no resi", "lacak resi",
            "jasa kurir", "kurir paket", "jasa ekspedisi", "jasa pengiriman", "wesel",
        ],
        # The state's own taxes and customs (the regions' taxes are the category's plain cues).
        "pajak pusat dan bea cukai": [
            "kantor pajak", "kpp", "djp", "npwp", "efin", "lapor spt", "spt tahunan", "pph",
            "pajak penghasilan", "coretax", "bea cukai", "bea masuk", "cukai", "pita cukai",
            "rokok ilegal", "rokok polos",
        ],
    },
    "PEKERJAAN UMUM DAN PENATAAN RUANG": {
        "pertanahan": [
            "sertifikat tanah", "sertipikat", "ptsl", "bpn", "atr bpn", "kantor pertanahan",
            "pertanahan", "sengketa tanah", "batas tanah", "penyerobotan tanah", "serobot tanah",
            "nyerobot tanah", "diserobot", "balik nama sertifikat", "pengukuran tanah", "girik",
            "letter c", "shm", "tanah warisan", "sertifikat ganda", "mafia tanah", "klaim tanah",
        ],
    },
    "LINGKUNGAN HIDUP DAN KEHUTANAN": {
        # A disaster for the BPBD. "longsor" alone stays out: in Surabaya's file it is a river
        # bank giving way, which public works repairs, and "banjir" a drain.
        "bencana": [
            "gempa", "gempa bumi", "tanah longsor", "puting beliung", "angin puting", "erupsi",
            "banjir bandang", "bencana", "bencana alam", "korban bencana", "bpbd", "pengungsi",
            "pengungsian", "posko bencana", "tanah bergerak", "pergerakan tanah", "korban banjir",
            "bantuan logistik", "terisolir", "terisolasi",
        ],
        # The sea and its fishermen. "tambak" stays out: it begins many of Surabaya's place names.
        "kelautan dan perikanan": [
            "cantrang", "kapal ikan", "kapal nelayan", "nelayan kecil", "nelayan tradisional",
            "zona tangkap", "wilayah tangkap", "illegal fishing", "pukat", "trawl", "bom ikan",
            "potasium", "rumpon", "tempat pelelangan ikan", "terumbu karang", "perikanan",
        ],
    },
    "KETENAGAKERJAAN": {
        # Work abroad ("pmi" stays out: it is also the Red Cross).
        "pekerja migran": [
            "tki", "tkw", "pekerja migran", "buruh migran", "calon pmi", "majikan", "agen penyalur",
            "kerja di luar negeri", "kerja di hong kong", "kerja di taiwan", "kerja di malaysia",
            "kerja di arab", "kerja di saudi", "kerja di singapura", "kp2mi", "bp2mi",
        ],
        # Civil-service selection and posts.
        "kepegawaian": [
            "cpns", "casn", "pppk", "sscasn", "skd", "seleksi cpns", "seleksi pppk", "formasi cpns",
            "formasi pppk", "web bkn", "situs bkn", "kantor bkn", "ke bkn", "dari bkn", "bkn pusat",
            "bkd", "bkpsdm", "nip",
        ],
    },
}  # fmt: skip


# Categories Surabaya's file has no complaint of, which SMS from elsewhere will name: the model
# cannot learn them, so a text that names one goes to triage with it suggested
# (`predict.predict_with`). Only matters no trained category covers: Surabaya files bullying at
# school under education and online shopping under the economy, so those stay with the model.
# One exception on purpose: extortion and bribery by officials ("pungli", "suap"), which Surabaya
# files under the service where it happened (a parking attendant's under transport). A machine must
# not forward an accusation to the office it accuses, so these wait for an operator, with the
# inspectorate suggested (sub-category PUNGUTAN LIAR or KKN).
# Left out as well: cues that Surabaya's complaints use for their own matters
# ("sawah": the Sawahan district; "haji" alone: RS Haji, a hospital; "kua" and "buku nikah": filed
# there under KEPENDUDUKAN; "pupuk" alone: compost; "ternak" alone: mostly a farm's smell, an
# environment matter), and offices a complaint names as a place or in passing ("depan lapas",
# "sudah lapor kepala desa").
# Extortion and bribery by officials (POLITIK DAN HUKUM): suggested for the inspectorate, never
# forwarded by the machine to the office the complaint accuses.
_EXTORTION = [
    "pungli", "pungutan liar", "uang pelicin", "pelicin", "suap", "menyuap", "disuap",
    "sogok", "menyogok", "disogok", "gratifikasi", "korupsi", "koruptor", "pemerasan",
    "diperas", "memeras", "uang damai", "nepotisme", "minta amplop", "dimintai amplop",
    "meminta amplop", "uang rokok", "uang kopi", "dimintai uang", "dimintai biaya",
    "dimintai # ribu", "dimintai # juta", "jual beli jabatan", "beli jabatan",
    "minta fee", "meminta fee", "dimintai fee", "fee proyek", "setoran proyek",
    "makelar cpns", "makelar pns", "makelar pppk", "makelar asn",
]  # fmt: skip
_CAMPAIGNING = [
    "netralitas", "asn kampanye", "pns kampanye", "asn ikut kampanye", "pns ikut kampanye",
]  # fmt: skip

UNTRAINED: dict[str, list[str]] = {
    "PERTANIAN DAN PETERNAKAN": [
        "pupuk subsidi", "pupuk bersubsidi", "pupuk langka", "pupuk urea", "kios pupuk",
        "kartu tani", "kelompok tani", "gapoktan", "poktan", "petani", "gabah", "benih padi",
        "bibit padi", "alsintan", "penyuluh pertanian", "dinas pertanian", "gagal panen",
        "penyakit mulut dan kuku", "lumpy skin", "mantri hewan", "puskeswan", "dinas peternakan",
        "ternak sakit", "ternak mati", "sapi sakit", "vaksin ternak", "pakan ternak", "kena pmk",
        "terkena pmk", "vaksin pmk", "wabah pmk", "antraks", "flu burung", "kena lsd", "sapi ~ sakit",
        "kambing ~ sakit", "sapi ~ mati", "kambing ~ mati", "ternak ~ mati", "vaksin sapi",
        "dokter hewan",
    ],
    "PEMBANGUNAN DESA, DAERAH TERTINGGAL, DAN TRANSMIGRASI": [
        "dana desa", "alokasi dana desa", "blt dd", "blt desa", "blt dana desa", "bumdes", "sekdes",
        "apbdes", "musdes", "pendamping desa", "transmigrasi", "transmigran", "desa tertinggal",
    ],
    "AGAMA": [
        "daftar haji", "pendaftaran haji", "porsi haji", "jemaah haji", "jamaah haji", "calon haji",
        "keberangkatan haji", "ibadah haji", "umroh", "umrah", "sertifikat halal", "penyuluh agama",
        "pelunasan haji", "setoran haji", "antrian haji", "antrean haji", "kuota haji",
        "berangkat haji", "biaya haji", "bpih",
    ],
    "PROGRAM MAKAN BERGIZI GRATIS (MBG)": [
        "mbg", "makan bergizi gratis", "makan bergizi", "makan siang gratis", "sppg",
        "badan gizi nasional", "bgn", "ompreng", "makan gratis di sekolah",
        "makanan gratis di sekolah", "menu makan gratis",
    ],
    "POLITIK DAN HUKUM": [
        "bantuan hukum", "narapidana", "remisi", "hak asasi manusia",
        *_EXTORTION,
        "paspor", "imigrasi", "kitas", "pemilu", "politik uang", "serangan fajar", "bawaslu",
    ],
    "NETRALITAS ASN": _CAMPAIGNING,
    "EVAKUASI HEWAN LIAR": [
        "buaya", "harimau", "beruang", "orangutan", "gajah liar", "satwa liar", "hewan liar",
        "satwa dilindungi",
    ],
    "PERLINDUNGAN KONSUMEN": [
        "produk palsu", "barang palsu", "konsumen dirugikan", "merugikan konsumen",
        "kurang timbangan", "timbangan kurang", "timbangan curang", "takaran kurang",
        "tidak sesuai takaran", "berat tidak sesuai", "isi tidak sesuai", "perlindungan konsumen",
        "garansi resmi", "klaim garansi", "rekondisi", "tidak sesuai pesanan",
        "tidak sesuai deskripsi",
    ],
}  # fmt: skip


def cue_lists() -> dict[str, tuple[str, list[str]]]:
    """Every pseudo-token's name → (its category, its cues): the categories, then the services."""
    out = {name: (name, cues) for name, cues in KEYWORDS.items()}
    for category, services in SERVICES.items():
        out.update(
            {f"{category}/{service}": (category, cues) for service, cues in services.items()}
        )
    return out


Index = tuple[tuple[str, ...], dict[str, list[tuple[int, tuple[str, ...]]]]]


def _build(lists: dict[str, list[str]]) -> Index:
    """(names, first cue word → [(name number, all the cue's words)])."""
    names = tuple(lists)
    first: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for j, name in enumerate(names):
        for cue in dict.fromkeys(lists[name]):
            words = tuple(cue.split())
            first.setdefault(words[0], []).append((j, words))
    return names, first


@functools.cache
def _index() -> Index:
    """The pseudo-tokens' index: categories and services."""
    return _build({name: cues for name, (_, cues) in cue_lists().items()})


@functools.cache
def _untrained_index() -> Index:
    return _build(UNTRAINED)


#: How many words a "~" in a cue may stand for.
GAP = 3


def _word_match(word: str, cue: str) -> bool:
    if cue == "#":
        return word[:1].isdigit()
    return word == cue or (len(cue) >= 4 and word.startswith(cue))


def _heads(word: str, first: dict) -> list[tuple[int, tuple[str, ...]]]:
    """Cues whose first word matches `word` (equal, or a 4+ letter prefix of it)."""
    out = list(first.get(word, ()))
    for n in range(4, len(word)):
        hit = first.get(word[:n])
        if hit:
            out.extend(hit)
    return out


def _rest_at(words: list[str], at: int, rest: tuple[str, ...]) -> bool:
    """Whether the cue words `rest` follow from `words[at]` on ("~": up to GAP words between)."""
    for k, cue in enumerate(rest):
        if cue == "~":
            return any(_rest_at(words, at + k + skip, rest[k + 1 :]) for skip in range(GAP + 1))
        if at + k >= len(words) or not _word_match(words[at + k], cue):
            return False
    return True


def _found(words: list[str], first: dict) -> set[tuple[int, tuple[str, ...]]]:
    """(name number, cue) of every distinct cue present in `words`."""
    found: set[tuple[int, tuple[str, ...]]] = set()
    for i, word in enumerate(words):
        for j, cue in _heads(word, first):
            if _rest_at(words, i + 1, cue[1:]):
                found.add((j, cue))
    return found


def matches(words: list[str]) -> list[tuple[str, int]]:
    """(pseudo-token name, number of distinct cues present) for every name with a cue present:
    a category's name, or "CATEGORY/service" for a service of `SERVICES`."""
    names, first = _index()
    counts: dict[int, int] = {}
    for j, _ in _found(words, first):
        counts[j] = counts.get(j, 0) + 1
    return [(names[j], n) for j, n in sorted(counts.items())]


# Cues that accuse an official: they stand whatever else the text names (see `untrained`).
# POLITIK DAN HUKUM's other cues (passports, elections, legal aid) name matters, not accusations.
ACCUSATIONS = frozenset(_EXTORTION + _CAMPAIGNING)


def untrained(words: list[str], known: Collection[str]) -> tuple[str, str] | None:
    """(category, the cue that named it) when the words name a category of `UNTRAINED` that is not
    in `known` (the model's categories); the one with most cues, then the first listed.

    None as well when a service of `SERVICES` has more cues in the text than that category: "spbu
    nolak isi pertalite pake jerigen buat petani" is about fuel (two cues), not farming (one), so
    the model decides. A cue of `ACCUSATIONS` always stands.
    """
    names, first = _untrained_index()
    cues: dict[int, list[str]] = {}
    for j, cue in sorted(_found(words, first)):
        if names[j] not in known:
            cues.setdefault(j, []).append(" ".join(cue))
    if not cues:
        return None
    j = max(cues, key=lambda k: (len(cues[k]), -k))
    if not ACCUSATIONS.intersection(cues[j]):
        services = [n for name, n in matches(words) if "/" in name]
        if services and max(services) > len(cues[j]):
            return None
    return names[j], max(cues[j], key=len)
