"""The built-in agency directory: counts, codes, names and offices."""

import re
from collections import Counter

from sms_gateway.directory import FUNCTIONS, KINDS, LEVELS, agencies, national_admin
from sms_gateway.directory.offices import CORE_KABKOTA_FUNCTIONS, PROVINCE_OFFICES


def _by_code():
    return {a.code: a for a in agencies()}


def test_every_province_and_kabupaten_kota_has_a_government():
    kinds = Counter(a.kind for a in agencies())
    assert kinds["pemprov"] == 38
    assert kinds["pemkab"] + kinds["pemkot"] == 514
    assert kinds["pemkot"] == 98


def test_directory_holds_thousands_of_agencies_with_unique_ascii_codes():
    items = agencies()
    codes = [a.code for a in items]
    assert len(items) > 5000
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[A-Z0-9][A-Z0-9.\-]*[A-Z0-9]", c) for c in codes)


def test_every_kabupaten_kota_has_the_core_offices_under_its_government():
    offices: dict[str, set[str]] = {}
    for a in agencies():
        if a.level == "kabupaten_kota" and a.function:
            offices.setdefault(a.region_code, set()).add(a.function)
            assert a.parent_code in ("PEMKAB-" + a.region_code, "PEMKOT-" + a.region_code)
    assert len(offices) == 514
    assert all(fns >= CORE_KABKOTA_FUNCTIONS for fns in offices.values())


def test_every_province_has_its_offices():
    offices: dict[str, set[str]] = {}
    for a in agencies():
        if a.level == "provinsi" and a.function:
            offices.setdefault(a.region_code, set()).add(a.function)
    assert len(offices) == 38
    expected = {s.function for s in PROVINCE_OFFICES}
    assert all(expected <= fns for fns in offices.values())


def test_fields_use_the_documented_vocabularies_and_parents_exist():
    by_code = _by_code()
    for a in agencies():
        assert a.kind in KINDS and a.level in LEVELS
        assert a.function is None or a.function in FUNCTIONS
        assert (a.region_code is None) == (a.level == "nasional")
        assert a.parent_code is None or a.parent_code in by_code
        assert a.channel == "portal" and a.email == "" and a.webhook_url == ""


def test_names_are_proper_indonesian_names():
    by_code = _by_code()
    assert by_code["35.78-DINKES"].name == "Dinas Kesehatan Kota Surabaya"
    assert by_code["PEMKAB-33.02"].name == "Pemerintah Kabupaten Banyumas"
    assert by_code["PEMKOT-35.78"].name == "Pemerintah Kota Surabaya"
    assert by_code["PEMPROV-35"].name == "Pemerintah Provinsi Jawa Timur"
    assert by_code["PEMPROV-11"].name == "Pemerintah Aceh"
    assert by_code["31.71-DINKES"].name.startswith("Suku Dinas Kesehatan Kota Administrasi")
    assert by_code["35.78-SATPOLPP"].name == "Satuan Polisi Pamong Praja Kota Surabaya"


def test_national_bodies_from_the_brief_are_present():
    by_code = _by_code()
    for code in (
        "KEMENKES",
        "PLN",
        "BPJS-KES",
        "BPJS-TK",
        "OJK",
        "POLRI",
        "ATR-BPN",
        "BKN",
        "BPOM",
        "BNN",
        "BNPB",
        "OMBUDSMAN",
        "PERTAMINA",
        "KAI",
        "POS",
        "KEMENPANRB",
    ):
        assert by_code[code].level == "nasional"
    assert sum(1 for a in agencies() if a.kind == "kementerian") >= 34


def test_national_admin_is_kemenpanrb_triage_desk():
    admin = national_admin()
    assert admin.code == "ADMIN-NASIONAL" and admin.parent_code == "KEMENPANRB"
    assert admin in agencies()
