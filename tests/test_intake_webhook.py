"""The Twilio webhook: a signed SMS in, a stored ticket and a one-segment reply out."""

from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from sms_gateway import tracking
from sms_gateway.models import Citizen, InboundMessage, Ticket, TicketEvent
from sms_gateway.sms.encoding import measure
from tests.support.twilio_client import sms_form

TWIML_MESSAGE = re.compile(r"<Message>(.*)</Message>", re.S)


def reply_of(response) -> str:  # noqa: ANN001
    match = TWIML_MESSAGE.search(response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)
    return html.unescape(match.group(1))


def number_in(reply: str) -> str:
    match = re.search(r"(\d{5})-(\d{5})", reply)
    assert match, reply
    return match.group(1) + match.group(2)


def test_complaint_gets_ticket_and_tracking_number_in_one_segment(phone, session):
    response = phone.text("lampu jalan di gg mawar rt 03 mati sdh 2 mggu, gelap bgt kalo malam")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    reply = reply_of(response)
    number = number_in(reply)
    assert tracking.is_valid(number)
    encoded = measure(reply)
    assert (encoded.encoding, encoded.segments) == ("GSM-7", 1)

    ticket = session.execute(select(Ticket)).scalar_one()
    assert ticket.tracking_number == number
    assert ticket.status == "received"
    assert ticket.text.startswith("lampu jalan di gg mawar")
    inbound = session.execute(select(InboundMessage)).scalar_one()
    assert ticket.source_message_id == inbound.id
    assert inbound.sender == "+6281234567890"
    assert inbound.reply == reply
    assert inbound.raw_payload["form"]["Body"] == inbound.body
    event = session.execute(select(TicketEvent)).scalar_one()
    assert (event.kind, event.to_status, event.actor) == ("created", "received", "citizen")


def test_retried_webhook_creates_no_second_ticket(phone, session):
    form = sms_form("jln di depan pasar berlubang besar, udh ada yg jatuh dr motor")
    first = phone.post(form)
    second = phone.post(form)
    assert first.status_code == second.status_code == 200
    assert reply_of(first) == reply_of(second)
    assert session.scalar(select(func.count()).select_from(Ticket)) == 1
    assert session.scalar(select(func.count()).select_from(InboundMessage)) == 1


def test_local_number_is_stored_as_e164(client, phone, session):
    phone.post(sms_form("sampah numpuk di pinggir kali blm diangkut", sender="081298765432"))
    assert session.execute(select(Citizen.phone)).scalar_one() == "+6281298765432"


def test_sender_that_is_no_phone_number_is_stored_and_answered(phone, session):
    response = phone.post(sms_form("air pdam mati 3 hari", sender="TELKOMSEL"))
    assert response.status_code == 200
    number_in(reply_of(response))
    inbound = session.execute(select(InboundMessage)).scalar_one()
    assert (inbound.sender, inbound.sender_valid) == ("TELKOMSEL", False)


def test_bad_signature_is_refused_and_nothing_stored(phone, session):
    response = phone.post(sms_form("jalan rusak"), signature="not-a-signature")
    assert response.status_code == 403
    missing = phone.client.post("/webhooks/twilio/sms", data=sms_form("jalan rusak"))
    assert missing.status_code == 403
    assert session.scalar(select(func.count()).select_from(InboundMessage)) == 0


def test_signature_for_another_url_is_refused(phone, session):
    form = sms_form("jalan rusak parah")
    from tests.support.twilio_client import sign

    forged = sign("test-twilio-auth-token", "http://localhost/other", form)
    assert phone.post(form, signature=forged).status_code == 403


def test_processing_job_runs_after_commit(phone, session, run_worker):
    phone.text("got mampet, air meluap ke jalan tiap hujan")
    inbound = session.execute(select(InboundMessage)).scalar_one()
    assert inbound.state == "received"
    run_worker()
    session.expire_all()
    processed = session.get(InboundMessage, inbound.id)
    assert processed.state == "processed"
    assert processed.ticket_id == session.execute(select(Ticket.id)).scalar_one()


def test_tracking_number_collision_draws_a_new_number(phone, session, monkeypatch):
    from sms_gateway import intake

    taken = number_in(reply_of(phone.text("pohon tumbang menutup jalan desa")))
    fresh = tracking.generate()
    drawn = iter([taken, fresh])
    monkeypatch.setattr(intake.tracking, "generate", lambda: next(drawn))
    other = sms_form("kabel listrik menjuntai rendah di atas jalan", sender="+6285700011122")
    reply = reply_of(phone.post(other))
    assert number_in(reply) == fresh
    numbers = set(session.execute(select(Ticket.tracking_number)).scalars())
    assert numbers == {taken, fresh}
    stored = session.execute(select(InboundMessage.reply).order_by(InboundMessage.id)).scalars()
    assert list(stored)[-1] == reply


def test_the_intake_statement_fits_the_drivers_parse_cache():
    from sms_gateway.intake.store_pg import _STORE

    # psycopg caches its parsing of queries up to 4 KB; a longer one costs ~0.4 ms per SMS.
    assert len(_STORE.encode()) <= 4096
