"""Personal data found and masked: NIK, phone numbers, e-mail, bank accounts; tickets stay."""

import pytest

from sms_gateway.tracking import check_digit
from sms_gateway.understand.pii import find_pii, mask_pii, plausible_nik

VALID = "482719305" + check_digit("482719305")
NIK_MAN = "3201011503850002"  # Jawa Barat, born 15-03-1985
NIK_WOMAN = "3578035508920001"  # Jawa Timur, born 15-08-1992, day + 40


@pytest.mark.parametrize("nik", [NIK_MAN, NIK_WOMAN, "1101010101000001", "9471022912000003"])
def test_plausible_niks(nik):
    assert plausible_nik(nik)


@pytest.mark.parametrize(
    "digits",
    [
        "9901011503850002",  # no province 99
        "3201013203850002",  # 32 March
        "3201011513850002",  # month 15
        "3201017202850002",  # 32 Feb for a woman
        "3201013002850002",  # 30 Feb
        "3201011503850000",  # serial 0000
        "320101150385000",  # 15 digits
    ],
)
def test_implausible_niks(digits):
    assert not plausible_nik(digits)


@pytest.mark.parametrize(
    ("sms", "masked"),
    [
        (f"NIK saya {NIK_MAN} blm terdaftar", "NIK saya [NIK] blm terdaftar"),
        (f"ktp istri {NIK_WOMAN} ditolak", "ktp istri [NIK] ditolak"),
        (f"data {NIK_MAN} salah", "data [NIK] salah"),
        ("nik 1234567890123456 tidak valid", "nik [NIK] tidak valid"),
        (f"{NIK_MAN[:4]} {NIK_MAN[4:8]} {NIK_MAN[8:12]} {NIK_MAN[12:]} bansos", "[NIK] bansos"),
    ],
)
def test_nik_is_masked(sms, masked):
    assert mask_pii(sms).text == masked


def test_sixteen_random_digits_without_a_label_are_not_a_nik():
    assert mask_pii("kode 9999999999999999 error").findings == ()


@pytest.mark.parametrize(
    ("sms", "masked"),
    [
        (f"warga dg NIK{NIK_MAN} ditolak di desa", "warga dg NIK[NIK] ditolak di desa"),
        (f"nik:{NIK_WOMAN} blm masuk dtks", "nik:[NIK] blm masuk dtks"),
        (f"ktpku{NIK_WOMAN}ditolak", "ktpku[NIK]ditolak"),
        ("NIK1234567890123456 katanya salah", "NIK[NIK] katanya salah"),  # labelled: any 16
        (f"rt05 {NIK_MAN[:4]} {NIK_MAN[4:8]} {NIK_MAN[8:12]} {NIK_MAN[12:]}", "rt05 [NIK]"),
    ],
)
def test_a_nik_glued_to_letters_is_masked(sms, masked):
    assert mask_pii(sms).text == masked
    assert [f.kind for f in mask_pii(sms).findings] == ["nik"]


@pytest.mark.parametrize(
    "sms",
    [
        "kode9999999999999999 muncul terus",  # glued, neither a NIK nor labelled
        f"kode{NIK_MAN}7 di struk",  # 17 digits: not a NIK
        f"INFO{VALID}",  # a command with its tracking number
        f"laporan{VALID} blm ada kabar",
        "rt05rw03 jalan rusak",
    ],
)
def test_glued_digits_that_are_not_a_nik_stay_readable(sms):
    masked = mask_pii(sms)
    assert masked.text == sms
    assert masked.findings == ()


@pytest.mark.parametrize(
    "phone",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "+6281234567890",
        "+62 812 3456 7890",
        "6281234567890",
        "0857.1234.5678",
        "(021) 555-1234",
        "021-5551234",
        "0274 512345",
    ],
)
def test_phone_numbers_are_masked(phone):
    masked = mask_pii(f"hub saya di {phone} ya pak")
    assert masked.text == "hub saya di [TELEPON] ya pak"
    assert [f.kind for f in masked.findings] == ["phone"]


@pytest.mark.parametrize("email", ["budi.santoso@gmail.com", "warga_rt5+lapor@yahoo.co.id"])
def test_email_addresses_are_masked(email):
    assert mask_pii(f"balas ke {email} saja").text == "balas ke [EMAIL] saja"


@pytest.mark.parametrize(
    ("sms", "masked"),
    [
        (
            "sdh transfer ke rek 1234567890 tp blm diproses",
            "sdh transfer ke rek [REKENING] tp blm diproses",
        ),
        ("norek 0123456789012 bri", "norek [REKENING] bri"),
        ("no rek: 1234-5678-9012", "no rek: [REKENING]"),
        ("BCA 1234567890 a/n Siti", "BCA [REKENING] a/n Siti"),
        ("1234567890123 a.n. Budi", "[REKENING] a.n. Budi"),
        ("rekening mandiri 1370012345678 diblokir", "rekening mandiri [REKENING] diblokir"),
    ],
)
def test_bank_accounts_in_context_are_masked(sms, masked):
    assert mask_pii(sms).text == masked


@pytest.mark.parametrize(
    "sms",
    [
        f"no laporan {VALID} blm ada kabar",
        f"nomor laporan: {VALID}",
        f"tiket #{VALID} tolong dicek",
        f"laporan saya {VALID[:4]}-{VALID[4:]} belum diproses",
        f"cek {VALID}",
        "pungutan rp 1.500.000.000 dari dana desa",
        "transfer rp 2.500.000 ke bendahara",
        "tgl 12-10-2024 jam 10.30",
        "B 1234 XYZ parkir liar",
        "jalan rusak sejak 2019",
    ],
)
def test_tracking_numbers_amounts_and_dates_stay_readable(sms):
    masked = mask_pii(sms)
    assert masked.text == sms
    assert masked.findings == ()


def test_several_kinds_in_one_message_are_all_masked_in_order():
    sms = f"Sy Budi NIK {NIK_MAN} hp 0812-1111-2222 email budi@contoh.id rek bri 123456789012"
    masked = mask_pii(sms)
    assert masked.text == "Sy Budi NIK [NIK] hp [TELEPON] email [EMAIL] rek bri [REKENING]"
    assert [f.kind for f in masked.findings] == ["nik", "phone", "email", "account"]


def test_findings_point_at_the_original_text():
    sms = "telp 081299998888 sore"
    (finding,) = find_pii(sms)
    assert sms[finding.start : finding.end] == finding.value == "081299998888"


def test_a_finding_does_not_show_the_personal_data_in_its_repr():
    (finding,) = find_pii(f"NIK {NIK_MAN}")
    assert NIK_MAN not in repr(finding)


def test_masking_returns_a_copy_and_leaves_the_input_alone():
    sms = "hp 081234567890"
    masked = mask_pii(sms)
    assert sms == "hp 081234567890"
    assert masked.text == "hp [TELEPON]"
