"""Normalisation of SMS Indonesian: slang, abbreviations, elongation, digits, reduplication."""

import pytest

from sms_gateway.understand.normalize import lexicon, normalize, tokens


@pytest.mark.parametrize(
    ("sms", "expected"),
    [
        ("Jln dpn rmh sy rusak parahhh", "jalan depan rumah saya rusak parah"),
        ("udh 2 mggu blm dibenerin", "sudah 2 minggu belum dibenerin"),
        ("yg jaga gk ada dgn alasan apapun", "yang jaga tidak ada dengan alasan apapun"),
        (
            "sdh lapor ke pak rt tp blm ada tindakan",
            "sudah lapor ke pak rt tapi belum ada tindakan",
        ),
        ("lampu mati dkt masjid", "lampu mati dekat masjid"),
        ("tlg sgr diperbaiki", "tolong segera diperbaiki"),
        ("kmrn air pdam gak ngalir", "kemarin air pdam tidak mengalir"),
    ],
)
def test_common_sms_abbreviations_are_expanded(sms, expected):
    assert normalize(sms) == expected


@pytest.mark.parametrize(
    ("sms", "expected"),
    [
        ("kel. Sukamaju", "kelurahan sukamaju"),
        ("kel sukamaju", "kelurahan sukamaju"),
        ("kec. Cibiru", "kecamatan cibiru"),
        ("ds. Kalimanah", "desa kalimanah"),
        ("kab. Purbalingga", "kabupaten purbalingga"),
        ("jl. Merdeka", "jalan merdeka"),
        ("jln merdeka", "jalan merdeka"),
        ("Gg. Melati", "gang melati"),
        ("Gg Mawar 2", "gang mawar 2"),
        ("gg 3 blok c", "gang 3 blok c"),
        ("RT 05 RW 02", "rt 05 rw 02"),
        ("rt05 rw3", "rt 05 rw 3"),
    ],
)
def test_address_abbreviations_follow_the_domain_not_the_slang_lists(sms, expected):
    assert normalize(sms) == expected


def test_kel_is_kelurahan_even_though_a_slang_list_says_keluarga():
    assert lexicon()["kel"] == "kelurahan"


@pytest.mark.parametrize(
    ("sms", "expected"),
    [
        ("pkl jualan di trotoar", "pkl jualan di trotoar"),
        ("pkl 10 malam ada balap liar", "pukul 10 malam ada balap liar"),
        ("tolong satpol pp tertibkan", "tolong satpol pp tertibkan"),
        ("lapor ke uptd ppa", "lapor ke uptd ppa"),
        ("kegiatan pkk rt 3", "kegiatan pkk rt 3"),
        ("blt dd blm cair", "blt dd belum cair"),
        ("aspal jln sdh ngelupas", "aspal jalan sudah ngelupas"),
        ("asap pabrik bikin sesak", "asap pabrik buat sesak"),
        ("ada buaya di kali", "ada buaya di kali"),
        ("kena tilang di pos", "kena tilang di pos"),
        ("ukt naik trs", "uang kuliah tunggal naik terus"),
        ("Wi-Fi taman mati", "wifi taman mati"),
        ("lubang dalamnya 30 cm", "lubang dalamnya 30 cm"),
        ("cm bisa nunggu", "cuma bisa menunggu"),
        ("mohon di tl", "mohon di tindak lanjut"),
        ("sdh 2 th blm ada tl", "sudah 2 tahun belum ada tindak lanjut"),
        ("sk rt blm keluar", "sk rt belum keluar"),
        ("dinas pu diam", "dinas pu diam"),
        ("pk rt tdk respon", "bapak rt tidak respon"),
        ("dusun kulon kali banjir", "dusun barat kali banjir"),
        ("dinas lh blm datang", "dinas lh belum datang"),
        ("dak ada yg datang", "tidak ada yang datang"),
        ("gg Mawar banjir lagi", "gang mawar banjir lagi"),
        ("gg ada yg peduli", "tidak ada yang peduli"),
        ("wi fi gratis lemot", "wifi gratis lambat"),
        ("beras 5kg ditimbang kurang", "beras 5 kilogram ditimbang kurang"),
        ("gas 3kg 30rb di warung", "gas 3 kilogram 30 ribu di warung"),
        ("antri 3 mnt", "antri 3 menit"),
        ("tingginya 2m, lebar 1 lt", "tingginya 2 meter lebar 1 liter"),
        ("listrik byar pet", "listrik byarpet"),
        ("Byar-pet trs", "byarpet terus"),
        ("byar pajak", "bayar pajak"),
        ("travo meledak", "trafo meledak"),
        # Regional words that carry the complaint (Javanese, Sundanese, Minang, Banjar).
        ("dalan bolong, banyu ora mili", "jalan bolong air tidak mengalir"),
        ("uwuh wis seminggu mambu", "sampah sudah seminggu bau"),
        ("cai teu ngocor tilu poe", "air tidak mengalir tiga hari"),
        ("jalan ruksak acan dibenerkeun", "jalan rusak belum diperbaiki"),
        ("listrik mati taruih di kampuang", "listrik mati terus di kampung"),
        ("jalan kada diperbaiki", "jalan tidak diperbaiki"),
        ("lembur terus gaji sama", "lembur terus gaji sama"),  # overtime, not a village
        ("wit gedhe arep ambruk", "pohon besar harap ambruk"),
        ("runtah teu diangkut", "sampah tidak diangkut"),
        ("motor dicolong wingi bengi", "motor dicuri kemarin malam"),
        # Names that SMS also write for other words: kept beside a word that makes them a name.
        ("nilai skd di web bkn beda", "nilai skd di web bkn beda"),
        ("dr bkn blm ada kabar", "dari bkn belum ada kabar"),
        ("ini bkn punya sy", "ini bukan punya saya"),
        ("mau lapor spt tp efin hilang", "mau lapor spt tapi efin hilang"),
        ("rumahnya spt kandang", "rumahnya seperti kandang"),
        # Agencies whose names hold a 2: not a word said twice ("jalan2").
        ("sdh lapor ke bp2mi jateng", "sudah lapor ke bp2mi jawa tengah"),
        ("kp2mi blm respon", "kp2mi belum respon"),
    ],
)
def test_public_service_words_are_not_read_as_chat_slang(sms, expected):
    assert normalize(sms) == expected


