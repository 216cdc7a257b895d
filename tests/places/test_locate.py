"""locate(): finest certain region in SMS-style complaints, never a guess between homonyms."""

import pytest

from sms_gateway.places import locate


def code_of(text: str, hint: str | None = None) -> str | None:
    region = locate(text, hint).region
    return region.code if region else None


@pytest.mark.parametrize(
    ("sms", "code"),
    [
        ("lampu pju mati sdh 3 mggu di surabaya tlg dicek", "35.78"),
        ("BANYUMAS jln berlubang bnyk yg jatuh", "33.02"),
        ("sampah numpuk dkt pasar sleman gk diangkut2", "34.04"),
        ("pungli di kantor samsat kota banjarbaru", "63.72"),
        ("air pdam mati 2 hari di kalimanah", "33.03.06"),
        ("jalan ke baturraden rusak parah mohon diperbaiki", "33.02.22"),
        ("jaksel macet total krn galian kabel", "31.74"),
        ("balap liar tiap mlm di jln raya darmo sby", "35.78.04.1005"),
        ("macet parah di jkt gara2 galian", "31"),
        ("lampu mati di jl gatsu dps", "51.71"),
    ],
)
def test_unique_names_resolve_alone(sms: str, code: str) -> None:
    assert code_of(sms) == code


@pytest.mark.parametrize(
    ("sms", "code"),
    [
        ("lampu merah mati di kota smg dkt simpang lima", "33.74"),
        ("banjir lg di kab smg", "33.22"),
        ("jln rusak parah kab bdg barat", "32.17"),
        ("pju mati di jl pemuda kota mgl", "33.71"),
        ("sampah numpuk di jkt utara", "31.72"),
        ("parkir liar di kota jogja", "34.71"),
    ],
)
def test_city_shorthands_name_their_city_after_kab_or_kota(sms: str, code: str) -> None:
    assert code_of(sms) == code


def test_kecamatan_with_its_own_same_named_desa_still_resolves() -> None:
    assert code_of("banjir di mertoyudan sdh sepaha") == "33.08.10"


@pytest.mark.parametrize(
    "sms",
    [
        "jalan di sukamaju rusak berat",
        "desa sukamaju blm dpt bansos",
        "kel tegalsari banyak nyamuk",
        "lampu mati di tamansari",
        "jalan rusak di bdg",  # Kota and Kabupaten Bandung
        "smg cepat diperbaiki ya",  # semoga, not Semarang
        "sdh 3 hari plg kerja lewat jalan berlubang",  # pulang, not Palembang
    ],
)
def test_ambiguous_bare_names_are_not_guessed(sms: str) -> None:
    location = locate(sms)
    assert location.region is None
    assert location.confidence == 0.0


def test_ambiguous_name_keeps_its_candidates_for_the_operator() -> None:
    location = locate("desa sukamaju blm dpt bansos")
    assert len(location.candidates) > 1
    assert {c.name.replace(" ", "").lower() for c in location.candidates} == {"sukamaju"}


def test_homonym_kota_and_kabupaten_fall_back_to_their_province() -> None:
    location = locate("bogor macet parah tiap sore")
    assert location.region is not None and location.region.code == "32"
    assert {c.code for c in location.candidates} == {"32.01", "32.71"}


def test_homonyms_in_different_provinces_give_nothing() -> None:
    assert code_of("jalan di banjar rusak") is None


@pytest.mark.parametrize(
    ("sms", "code"),
    [
        ("kab. banyumas kec. kalibagor jalan rusak", "33.02.10"),
        ("kec.kalibagor kab.banyumas", "33.02.10"),
        ("kecamatan kalibagor kabupaten banyumas", "33.02.10"),
        ("kodya surabaya kel kedungdoro got mampet", "35.78.05.1003"),
        ("kota surabaya", "35.78"),
        ("prov jawa timur", "35"),
    ],
)
def test_prefixes_choose_the_level(sms: str, code: str) -> None:
    assert code_of(sms) == code


def test_kab_prefix_picks_the_kabupaten_among_homonyms() -> None:
    assert code_of("kab bogor jalan berlubang") == "32.01"
    assert code_of("kota bogor jalan berlubang") == "32.71"


def test_a_level_word_after_the_name_picks_the_kabupaten_or_the_kota() -> None:
    assert code_of("kediri kota sampah numpuk") == "35.71"
    assert code_of("sy warga malang kabupaten, ktp blm jadi") == "35.07"
    assert code_of("kec lowokwaru malang kota jalan rusak") == "35.73.05"
    location = locate("bogor kota macet parah")
    assert [m.words for m in location.evidence] == ["bogor kota"]  # as written
    assert code_of("malang sampah numpuk") == "35"  # without it, both readings: the province


