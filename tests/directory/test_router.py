"""Routing decisions: the right agency, the right level, triage with a reason, never nowhere."""

import pytest

from sms_gateway.directory import RoutingRule, agencies, load_rules, route
from sms_gateway.understand.normalize import normalize

PU = "PEKERJAAN UMUM DAN PENATAAN RUANG"
K3 = "KETENTERAMAN, KETERTIBAN UMUM, DAN PELINDUNGAN MASYARAKAT"
ENERGI = "ENERGI DAN SUMBER DAYA ALAM"


def test_population_records_go_to_the_kabupaten_kota_disdukcapil_from_a_kecamatan_code():
    d = route("KEPENDUDUKAN", "35.78.05", "KTP saya belum jadi 3 bulan")
    assert d.agency_code == "35.78-DISDUKCAPIL" and d.level == "kabupaten_kota"
    assert not d.needs_triage
    assert "R224" in d.explanation and "Kota Surabaya" in d.explanation


def test_desa_and_plain_digit_codes_map_up_to_the_kabupaten_kota():
    assert route("KEPENDUDUKAN", "35.78.05.1001").agency_code == "35.78-DISDUKCAPIL"
    assert route("KEPENDUDUKAN", "3302").agency_code == "33.02-DISDUKCAPIL"


def test_electricity_goes_to_pln_whatever_the_region():
    for region in (None, "35", "94.01", "tidak-ada"):
        d = route(ENERGI, region, "listrik padam sejak pagi")
        assert d.agency_code == "PLN" and d.level == "nasional"
    assert route(ENERGI, None, subcategory="PEMADAMAN LISTRIK").agency_code == "PLN"


@pytest.mark.parametrize(
    "category, text, agency",
    [
        ("KETENAGAKERJAAN", "klaim bpjs tk sy ditolak terus", "BPJS-TK"),
        ("PENDIDIKAN DAN KEBUDAYAAN", "ukt anak sy naik 2x lipat", "KEMDIKTISAINTEK"),
        ("PENDIDIKAN DAN KEBUDAYAAN", "ponpes di desa kami minta pungutan", "KEMENAG"),
        ("TEKNOLOGI INFORMASI DAN KOMUNIKASI", "internet telkom mati 3 hari", "TELKOM"),
    ],
)
def test_rule_keywords_meet_the_sms_however_the_normaliser_reads_either(category, text, agency):
    # "bpjs tk" in a rule and in an SMS both read "bpjs tidak"; "ukt", "ponpes" and "telkom" are
    # spelt out. Raw text (a re-route from triage) and normalised text (the worker) agree.
    assert route(category, "35.78", text).agency_code == agency
    assert route(category, "35.78", normalize(text)).agency_code == agency


def test_online_loans_go_to_ojk():
    assert route("EKONOMI DAN KEUANGAN", "35.78", "diteror DC pinjol").agency_code == "OJK"


def test_land_certificates_go_to_atr_bpn():
    assert route(PU, "33.02", subcategory="SERTIFIKAT TANAH").agency_code == "ATR-BPN"
    assert route(PU, "33.02", "sertifikat tanah PTSL belum terbit").agency_code == "ATR-BPN"


def test_health_goes_to_kabupaten_kota_dinkes_and_bpjs_to_bpjs_kesehatan():
    assert route("KESEHATAN", "33.02", "puskesmas tutup").agency_code == "33.02-DINKES"
    assert route("KESEHATAN", "33.02", "kartu BPJS saya nonaktif").agency_code == "BPJS-KES"


def test_social_aid_goes_to_kabupaten_kota_dinsos():
    d = route("SOSIAL DAN KESEJAHTERAAN", "35.78", "bansos PKH tidak cair")
    assert d.agency_code == "35.78-DINSOS"


def test_police_matters_go_to_polri():
    d = route(
        "KETENTERAMAN, KETERTIBAN UMUM, DAN PELINDUNGAN MASYARAKAT",
        "35.78",
        "motor dicuri",
        subcategory="KRIMINALITAS",
    )
    assert d.agency_code == "POLRI"


KETERTIBAN = "KETENTERAMAN, KETERTIBAN UMUM, DAN PELINDUNGAN MASYARAKAT"


