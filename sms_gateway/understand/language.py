"""Language of a message: Bahasa Indonesia unless the words clearly say English."""

from __future__ import annotations

import re
from typing import Literal

from sms_gateway.understand._util import word_set

Language = Literal["id", "en"]

# Common English words that are not also everyday Indonesian or SMS abbreviations (so no "no",
# "di", "at", "ok", "bank", "data"). Also used to keep English words out of the slang lexicon.
ENGLISH_WORDS = word_set(
    """
    a about after again all also am an and any are because been before being but by can
    cannot could did do does doing dont down each few for from further had has have having he
    her here hers him his how i if in into is it its just me more most my myself nor not now
    of off on once only or other our out over own same she should so some such than that the
    their them then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours
    please help thanks thank hello hi dear sir madam yes
    road street bridge water light lights electricity power broken damaged since days weeks
    months still nobody anyone someone hole holes pothole potholes garbage trash rubbish
    flood flooding fire accident hospital school police office complaint report problem
    need needs want wants fix fixed repair repaired people house home near behind front
    village district city month week today yesterday tomorrow already never always again
    money pay paid fee fees asked asking service services staff officer officers slow long
    """
)

# Frequent Indonesian words, formal and SMS forms, that English messages do not contain.
INDONESIAN_WORDS = word_set(
    """
    yang yg di dan dgn dengan tidak tdk gak ga gk nggak engga belum blm sudah sdh udah udh
    ada ini itu saya sy aku kami kita ke dari dr untuk utk pada sangat sekali banget bgt
    jalan jln jl rusak mohon mhn tolong tlg pak bu bapak ibu warga rumah kami desa kelurahan
    kecamatan kabupaten kota air listrik mati lampu sampah banjir sekolah puskesmas bantuan
    sejak minggu bulan tahun hari lagi masih juga jg tapi tp karena krn kalau kalo bisa
    akan harus segera sampai smp sekarang skrg depan dpn dekat dkt lama sdg sedang
    """
)

_WORD = re.compile(r"[a-z']+")


def detect_language(text: str) -> Language:
    """English ("en") when the message clearly is, otherwise Indonesian ("id", the default)."""
    words = _WORD.findall(text[:2000].lower())
    english = sum(1 for w in words if w.replace("'", "") in ENGLISH_WORDS)
    indonesian = sum(1 for w in words if w in INDONESIAN_WORDS)
    if english >= 2 and english >= 3 * indonesian and english * 3 >= len(words):
        return "en"
    return "id"
