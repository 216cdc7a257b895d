"""Delivery receipts from Twilio, Jasmin and Kannel: out of order and twice, the final state wins."""

from __future__ import annotations

import pytest

from sms_gateway import delivery, outbound
from sms_gateway.models import OutboundMessage
from sms_gateway.providers.receipt import Receipt
from tests.conftest import TEST_TOKEN
from tests.support.fake_jasmin import FakeJasmin
from tests.support.fake_kannel import FakeKannel
from tests.support.twilio_client import sign
from tests.support.worker_context import use_settings
from workers import jobs

PUBLIC = "https://lapor.example.go.id"
STATUS_PATH = "/webhooks/twilio/status"


def sent_message(session, provider: str = "twilio", sid: str = "SM" + "a" * 32) -> int:  # noqa: ANN001
    queued = outbound.queue_sms(
        session,
        to="+6281277770000",
        body="Laporan Anda selesai.",
        kind="status",
        key=sid,
        provider=provider,
    )
    message = session.get(OutboundMessage, queued.id)
    message.status, message.provider_message_id = "sent", sid
    session.commit()
    return queued.id


def status_of(session, message_id: int) -> OutboundMessage:  # noqa: ANN001
    session.expire_all()
    return session.get(OutboundMessage, message_id)


def twilio_callback(client, token: str, status: str, sid: str = "SM" + "a" * 32, **extra):  # noqa: ANN001, ANN201
    form = {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC" + "1" * 32, **extra}
    signature = sign(token, "http://localhost" + STATUS_PATH, form)
    return client.post(STATUS_PATH, data=form, headers={"X-Twilio-Signature": signature})


@pytest.mark.parametrize(
    "sequence, final",
    [
        (["sent", "delivered"], "delivered"),
        (["delivered", "sent"], "delivered"),
        (["delivered", "delivered", "sent", "queued"], "delivered"),
        (["undelivered", "delivered"], "undelivered"),
        (["queued", "sent", "failed", "sent"], "failed"),
    ],
)
def test_the_first_final_state_wins_whatever_the_order(session, sequence, final):  # noqa: ANN001
    message_id = sent_message(session)
    for status in sequence:
        delivery.record(session, Receipt("twilio", "SM" + "a" * 32, status, "30003"))
        session.commit()
    assert status_of(session, message_id).status == final


def test_rank_never_moves_delivered_back_to_sent():
    assert delivery.rank("delivered") > delivery.rank("sent") > delivery.rank("queued")
    assert delivery.rank("held") < delivery.rank("queued")


def test_signed_twilio_status_callback_marks_delivered(client, session, phone):  # noqa: ANN001
    message_id = sent_message(session)
    assert twilio_callback(client, phone.token, "sent").status_code == 204
    assert twilio_callback(client, phone.token, "delivered").status_code == 204
    assert twilio_callback(client, phone.token, "sent").status_code == 204  # late and stale
    message = status_of(session, message_id)
    assert (message.status, message.error_code) == ("delivered", None)


def test_twilio_undelivered_callback_keeps_the_error_code(client, session, phone):  # noqa: ANN001
    message_id = sent_message(session)
    response = twilio_callback(client, phone.token, "undelivered", ErrorCode="30005")
    assert response.status_code == 204
    assert twilio_callback(client, phone.token, "undelivered", ErrorCode="30005").status_code == 204
    message = status_of(session, message_id)
    assert (message.status, message.error_code) == ("undelivered", "30005")


def test_unsigned_status_callback_is_refused_and_changes_nothing(client, session):  # noqa: ANN001
    message_id = sent_message(session)
    form = {"MessageSid": "SM" + "a" * 32, "MessageStatus": "failed"}
    response = client.post(STATUS_PATH, data=form, headers={"X-Twilio-Signature": "bm90IGl0"})
    assert response.status_code == 403
    assert status_of(session, message_id).status == "sent"


def test_status_callback_for_an_unknown_message_is_404(client, phone):  # noqa: ANN001
    assert twilio_callback(client, phone.token, "delivered", sid="SM" + "f" * 32).status_code == 404
    assert twilio_callback(client, phone.token, "teleported").status_code == 400


def test_twilio_send_asks_for_status_callbacks_at_the_public_url(app, session):  # noqa: ANN001
    from tests.support.fake_twilio import FakeTwilio

    sid, token = "AC" + "4" * 32, "status-token"
    with FakeTwilio(sid, token) as fake:
        settings = app.config["SETTINGS"].with_overrides(
            twilio_account_sid=sid,
            twilio_auth_token=token,
            twilio_api_base_url=fake.url,
            public_base_url=PUBLIC,
        )
        use_settings(app, settings)
        queued = outbound.queue_sms(
            session, to="+6281277770001", body="Halo.", kind="status", key="cb", provider="twilio"
        )
        session.commit()
        assert jobs.send_outbound(queued.id) == "sent"
    assert fake.sent[0]["StatusCallback"] == PUBLIC + STATUS_PATH


def gateway_settings(app, jasmin: FakeJasmin | None = None, kannel: FakeKannel | None = None):  # noqa: ANN001, ANN201
    overrides: dict = {
        "public_base_url": PUBLIC,
        "jasmin_secret": "j-secret",
        "kannel_secret": "k-secret",
    }
    if jasmin:
        overrides.update(jasmin_url=jasmin.url, jasmin_username="u", jasmin_password="p")
    if kannel:
        overrides.update(
            kannel_sendsms_url=kannel.sendsms_url, kannel_username="u", kannel_password="p"
        )
    settings = app.config["SETTINGS"].with_overrides(**overrides)
    app.config["SETTINGS"] = settings
    use_settings(app, settings)


def queue_and_send(session, provider: str, key: str) -> int:  # noqa: ANN001
    queued = outbound.queue_sms(
        session,
        to="+6281277770002",
        body="Laporan diteruskan.",
        kind="status",
        key=key,
        provider=provider,
    )
    session.commit()
    assert jobs.send_outbound(queued.id) == "sent"
    return queued.id


def test_jasmin_dlrs_out_of_order_and_twice_end_delivered(app, client, session):  # noqa: ANN001
    with FakeJasmin("u", "p") as fake:
        gateway_settings(app, jasmin=fake)
        message_id = queue_and_send(session, "jasmin", "j1")
    assert fake.sent[0]["dlr"] == "yes" and fake.sent[0]["dlr-method"] == "POST"
    for status in ("DELIVRD", "ESME_ROK", "DELIVRD"):
        path, form = fake.dlr(0, status)
        response = client.post(path, data=form)
        assert (response.status_code, response.get_data(as_text=True)) == (200, "ACK/Jasmin")
    assert status_of(session, message_id).status == "delivered"


def test_jasmin_undelivered_dlr_records_the_network_error(app, client, session):  # noqa: ANN001
    with FakeJasmin("u", "p") as fake:
        gateway_settings(app, jasmin=fake)
        message_id = queue_and_send(session, "jasmin", "j2")
    path, form = fake.dlr(0, "UNDELIV", err="011")
    assert client.post(path, data=form).status_code == 200
    message = status_of(session, message_id)
    assert (message.status, message.error_code) == ("undelivered", "11")


def test_jasmin_dlr_with_a_wrong_secret_is_refused(app, client, session):  # noqa: ANN001
    with FakeJasmin("u", "p") as fake:
        gateway_settings(app, jasmin=fake)
        message_id = queue_and_send(session, "jasmin", "j3")
    _, form = fake.dlr(0, "DELIVRD")
    assert client.post("/webhooks/jasmin/dlr?secret=tebakan", data=form).status_code == 403
    assert status_of(session, message_id).status == "sent"


def test_kannel_dlrs_smsc_then_handset_then_stale_repeat(app, client, session):  # noqa: ANN001
    with FakeKannel("u", "p") as fake:
        gateway_settings(app, kannel=fake)
        message_id = queue_and_send(session, "kannel", "k1")
    assert fake.sent[0]["dlr-mask"] == "31"
    for kind in (1, 8, 4, 1):
        assert client.get(fake.dlr(0, kind, "id:1 stat:DELIVRD err:000")).status_code == 200
    assert status_of(session, message_id).status == "delivered"


def test_kannel_smsc_reject_fails_with_its_nack_code(app, client, session):  # noqa: ANN001
    with FakeKannel("u", "p") as fake:
        gateway_settings(app, kannel=fake)
        message_id = queue_and_send(session, "kannel", "k2")
    assert (
        client.get(fake.dlr(0, 16, "NACK/0x0000000b/Invalid Destination Address")).status_code
        == 200
    )
    message = status_of(session, message_id)
    assert (message.status, message.error_code) == ("failed", "0x0000000b")
    assert "Invalid Destination" in message.last_error


def test_kannel_dlr_without_the_secret_is_refused(app, client, session):  # noqa: ANN001
    with FakeKannel("u", "p") as fake:
        gateway_settings(app, kannel=fake)
        message_id = queue_and_send(session, "kannel", "k3")
    path = fake.dlr(0, 1).replace("secret=k-secret", "secret=")
    assert client.get(path).status_code == 403
    assert status_of(session, message_id).status == "sent"


def test_receipt_whose_id_has_a_null_byte_is_unknown_and_the_session_goes_on(session):  # noqa: ANN001
    message_id = sent_message(session, sid="SM" + "b" * 32)
    nul = Receipt("twilio", "SM" + "b" * 16 + "\x00" + "b" * 15, "delivered")
    assert delivery.record(session, nul) == "unknown"
    session.commit()  # on PostgreSQL a refused statement would have aborted the transaction
    assert status_of(session, message_id).status == "sent"


@pytest.mark.parametrize("gateway", ["twilio", "jasmin", "kannel"])
def test_dlr_with_a_null_byte_in_the_id_is_answered_as_unknown(app, client, session, gateway):  # noqa: ANN001
    message_id = sent_message(session, provider=gateway, sid="id-tersimpan-1")
    if gateway == "twilio":
        response = twilio_callback(client, TEST_TOKEN, "delivered", sid="id-tersimpan\x00-1")
    else:
        gateway_settings(app)
        if gateway == "jasmin":
            form = {"id": "id-tersimpan\x00-1", "message_status": "DELIVRD"}
            response = client.post("/webhooks/jasmin/dlr?secret=j-secret", data=form)
        else:
            response = client.get(
                "/webhooks/kannel/dlr?secret=k-secret&id=id-tersimpan%00-1&status=1"
            )
    assert response.status_code == 404
    assert status_of(session, message_id).status == "sent"


def test_failed_dlr_with_a_null_byte_in_its_answer_is_recorded_clean(app, client, session):  # noqa: ANN001
    with FakeKannel("u", "p") as fake:
        gateway_settings(app, kannel=fake)
        message_id = queue_and_send(session, "kannel", "k4")
    response = client.get(fake.dlr(0, 16, "NACK/0x0000000b/Nomor\x00 tujuan salah"))
    assert response.status_code == 200
    message = status_of(session, message_id)
    assert (message.status, message.error_code) == ("failed", "0x0000000b")
    assert message.last_error == "NACK/0x0000000b/Nomor\ufffd tujuan salah"
