"""Language of a message: Indonesian by default, English only with clear evidence."""

import pytest

from sms_gateway.understand.language import detect_language


@pytest.mark.parametrize(
    "sms",
    [
        "The road in front of my house has been broken for three weeks",
        "street light near the mosque is not working since last month",
        "Please fix the water pipe, there is no water in our village",
        "thank you",
        "I want to report a bribe at the district office",
        "garbage has not been collected for two weeks",
    ],
)
def test_clear_english_is_english(sms):
    assert detect_language(sms) == "en"


@pytest.mark.parametrize(
    "sms",
    [
        "jalan depan rumah rusak",
        "Jln dpn rmh sy rusak parah udh 2 mggu",
        "lampu PJU mati di gg 3",
        "tolong pak, pungli di kantor desa",
        "ok",
        "help",
        "",
        "😡😡",
        "12345",
        "Jalan rusak, please fix segera pak",
        "STATUS 4827193059",
        "jalan di depan school rusak parah sekali",
    ],
)
def test_indonesian_mixed_and_unclear_messages_are_indonesian(sms):
    assert detect_language(sms) == "id"
