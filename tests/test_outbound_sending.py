"""Outbound SMS through the sandbox and through the real twilio SDK against a local server."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sms_gateway import outbound
from sms_gateway.models import OutboundMessage
from sms_gateway.providers import TransientError
from sms_gateway.providers.sandbox import SandboxProvider
from sms_gateway.providers.twilio import TwilioProvider
from tests.support.fake_twilio import FakeTwilio

SID, TOKEN = "AC" + "2" * 32, "fake-twilio-token"


def queue(session, key: str = "status-1", to: str = "+6281234567890") -> int:  # noqa: ANN001
    queued = outbound.queue_sms(
        session,
        to=to,
        body="LAPOR! 1708: Laporan 48271-93059 sudah diteruskan \u2013 terima kasih",
        kind="status",
        key=key,
        provider="twilio",
    )
    session.commit()
    return queued.id


def test_same_key_queues_one_message_in_gsm7(session):
    first = outbound.queue_sms(
        session, to="+62811", body="a \u201cb\u201d", kind="status", key="k", provider="sandbox"
    )
    second = outbound.queue_sms(
        session, to="+62811", body="a \u201cb\u201d", kind="status", key="k", provider="sandbox"
    )
    session.commit()
    assert first.created and not second.created and first.id == second.id
    message = session.get(OutboundMessage, first.id)
    assert (message.body, message.encoding, message.segments) == ('a "b"', "GSM-7", 1)


def test_sandbox_send_marks_sent_once(session):
    message_id = queue(session)
    assert outbound.send(session, message_id, SandboxProvider()) == "sent"
    assert outbound.send(session, message_id, SandboxProvider()) == "sent"
    message = session.get(OutboundMessage, message_id)
    assert message.attempts == 1 and message.provider_message_id == "sandbox-status-1"


def test_twilio_sdk_sends_through_configured_base_url(session, settings):
    with FakeTwilio(SID, TOKEN) as fake:
        provider = TwilioProvider(
            settings.with_overrides(
                twilio_account_sid=SID,
                twilio_auth_token=TOKEN,
                twilio_api_base_url=fake.url,
                twilio_from="1708",
            )
        )
        message_id = queue(session)
        assert outbound.send(session, message_id, provider) == "sent"
    assert len(fake.sent) == 1
    assert fake.sent[0]["To"] == "+6281234567890" and fake.sent[0]["From"] == "1708"
    assert "-" in fake.sent[0]["Body"]  # the en dash went out as GSM-7
    assert session.get(OutboundMessage, message_id).provider_message_id == fake.sent[0]["sid"]


def test_twilio_5xx_is_transient_and_the_retry_sends_once(session, settings):
    with FakeTwilio(SID, TOKEN) as fake:
        provider = TwilioProvider(
            settings.with_overrides(
                twilio_account_sid=SID,
                twilio_auth_token=TOKEN,
                twilio_api_base_url=fake.url,
            )
        )
        fake.fail_next = 1
        message_id = queue(session)
        with pytest.raises(TransientError):
            outbound.send(session, message_id, provider)
        session.expire_all()
        assert session.get(OutboundMessage, message_id).status == "queued"
        assert outbound.send(session, message_id, provider) == "sent"
    assert len(fake.sent) == 1


def test_twilio_invalid_number_fails_permanently_without_retry(session, settings):
    with FakeTwilio(SID, TOKEN) as fake:
        fake.permanent["+6200"] = 21211
        provider = TwilioProvider(
            settings.with_overrides(
                twilio_account_sid=SID,
                twilio_auth_token=TOKEN,
                twilio_api_base_url=fake.url,
            )
        )
        message_id = queue(session, to="+6200")
        assert outbound.send(session, message_id, provider) == "failed"
    message = session.execute(select(OutboundMessage)).scalar_one()
    assert (message.error_code, message.attempts) == ("21211", 1)
    assert fake.sent == []
