"""SMS arriving through Jasmin and Kannel take the same intake path as Twilio's."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from sms_gateway.models import InboundMessage, OutboundMessage, Ticket
from tests.support.fake_jasmin import FakeJasmin, mo_form
from tests.support.worker_context import use_settings

COMPLAINT = "lampu jalan di gang kenanga padam sejak seminggu, mohon diperbaiki"
SENDER = "+6281244440000"


@pytest.fixture
def gateway_app(app):  # noqa: ANN001, ANN201
    settings = app.config["SETTINGS"].with_overrides(
        jasmin_secret="j-secret", kannel_secret="k-secret"
    )
    app.config["SETTINGS"] = settings
    use_settings(app, settings)
    return app


def jasmin_post(client, message_id: str, text: str = COMPLAINT, secret: str = "j-secret"):  # noqa: ANN001, ANN201
    return client.post(
        f"/webhooks/jasmin/sms?secret={secret}",
        data=mo_form(message_id, SENDER.lstrip("+"), text),
        content_type="application/x-www-form-urlencoded",
    )


def kannel_get(client, message_id: str, text: str = COMPLAINT, secret: str = "k-secret"):  # noqa: ANN001, ANN201
    query = {
        "secret": secret,
        "from": SENDER,
        "to": "1708",
        "text": text,
        "id": message_id,
        "ts": "1741000000",
    }
    return client.get("/webhooks/kannel/sms?" + urlencode(query))


def count(session, model) -> int:  # noqa: ANN001
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_jasmin_sms_opens_a_ticket_and_is_acknowledged_exactly(gateway_app, session):  # noqa: ANN001
    response = jasmin_post(gateway_app.test_client(), "6e1b1c2a-0000-4000-8000-000000000001")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "ACK/Jasmin")
    message = session.execute(select(InboundMessage)).scalar_one()
    assert (message.provider, message.sender, message.body) == ("jasmin", SENDER, COMPLAINT)
    assert "secret" not in str(message.raw_payload)
    assert count(session, Ticket) == 1


def test_jasmin_reply_goes_out_as_an_sms_through_jasmin(gateway_app, session, run_worker):  # noqa: ANN001
    with FakeJasmin("u", "p") as fake:
        settings = gateway_app.config["SETTINGS"].with_overrides(
            jasmin_url=fake.url, jasmin_username="u", jasmin_password="p"
        )
        use_settings(gateway_app, settings)
        jasmin_post(gateway_app.test_client(), "6e1b1c2a-0000-4000-8000-000000000002")
        run_worker()
    # The acknowledgement goes back through the gateway the SMS came in by. The SMS asking where
    # the street light is (no place given) is a status SMS: it goes through the configured
    # provider, and only outside quiet hours (21:00-07:00 in the citizen's time zone) right away.
    reply = session.execute(
        select(OutboundMessage).where(OutboundMessage.kind == "reply")
    ).scalar_one()
    ticket = session.execute(select(Ticket)).scalar_one()
    assert (reply.kind, reply.provider, reply.status, reply.ticket_id) == (
        "reply",
        "jasmin",
        "sent",
        ticket.id,
    )
    sent = session.execute(
        select(OutboundMessage.provider).where(
            OutboundMessage.status == "sent", OutboundMessage.kind == "reply"
        )
    ).scalars()
    assert set(sent) == {"jasmin"} and len(fake.sent) == len(set(m["text"] for m in fake.sent))
    assert all(m["to"] == SENDER.lstrip("+") for m in fake.sent)
    assert fake.sent[0]["text"] == reply.body
    assert ticket.tracking_number[:5] in fake.sent[0]["text"].replace("-", "")


def test_retried_jasmin_forward_creates_nothing_new(gateway_app, session):  # noqa: ANN001
    client = gateway_app.test_client()
    for _ in range(3):
        assert (
            jasmin_post(client, "6e1b1c2a-0000-4000-8000-000000000003").get_data(as_text=True)
            == "ACK/Jasmin"
        )
    assert (
        count(session, InboundMessage),
        count(session, Ticket),
        count(session, OutboundMessage),
    ) == (1, 1, 1)


def test_jasmin_ucs2_message_is_read_from_its_binary_field(gateway_app, session):  # noqa: ANN001
    text = "jalan berlubang \U0001f62d tolong"
    form = {
        "id": "ucs2-1",
        "from": "6281244440000",
        "to": "1708",
        "coding": "8",
        "content": "",
        "binary": text.encode("utf-16-be").hex(),
    }
    response = gateway_app.test_client().post(
        "/webhooks/jasmin/sms", data=form, headers={"X-Gateway-Secret": "j-secret"}
    )
    assert response.get_data(as_text=True) == "ACK/Jasmin"
    assert session.execute(select(InboundMessage.body)).scalar_one() == text


@pytest.mark.parametrize("secret", ["salah", ""])
def test_jasmin_with_a_bad_secret_gets_403_and_nothing_is_stored(gateway_app, session, secret):  # noqa: ANN001
    response = jasmin_post(gateway_app.test_client(), "bad-1", secret=secret)
    assert response.status_code == 403 and response.get_data(as_text=True) != "ACK/Jasmin"
    assert count(session, InboundMessage) == 0


def test_jasmin_without_a_message_id_is_a_bad_request(gateway_app, session):  # noqa: ANN001
    response = gateway_app.test_client().post(
        "/webhooks/jasmin/sms?secret=j-secret", data={"from": "62812", "content": "halo"}
    )
    assert response.status_code == 400 and b"id" in response.data
    assert count(session, InboundMessage) == 0


def test_kannel_sms_opens_a_ticket_like_twilio(gateway_app, session):  # noqa: ANN001
    response = kannel_get(gateway_app.test_client(), "0f8a6c9e-1111-4222-8333-000000000001")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "")
    message = session.execute(select(InboundMessage)).scalar_one()
    assert (message.provider, message.sender) == ("kannel", SENDER)
    assert count(session, Ticket) == 1
    reply = session.execute(select(OutboundMessage)).scalar_one()
    assert (reply.provider, reply.kind, reply.to, reply.in_reply_to_id) == (
        "kannel",
        "reply",
        SENDER,
        message.id,
    )


def test_retried_kannel_request_is_idempotent(gateway_app, session):  # noqa: ANN001
    client = gateway_app.test_client()
    for _ in range(2):
        assert kannel_get(client, "0f8a6c9e-1111-4222-8333-000000000002").status_code == 200
    assert (
        count(session, InboundMessage),
        count(session, Ticket),
        count(session, OutboundMessage),
    ) == (1, 1, 1)


def test_same_id_through_two_gateways_is_two_messages(gateway_app, session):  # noqa: ANN001
    client = gateway_app.test_client()
    kannel_get(client, "shared-id")
    jasmin_post(client, "shared-id")
    assert count(session, InboundMessage) == 2


def test_kannel_with_a_bad_secret_gets_403_and_nothing_is_stored(gateway_app, session):  # noqa: ANN001
    assert kannel_get(gateway_app.test_client(), "bad-2", secret="j-secret").status_code == 403
    assert count(session, InboundMessage) == 0


def test_ip_allow_list_refuses_other_addresses_even_with_the_secret(gateway_app, session):  # noqa: ANN001
    gateway_app.config["SETTINGS"] = gateway_app.config["SETTINGS"].with_overrides(
        gateway_allowed_ips=("10.20.0.0/16",)
    )
    client = gateway_app.test_client()
    outside = client.get(
        "/webhooks/kannel/sms?"
        + urlencode({"secret": "k-secret", "from": SENDER, "text": "x", "id": "ip-1"}),
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    inside = client.get(
        "/webhooks/kannel/sms?"
        + urlencode({"secret": "k-secret", "from": SENDER, "text": COMPLAINT, "id": "ip-2"}),
        environ_base={"REMOTE_ADDR": "10.20.3.4"},
    )
    assert (outside.status_code, inside.status_code) == (403, 200)
    assert session.execute(select(InboundMessage.provider_message_id)).scalars().all() == ["ip-2"]


def gateway_send(client, gateway: str, message_id: str):  # noqa: ANN001, ANN201
    sms = "got mampet di gg mawar rt 03, air meluap ke jalan tiap hujan"
    if gateway == "jasmin":
        return jasmin_post(client, message_id, sms)
    return kannel_get(client, message_id, sms)


@pytest.mark.parametrize("gateway", ["jasmin", "kannel"])
@pytest.mark.parametrize(
    ("raw_id", "stored_id"),
    [
        ("x" * 70 + "-0001", "x" * 64),
        ("msg\x00-0002", "msg\ufffd-0002"),
    ],
    ids=["over 64 characters", "null byte"],
)
def test_gateway_id_stored_cleaned_still_gets_its_reply_queued_once(
    gateway_app, session, gateway, raw_id, stored_id
):  # noqa: ANN001
    client = gateway_app.test_client()
    for _ in range(2):  # the gateway retries: nothing new, and no error either
        assert gateway_send(client, gateway, raw_id).status_code == 200
    message = session.execute(select(InboundMessage)).scalar_one()
    assert message.provider_message_id == stored_id
    reply = session.execute(select(OutboundMessage)).scalar_one()
    assert (reply.kind, reply.provider, reply.in_reply_to_id) == ("reply", gateway, message.id)
    assert count(session, Ticket) == 1