@pytest.mark.parametrize(
    "sms",
    [
        "ada pkl jualan di trotoar bikin macet, mohon ditertibkan satpol pp",
        "satuan polisi pamong praja tdk pernah razia pedagang kaki lima di alun2",
        "satpol pp diam aja liat gepeng di perempatan",
    ],
)
def test_satpol_pp_is_the_city_office_not_the_police(sms):
    # The worker routes the normalised text (analysis.analyse): "satpol pp" must not read as
    # "satuan polisi …", which the police rule's keyword "polisi" would take.
    d = route(KETERTIBAN, "35.78", normalize(sms))
    assert d.agency_code == "35.78-SATPOLPP", d.explanation
    assert d.rule_id == "R068"


def test_the_police_keep_what_is_theirs_when_satpol_is_not_named():
    d = route(KETERTIBAN, "35.78", normalize("motor sy dicuri maling semalam, sdh lapor polsek"))
    assert d.agency_code == "POLRI" and d.rule_id == "R065"


@pytest.mark.parametrize(
    "sms",
    ["wifi publik di balai rw tdk bisa dipakai", "Wi-Fi taman kota lemot", "cctv perempatan mati"],
)
def test_public_wifi_and_cctv_go_to_the_city_diskominfo(sms):
    d = route("TEKNOLOGI INFORMASI DAN KOMUNIKASI", "35.78", normalize(sms))
    assert d.agency_code == "35.78-DISKOMINFO" and d.rule_id == "R389", d.explanation


def test_online_gambling_sites_stay_with_the_ministry():
    d = route("TEKNOLOGI INFORMASI DAN KOMUNIKASI", "35.78", normalize("situs judi online marak"))
    assert d.agency_code == "KOMDIGI"


@pytest.mark.parametrize(
    ("category", "sms", "agency"),
    [
        ("EKONOMI DAN KEUANGAN", "pasar tradisional becek atap bocor", "35.78-DISKOPDAG"),
        ("EKONOMI DAN KEUANGAN", "bantuan modal umkm tdk cair", "35.78-DISKOPDAG"),
        (KETERTIBAN, "sarang tawon di atap rumah", "35.78-DAMKAR"),
        (KETERTIBAN, "ada ular kobra masuk rumah", "35.78-DAMKAR"),
        (KETERTIBAN, "tawuran pelajar tiap malam minggu", "POLRI"),
        (KETERTIBAN, "balap liar tiap malam di jalan lingkar", "POLRI"),
    ],
)
def test_everyday_local_matters_reach_the_office_that_handles_them(category, sms, agency):
    d = route(category, "35.78", normalize(sms))
    assert d.agency_code == agency, d.explanation


def test_drug_trafficking_goes_to_bnn_not_the_city_public_order_office():
    d = route(KETERTIBAN, "33.74", normalize("ada yg jual narkoba di gang 3, tiap malam rame"))
    assert d.agency_code == "BNN" and d.rule_id == "R069", d.explanation


def test_parking_and_street_lights_by_a_station_stay_with_the_transport_office():
    # "stasiun" alone raises the complaint to the railway company (R320); parking outside it is
    # the city's.
    sms = normalize("parkir liar di depan stasiun, jukir narik 10rb")
    d = route("PERHUBUNGAN", "33.74", sms, subcategory="PARKIR LIAR")
    assert d.agency_code == "33.74-DISHUB" and d.rule_id == "R326", d.explanation
    assert route("PERHUBUNGAN", "33.74", normalize("toilet stasiun kotor")).agency_code == "KAI"


def test_vehicle_tax_goes_to_the_province_and_other_economy_to_the_city_trade_office():
    # No sub-category is read for the economy, so a rule that needs one never fired: vehicle tax
    # went to the coordinating ministry, the category's old default.
    d = route("EKONOMI DAN KEUANGAN", "33.74", normalize("bayar pajak kendaraan di samsat error"))
    assert d.agency_code == "33-BAPENDA" and d.rule_id == "R022", d.explanation
    d = route("EKONOMI DAN KEUANGAN", "33.74", normalize("saldo di bank sy kepotong tanpa alasan"))
    assert d.agency_code == "OJK" and d.rule_id == "R020B", d.explanation
    d = route("EKONOMI DAN KEUANGAN", "33.74", normalize("transaksi mbanking yg bukan sy"))
    assert d.agency_code == "OJK" and d.rule_id == "R020C", d.explanation
    d = route("EKONOMI DAN KEUANGAN", "33.74", normalize("bantuan modal buat usaha sy blm cair"))
    assert d.agency_code == "33.74-DISKOPDAG" and d.rule_id == "R038", d.explanation


