"""RAHASIA and ANONIM as leading words, with the misspellings citizens actually type."""

import pytest

from sms_gateway.understand.privacy import read_privacy


@pytest.mark.parametrize(
    "sms",
    [
        "RAHASIA jalan di depan sekolah berlubang",
        "rahasia jalan di depan sekolah berlubang",
        "Rahasia: jalan di depan sekolah berlubang",
        "RAHASIA:jalan di depan sekolah berlubang",
        "rahasia, jalan di depan sekolah berlubang",
        "rahasia - jalan di depan sekolah berlubang",
        "#rahasia jalan di depan sekolah berlubang",
        "rahasiah jalan di depan sekolah berlubang",
        "rhs jalan di depan sekolah berlubang",
        "rahsia jalan di depan sekolah berlubang",
        "RAHASIA. jalan di depan sekolah berlubang",
        "rahasai jalan di depan sekolah berlubang",
    ],
)
def test_leading_rahasia_in_any_spelling_marks_the_report_confidential(sms):
    privacy = read_privacy(sms)
    assert (privacy.rahasia, privacy.anonim) == (True, False)
    assert privacy.text == "jalan di depan sekolah berlubang"


@pytest.mark.parametrize(
    "sms",
    [
        "ANONIM petugas minta uang 200rb",
        "anonim: petugas minta uang 200rb",
        "Anonym petugas minta uang 200rb",
        "anonimus, petugas minta uang 200rb",
        "anonymous petugas minta uang 200rb",
        "anonim. petugas minta uang 200rb",
        "#anonim petugas minta uang 200rb",
        "annonim petugas minta uang 200rb",
    ],
)
def test_leading_anonim_in_any_spelling_hides_the_reporter(sms):
    privacy = read_privacy(sms)
    assert (privacy.rahasia, privacy.anonim) == (False, True)
    assert privacy.text == "petugas minta uang 200rb"


@pytest.mark.parametrize(
    "sms",
    [
        "RAHASIA ANONIM pungli di samsat",
        "anonim rahasia pungli di samsat",
        "Rahasia, Anonim: pungli di samsat",
        "rahasia dan anonim pungli di samsat",
        "#rahasia #anonim pungli di samsat",
        "anonim-rahasia pungli di samsat",
        "rhs anonym pungli di samsat",
        "rahasia & anonim pungli di samsat",
    ],
)
def test_both_words_in_either_order_set_both_flags(sms):
    privacy = read_privacy(sms)
    assert (privacy.rahasia, privacy.anonim) == (True, True)
    assert privacy.text == "pungli di samsat"


@pytest.mark.parametrize(
    "sms",
    [
        "data rahasia warga bocor di kelurahan",
        "saya mau lapor secara anonim soal pungli",
        "tolong dirahasiakan identitas saya",
        "rahasianya sudah bocor",
        "Jalan rusak RAHASIA",
        "",
    ],
)
def test_privacy_words_later_in_the_text_set_nothing(sms):
    privacy = read_privacy(sms)
    assert (privacy.rahasia, privacy.anonim) == (False, False)
    assert privacy.text == sms


def test_text_after_the_flags_is_kept_verbatim():
    assert read_privacy("RAHASIA  Pak Lurah minta UANG!!  ").text == "Pak Lurah minta UANG!!  "


def test_only_the_privacy_word_leaves_an_empty_complaint():
    privacy = read_privacy("RAHASIA")
    assert privacy.rahasia
    assert privacy.text == ""


def test_a_complaint_starting_with_dan_after_rahasia_keeps_dan():
    assert read_privacy("rahasia dan jalan rusak").text == "dan jalan rusak"
