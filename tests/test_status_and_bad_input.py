"""STATUS/CEK answers, and bad input answered clearly: never a 500, never half-stored."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

from sqlalchemy import func, select

from sms_gateway import tracking
from sms_gateway.models import InboundMessage, Ticket
from sms_gateway.sms.encoding import measure
from tests.support.twilio_client import BASE, SMS_PATH, sign, sms_form
from tests.test_intake_webhook import number_in, reply_of


def one_segment(reply: str) -> None:
    encoded = measure(reply)
    assert (encoded.encoding, encoded.segments) == ("GSM-7", 1), (reply, encoded)


def test_status_with_grouped_or_plain_number_answers_current_status(phone):
    number = number_in(reply_of(phone.text("tiang listrik miring mau roboh dkt sd negeri 2")))
    for command in (
        f"CEK {number}",
        f"status {tracking.display(number)}",
        f"cek no. {number}",
        f"Cek #{number}",
        f"STATUS {number[:5]} {number[5:]}",
    ):
        reply = reply_of(phone.text(command))
        assert tracking.display(number) in reply and "diperiksa" in reply, command
        one_segment(reply)


def test_status_with_mistyped_number_says_so(phone, session):
    number = tracking.generate()
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    reply = reply_of(phone.text(f"cek {wrong}"))
    assert "salah ketik" in reply
    one_segment(reply)
    assert session.scalar(select(func.count()).select_from(Ticket)) == 0


def test_status_of_unknown_number_and_without_number(phone):
    reply = reply_of(phone.text(f"CEK {tracking.generate()}"))
    assert "tidak ditemukan" in reply
    assert "Sertakan nomor" in reply_of(phone.text("cek"))


def test_empty_message_asks_for_details_and_opens_no_ticket(phone, session):
    for body in ("", "   ", "?!", "...", "😀😀"):
        reply = reply_of(phone.text(body))
        assert "kosong" in reply
        one_segment(reply)
    assert session.scalar(select(func.count()).select_from(Ticket)) == 0
    assert session.scalar(select(func.count()).select_from(InboundMessage)) == 5


def test_oversized_request_gets_413_and_nothing_stored(phone, session):
    response = phone.text("jalan rusak " * 5000)
    assert response.status_code == 413
    assert session.scalar(select(func.count()).select_from(InboundMessage)) == 0


def test_missing_fields_get_400_with_the_field_names(phone, session):
    form = sms_form("jalan rusak")
    del form["From"], form["MessageSid"]
    response = phone.post(form)
    assert response.status_code == 400
    assert "MessageSid" in response.get_data(as_text=True)
    assert "From" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(InboundMessage)) == 0


def test_wrong_content_type_gets_415(client):
    response = client.post("/webhooks/twilio/sms", json={"Body": "halo"})
    assert response.status_code == 415


def test_emoji_and_control_characters_are_stored_verbatim(phone, session):
    body = "banjir 😭🙏 air masuk rumah\x07 tolong \u201csegera\u201d\x00!"
    response = phone.text(body)
    assert response.status_code == 200
    one_segment(reply_of(response))
    inbound = session.execute(select(InboundMessage)).scalar_one()
    assert inbound.body == body.replace("\x00", "\ufffd")
    assert inbound.raw_payload["form"]["Body"] == body


def test_invalid_utf8_is_kept_as_raw_bytes(phone, session):
    form = sms_form("PLACEHOLDER")
    others = urlencode({k: v for k, v in form.items() if k != "Body"})
    raw = others + "&Body=jalan%FF%FErusak"
    decoded = dict(form, Body="jalan%FF%FErusak")  # how the form parser hands it over
    response = phone.client.post(
        SMS_PATH,
        data=raw,
        content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": sign("test-twilio-auth-token", BASE + SMS_PATH, decoded)},
    )
    assert response.status_code == 200
    inbound = session.execute(select(InboundMessage)).scalar_one()
    assert "raw_body_b64" in inbound.raw_payload
    assert b"%FF%FE" in base64.b64decode(inbound.raw_payload["raw_body_b64"])
