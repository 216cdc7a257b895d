"""Rebuild ``data/lexicon.tsv`` from the MIT word lists (a maintenance script, not run by the app).

Run ``python -m sms_gateway.understand._build_lexicon ../shared/data/lexicon`` from the project
root. The three lists are merged into one informal → formal table: a pair two lists agree on wins,
otherwise the first list in SOURCES that has the word. Entries are dropped when the informal word is
itself a formal word (the lists map "malang" → "ngalam", "ujung" → "akhirnya"), an English word,
a single letter (except a few SMS staples), or a protected word (negation, urgency). Domain fixes
(addresses, agencies) then override everything, and values are resolved until they are fixed
points, so normalising a normalised text changes nothing.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from sms_gateway.understand._util import word_set
from sms_gateway.understand.language import ENGLISH_WORDS

SOURCES = (
    "indocollex-informal-formal.tsv",
    "indo-text-preprocessing-slang.json",
    "louisowen6-slang.json",
)
OUT = Path(__file__).parent / "data" / "lexicon.tsv"

# Slang that also appears as a "formal" value somewhere in the lists, but is slang all the same.
KEEP_SLANG = word_set(
    "enggak nggak kagak gak kalo udah aja gitu emang bikin nih tuh tau males ngerti nonton gue "
    "gua lu lo dr cm bentar kayak kayaknya apaan bakalan telat gegara onlen cuman dah mulu "
    "pingin nangis dipake mikir silahkan berfikir aktifitas"
)
# Words that carry the meaning of a complaint and must survive exactly as written.
PROTECTED = word_set(
    "tidak belum bukan jangan segera harus wajib darurat tolong mohon bantu sedang masih sudah "
    "rusak mati parah bahaya korban api banjir status cek info batal nilai stop mulai bahasa "
    "rahasia anonim ok rt rw no km kk sd smp sma smk rs "
    # Acronyms of public services the lists read as chat slang: PKL street vendors (not "pukul"),
    # Satpol PP (not "satuan polisi pulang pergi", which routing would read as the police), the
    # PKK women's groups (not "pakai"), UPTD PPA for women and children (not "papa"), BLT DD,
    # the village fund's cash aid (not "adik").
    "pkl satpol pp pkk ppa dd "
    # SK, a decree (not "suka"); PU and LH, public works and environment (not "punya",
    # "boleh"); SP, a warning letter (not "sapa"); BCA, a bank (not "baca"); MBG, the free
    # school meals programme (not "mbak"); PPPK, civil servants on contract (not "bapak").
    "sk pu lh sp bca mbg pppk"
)
SINGLE_LETTERS = {"d": "di", "k": "ke", "n": "dan", "g": "tidak", "y": "ya", "q": "aku"}
# Domain fixes: addresses, agencies and words the lists get wrong for complaints.
DOMAIN = {
    "kel": "kelurahan",
    "kelur": "kelurahan",
    "kec": "kecamatan",
    "kecam": "kecamatan",
    "ds": "desa",
    "dsn": "dusun",
    "kab": "kabupaten",
    "kabup": "kabupaten",
    "jl": "jalan",
    "jln": "jalan",
    "jaln": "jalan",
    "prov": "provinsi",
    "prop": "provinsi",
    "kp": "kampung",
    "kmp": "kampung",
    "perum": "perumahan",
    "kav": "kavling",
    "blok": "blok",
    "pkm": "puskesmas",
    "puskes": "puskesmas",
    "mggu": "minggu",
    "mgg": "minggu",
    "mingu": "minggu",
    "blkg": "belakang",
    "blakang": "belakang",
    "sgr": "segera",
    "sgra": "segera",
    "pmrntah": "pemerintah",
    "pemkab": "pemerintah kabupaten",
    "pemkot": "pemerintah kota",
    "pemprov": "pemerintah provinsi",
    "gak": "tidak",
    "ga": "tidak",
    "gk": "tidak",
    "enggak": "tidak",
    "nggak": "tidak",
    "engga": "tidak",
    "ngga": "tidak",
    "kagak": "tidak",
    "tak": "tidak",
    "dah": "sudah",
    "bgt": "sangat",
    "banget": "sangat",
    "sdg": "sedang",
    "lg": "lagi",
    "kalo": "kalau",
    "klo": "kalau",
    "kl": "kalau",
    "aq": "aku",
    "sy": "saya",
    "bpk": "bapak",
    "ibu2": "ibu ibu",
    "trs": "terus",
    "sampe": "sampai",
    "smpe": "sampai",
    "pdhl": "padahal",
    "pileg": "pemilihan legislatif",
    "pilkades": "pemilihan kepala desa",
    "kades": "kepala desa",
    "ambulan": "ambulans",
    "ambulance": "ambulans",
    "skrang": "sekarang",
    "skg": "sekarang",
    "ukt": "uang kuliah tunggal",
    # Complaint readings of words the lists read as chat: "kulon" is west (as "wetan" is east),
    # not "kuliah online"; "th" a year, "tl" a follow-up (tindak lanjut), "pk" the "Pak" of an
    # official, "sbb" "as follows" (not "sorry for the late reply"), "nd" and "dak" Javanese "no".
    "kulon": "barat",
    "th": "tahun",
    "tl": "tindak lanjut",
    "pk": "bapak",
    "sbb": "sebagai berikut",
    "nd": "tidak",
    "dak": "tidak",
    # A distribution transformer, as it is often spelt ("travo"): one word for the cues and rules.
    "travo": "trafo",
}
# Words of the regional languages that everyday SMS Indonesian mixes in, where they carry a
# complaint's meaning and have one reading (Javanese, Sundanese, Minang, Banjar): "dalan bolong"
# is read "jalan bolong", "cai teu ngocor" "air tidak mengalir". Left out on purpose: words with an
# Indonesian reading of their own ("lembur" is overtime, "alun" the square, "ngarep" hoping).
REGIONAL = {
    # Javanese
    "dalan": "jalan", "banyu": "air", "wis": "sudah", "uwis": "sudah", "udan": "hujan",
    "peteng": "gelap", "uwuh": "sampah", "mili": "mengalir", "mambu": "bau",
    "didandani": "diperbaiki", "wonten": "ada", "kangge": "untuk", "yen": "kalau",
    "bangjo": "lampu lalu lintas", "kalen": "selokan", "wit": "pohon", "wong": "orang",
    "turu": "tidur", "tuku": "beli", "mlebu": "masuk", "bengi": "malam", "wingi": "kemarin",
    "dicolong": "dicuri", "digebuki": "dipukuli",
    # Sundanese
    "teu": "tidak", "acan": "belum", "ruksak": "rusak", "dibenerkeun": "diperbaiki",
    "ngocor": "mengalir", "poe": "hari", "tilu": "tiga", "runtah": "sampah", "pareum": "padam",
    "imah": "rumah", "solokan": "selokan", "sakola": "sekolah", "peuting": "malam",
    "kamari": "kemarin", "barudak": "anak anak",
    # Minang and Banjar
    "taruih": "terus", "kampuang": "kampung", "kada": "tidak", "indak": "tidak", "ambo": "saya",
    "lamo": "lama",
}  # fmt: skip
# Formal words of complaints the lists never produce; shipped as known words (empty value) so
# repeated-letter folding and digit fixes can recognise them.
DOMAIN_WORDS = word_set(
    """
    lubang berlubang banjir lampu warga listrik jembatan selokan got drainase parit aspal pungli
    sekolah guru puskesmas bansos pkh ktp kartu keluarga akta pdam pln bpjs pajak retribusi
    kebakaran terbakar kecelakaan tabrakan tenggelam pingsan longsor begal tawuran korban luka
    meninggal ambulans polisi rt rw kelurahan kecamatan kabupaten desa dusun gang kampung
    provinsi perumahan puskesmas kantor dinas petugas pegawai pelayanan antrean macet parkir
    liar sampah bau limbah pabrik air bersih mampet tersumbat genangan trotoar pohon tumbang
    kabel putus tiang miring lurah camat bupati walikota gubernur pinjol pinjaman online
    asap buaya tilang spam cabut kp2mi bp2mi
    """
)


def _words(value: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", value.lower())


def _read(folder: Path, name: str) -> dict[str, str]:
    path = folder / name
    if name.endswith(".json"):
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {str(k).strip().lower(): str(v).strip().lower() for k, v in raw.items()}
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) >= 2:
            pairs[parts[0].strip().lower()] = parts[1].strip().lower()
    return pairs


def merge(folder: Path) -> dict[str, str]:
    """The merged, filtered and closed informal → formal table."""
    lists = [_read(folder, name) for name in SOURCES]
    formal = {w for table in lists for v in table.values() for w in _words(v)}
    stopwords = set((folder / "stopwords-id.txt").read_text(encoding="utf-8").split())
    merged: dict[str, str] = {}
    for key in sorted({k for table in lists for k in table}):
        if not re.fullmatch(r"[a-z][a-z0-9]*|[0-9]+[a-z]+[a-z0-9]*", key):
            continue
        if len(key) == 1 or key in ENGLISH_WORDS or key in PROTECTED or key in DOMAIN_WORDS:
            continue  # a complaint's own words win over the lists ("aspal" is asphalt, not slang)
        if (key in formal or key in stopwords) and key not in KEEP_SLANG:
            continue
        votes = Counter(" ".join(_words(t[key])) for t in lists if key in t)
        votes.pop("", None)
        if not votes:
            continue
        best, count = votes.most_common(1)[0]
        if count == 1:
            best = next(" ".join(_words(t[key])) for t in lists if _words(t.get(key, "")))
        if best != key and not any(ch.isdigit() for ch in best):
            merged[key] = best
    merged.update(SINGLE_LETTERS)
    merged.update(REGIONAL)
    merged.update(DOMAIN)
    table = _close(merged)
    known = (stopwords | DOMAIN_WORDS | PROTECTED) - set(table)
    table.update({w: "" for w in known if re.fullmatch(r"[a-z][a-z0-9]*", w)})
    return table


def _close(table: dict[str, str]) -> dict[str, str]:
    """Resolve values through the table until every value word maps to itself."""
    for _ in range(5):
        changed = False
        for key, value in table.items():
            words = _words(value)
            new = " ".join(table.get(w, w) for w in words)
            if new != value:
                table[key], changed = new, True
        if not changed:
            break
    return {
        k: v
        for k, v in table.items()
        if v != k and k not in v.split() and all(table.get(w, w) == w for w in v.split())
    }


def main(folder: str) -> None:
    """Write the merged table as sorted tab-separated lines (empty value: a known formal word)."""
    table = merge(Path(folder))
    lines = [f"{k}\t{v}" for k, v in sorted(table.items())]
    header = "# informal<TAB>formal (formal empty: known word, kept) — merged by _build_lexicon.py; licences in NOTICE\n"
    OUT.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} entries → {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/lexicon")