@pytest.mark.parametrize(
    ("sms", "agency", "rule"),
    [
        # No "pdam" in it: the energy ministry, the category's last resort, had it (R187).
        ("meteran air di rumah muter terus walau keran ditutup", "33.74-PDAM", "R181B"),
        ("air mati 3 hari, tagihan air tetap naik", "33.74-PDAM", "R181B"),
        ("travo di ujung gang meledak, 2 rt gelap", "PLN", "R183C"),
        # Mining permits and their supervision: the province's energy office.
        ("izin tambang batu di bukit desa kami ga jelas", "33-DESDM", "R186B"),
        ("panel surya bantuan pemerintah ga nyala", None, None),
    ],
)
def test_water_and_transformers_reach_their_utilities(sms, agency, rule):
    d = route("ENERGI DAN SUMBER DAYA ALAM", "33.74", normalize(sms))
    if agency is None:  # neither water nor power: the category's last resort
        assert d.rule_id == "R187", d.explanation
    else:
        assert (d.agency_code, d.rule_id) == (agency, rule), d.explanation


@pytest.mark.parametrize(
    ("sms", "agency", "rule"),
    [
        # A facility's service, for a BPJS patient too: the region's health office.
        ("puskesmas antrian bpjs dr subuh, dokternya dtg jam 10", "33.74-DINKES", "R043B"),
        ("rsud nolak pasien bpjs katanya kamar penuh", "33.74-DINKES", "R043B"),
        # Membership, cards and contributions: BPJS Kesehatan, even when met at a facility.
        ("kartu bpjs sy ga aktif pas berobat ke puskesmas", "BPJS-KES", "R043A"),
        ("bpjs sy nonaktif padahal pbi", "BPJS-KES", "R043A"),
        ("klaim bpjs ribet bgt", "BPJS-KES", "R043"),
    ],
)
def test_health_complaints_split_between_facilities_and_bpjs_membership(sms, agency, rule):
    d = route("KESEHATAN", "33.74", normalize(sms))
    assert (d.agency_code, d.rule_id) == (agency, rule), d.explanation


def test_a_tourist_site_goes_to_the_regions_tourism_office():
    sms = normalize("toilet di tempat wisata waduk jorok, pdhl tiket masuk 10rb")
    d = route("EKONOMI DAN KEUANGAN", "33.22", sms)
    assert (d.agency_code, d.rule_id) == ("33.22-DISPARPORA", "R031B"), d.explanation
    d = route("EKONOMI DAN KEUANGAN", "33.22", normalize("harga cabai di pasar naik terus"))
    assert d.agency_code == "33.22-DISKOPDAG", d.explanation


def test_regional_civil_servants_go_to_the_regional_personnel_office_not_labour():
    d = route("KETENAGAKERJAAN", "33.74", normalize("gaji pppk sy blm dibayar 3 bln"))
    assert d.agency_code == "33.74-BKPSDM" and d.rule_id == "R243B", d.explanation
    d = route("KETENAGAKERJAAN", "33.74", normalize("thr sy blm dibayar perusahaan"))
    assert d.agency_code == "33.74-DISNAKER", d.explanation


@pytest.mark.parametrize(
    ("category", "sms", "agency"),
    [
        # Surabaya files KUA matters under population records; the KUA is the religion ministry's.
        ("KEPENDUDUKAN", "buku nikah sy hilang, di kua disuruh bolak balik", "KEMENAG"),
        ("KETENAGAKERJAAN", "dana pensiun taspen almarhum bpk sy blm cair", "TASPEN"),
        ("KETENAGAKERJAAN", "adik sy tkw di malaysia gajinya ditahan agen", "KP2MI"),
        (PU, "rumah subsidi yg sy beli retak2, developer lepas tangan", "KEMENPKP"),
        ("KESEHATAN", "apotek dekat rumah jual obat kedaluwarsa", "BPOM"),
    ],
)
def test_national_bodies_get_what_their_keywords_name(category, sms, agency):
    # These rules' sub-categories are set by operators only; the keywords carry the SMS there.
    assert route(category, "33.74", normalize(sms)).agency_code == agency


def test_extortion_by_an_official_goes_to_the_inspectorate():
    d = route(
        "POLITIK DAN HUKUM", "33.74", "pungli di kantor kelurahan", subcategory="PUNGUTAN LIAR"
    )
    assert d.agency_code == "33.74-INSPEKTORAT" and d.rule_id == "R139", d.explanation


