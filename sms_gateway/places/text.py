"""Light tokenisation for place matching: ASCII folding, lower case, name keys, word lists."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

_APOSTROPHES = re.compile(r"['’`´]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LEVEL_WORDS = re.compile(r"^(kabupaten administrasi|kota administrasi|kabupaten|kota) ")

#: Longest input considered; the rest of a very long text is ignored (keeps locate() bounded).
MAX_CHARS = 2000

#: Prefix words and the levels they announce. "kota" also covers the old "kodya"/"kotamadya".
PREFIXES: dict[str, frozenset[str]] = {
    **dict.fromkeys(("prov", "provinsi", "propinsi"), frozenset({"provinsi"})),
    **dict.fromkeys(("kab", "kabupaten", "kabupatan", "kbp"), frozenset({"kabupaten"})),
    **dict.fromkeys(("kota", "kodya", "kotamadya", "kotamadia"), frozenset({"kota"})),
    **dict.fromkeys(("kec", "kecamatan", "kcmtn", "kecamatn", "distrik"), frozenset({"kecamatan"})),
    **dict.fromkeys(
        ("kel", "kelurahan", "klurahan", "kelurhan", "lurah"), frozenset({"kelurahan"})
    ),
    **dict.fromkeys(("desa", "ds", "dsa", "gampong", "nagari"), frozenset({"desa"})),
}

#: SMS shorthands of kabupaten/kota names, read as the name only right after "kab" or "kota":
#: alone they are other SMS words ("smg" semoga, "plg" pulang, "mks" makasih, "tgl" tanggal) or
#: name both the kota and the kabupaten ("bdg", "mlg"). "jkt" is Jakarta anywhere.
SHORTHANDS: dict[str, str] = {
    "smg": "semarang", "bdg": "bandung", "mlg": "malang", "mgl": "magelang", "plg": "palembang",
    "mks": "makassar", "pdg": "padang", "bgr": "bogor", "tgr": "tangerang", "bks": "bekasi",
    "dpk": "depok", "pku": "pekanbaru", "bpp": "balikpapan", "ptk": "pontianak",
    "smd": "samarinda", "bjm": "banjarmasin", "tgl": "tegal", "pkl": "pekalongan",
    "kdr": "kediri", "sda": "sidoarjo", "gsk": "gresik", "jbr": "jember", "skb": "sukabumi",
    "crb": "cirebon", "tsm": "tasikmalaya", "btm": "batam", "mnd": "manado", "kpg": "kupang",
    "mtr": "mataram", "jmb": "jambi", "bms": "banyumas", "pbg": "purbalingga", "sby": "surabaya",
    "mdn": "medan", "dps": "denpasar", "jogja": "yogyakarta", "yogya": "yogyakarta",
    "jogjakarta": "yogyakarta", "jkt": "jakarta",
}  # fmt: skip
_ANYWHERE = frozenset({"jkt"})
_KABKOTA = frozenset(w for w, levels in PREFIXES.items() if levels & {"kabupaten", "kota"})


def read_shorthands(words: list[str]) -> list[str]:
    """`words` with the shorthands of `SHORTHANDS` spelt out where they name a place."""
    out: list[str] = []
    for i, word in enumerate(words):
        name = SHORTHANDS.get(word)
        if name is not None and (word in _ANYWHERE or (i and words[i - 1] in _KABKOTA)):
            out.extend(name.split())
        else:
            out.append(word)
    return out


#: Words after which a name is a street or housing estate: it needs support from the hierarchy.
STREETS = frozenset("jl jln jlan jalan gg gang perum perumahan komplek kompleks blok".split())  # noqa: SIM905

#: Words after which a name is a hamlet, a person or a river, never an administrative region
#: ("bengawan solo" flows through a dozen regions, none of them Kota Surakarta by that name); and
#: auxiliaries after which the word is a verb: Javanese "kon bali sesuk" is "told to come back
#: tomorrow", not Bali ("suruh" stays out: it is a kecamatan of Kabupaten Semarang).
BLOCKERS = frozenset(
    """
    dusun dsn dukuh dkh pak bpk bapak bu ibu sdr saudara saudari mas mbak kak an nama bengawan
    kon dikon kongkon dikongkon kudu arep wis durung ora ra gek njur banjur disuruh
    """.split()  # noqa: SIM905
)

#: Everyday phrases that are also the name of a kabupaten/kota, as their words joined: written as
#: two words ("batu bara" is coal, "bau bau" smelly) they name it only after a prefix.
EVERYDAY_PHRASES = frozenset({"batubara", "tebingtinggi", "baubau"})

#: Generic words that are also region names somewhere; such a name needs a prefix at any level.
#: The last line: Sundanese "enggal" (soon) and "mugi" (may it), a kecamatan each.
COMMON = frozenset(
    """
    baru lama tengah pusat timur barat utara selatan tenggara hulu hilir ilir ulu atas bawah dalam
    luar kulon wetan lor kidul pasar jaya makmur kali gang jalan raya sungai sei gunung bukit pulau
    tanjung teluk muara air batu batang tanah sawah kebun laut danau rawa pantai kota desa kampung
    dusun indah sari asri mulya mulia sejahtera maju subur harapan karya bakti mekar sentosa damai
    merdeka bahagia jati agung besar kecil panjang lebar tinggi rendah lima empat tiga dua satu enam
    tujuh delapan sembilan sepuluh puluh seribu ratus datar lawang rejo kidul mas intan raja puncak
    bone buru metro pesisir kepulauan simpang lubuk koto padang kuala parit lorong pondok tegal
    sumber mulyo makmur tani baru jembatan pasir kayu putih hitam merah hijau kuning indah permai
    harjo asri lestari bersatu bersama gotong royong mandiri mekar sakti wangi manis tulang bawang
    banjar bangun bina aman adil cinta setia tunggal sentral kembang bunga
    rusak mati lampu banjir sampah macet listrik antri bantu warga rumah sekolah kantor gorong
    enggal mugi
    """.split()  # noqa: SIM905
)


def fold(text: str) -> str:
    """Return text in lower-case ASCII with apostrophes removed."""
    text = text[:MAX_CHARS]
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _APOSTROPHES.sub("", text.lower())


def tokens(text: str) -> list[str]:
    """Split an SMS into lower-case ASCII words ("Kec.Kalimanah," -> ["kec", "kalimanah"])."""
    return [t for t in _NON_ALNUM.split(fold(text)) if t]


def name_words(name: str) -> list[str]:
    """Words of a region name without "Kabupaten"/"Kota" ("Kota Banda Aceh" -> ["banda", "aceh"])."""
    folded = _LEVEL_WORDS.sub("", _NON_ALNUM.sub(" ", fold(name)).strip() + " ")
    return folded.split()


def key_of(words: list[str] | tuple[str, ...]) -> str:
    """Index key of a name: its words joined without spaces, so "karang pilang" = "karangpilang"."""
    return "".join(words)


@cache
def stopwords() -> frozenset[str]:
    """Function words ("sudah", "yang"): never a name, even after a prefix (data/stopwords.txt)."""
    path = Path(__file__).with_name("data") / "stopwords.txt"
    return frozenset(path.read_text(encoding="ascii").split())


@cache
def root_words() -> frozenset[str]:
    """Indonesian root words (kata dasar) from PySastrawi's dictionary (MIT), a pinned dependency."""
    path = resources.files("Sastrawi").joinpath("Stemmer", "data", "kata-dasar.txt")
    return frozenset(w.strip() for w in path.read_text(encoding="utf-8").split() if w.strip())


