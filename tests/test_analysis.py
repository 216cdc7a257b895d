"""analysis.analyse: what an operator is offered when the machine does not forward a complaint."""

from __future__ import annotations

import pytest

from sms_gateway.analysis import MIN_CONFIDENCE, analyse


def test_a_doubtful_complaint_waits_with_the_agency_of_its_likely_category_suggested():
    # "krl" is rare in the training city: the model leans to transport without being sure.
    a = analyse("krl jurusan bogor telat terus tiap pagi", "33.22")
    assert a.needs_triage and a.agency_code is None  # nothing is forwarded on a suggestion
    assert a.category == "PERHUBUNGAN" and a.confidence >= MIN_CONFIDENCE
    assert a.routing["suggested_agency"] == "KAI"


def test_gibberish_gets_no_suggestion():
    a = analyse("zxqv blorp nnnggg wkwkwk qwerty", "33.22")
    assert a.needs_triage and a.confidence < MIN_CONFIDENCE
    assert "suggested_agency" not in a.routing


def test_an_accusation_against_an_official_suggests_the_inspectorate_and_says_why():
    a = analyse("oknum pegawai kecamatan minta uang pelicin utk tanda tangan", "33.22")
    assert a.needs_triage and a.agency_code is None
    assert (a.category, a.subcategory) == ("POLITIK DAN HUKUM", "PUNGUTAN LIAR")
    assert a.reason.startswith("Dugaan pungli atau suap")
    assert a.routing["suggested_agency"] == "33.22-INSPEKTORAT"


def test_the_written_sms_benchmark_names_real_categories_and_agencies():
    # benchmarks/sms_bench.py scores against this file: a misspelt label would count as a miss.
    from benchmarks.sms_bench import load
    from sms_gateway.classifier.subcategory import tree
    from sms_gateway.directory import agencies

    cases = load()
    codes = {a.code for a in agencies()}
    assert len(cases) >= 180 and {c.round for c in cases} == set("abcdefghijklmnopqrs")
    assert len({c.text for c in cases}) == len(cases)
    for case in cases:
        assert case.category in tree(), case.text
        assert case.agencies and case.agencies <= codes, case.text


def test_a_fee_asked_without_the_word_pungli_is_still_an_accusation():
    for sms in (
        "bikin surat pindah di kantor desa dimintai 200rb sm pak kaur",
        "petugas loket minta uang rokok dulu baru berkas diproses",
    ):
        a = analyse(sms, "33.22")
        assert a.needs_triage and a.agency_code is None, sms
        assert (a.category, a.subcategory) == ("POLITIK DAN HUKUM", "PUNGUTAN LIAR"), sms
        assert a.routing["suggested_agency"] == "33.22-INSPEKTORAT", sms


def test_a_short_weight_at_the_market_goes_to_the_regions_trade_office():
    a = analyse("beli gula 2kg di toko pas ditimbang ulang kurang timbangan 3 ons", "33.22")
    assert a.category == "PERLINDUNGAN KONSUMEN" and a.needs_triage
    assert a.routing["suggested_agency"] == "33.22-DISKOPDAG"  # legal metrology, not a ministry


def test_power_going_off_and_on_is_the_electricity_company():
    a = analyse("listrik di kampung byar pet dr pagi, pompa air ga bisa nyala", "33.22")
    assert a.category == "ENERGI DAN SUMBER DAYA ALAM"
    assert a.agency_code == "PLN" or a.routing.get("suggested_agency") == "PLN"


def test_sexual_violence_in_its_passive_forms_is_a_gender_matter():
    a = analyse("anak tetangga dicabuli pamannya sendiri, tolong dibantu", "33.22")
    assert a.category == "KESETARAAN GENDER DAN SOSIAL INKLUSIF"
    assert "33.22-DP3A" in (a.agency_code, a.routing.get("suggested_agency"))


def test_a_spouse_beaten_is_domestic_violence_without_the_word():
    for sms in (
        "ibu sebelah rumah sering dipukuli suaminya, anak2nya ketakutan",
        "suami tetangga kalo mabuk mukulin istrinya, udah sering bgt",
        "adik sy sering ditampar suaminya kalo telat masak",
        "tanggane sering digebuki bojone, bengi2 rame",  # Javanese: by the spouse
    ):
        a = analyse(sms, "33.22")
        assert a.category == "KESETARAAN GENDER DAN SOSIAL INKLUSIF", sms
        assert "33.22-DP3A" in (a.agency_code, a.routing.get("suggested_agency")), sms


@pytest.mark.parametrize(
    "sms",
    [
        "uang di rekening bank sy ilang 1,5jt, cs cuma bilang tunggu investigasi",
        "mesin atm di minimarket nelen kartu sy, saldo kepotong 500rb",
        "notif mbanking ada transfer 3jt yg bukan sy",
    ],
)
def test_a_bank_account_drained_is_a_financial_services_complaint(sms):
    a = analyse(sms, "33.22")
    assert a.category == "EKONOMI DAN KEUANGAN"
    assert "OJK" in (a.agency_code, a.routing.get("suggested_agency"))