def test_road_level_follows_the_words_of_the_complaint():
    assert route(PU, "35.78", "jalan berlubang di gang").agency_code == "35.78-DPUPR"
    d = route(PU, "35.78.05", "jalan provinsi berlubang", subcategory="JALAN BERLUBANG")
    assert d.agency_code == "35-DPUBM" and d.level == "provinsi"
    assert "jalan provinsi" in d.explanation
    d = route(PU, "35.78", "Jln. Nasional Surabaya-Gresik rusak", subcategory="JALAN BERLUBANG")
    assert d.agency_code == "KEMENPU"


def test_jakarta_water_goes_to_pam_jaya_at_the_province():
    d = route(ENERGI, "31.71", "air PDAM mati", subcategory="LAYANAN AIR MINUM")
    assert d.agency_code == "31-PDAM"
    assert route(ENERGI, "35.78", "air pdam keruh").agency_code == "35.78-PDAM"


def test_a_province_only_region_serves_provincial_rules_but_sends_kabupaten_rules_to_triage():
    assert route(PU, "35", "jalan provinsi rusak").agency_code == "35-DPUBM"
    assert route("LINGKUNGAN HIDUP DAN KEHUTANAN", "35", "banjir").agency_code == "35-BPBD"
    d = route("KEPENDUDUKAN", "35", "ktp")
    assert d.needs_triage and d.agency_code is None
    assert d.suggested_code == "PEMPROV-35" and "hanya sampai provinsi" in d.explanation


def test_unknown_region_with_a_regional_rule_goes_to_triage_with_the_reason():
    d = route("KEPENDUDUKAN", None, "ktp")
    assert d.needs_triage and "wilayah pelapor tidak diketahui" in d.explanation
    d = route("KEPENDUDUKAN", "99.99", "ktp")
    assert d.needs_triage and "'99.99' tidak dikenal" in d.explanation


def test_unknown_category_goes_to_triage():
    d = route("BUKAN KATEGORI", "35.78")
    assert d.needs_triage and "tidak ada aturan" in d.explanation


def test_agency_that_says_not_ours_is_skipped_for_the_next_rule():
    d = route("KESEHATAN", "33.02", "kartu BPJS ditolak puskesmas", exclude={"BPJS-KES"})
    assert d.agency_code == "33.02-DINKES" and "BPJS-KES" in d.explanation


def test_when_every_office_declines_the_regional_government_then_triage_takes_it():
    d = route("KEPENDUDUKAN", "35.78", exclude={"35.78-DISDUKCAPIL"})
    assert d.agency_code == "PEMKOT-35.78" and not d.needs_triage
    d = route("KEPENDUDUKAN", "35.78", exclude={"35.78-DISDUKCAPIL", "PEMKOT-35.78"})
    assert d.needs_triage and "PEMKOT-35.78" in d.explanation


@pytest.mark.parametrize("region", ["35.78", "35", None, "31.71"])
def test_excluding_agencies_one_by_one_never_leads_nowhere(region):
    for rule in load_rules():
        text = " ".join(rule.keywords)
        sub = rule.subcategories[0] if rule.subcategories else None
        excluded: set[str] = set()
        for _ in range(10):
            d = route(rule.category, region, text, subcategory=sub, exclude=excluded)
            assert (d.agency_code is None) == d.needs_triage
            assert d.agency_code not in excluded
            if d.needs_triage:
                break
            excluded.add(d.agency_code)
        else:
            pytest.fail(f"{rule.id}: still routing after 10 exclusions")


def test_a_missing_office_falls_back_to_the_government():
    d = route("PEMBANGUNAN DESA, DAERAH TERTINGGAL, DAN TRANSMIGRASI", "35.78", "dana desa")
    assert d.agency_code == "PEMKOT-35.78"


def test_custom_rules_and_directory_can_be_passed_in():
    rule = RoutingRule("X1", "KESEHATAN", "nasional", "KEMENKES")
    assert route("KESEHATAN", None, rules=[rule]).agency_code == "KEMENKES"
    nowhere = route("KESEHATAN", None, rules=[rule], directory=[])
    assert nowhere.needs_triage and "tidak ada di direktori" in nowhere.explanation
    small = [a for a in agencies() if a.region_code in (None, "35", "35.78")]
    assert route("KESEHATAN", "33.02", directory=small).needs_triage


