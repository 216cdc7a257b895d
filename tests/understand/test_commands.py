"""SMS commands, typo-tolerant, and complaints that merely contain a command word."""

import pytest

from sms_gateway.tracking import check_digit, display
from sms_gateway.understand.commands import (
    Cancel,
    Help,
    Info,
    Rate,
    SetLanguage,
    Start,
    Status,
    Stop,
    TicketNumber,
    parse_command,
)

VALID = "482719305" + check_digit("482719305")  # 4827193059
WRONG = VALID[:-1] + str((int(VALID[-1]) + 1) % 10)


@pytest.mark.parametrize(
    "sms",
    [
        f"STATUS {VALID}",
        f"status {VALID}",
        f"Status {display(VALID)}",
        f"cek {VALID}",
        f"CEK {VALID[:4]}-{VALID[4:8]}-{VALID[8:]}",
        f"cek {VALID[:4]} {VALID[4:8]} {VALID[8:]}",
        f"cek {VALID[:3]}.{VALID[3:6]}.{VALID[6:]}",
        f"cek #{VALID}",
        f"#cek {VALID}",
        f"cek no {VALID}",
        f"cek no. {VALID}",
        f"Cek nomor {VALID}",
        f"cek no.{VALID}",
        f"cek laporan no {VALID}",
        f"cek status laporan saya no {VALID}",
        f"STATUS{VALID}",
        f"status: {VALID}",
        f"status {VALID} dong",
        f"cek {VALID} pak, terima kasih",
        f"check {VALID}",
        f"CHECK my report {VALID} please",
        f"statsu {VALID}",
        f"stats {VALID}",
        f"sttus {VALID}",
        f"chek {VALID}",
        f"  status   {VALID}  ",
    ],
)
def test_status_with_a_valid_number_in_any_spelling(sms):
    command = parse_command(sms)
    assert isinstance(command, Status)
    assert command.number.state == "valid"
    assert command.number.digits == VALID


@pytest.mark.parametrize("sms", [f"STATUS {WRONG}", f"cek {VALID[:-1]}", "cek 12345", "cek 081234"])
def test_status_with_a_number_shaped_but_wrong_number_says_invalid(sms):
    command = parse_command(sms)
    assert isinstance(command, Status)
    assert command.number.state == "invalid"
    assert command.number.digits is None


@pytest.mark.parametrize("sms", ["STATUS", "cek", "Cek?", "cek no", "status laporan saya", "CEK."])
def test_status_without_a_number_says_missing(sms):
    command = parse_command(sms)
    assert isinstance(command, Status)
    assert command.number.state == "missing"


@pytest.mark.parametrize(
    "sms",
    [
        "statusnya belum jelas sampai sekarang",
        "status tanah saya belum jelas di kantor bpn",
        "cek jalan di depan rumah rusak parah",
        "cek kesehatan gratis di puskesmas bayar",
        "stop pungli di kantor desa",
        "STOP PUNGLI!!",
        "berhenti bayar iuran sampah karena tidak diangkut",
        "info dong jalan rusak di gg 3",
        "info lowongan kerja di kelurahan tidak transparan",
        "batal berangkat haji uang tidak kembali",
        "nilai rapor anak saya dipotong guru",
        "nilai ujian tidak keluar",
        "bantuan sosial belum cair",
        "bantuan pkh dipotong pendamping",
        "bahasa kasar petugas kelurahan",
        "mulai kapan jalan diperbaiki",
        "start motor susah karena bensin campur air",
        "help me",
        "tolong cek 2 lampu jalan yang mati",
        "Sy mau cek status laporan kmrn",
        "kenapa status bansos saya ditolak",
        "menu makan bergizi gratis basi",
        "info 2 orang luka ditabrak",
        "nilai 2 mapel anak saya dikurangi",
        "nilai 100 diganti jadi 70 oleh guru",
        "Rata2 jalan di desa kami rusak",
        "cek kosong dari pemborong proyek jalan",
    ],
)
def test_command_word_inside_a_complaint_is_not_a_command(sms):
    assert parse_command(sms) is None


@pytest.mark.parametrize(
    "sms",
    [
        "Jalan di depan rumah saya rusak",
        "lampu pju mati 2 mggu",
        "",
        "   ",
        "😡😡😡",
        f"{VALID}",
        "RAHASIA pungli di kelurahan",
    ],
)
def test_ordinary_messages_are_not_commands(sms):
    assert parse_command(sms) is None


def test_info_adds_text_to_a_report():
    assert parse_command(f"INFO {VALID} lubangnya makin besar, sdh ada yg jatuh") == Info(
        TicketNumber(VALID, VALID), "lubangnya makin besar, sdh ada yg jatuh"
    )


def test_info_text_may_start_with_a_digit():
    command = parse_command(f"info {VALID} 2 orang jatuh kemarin")
    assert isinstance(command, Info)
    assert command.number.digits == VALID
    assert command.text == "2 orang jatuh kemarin"