def test_the_free_school_meals_are_named_by_their_tray_and_in_plain_words():
    for sms in (
        "ompreng mbg anak sy isinya basi",
        "anak sy dpt menu makan gratis di sekolah tp nasinya keras",
    ):
        a = analyse(sms, "33.22")
        assert a.category == "PROGRAM MAKAN BERGIZI GRATIS (MBG)" and a.needs_triage, sms
        assert a.routing["suggested_agency"] == "BGN", sms


def test_an_inheritance_claimed_by_another_is_a_land_matter():
    a = analyse("sertifikat ganda, tanah warisan bapak diaku orang lain", "33.22")
    assert a.category == "PEKERJAAN UMUM DAN PENATAAN RUANG"
    assert "ATR-BPN" in (a.agency_code, a.routing.get("suggested_agency"))


def test_a_kickback_asked_on_a_project_is_an_accusation_for_the_inspectorate():
    # Without it, public works was suggested: the office the SMS accuses.
    a = analyse("oknum pegawai dinas minta fee 10% dr proyek jalan desa kami", "33.22")
    assert a.needs_triage and a.agency_code is None
    assert (a.category, a.subcategory) == ("POLITIK DAN HUKUM", "KORUPSI, KOLUSI, DAN NEPOTISME")
    assert a.routing["suggested_agency"] == "33.22-INSPEKTORAT"


def test_selling_posts_in_the_village_office_is_an_accusation_for_the_inspectorate():
    a = analyse("ada jual beli jabatan perangkat desa, calon sekdes hrs setor 50jt", "33.22")
    assert a.needs_triage and a.agency_code is None
    assert (a.category, a.subcategory) == ("POLITIK DAN HUKUM", "KORUPSI, KOLUSI, DAN NEPOTISME")
    assert a.routing["suggested_agency"] == "33.22-INSPEKTORAT"


def test_a_power_cut_with_words_between_listrik_and_padam_is_still_the_electricity_company():
    a = analyse("listrik di kota kupang padam tiap hari 4 jam, usaha sy rugi")
    assert a.category == "ENERGI DAN SUMBER DAYA ALAM"
    assert a.region is not None and a.region.code == "53.71"
    assert "PLN" in (a.agency_code, a.routing.get("suggested_agency"))


def test_fuel_refused_to_a_farmer_is_about_fuel_not_farming():
    # "petani" names farming, which the model was never trained on; two fuel cues outweigh it.
    a = analyse("spbu nolak isi pertalite pake jerigen buat petani, pdhl ada surat rekomendasi")
    assert a.category == "ENERGI DAN SUMBER DAYA ALAM"
    assert "PERTAMINA" in (a.agency_code, a.routing.get("suggested_agency"))
    # An accusation stands whatever else the SMS names.
    a = analyse("petugas spbu minta uang rokok biar bisa isi pertalite pake jerigen", "33.22")
    assert a.category == "POLITIK DAN HUKUM" and a.needs_triage and a.agency_code is None


@pytest.mark.parametrize(
    ("sms", "category", "agency"),
    [
        ("paket kiriman sy via pos udah sebulan ga nyampe, no resi ga bisa dilacak",
         "EKONOMI DAN KEUANGAN", "KOMDIGI"),
        ("barang dr luar negeri ditahan bea cukai, bea masuknya ga masuk akal",
         "EKONOMI DAN KEUANGAN", "KEMENKEU"),
        ("jamu di warung ga ada izin bpom, bapak sy minum malah sakit", "KESEHATAN", "BPOM"),
        ("rumah retak kena gempa, mohon bantuan bpbd", "LINGKUNGAN HIDUP DAN KEHUTANAN",
         "33.22-BPBD"),
        ("kapal cantrang masuk zona tangkap nelayan kecil tiap malam", "LINGKUNGAN HIDUP DAN KEHUTANAN",
         "33-DKP"),
    ],
)  # fmt: skip
def test_national_services_and_matters_surabaya_rarely_names_reach_their_agency(
    sms, category, agency
):
    a = analyse(sms, "33.22")
    assert a.category == category, sms
    assert agency in (a.agency_code, a.routing.get("suggested_agency")), a.routing


def test_a_sick_cow_is_a_farm_matter_never_the_health_office():
    a = analyse("sapi warga banyak yg benjol kulitnya, katanya kena lsd, vaksin blm ada", "33.22")
    assert a.category == "PERTANIAN DAN PETERNAKAN" and a.needs_triage
    assert a.routing["suggested_agency"] == "33.22-DISTAN"


def test_a_passport_held_by_an_employer_abroad_is_a_migrant_workers_matter():
    # "paspor" names immigration, a category the model was never trained on; the work abroad is
    # named twice ("kerja di hongkong", "majikan"), and a passport is no accusation.
    a = analyse("adik sy kerja di hongkong, paspornya ditahan majikan, ga bisa pulang", "33.22")
    assert a.category == "KETENAGAKERJAAN"
    assert "KP2MI" in (a.agency_code, a.routing.get("suggested_agency"))
