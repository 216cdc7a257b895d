"""Hand-written cue words per SP4N-LAPOR! top-level category (domain knowledge, not data).

Written by the project from what Indonesian public services are called and what they handle (the
agencies' names, their programmes, the things citizens complain about); no complaint text was
copied here. A cue is one or more words; each word matches a normalised word equal to it or, for
cue words of 4+ letters, a word starting with it ("sampah" also matches "sampahnya").

The classifier uses them in two ways (see `features.keyword_tokens` and `train.prior_examples`):
a text gets one pseudo-token per category whose cues it contains (a learned feature), and every
cue plus every sub-category name of the category tree is a tiny labelled example, so categories
with few or no training complaints still have a prior.
"""

from __future__ import annotations

import functools

KEYWORDS: dict[str, list[str]] = {
    "KESETARAAN GENDER DAN SOSIAL INKLUSIF": [
        "catin", "calon pengantin", "kelas catin", "bimbingan perkawinan", "bimwin",
        "puspaga", "pusat pembelajaran keluarga", "konseling keluarga", "parenting",
        "kdrt", "kekerasan dalam rumah tangga", "kekerasan rumah tangga", "kekerasan perempuan",
        "kekerasan terhadap perempuan", "kekerasan anak", "kekerasan terhadap anak",
        "kekerasan seksual", "pelecehan seksual", "pelecehan", "pencabulan", "pemerkosaan",
        "pernikahan dini", "pernikahan anak", "perkawinan anak", "perkawinan dini",
        "dispensasi nikah", "dispensasi kawin", "nikah siri",
        "perlindungan perempuan", "perlindungan anak", "pemberdayaan perempuan",
        "dp3a", "dp3appkb", "p2tp2a", "uptd ppa", "ppa", "kota layak anak", "ramah anak",
        "kesetaraan gender", "gender", "disabilitas", "difabel", "penyandang disabilitas",
        "berkebutuhan khusus", "tunanetra", "tunarungu", "tunadaksa", "kursi roda",
        "anak terlantar", "eksploitasi anak", "pekerja anak", "perdagangan orang", "trafficking",
        "keluarga berencana", "kontrasepsi", "akseptor", "penyuluh kb", "kampung kb",
        "hak asuh", "penelantaran", "korban kekerasan", "pendampingan korban",
    ],
    "PERHUBUNGAN": [
        "lampu jalan", "lampu penerangan", "penerangan jalan", "pju", "lampu pju",
        "traffic light", "lampu merah", "lampu lalu lintas", "apill", "lalu lintas",
        "parkir", "juru parkir", "jukir", "parkir liar", "karcis parkir", "rambu", "marka",
        "zebra cross", "penyeberangan", "jembatan penyeberangan", "angkot", "angkutan umum",
        "angkutan kota", "bus", "suroboyo bus", "trans", "halte", "terminal", "stasiun",
        "kereta", "pelabuhan", "bandara", "dishub", "dinas perhubungan", "uji kir", "kir",
        "odol", "truk", "macet", "kemacetan", "ojol", "ojek online", "taksi online",
        "kendaraan", "derek", "cermin cembung", "palang pintu", "perlintasan",
    ],
    "PEKERJAAN UMUM DAN PENATAAN RUANG": [
        "jalan rusak", "jalan berlubang", "berlubang", "lubang", "aspal", "pengaspalan",
        "paving", "cor jalan", "betonisasi", "saluran", "saluran air", "drainase", "gorong",
        "box culvert", "got", "parit", "plengsengan", "tanggul", "jembatan", "trotoar",
        "pedestrian", "genangan", "tergenang", "rumah pompa", "pompa air", "normalisasi",
        "pengerukan", "bozem", "waduk", "imb", "pbg", "izin bangunan", "tata ruang",
        "sempadan", "rusunawa", "rusun", "rumah susun", "rutilahu", "rumah tidak layak huni",
        "bedah rumah", "perumahan", "fasum", "fasos", "bina marga", "cipta karya",
        "pekerjaan umum", "dinas pu", "sumber daya air", "dsda", "dprkpp", "perkim",
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
        "bantuan langsung tunai", "dtks", "data terpadu", "mbr",
        "masyarakat berpenghasilan rendah", "gakin", "keluarga miskin", "warga miskin",
        "miskin", "kemiskinan", "permakanan", "sembako", "kartu sembako", "pmks", "odgj",
        "gangguan jiwa", "gelandangan", "pengemis", "anak jalanan", "lansia", "panti",
        "panti asuhan", "panti jompo", "yatim", "dinsos", "dinas sosial", "penerima bantuan",
        "bantuan pangan", "rastra", "pbi", "kis pbi", "santunan", "pahlawan ekonomi",
    ],
    "KEPENDUDUKAN": [
        "ktp", "e ktp", "ktp el", "kartu tanda penduduk", "kartu keluarga", "kk", "akta",
        "akte", "akta kelahiran", "akta kematian", "akta perkawinan", "akta perceraian", "kia",
        "kartu identitas anak", "nik", "dispendukcapil", "dukcapil", "capil",
        "catatan sipil", "adminduk", "administrasi kependudukan", "domisili", "pindah datang",
        "surat pindah", "perekaman", "rekam", "biodata", "klampid", "blangko", "skpwni",
        "penduduk", "kependudukan", "ganti nama", "status perkawinan",
    ],
    "KESEHATAN": [
        "puskesmas", "pustu", "rumah sakit", "rsud", "rs", "dokter", "perawat", "bidan",
        "obat", "apotek", "klinik", "faskes", "rujukan", "berobat", "pasien", "rawat inap",
        "rawat jalan", "igd", "ugd", "ambulan", "ambulans", "imunisasi", "vaksin",
        "vaksinasi", "posyandu", "stunting", "gizi", "gizi buruk", "demam berdarah", "dbd",
        "fogging", "jentik", "nyamuk", "abate", "covid", "dinkes", "dinas kesehatan",
        "bpjs kesehatan", "jkn", "kis", "sakit", "kesehatan", "persalinan", "ibu hamil",
        "tbc", "diare",
    ],
    "ENERGI DAN SUMBER DAYA ALAM": [
        "pdam", "air pdam", "air bersih", "air mati", "air keruh", "air tidak mengalir",
        "air kecil", "meteran air", "tagihan air", "pipa", "pipa bocor", "perumda air",
        "listrik", "pln", "token", "token listrik", "meteran listrik", "tiang listrik",
        "kabel listrik", "pemadaman", "gas", "elpiji", "lpg", "gas melon", "pgn",
        "jaringan gas", "bbm", "spbu", "pertalite", "solar", "premium", "tambang",
        "pertambangan", "galian c", "sumur", "air tanah", "energi", "esdm",
    ],
    "PENDIDIKAN DAN KEBUDAYAAN": [
        "sekolah", "ppdb", "zonasi", "siswa", "murid", "pelajar", "guru", "kepala sekolah",
        "sd", "smp", "sma", "smk", "mi", "mts", "paud", "tk", "ijazah", "rapor", "raport",
        "beasiswa", "spp", "seragam", "buku pelajaran", "dispendik", "dinas pendidikan",
        "pendidikan", "kuliah", "kampus", "mahasiswa", "les", "bimbel", "dana bos",
        "sekolah swasta", "sekolah negeri", "cagar budaya", "museum", "kesenian", "budaya",
        "perpustakaan", "pramuka", "wisuda", "daftar ulang",
    ],
    "KETENTERAMAN, KETERTIBAN UMUM, DAN PELINDUNGAN MASYARAKAT": [
        "satpol pp", "satpol", "satuan polisi pamong praja", "satuan polisi", "pkl", "pedagang kaki lima", "gepeng", "pengamen", "balap liar",
        "tawuran", "miras", "minuman keras", "mabuk", "judi", "perjudian", "sabung ayam",
        "narkoba", "preman", "premanisme", "keributan", "ribut", "kebakaran", "damkar",
        "pemadam kebakaran", "hidran", "apar", "reklame", "baliho", "spanduk", "banner",
        "linmas", "ketertiban", "ketenteraman", "penertiban", "warung remang", "karaoke",
        "tempat hiburan", "hiburan malam", "prostitusi", "begal", "maling", "pencurian",
        "kriminal", "gangguan ketertiban", "bangunan liar", "lapak", "trantib",
        "evakuasi", "sarang tawon", "ular", "bencana", "bpbd",
    ],
    "KETENAGAKERJAAN": [
        "kerja", "pekerjaan", "lowongan", "loker", "lowongan kerja", "pelatihan kerja", "blk",
        "phk", "pemutusan hubungan kerja", "pesangon", "gaji", "upah", "umr", "umk", "thr",
        "bpjs ketenagakerjaan", "jamsostek", "jht", "disnaker", "tenaga kerja",
        "ketenagakerjaan", "buruh", "karyawan", "pegawai", "outsourcing", "kontrak kerja",
        "kartu kuning", "ak1", "pengangguran", "padat karya", "magang", "tki", "pmi",
        "pekerja migran", "lembur", "cuti", "hubungan industrial", "serikat pekerja",
    ],
    "EKONOMI DAN KEUANGAN": [
        "pajak", "pbb", "pajak bumi", "bphtb", "retribusi", "bapenda", "umkm", "usaha mikro",
        "koperasi", "pasar", "pedagang pasar", "stan pasar", "harga", "harga naik",
        "pinjol", "pinjaman online", "pinjaman", "bank", "kredit", "rentenir", "bunga",
        "investasi", "investasi bodong", "modal usaha", "izin usaha", "nib", "oss",
        "perdagangan", "toko", "minimarket", "swalayan", "pameran", "ekonomi", "keuangan",
        "bumd", "pd pasar", "sewa", "penipuan", "tagihan", "denda",
    ],
    "TEKNOLOGI INFORMASI DAN KOMUNIKASI": [
        "internet", "wifi", "sinyal", "jaringan", "aplikasi", "website", "situs", "web",
        "server", "error", "eror", "login", "akun", "email", "password", "otp",
        "diskominfo", "kominfo", "cctv", "tower", "bts", "menara", "kabel fiber",
        "fiber optik", "kabel optik", "kabel wifi", "kabel internet", "provider", "telkom",
        "indihome", "hoaks", "hoax", "media sosial", "medsos", "instagram", "aplikasi online",
        "sistem", "online", "data pribadi",
    ],
}  # fmt: skip