def test_routing_the_same_complaint_again_gives_the_same_answer():
    """The routing indexes are built once and only read after (the worker's time per SMS,
    routing included, is measured by benchmarks/worker_bench.py, not asserted here)."""
    first = route(
        PU, "35.78.05", "jalan berlubang parah depan rumah", subcategory="JALAN BERLUBANG"
    )
    for _ in range(50):
        again = route(
            PU, "35.78.05", "jalan berlubang parah depan rumah", subcategory="JALAN BERLUBANG"
        )
        assert again == first


@pytest.mark.parametrize(
    ("category", "sms", "agency", "rule"),
    [
        (PU, "tol semarang solo km 30 banyak lubang", "KEMENPU", "R081B"),
        (PU, "jalan pantura dkt pasar ambles lagi", "KEMENPU", "R080B"),
        # The level: a river basin is the ministry's, a mental hospital or a bus between
        # regencies the province's, a bus between provinces the ministry's.
        (PU, "bengawan solo meluap, tanggul jebol", "KEMENPU", "R085B"),
        ("KESEHATAN", "rs jiwa nolak pasien odgj", "33-DINKES", "R043C"),
        ("KESEHATAN", "rsud provinsi antri dr subuh", "33-DINKES", "R043C"),
        ("PERHUBUNGAN", "bus akdp ngetem di bahu jalan", "33-DISHUB", "R324B"),
        ("PERHUBUNGAN", "bus akap ugal2an", "KEMENHUB", "R324C"),
        (K3, "hp sy dijambret di lampu merah", "POLRI", "R065B"),
        ("EKONOMI DAN KEUANGAN", "investasi emas online ternyata bodong", "OJK", "R020D"),
        ("KETENAGAKERJAAN", "paspor adik sy ditahan majikan", "KP2MI", "R247B"),
        # A region's own website: its Diskominfo, not the ministry.
        ("TEKNOLOGI INFORMASI DAN KOMUNIKASI", "website pendaftaran dinas error terus",
         "33.74-DISKOMINFO", "R389B"),
        # Damage a disaster did: the BPBD first, whatever was damaged.
        (PU, "tanah bergerak, 5 rumah retak", "33.74-BPBD", "R092A"),
        ("EKONOMI DAN KEUANGAN", "rokok tanpa pita cukai dijual di warung", "KEMENKEU", "R025B"),
        ("EKONOMI DAN KEUANGAN", "barang kiriman ditahan bea cukai", "KEMENKEU", "R025B"),
        ("EKONOMI DAN KEUANGAN", "mau lapor spt tp efin hilang", "KEMENKEU", "R025B"),
        ("EKONOMI DAN KEUANGAN", "wesel pos dr anak sy blm cair", "POS", "R034B"),
        ("EKONOMI DAN KEUANGAN", "paket kiriman hilang, kurir ga tanggung jawab", "KOMDIGI",
         "R035B"),
        ("KESEHATAN", "krim pemutih di pasar ada merkurinya", "BPOM", "R044B"),
        ("PERLINDUNGAN KONSUMEN", "jamu tanpa izin bpom dijual bebas", "BPOM", "R334B"),
        ("KETENAGAKERJAAN", "nilai skd cpns sy di web bkn beda", "BKN", "R243C"),
        ("LINGKUNGAN HIDUP DAN KEHUTANAN", "pembalakan liar di hutan lindung", "33-DISHUT",
         "R070B"),
        ("LINGKUNGAN HIDUP DAN KEHUTANAN", "kapal cantrang masuk zona tangkap", "33-DKP", "R071B"),
        ("ENERGI DAN SUMBER DAYA ALAM", "tambang pasir ilegal di sungai", "33-DESDM", "R186B"),
    ],
)  # fmt: skip
def test_national_bodies_and_provincial_matters_named_in_an_sms(category, sms, agency, rule):
    d = route(category, "33.74", normalize(sms))
    assert (d.agency_code, d.rule_id) == (agency, rule), d.explanation


def test_a_word_that_is_also_an_abbreviation_routes_only_as_a_name():
    # "spt" is SMS for "seperti": a rule keyed on the tax return must not take every "seperti".
    d = route("EKONOMI DAN KEUANGAN", "33.74", normalize("harga beras spt emas, mahal bgt"))
    assert d.agency_code == "33.74-DISKOPDAG", d.explanation
    d = route("KETENAGAKERJAAN", "33.74", normalize("gaji sy bkn umk, mohon disnaker turun"))
    assert d.agency_code == "33.74-DISNAKER", d.explanation