def test_kelurahan_name_is_resolved_by_its_kota_in_the_same_text() -> None:
    location = locate("got mampet di keputran surabaya bau bgt")
    assert location.region is not None
    assert location.region.code == "35.78.05.1004"
    assert [r.code for r in location.chain] == ["35", "35.78", "35.78.05", "35.78.05.1004"]
    assert {m.words for m in location.evidence} == {"keputran", "surabaya"}


def test_desa_name_is_resolved_by_its_kecamatan() -> None:
    assert code_of("desa sukamaju kec cibungbulang kab bogor") == "32.01.16.2013"
    assert code_of("ds sukamaju jonggol jalan longsor") == "32.01.06.2001"


def test_bali_after_a_preposition_is_still_bali() -> None:
    assert code_of("jalan rusak di bali") == "51"
    assert code_of("desa suruh kab semarang jalan rusak") is not None  # "suruh" is a kecamatan


@pytest.mark.parametrize(
    ("sms", "code"),
    [
        ("dermaga di kab. kep. selayar rusak", "73.01"),
        ("kab kep aru sinyal hilang", "81.07"),
        ("harga bbm di kep riau naik", "21"),  # not Riau
        ("kep. bangka belitung listrik padam", "19"),  # not Kabupaten Belitung
        ("kep desa tdk pernah di kantor", None),  # "kep" of a village head names no place
    ],
)
def test_kep_is_kepulauan_where_that_names_a_region(sms: str, code: str | None) -> None:
    assert code_of(sms) == code


def test_a_level_written_wrong_is_read_at_the_level_the_other_places_support() -> None:
    # Tikala is a kecamatan of Manado; the only kelurahan of that name is in Toraja Utara.
    location = locate("bantuan sembako dr pemkot manado ga sampe ke warga kel. tikala")
    assert location.region is not None and location.region.code == "71.71.05"
    assert {m.words for m in location.evidence} == {"manado", "kel tikala"}
    assert code_of("warga kel. tikala blm dpt bantuan") == "73.26.09.1001"  # alone: as written
    assert code_of("jalan rusak di kelurahan pedurungan kota semarang") == "33.74.06"
    # Where the written level exists too, it wins: Tegalsari is a kecamatan of Surabaya and a
    # kelurahan inside it.
    assert code_of("kel tegalsari surabaya banjir") == "35.78.05.1001"
    assert locate("kec tegalsari surabaya banjir").confidence == 0.75  # one reading, not a tie


def test_several_homonyms_inside_one_kabupaten_leave_the_kabupaten() -> None:
    location = locate("desa sukamaju kab bogor listrik sering padam")
    assert location.region is not None and location.region.code == "32.01"
    assert len(location.candidates) == 4


@pytest.mark.parametrize(
    ("sms", "code"),
    [("di bekasi utara banjir lagi", "32.75.03"), ("pekalongan utara rob masuk rumah", "33.75.03")],
)
def test_a_kota_name_that_looks_affixed_still_joins_its_kecamatan(sms: str, code: str) -> None:
    # "bekasi" and "pekalongan" read as affixed ordinary words (be-kasi, pe-kalong-an), which kept
    # "Bekasi Utara" from being read as one name.
    assert code_of(sms) == code


@pytest.mark.parametrize(
    ("sms", "code"),
    [
        ("lampu jalan mati di bandar lampung", "18.71"),
        ("jalan rusak parah di lampung selatan", "18.01"),
        ("bansos blm cair, sy warga nusa tenggara barat", "52"),
        ("sampah numpuk di tanjung pinang", "21.72"),
        ("listrik padam di kec sungai raya kab kubu raya", "61.12.01"),
        ("puskesmas kec tanjung karang pusat bandar lampung tutup", "18.71.06"),
        ("di kota bau bau air pdam mati", "74.72"),
    ],
)
def test_names_made_of_ordinary_words_join_as_regions(sms: str, code: str) -> None:
    # Every word of these names is in the dictionary ("lampung", "bandar", "kubu", "raya"), and
    # two ordinary words were never joined, so a city of a million gave only its province.
    assert code_of(sms) == code


@pytest.mark.parametrize(
    "sms", ["tambang batu bara di desa kami bikin debu", "bau bau sampah sampai ke rumah"]
)
def test_everyday_phrases_that_name_a_kota_need_a_prefix(sms: str) -> None:
    assert locate(sms).region is None