@cache
def everyday_words() -> frozenset[str]:
    """Words of everyday SMS: slang and stopword lists (data/words.txt) and COMMON."""
    path = Path(__file__).with_name("data") / "words.txt"
    return frozenset(path.read_text(encoding="ascii").split()) | COMMON


@cache
def vocabulary() -> frozenset[str]:
    """Ordinary words: everyday words plus kata dasar (which also holds some regional names)."""
    return everyday_words() | root_words()


_PREFIX_ROOTS = (
    ("memper", ""), ("member", ""), ("meng", ""), ("meng", "k"), ("meny", "s"), ("mem", "p"),
    ("mem", ""), ("men", "t"), ("men", ""), ("me", ""), ("peng", ""), ("peng", "k"),
    ("peny", "s"), ("pem", "p"), ("pem", ""), ("pen", "t"), ("pen", ""), ("per", ""), ("pe", ""),
    ("ber", ""), ("be", ""), ("ter", ""), ("di", ""), ("ke", ""), ("se", ""), ("", ""),
)  # fmt: skip
_SUFFIXES = ("kannya", "annya", "nya", "kan", "an", "i", "lah", "kah", "")


@lru_cache(maxsize=65536)
def is_ordinary(word: str) -> bool:
    """True for an ordinary Indonesian word, affixed forms included ("kebocoran", "tumpukan")."""
    vocab = vocabulary()
    if word in vocab:
        return True
    roots = root_words()
    for suffix in _SUFFIXES:
        if suffix and not word.endswith(suffix):
            continue
        stem = word[: len(word) - len(suffix)] if suffix else word
        for prefix, restore in _PREFIX_ROOTS:
            if stem.startswith(prefix):
                root = restore + stem[len(prefix) :]
                if len(root) >= (4 if prefix == "" else 3) and root in roots:
                    return True
    return False
