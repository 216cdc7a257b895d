"""region_keyword(): the leading region word of an SMS ("SURABAYA isi keluhan")."""

import pytest

from sms_gateway.places import region_keyword


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("SURABAYA", "35.78"),
        ("BANJARBARU", "63.72"),
        ("Sleman", "34.04"),
        ("KAB BANYUMAS", "33.02"),
        ("KAB.BANYUMAS", "33.02"),
        ("KABBANYUMAS", "33.02"),
        ("KOTA BATU", "35.79"),
        ("KOTABATU", "35.79"),
        ("KOTA BOGOR", "32.71"),
        ("KAB BOGOR", "32.01"),
        ("JATIM", "35"),
        ("PAPUA", "91"),
    ],
)
def test_region_word_is_recognised(word: str, code: str) -> None:
    region = region_keyword(word)
    assert region is not None and region.code == code


@pytest.mark.parametrize(("word", "code"), [("SURABYA", "35.78"), ("BANJARBAAU", "63.72")])
def test_region_word_with_one_typo_is_recognised(word: str, code: str) -> None:
    region = region_keyword(word)
    assert region is not None and region.code == code


def test_homonym_region_word_gives_the_shared_province() -> None:
    region = region_keyword("BOGOR")
    assert region is not None and region.code == "32"
    assert region_keyword("BANJAR") is None


@pytest.mark.parametrize(
    "word",
    ["STATUS", "CEK", "BATAL", "BANTUAN", "HELP", "RAHASIA", "ANONIM", "BERHENTI", "MULAI",
     "BAHASA", "INFO", "NILAI", "jalan", "lampu", "KALIMANAH", "", "123"],
)  # fmt: skip
def test_other_words_are_not_region_words(word: str) -> None:
    assert region_keyword(word) is None
