"""Regions by code: counts of the 2025 list, levels, names, parents, time zones."""

from collections import Counter

import pytest

from sms_gateway.places import get, parents, timezone, timezone_label
from sms_gateway.places.regions import depth, table


def test_the_2025_list_is_complete() -> None:
    counts = Counter(depth(n) for n in table().codes)
    assert counts == {1: 38, 2: 514, 3: 7285, 4: 83762}


def test_kota_and_kabupaten_keep_their_kemendagri_names() -> None:
    surabaya = get("35.78")
    assert surabaya is not None
    assert (surabaya.name, surabaya.level, surabaya.parent_code) == ("Kota Surabaya", "kota", "35")
    banyumas = get("33.02")
    assert banyumas is not None and banyumas.level == "kabupaten"
    assert banyumas.name == "Kabupaten Banyumas"


def test_levels_below_kota_tell_kelurahan_from_desa() -> None:
    kelurahan = get("35.78.05.1001")
    assert kelurahan is not None
    assert (kelurahan.name, kelurahan.level, kelurahan.parent_code) == (
        "Tegalsari",
        "kelurahan",
        "35.78.05",
    )
    desa = get("32.01.06.2001")
    assert desa is not None and desa.level == "desa"
    kecamatan = get("33.03.06")
    assert kecamatan is not None and (kecamatan.name, kecamatan.level) == ("Kalimanah", "kecamatan")
    assert get("35") is not None and get("35").level == "provinsi"  # type: ignore[union-attr]


def test_codes_are_accepted_without_dots_and_unknown_codes_give_none() -> None:
    assert get("3578") == get("35.78")
    assert get("99.99") is None
    assert get("jawa") is None
    assert get("") is None


def test_parents_run_from_province_down() -> None:
    assert [r.code for r in parents("35.78.05.1001")] == ["35", "35.78", "35.78.05"]
    assert parents("35") == []
    assert parents("00.00") == []


@pytest.mark.parametrize(
    ("code", "zone", "label"),
    [
        ("31.71", "Asia/Jakarta", "WIB"),  # Jakarta Pusat
        ("61.71", "Asia/Jakarta", "WIB"),  # Pontianak, Kalimantan Barat
        ("62", "Asia/Jakarta", "WIB"),  # Kalimantan Tengah
        ("63.72", "Asia/Makassar", "WITA"),  # Banjarbaru, Kalimantan Selatan
        ("64", "Asia/Makassar", "WITA"),  # Kalimantan Timur
        ("65", "Asia/Makassar", "WITA"),  # Kalimantan Utara
        ("51.03.01", "Asia/Makassar", "WITA"),  # Kuta, Bali
        ("52", "Asia/Makassar", "WITA"),
        ("53", "Asia/Makassar", "WITA"),
        ("73.71", "Asia/Makassar", "WITA"),  # Makassar
        ("81", "Asia/Jayapura", "WIT"),  # Maluku
        ("82.71", "Asia/Jayapura", "WIT"),  # Ternate
        ("91", "Asia/Jayapura", "WIT"),
        ("96", "Asia/Jayapura", "WIT"),  # Papua Barat Daya
        ("11.01", "Asia/Jakarta", "WIB"),  # Aceh
    ],
)
def test_time_zone_follows_the_province(code: str, zone: str, label: str) -> None:
    assert timezone(code) == zone
    assert timezone_label(code) == label


def test_every_province_has_a_time_zone_and_unknown_has_none() -> None:
    provinces = [n for n in table().codes if depth(n) == 1]
    labels = Counter(timezone_label(f"{n // 10**8:02d}") for n in provinces)
    assert labels == {"WIB": 18, "WITA": 12, "WIT": 8}
    assert timezone("99") is None and timezone_label("99") is None


def test_region_as_dict_is_the_public_shape() -> None:
    region = get("33.03.06")
    assert region is not None
    assert region.as_dict() == {"code": "33.03.06", "name": "Kalimanah", "level": "kecamatan"}
