"""The whole understanding step: one call per inbound SMS, never raising, always bounded."""

import dataclasses
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sms_gateway.understand as understanding
from sms_gateway.tracking import check_digit
from sms_gateway.understand import MAX_CHARS, Understanding, normalize, understand
from sms_gateway.understand._util import clean
from sms_gateway.understand.commands import Command, Help, Status
from sms_gateway.understand.emergency import KINDS
from sms_gateway.understand.normalize import _settled, tokens
from sms_gateway.understand.pii import find_pii

VALID = "482719305" + check_digit("482719305")


def test_a_plain_complaint():
    result = understand("Jln dpn SDN 3 rusak parahhh udh 2 mggu, tlg diperbaiki")
    assert result.command is None
    assert not result.is_empty
    assert (result.rahasia, result.anonim) == (False, False)
    assert result.text == "Jln dpn SDN 3 rusak parahhh udh 2 mggu, tlg diperbaiki"
    assert result.normalized == "jalan depan sdn 3 rusak parah sudah 2 minggu tolong diperbaiki"
    assert result.emergency is None
    assert result.language == "id"


def test_a_confidential_anonymous_complaint_with_personal_data():
    result = understand("RAHASIA ANONIM: kades minta uang 5jt, hub sy 0812-3456-7890")
    assert (result.rahasia, result.anonim) == (True, True)
    assert result.text == "kades minta uang 5jt, hub sy 0812-3456-7890"
    assert result.masked_text == "kades minta uang 5jt, hub sy [TELEPON]"
    assert [f.kind for f in result.pii] == ["phone"]
    assert "0812" not in result.normalized


def test_a_command_is_recognised_and_not_treated_as_empty():
    result = understand(f"cek {VALID}")
    assert isinstance(result.command, Status)
    assert result.command.number.digits == VALID
    assert not result.is_empty


def test_help_is_a_command():
    assert understand("BANTUAN").command == Help()


def test_an_emergency_in_progress_is_flagged():
    result = understand("tolong ada kebakaran di rt 04 skrg api besar")
    assert result.emergency == "fire"
    assert result.command is None


def test_an_english_complaint_is_english():
    assert understand("The bridge near the school is broken, please fix it").language == "en"


@pytest.mark.parametrize(
    "sms", ["", "   ", "\n\t", "?!?!", "...", "😡😡😡", "\x00\x00", "🙏", "-_-"]
)
def test_blank_punctuation_and_emoji_only_messages_are_empty(sms):
    result = understand(sms)
    assert result.is_empty
    assert result.command is None


def test_a_privacy_word_alone_leaves_an_empty_complaint():
    result = understand("RAHASIA")
    assert result.rahasia
    assert result.is_empty


def test_nul_bytes_and_control_characters_never_reach_the_text():
    result = understand("jalan\x00 rusak\x07 parah\x1b")
    assert result.text == "jalan rusak parah"


def test_importing_loads_no_data():
    code = (
        "import sms_gateway.understand\n"
        "from sms_gateway.understand.normalize import lexicon\n"
        "assert lexicon.cache_info().currsize == 0"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_huge_message_is_capped_and_flagged():
    result = understand("jalan rusak " * 10_000)
    assert result.truncated
    assert len(result.text) <= MAX_CHARS


def test_an_internal_error_falls_back_to_the_most_private_reading(monkeypatch, caplog):
    def broken(_text):
        raise RuntimeError("bug")

    monkeypatch.setattr(understanding, "mask_pii", broken)
    result = understand("hp 081234567890 jalan rusak")
    assert (result.rahasia, result.anonim) == (True, True)
    assert "0812" not in result.masked_text
    assert "understand() failed" in caplog.text


SMS_ALPHABET = st.sampled_from(
    list("aeiounrstkgmlbdphy0123456789 ") + [" ", ".", ",", "-", ":", "#", "@", "!", "?", "\n"]
    + ["yg ", "gk ", "jln ", "2 ", "rahasia ", "anonim ", "cek ", "status ", "08", "+62", "😡"]
)  # fmt: skip
sms_text = st.lists(SMS_ALPHABET, max_size=60).map("".join)


def _check(result: Understanding) -> None:
    assert isinstance(result, Understanding)
    assert result.command is None or isinstance(result.command, Command)
    assert isinstance(result.is_empty, bool)
    assert isinstance(result.rahasia, bool) and isinstance(result.anonim, bool)
    assert result.language in ("id", "en")
    assert result.emergency is None or result.emergency in KINDS
    assert "\x00" not in result.text and "\x00" not in result.normalized
    assert len(result.text) <= MAX_CHARS
    result.text.encode("utf-8")  # storable
    assert result.normalized == result.normalized.strip()
    assert "  " not in result.normalized


@settings(max_examples=300)
@given(st.text())
def test_understand_never_raises_on_arbitrary_unicode(text):
    _check(understand(text))


@settings(max_examples=300)
@given(sms_text)
def test_understand_never_raises_on_sms_like_text(text):
    _check(understand(text))


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=1, max_size=40), st.integers(min_value=100, max_value=5000))
def test_huge_inputs_are_read_only_up_to_the_cap(chunk, repeat):
    """Whatever its length, an input costs at most MAX_CHARS characters of reading (the time
    per SMS is measured by benchmarks/understand_bench.py)."""
    text = chunk * repeat
    found = understand(text)
    _check(found)
    assert found.truncated == (len(text) > MAX_CHARS)
    assert dataclasses.replace(found, truncated=False) == understand(text[:MAX_CHARS])


@settings(max_examples=300)
@given(st.one_of(sms_text, st.text()))
def test_normalising_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300)
@given(st.one_of(sms_text, st.text()))
def test_a_first_pass_of_settled_words_is_final(text):
    """normalize stops after one pass when every word reads as itself (and the words fit in what
    a pass reads): another pass over the joined words must then give them back exactly."""
    words = tokens(text)
    if len(" ".join(words)) <= MAX_CHARS and all(map(_settled, words)):
        assert tokens(" ".join(words)) == words


@settings(max_examples=300)
@given(sms_text)
def test_masked_text_holds_no_personal_data(text):
    result = understand(text)
    assert find_pii(result.masked_text) == []


@settings(max_examples=200)
@given(sms_text)
def test_the_complaint_text_is_the_end_of_the_message(text):
    result = understand(text)
    cleaned = clean(text)
    assert cleaned.endswith(result.text)
    if not (result.rahasia or result.anonim):
        assert result.text == cleaned


@settings(max_examples=200)
@given(sms_text)
def test_understanding_is_deterministic(text):
    assert understand(text) == understand(text)