def test_the_words_of_complaints_win_over_the_slang_lists():
    from sms_gateway.understand._build_lexicon import DOMAIN_WORDS, PROTECTED

    table = lexicon()
    assert {w for w in DOMAIN_WORDS | PROTECTED if table.get(w)} == set()


def test_bare_gg_without_a_number_is_the_sms_negation():
    assert normalize("motor gg bisa lewat") == "motor tidak bisa lewat"


@pytest.mark.parametrize(
    ("sms", "expected"),
    [
        ("parahhhh", "parah"),
        ("tolonggggg", "tolong"),
        ("lamaaaa bgt", "lama sangat"),
        ("bgttt", "sangat"),
        ("bgtttttt", "sangat"),
        ("sampahhh numpukkk", "sampah bertumpuk"),
        ("tanggal", "tanggal"),
        ("maaf", "maaf"),
    ],
)
def test_elongated_words_fold_without_breaking_real_double_letters(sms, expected):
    assert normalize(sms) == expected


@pytest.mark.parametrize(
    ("sms", "expected"),
    [
        ("s4ya b3lum d4pat", "saya belum dapat"),
        ("j4lan rus4k", "jalan rusak"),
        ("jalan2 rusak", "jalan jalan rusak"),
        ("anak2nya blm skolah", "anak anaknya belum sekolah"),
        ("ibu2 antri lama", "ibu ibu antri lama"),
    ],
)
def test_digits_inside_words_and_reduplication_are_read_as_letters(sms, expected):
    assert normalize(sms) == expected


@pytest.mark.parametrize(
    "sms",
    ["no laporan 4827-1930-59", "jam 10.30 tgl 12/10", "B 1234 XYZ", "iuran 50.000", "km 5"],
)
def test_numbers_keep_their_digits(sms):
    digits = "".join(ch for ch in sms if ch.isdigit())
    assert "".join(ch for ch in normalize(sms) if ch.isdigit()) == digits


@pytest.mark.parametrize(
    "word", ["tidak", "belum", "bukan", "jangan", "segera", "harus", "darurat"]
)
def test_negation_and_urgency_words_survive(word):
    assert word in tokens(f"jalan {word} diperbaiki")


@pytest.mark.parametrize(
    ("sms", "expected"),
    [("gak", "tidak"), ("ga", "tidak"), ("gk", "tidak"), ("nggak", "tidak"), ("tdk", "tidak")],
)
def test_every_spelling_of_no_becomes_tidak(sms, expected):
    assert normalize(f"air {sms} mengalir") == f"air {expected} mengalir"


def test_punctuation_emoji_and_control_characters_disappear():
    assert normalize("Jalan\x00 rusak!!! 😡😡\t(parah)") == "jalan rusak parah"


def test_upper_case_sms_is_lower_cased():
    assert normalize("LAMPU JALAN MATI SUDAH SEMINGGU") == "lampu jalan mati sudah seminggu"


def test_tokens_are_the_words_of_normalize():
    sms = "Sy mau lapor jln berlubang di kel. Sukamaju"
    assert tokens(sms) == normalize(sms).split()


@pytest.mark.parametrize(
    "sms",
    [
        "Jln dpn rmh sy rusak parahhh udh 2 mggu",
        "s4ya b3lum dpt bansos anak2nya",
        "Gg. Melati rt05 kel sukamaju",
        "bgtttt tolongggg",
        "the street light is broken",
    ],
)
def test_normalising_twice_changes_nothing(sms):
    once = normalize(sms)
    assert normalize(once) == once


def test_the_lexicon_loads_once_and_is_large():
    assert lexicon() is lexicon()
    assert len(lexicon()) > 5000