def test_a_village_not_found_in_the_named_kabupaten_leaves_the_kabupaten() -> None:
    # None of the Sukamaju villages lies in Grobogan: the village is misspelt or missing from the
    # gazetteer, and the kabupaten the citizen named still routes the complaint.
    location = locate("pupuk langka di kios desa sukamaju kab grobogan")
    assert location.region is not None and location.region.code == "33.15"
    assert {m.words for m in location.evidence} == {"kab grobogan"}
    assert locate("desa sukamaju jalan rusak").region is None  # alone it stays a guess


@pytest.mark.parametrize(
    ("sms", "code"),
    [
        ("sampah numpuk di surabya", "35.78"),
        ("kec kalimnah jalan rusak", "33.03.06"),
        ("kab purbalinga kec kalimanah", "33.03.06"),
        ("banjir di kab banyumsa", "33.02"),
    ],
)
def test_one_typo_in_a_long_name_is_forgiven(sms: str, code: str) -> None:
    location = locate(sms)
    assert location.region is not None and location.region.code == code
    assert any(m.how == "typo" for m in location.evidence)


def test_typo_of_a_short_name_is_not_stretched() -> None:
    assert code_of("mohon bantua segera") is None


def test_hint_settles_an_ambiguous_name() -> None:
    assert code_of("got di tegalsari mampet") is None
    assert code_of("got di tegalsari mampet", hint="35.78") == "35.78.05"
    assert code_of("bogor macet parah", hint="32.71") == "32.71"


def test_hint_alone_gives_the_hinted_region() -> None:
    location = locate("jalan rusak tolong diperbaiki", hint="63.72")
    assert location.region is not None and location.region.code == "63.72"
    assert [m.how for m in location.evidence] == ["hint"]


def test_a_place_written_in_the_text_wins_over_the_hint() -> None:
    assert code_of("kab sleman jalan longsor", hint="35.78") == "34.04"


def test_hint_deepens_a_province_mention() -> None:
    assert code_of("jatim banyak jalan rusak", hint="35.78") == "35.78"


def test_bad_hint_is_ignored() -> None:
    assert code_of("kab sleman jalan longsor", hint="xx") == "34.04"


@pytest.mark.parametrize(
    "sms",
    [
        "jalan baru di tengah pasar rusak",
        "batang pohon tumbang nutup jalan raya",
        "kali penuh sampah baunya sampai ke gang",
        "warga makmur jaya tapi jalan rusak timur selatan",
        "kebocoran pipa air bersih blm ditangani",
        "tumpukan sampah di samping gedung sekolah",
        "genteng sekolah bocor tolong",
        "sudah lapor berkali kali tidak ada tanggapan",
        "lubang di jalan bikin kecelakaan",
        "kendala pelayanan di puskesmas",
        "pak widodo ketua rt tidak adil",
        "dusun kalimanah banjir",
        "jalan ruksak parah, mugi enggal dibenerkeun",  # Sundanese "soon", a kecamatan in Lampung
        "puskesmas tutup awan, pasien kon bali sesuk",  # Javanese "come back", not Bali
        "wis bali kok durung dilayani",
        "sungai bengawan solo meluap, tanggulnya jebol",  # a river through many regions
    ],
)
def test_common_words_give_no_false_region(sms: str) -> None:
    assert locate(sms).region is None


def test_a_street_named_after_a_city_is_not_the_city() -> None:
    assert code_of("jl surabaya depan toko macet") is None
    assert code_of("jl diponegoro kota surabaya rusak") == "35.78"


def test_same_word_twice_does_not_confirm_itself() -> None:
    assert code_of("sukamaju sukamaju sukamaju") is None


def test_upper_case_and_punctuation_are_handled() -> None:
    assert code_of("LAMPU MATI DI KEC. KALIMANAH, KAB. PURBALINGGA!!!") == "33.03.06"


def test_confidence_grows_with_agreeing_evidence() -> None:
    one = locate("banjir di kalimanah").confidence
    two = locate("banjir di kalimanah purbalingga").confidence
    assert 0.0 < one < two <= 1.0


@pytest.mark.parametrize(
    "text", ["", "   ", "🙏🙏🙏", "\x00\x01\x02", "1708 1708", "kab", "kec kel desa", "x" * 50_000]
)
def test_odd_input_never_raises(text: str) -> None:
    assert locate(text).region is None


def test_location_as_dict_is_the_public_shape() -> None:
    assert locate("banjir di kalimanah").as_dict() == {
        "code": "33.03.06",
        "name": "Kalimanah",
        "level": "kecamatan",
    }
    assert locate("tidak ada tempat").as_dict() is None