@functools.cache
def _index() -> tuple[tuple[str, ...], dict[str, list[tuple[int, tuple[str, ...]]]]]:
    """(category names, first cue word → [(category number, all the cue's words)])."""
    names = tuple(KEYWORDS)
    first: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for j, name in enumerate(names):
        for cue in dict.fromkeys(KEYWORDS[name]):
            words = tuple(cue.split())
            first.setdefault(words[0], []).append((j, words))
    return names, first


def _word_match(word: str, cue: str) -> bool:
    return word == cue or (len(cue) >= 4 and word.startswith(cue))


def _heads(word: str, first: dict) -> list[tuple[int, tuple[str, ...]]]:
    """Cues whose first word matches `word` (equal, or a 4+ letter prefix of it)."""
    out = list(first.get(word, ()))
    for n in range(4, len(word)):
        hit = first.get(word[:n])
        if hit:
            out.extend(hit)
    return out


def matches(words: list[str]) -> list[tuple[str, int]]:
    """(category, number of distinct cues present) for every category with a cue present."""
    names, first = _index()
    found: set[tuple[int, tuple[str, ...]]] = set()
    for i, word in enumerate(words):
        for j, cue in _heads(word, first):
            if len(words) - i >= len(cue) and all(
                _word_match(words[i + k], c) for k, c in enumerate(cue[1:], 1)
            ):
                found.add((j, cue))
    counts: dict[int, int] = {}
    for j, _ in found:
        counts[j] = counts.get(j, 0) + 1
    return [(names[j], n) for j, n in sorted(counts.items())]