def test_info_with_a_grouped_number_and_hash():
    command = parse_command(f"Info #{display(VALID)} fotonya menyusul")
    assert isinstance(command, Info)
    assert command.number.digits == VALID
    assert command.text == "fotonya menyusul"


def test_bare_info_is_an_info_command_without_number():
    assert parse_command("INFO") == Info()


def test_info_with_a_wrong_number_says_invalid():
    command = parse_command(f"INFO {WRONG} tambahan")
    assert isinstance(command, Info)
    assert command.number.state == "invalid"


@pytest.mark.parametrize(
    "sms", [f"BATAL {VALID}", f"batal no {VALID}", f"cancel {VALID}", f"btal {VALID}"]
)
def test_batal_withdraws_a_report(sms):
    command = parse_command(sms)
    assert isinstance(command, Cancel)
    assert command.number.digits == VALID


def test_batal_without_a_number_says_missing():
    command = parse_command("BATAL")
    assert isinstance(command, Cancel)
    assert command.number.state == "missing"


@pytest.mark.parametrize(
    ("sms", "score", "comment"),
    [
        (f"NILAI {VALID} 5", 5, ""),
        (f"nilai {VALID} 4 cepat ditangani", 4, "cepat ditangani"),
        (f"nilai {VALID} 1 lambat sekali", 1, "lambat sekali"),
        (f"RATE {VALID} 3", 3, ""),
        (f"nilai {VALID} bintang 5 mantap", 5, "mantap"),
        (f"nilai {VALID} 5/5", 5, ""),
        (f"nilai {VALID} lima", 5, ""),
        (f"nilaii {VALID} 2", 2, ""),
    ],
)
def test_nilai_rates_a_report(sms, score, comment):
    command = parse_command(sms)
    assert isinstance(command, Rate)
    assert command.number.digits == VALID
    assert (command.score, command.comment) == (score, comment)


@pytest.mark.parametrize("sms", [f"NILAI {VALID} 9", f"nilai {VALID} 0", f"nilai {VALID}"])
def test_nilai_with_a_missing_or_impossible_score_has_no_score(sms):
    command = parse_command(sms)
    assert isinstance(command, Rate)
    assert command.number.digits == VALID
    assert command.score is None


def test_nilai_with_only_a_score_misses_the_number():
    command = parse_command("NILAI 5")
    assert isinstance(command, Rate)
    assert command.number.state == "missing"
    assert command.score == 5


def test_nilai_reads_the_score_even_when_the_number_lacks_a_digit():
    command = parse_command(f"nilai {VALID[:-1]} 4")
    assert isinstance(command, Rate)
    assert command.score == 4
    assert command.number.state == "invalid"


@pytest.mark.parametrize(
    ("sms", "expected"),
    [
        ("BANTUAN", Help()),
        ("bantuan", Help()),
        ("Bantuan?", Help()),
        ("bantun", Help()),
        ("HELP", Help()),
        ("help!", Help()),
        ("STOP", Stop()),
        ("stop", Stop()),
        ("Stop sms", Stop()),
        ("BERHENTI", Stop()),
        ("berhenti langganan", Stop()),
        ("berhnti", Stop()),
        ("UNSUBSCRIBE", Stop()),
        ("MULAI", Start()),
        ("Mulai", Start()),
        ("START", Start()),
        ("strat", Start()),
    ],
)
def test_keyword_only_commands_in_any_case_and_with_one_typo(sms, expected):
    assert parse_command(sms) == expected


@pytest.mark.parametrize(
    ("sms", "language"),
    [
        ("BAHASA EN", "en"),
        ("bahasa id", "id"),
        ("Bahasa Inggris", "en"),
        ("bahasa indonesia", "id"),
        ("LANGUAGE EN", "en"),
        ("language english", "en"),
        ("lang en", "en"),
        ("LANG ID", "id"),
        ("bahasa englsh", "en"),
        ("bhasa en", "en"),
        ("BAHASA", None),
    ],
)
def test_bahasa_sets_the_reply_language(sms, language):
    assert parse_command(sms) == SetLanguage(language)


def test_three_letter_keywords_need_exact_spelling():
    assert parse_command(f"cel {VALID}") is None


def test_commands_are_value_objects():
    first, second = parse_command(f"cek {VALID}"), parse_command(f"cek {VALID}")
    assert first == second
    assert hash(first) == hash(second)
    with pytest.raises(AttributeError):
        first.number = None  # type: ignore[misc]


def test_each_command_names_its_indonesian_keyword():
    assert [c.keyword for c in (Status, Info, Cancel, Rate, Help, Stop, Start, SetLanguage)] == [
        "STATUS", "INFO", "BATAL", "NILAI", "BANTUAN", "STOP", "MULAI", "BAHASA",
    ]  # fmt: skip
