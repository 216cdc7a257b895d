"""Emergencies in progress (fire, accident with victims, flood rising, violence...): reply with 112.

Matching runs on normalised text (slang expanded). A kind fires on its trigger words, and is
silenced by words that place the event in the past, make it habitual or hypothetical ("tahun
lalu", "sering", "kalau hujan", "rawan", "bisa menyebabkan") or make it about equipment and aid
("alat pemadam kebakaran", "bantuan korban kebakaran"). Words of an event happening now
("sedang", "sekarang", "barusan", "saat ini") win over those. A few kinds need more than their
trigger: an accident needs victims or "now", a flood needs water rising or entering houses,
drowning needs a person, a medical case needs "now", "tolong" or an ambulance request.
"""

from __future__ import annotations

import re

from sms_gateway.understand.normalize import normalize

KINDS = ("fire", "drowning", "violence", "accident", "landslide", "flood", "medical")


def _rx(words: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + words + r")\b")


_NOT_EVENTS = _rx(
    r"(?:alat |mobil |pos |petugas |dinas |unit |tabung )?pemadam(?: kebakaran)?|damkar|apar|hidran"
    r"|(?:tidak|belum|bukan|tanpa) (?:ada )?(?:korban|yang terluka|luka|api|kebakaran)"
    r"|fire (?:department|extinguisher|station|truck|brigade)s?"
)
_STRONG_NOW = _rx(
    r"sedang|sekarang|saat ini|barusan|baru saja|masih berlangsung|sedang terjadi|terjadi sekarang"
    r"|right now|now|happening|in progress|is burning|are burning"
)
_NOW = _rx(r"lagi|masih|tolong|cepat|darurat|segera kirim|help|please help|sos")
_QUIET = _rx(
    r"tahun lalu|bulan lalu|minggu lalu|tahun kemarin|bulan kemarin|kemarin|kemaren|dulu|pernah"
    r"|waktu itu|beberapa (?:hari|minggu|bulan|tahun|kali)|sering|selalu|setiap|tiap|langganan"
    r"|rawan|berpotensi|potensi|risiko|resiko|berisiko|takut|khawatir|jangan sampai|sebelum ada"
    r"|kalau hujan|jika hujan|bila hujan|saat hujan|waktu hujan|musim hujan|pasca|bekas|kasus"
    r"|sudah lapor|belum ditangkap|diproses|laporan polisi|bisa menyebabkan|dapat menyebabkan"
    r"|menyebabkan|mengakibatkan|memicu|sudah (?:banyak|beberapa|ada) korban|menelan korban"
    r"|sudah banyak|banyak (?:begal|kasus|kejadian|kecelakaan|maling|preman)|marak"
    r"|bantuan (?:untuk |bagi |buat )?korban|santunan|ganti rugi|last year|last month|last week|yesterday|often"
    r"|every time|whenever|always|could cause|risk"
)
_PERSON = (
    r"orang|anak|bocah|balita|bayi|warga|korban|seseorang|teman|adik|kakak|bapak|ibu|nenek"
    r"|kakek|nelayan|pria|wanita|laki laki|perempuan|siswa|pemuda|remaja|pemancing|someone"
    r"|child|person|man|woman|boy|girl|kid"
)
_TRIGGERS: dict[str, re.Pattern[str]] = {
    "fire": _rx(
        r"kebakaran|terbakar|ada api|api (?:besar|membesar|merambat|menjalar|berkobar)"
        r"|dilalap api|dilahap api|kobaran api|on fire|there is a fire|big fire|burning"
    ),
    "drowning": _rx(
        rf"(?:{_PERSON}) (?:\w+ )?(?:tenggelam|hanyut|terseret arus)"
        r"|tenggelam (?:di|ke) (?:sungai|laut|kolam|danau|waduk|kali|embung)|drowning|drowned"
    ),
    "violence": _rx(
        r"dibacok|pembacokan|ditusuk|penusukan|dikeroyok|pengeroyokan|tawuran|perampokan|dirampok"
        r"|dibegal|pembegalan|ada begal|penembakan|ditembak|disandera|penculikan|diculik|stabbed"
        r"|robbery|robbed|mugged|shooting"
    ),
    "accident": _rx(
        r"kecelakaan|tabrakan|ditabrak|tertabrak|menabrak|terlindas|terserempet|laka lantas"
        r"|laka lalu lintas|accident|crash"
    ),
    "landslide": _rx(r"longsor (?:\w+ )?(?:menimpa|menimbun|tertimbun|korban)|tertimbun longsor"),
    "flood": _rx(r"banjir|air bah|banjir bandang|flood|flooding"),
    "medical": _rx(
        r"pingsan|sesak (?:napas|nafas)|tidak sadarkan diri|tidak sadar|kejang|serangan jantung"
        r"|henti jantung|pendarahan|perdarahan|overdosis|mau melahirkan|unconscious"
        r"|not breathing|heart attack|seizure"
    ),
}
# What some kinds need on top of their trigger, besides a strong "now".
_VIOLENCE_WEAK = _rx(r"dipukuli|dipukul|dianiaya|penganiayaan|berkelahi|perkelahian|kdrt|beaten")
_VIOLENCE_NOW = _rx(rf"lagi|masih|tolong|ada (?:{_PERSON}|yang)|help")
_VICTIMS = _rx(
    r"korban|luka|terluka|luka luka|meninggal|tewas|berdarah|tergeletak|pingsan|tidak sadar"
    r"|terjepit|patah|injured|dead|hurt|bleeding|died|killed"
)
_RISING = _rx(
    r"naik|meninggi|makin tinggi|semakin tinggi|masuk rumah|masuk ke rumah|masuk ke dalam rumah"
    r"|merendam|terendam|setinggi|sepinggang|sedada|seleher|terjebak|mengungsi|evakuasi|hanyut"
    r"|rising|inside|entering"
)
_AMBULANCE = _rx(
    r"(?:butuh|perlu|minta|kirim|kirimkan|panggil|panggilkan|tolong|need|send|call)"
    r" (?:\w+ )?(?:ambulans|ambulance)"
)


# Every word that can make a kind fire, in one pattern: most SMS have none, and one search
# settles them instead of a dozen.
_ANY_TRIGGER = re.compile(
    "|".join(f"(?:{rx.pattern})" for rx in (*_TRIGGERS.values(), _VIOLENCE_WEAK, _AMBULANCE))
)


def _kind(text: str) -> str | None:
    if not _ANY_TRIGGER.search(text):
        return None
    strong_now = _STRONG_NOW.search(text) is not None
    quiet = not strong_now and _QUIET.search(text) is not None
    if quiet:
        return None
    now = strong_now or _NOW.search(text) is not None
    for kind in KINDS:
        if not _TRIGGERS[kind].search(text):
            continue
        if kind == "accident" and not (now or _VICTIMS.search(text)):
            continue
        if kind == "flood" and not _RISING.search(text):
            continue
        if kind == "medical" and not now:
            continue
        return kind
    if _VIOLENCE_WEAK.search(text) and (strong_now or _VIOLENCE_NOW.search(text)):
        return "violence"
    if _AMBULANCE.search(text):
        return "medical"
    return None


def detect_emergency(text: str, *, normalized: str | None = None) -> str | None:
    """The kind of emergency in progress ``text`` reports ("fire", "flood"...), or None."""
    if normalized is None:
        normalized = normalize(text)
    return _kind(_NOT_EVENTS.sub(" ", normalized))
