"""Emergencies in progress get a 112 reply; complaints about past or habitual events do not."""

import pytest

from sms_gateway.understand.emergency import detect_emergency


@pytest.mark.parametrize(
    ("sms", "kind"),
    [
        ("tolong ada kebakaran di gg melati rt 3", "fire"),
        ("rumah tetangga terbakar api sdh besar", "fire"),
        ("ada api di gudang pasar blm ada pemadam", "fire"),
        ("KEBAKARAN DI PASAR INPRES SKRG", "fire"),
        ("kios2 di terminal dilalap api", "fire"),
        ("api merambat ke rumah sebelah tolong", "fire"),
        ("lahan gambut terbakar asap tebal sekarang", "fire"),
        ("kecelakaan di jl raya bogor ada korban luka", "accident"),
        ("tabrakan motor sama truk korban tergeletak di jalan", "accident"),
        ("barusan ada tabrakan di perempatan lampu merah", "accident"),
        ("kecelakaan bus 2 org meninggal di tol", "accident"),
        ("pejalan kaki ditabrak mobil berdarah", "accident"),
        ("banjir sdg naik sdh masuk rumah", "flood"),
        ("air banjir masuk rmh tolong", "flood"),
        ("banjir skrg setinggi dada warga terjebak", "flood"),
        ("banjir bandang merendam kampung kami", "flood"),
        ("air sungai naik terus banjir makin tinggi", "flood"),
        ("ada org dipukuli di pasar", "violence"),
        ("tetangga dibacok orang tak dikenal", "violence"),
        ("tawuran pelajar di jln sudirman skrg", "violence"),
        ("ada begal di jalan gelap dkt kuburan tolong", "violence"),
        ("toko emas dirampok sekarang", "violence"),
        ("suami tetangga lagi mukulin istrinya, kdrt tolong", "violence"),
        ("anak tenggelam di sungai", "drowning"),
        ("orang hanyut terseret arus di kali", "drowning"),
        ("2 bocah tenggelam di embung desa", "drowning"),
        ("ibu sy pingsan butuh ambulans", "medical"),
        ("bapak sesak napas tolong", "medical"),
        ("tolong kirim ambulans ke rt 5 ada yg kejang", "medical"),
        ("istri mau melahirkan tolong ambulans", "medical"),
        ("longsor menimpa rumah warga", "landslide"),
        ("ada yg tertimbun longsor di dusun krajan", "landslide"),
        ("house on fire near the market help", "fire"),
        ("car accident two people injured on the main road", "accident"),
    ],
)
def test_emergencies_in_progress_are_detected(sms, kind):
    assert detect_emergency(sms) == kind


@pytest.mark.parametrize(
    "sms",
    [
        "kebakaran tahun lalu blm ada bantuan",
        "bantuan korban kebakaran belum cair",
        "alat pemadam kebakaran di kantor desa rusak",
        "pemadam kebakaran lambat datang waktu itu",
        "hidran di pasar tidak berfungsi",
        "kabel listrik semrawut bisa menyebabkan kebakaran",
        "rumah bekas kebakaran dibiarkan",
        "sering banjir kalau hujan",
        "tiap hujan banjir masuk rumah",
        "got mampet jadi langganan banjir",
        "jalan berlubang rawan kecelakaan",
        "sudah banyak korban jatuh di lubang itu",
        "tikungan tajam tanpa rambu jangan sampai ada kecelakaan",
        "kecelakaan bulan lalu santunan jasa raharja blm keluar",
        "kemarin saya dipukul juru parkir",
        "kasus penganiayaan anak saya blm diproses polisi",
        "banyak begal di jalan itu lampu mati",
        "warga takut ada begal karena gelap",
        "ambulans puskesmas dipakai buat pribadi",
        "rawan longsor di tebing dekat sekolah",
        "sawah tenggelam karena irigasi rusak",
        "jalan rusak parah",
        "lampu jalan mati sudah 2 minggu",
        "tidak ada korban jiwa hanya macet panjang",
        "pelayanan di rs lambat pasien nunggu lama",
        "petugas kebersihan membakar sampah asapnya ke rumah",
        "tawuran sering terjadi tiap malam minggu",
        "the fire department never answers the phone",
    ],
)
def test_past_habitual_and_equipment_mentions_are_not_emergencies(sms):
    assert detect_emergency(sms) is None


def test_now_wins_over_a_past_mention():
    assert detect_emergency("tahun lalu kebakaran, sekarang terbakar lagi rumah sebelah") == "fire"


def test_a_normalised_text_can_be_passed_to_save_work():
    sms = "kbakaran"
    assert detect_emergency(sms, normalized="ada kebakaran sekarang") == "fire"
