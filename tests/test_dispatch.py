"""Forwarding verified tickets to agencies: signed webhook, e-mail, portal; retries, dead letters."""

from __future__ import annotations

import socket

import pytest
from rq.job import Job
from sqlalchemy import select

from sms_gateway import dispatch
from sms_gateway.models import Agency, Dispatch, OutboundMessage, Ticket, TicketEvent
from tests.support.agency_receiver import AgencyReceiver
from tests.support.smtp_server import SmtpServer
from tests.support.worker_context import reconfigure
from tests.test_processing_pipeline import processed_ticket
from workers import jobs

DINSOS = "35.78-DINSOS"
SECRET = "rahasia-dinsos-surabaya-2026"
BANSOS = "bansos pkh bapak sy blm cair udh 3 bln di kelurahan tegalsari surabaya"
CHANNEL_FIELDS = ("channel", "email", "webhook_url", "webhook_secret")


@pytest.fixture
def dinsos(seeded):  # noqa: ANN001, ANN201
    """Sets Dinas Sosial Surabaya's channel; puts it back as it was after the test."""
    database = seeded.extensions["db"]
    with database.scope() as s:
        saved = {f: getattr(s.get(Agency, DINSOS), f) for f in CHANNEL_FIELDS}

    def set_channel(**values: object) -> None:
        with database.scope() as s:
            agency = s.get(Agency, DINSOS)
            for name, value in values.items():
                setattr(agency, name, value)
            s.commit()

    yield set_channel
    set_channel(**saved)


def dispatch_of(session, ticket: Ticket) -> Dispatch:  # noqa: ANN001
    session.expire_all()
    return session.execute(select(Dispatch).where(Dispatch.ticket_id == ticket.id)).scalar_one()


def transport(app, **overrides) -> dispatch.Transport:  # noqa: ANN001, ANN003
    return jobs.transport(app.config["SETTINGS"].with_overrides(**overrides))


def events_of(session, ticket: Ticket, kind: str) -> list[TicketEvent]:  # noqa: ANN001
    return list(
        session.execute(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind == kind)
        ).scalars()
    )


def test_verified_ticket_goes_to_a_signed_webhook_and_the_citizen_is_told(seeded, dinsos, session):
    with AgencyReceiver(SECRET) as receiver:
        dinsos(channel="webhook", webhook_url=receiver.url, webhook_secret=SECRET)
        ticket = processed_ticket(seeded, session, BANSOS)
    assert receiver.rejected == 0 and len(receiver.received) == 1
    delivery = receiver.received[0]
    assert delivery["headers"]["X-Lapor-Event"] == "ticket.dispatched"
    body = delivery["body"]["ticket"]
    assert body["tracking_number"] == ticket.tracking_number
    assert body["agency"]["code"] == DINSOS and body["reporter"] == "+6281234567890"
    assert ticket.status == "dispatched"
    (event,) = events_of(session, ticket, "dispatched")
    assert event.data["channel"] == "webhook" and event.to_status == "dispatched"
    sms = session.execute(
        select(OutboundMessage).where(OutboundMessage.kind == "status")
    ).scalar_one()
    assert "diteruskan ke Dinas Sosial" in sms.body and sms.ticket_id == ticket.id


def test_agency_sees_masked_text_and_no_identity_for_anonim(seeded, dinsos, session):
    with AgencyReceiver(SECRET) as receiver:
        dinsos(channel="webhook", webhook_url=receiver.url, webhook_secret=SECRET)
        processed_ticket(
            seeded,
            session,
            "ANONIM bansos pkh blm cair, nik sy 3578014501900003 kel tegalsari surabaya",
        )
    (delivery,) = receiver.received
    raw = str(delivery["body"])
    assert delivery["body"]["ticket"]["reporter"] == "Anonim"
    assert "6281234567890" not in raw and "3578014501900003" not in raw


def test_a_rerun_dispatch_job_never_sends_twice(seeded, dinsos, session):
    with AgencyReceiver(SECRET) as receiver:
        dinsos(channel="webhook", webhook_url=receiver.url, webhook_secret=SECRET)
        ticket = processed_ticket(seeded, session, BANSOS)
        row = dispatch_of(session, ticket)
        assert jobs.dispatch_ticket(row.id) == dispatch.DELIVERED
        assert dispatch.request_for_ticket(session, ticket.id) is None
        assert receiver.calls == 1
    assert len(events_of(session, ticket, "dispatched")) == 1


def test_server_errors_are_retried_with_backoff_then_dead_lettered(seeded, dinsos, session):
    with AgencyReceiver(SECRET) as receiver:
        receiver.statuses = [503, 502, 500]
        dinsos(channel="webhook", webhook_url=receiver.url, webhook_secret=SECRET)
        ticket = processed_ticket(seeded, session, BANSOS)
        row = dispatch_of(session, ticket)
        assert (row.status, row.attempts, row.response_code) == ("retrying", 1, 503)
        job = Job.fetch(f"dispatch-{row.id}", connection=seeded.extensions["redis"])
        assert job.get_status() == "scheduled" and job.retries_left == 6  # rq's backoff
        settings = transport(seeded, dispatch_max_attempts=3)
        with pytest.raises(dispatch.RetryLater):
            dispatch.deliver(session, row.id, settings, now=row.created_at)
        assert dispatch.deliver(session, row.id, settings, now=row.created_at).status == "dead"
        assert receiver.calls == 3
    assert [d.id for d in dispatch.dead_letters(session)] == [row.id]
    session.expire_all()
    assert session.get(Ticket, ticket.id).status == "verified"
    (failed,) = events_of(session, ticket, "dispatch_failed")
    assert "HTTP 500" in failed.reason


def test_429_is_retried_but_another_4xx_is_not(seeded, dinsos, session):
    with AgencyReceiver(SECRET) as receiver:
        receiver.statuses = [429, 410]
        dinsos(channel="webhook", webhook_url=receiver.url, webhook_secret=SECRET)
        ticket = processed_ticket(seeded, session, BANSOS)
        row = dispatch_of(session, ticket)
        assert row.status == "retrying"
        outcome = dispatch.deliver(session, row.id, transport(seeded), now=row.created_at)
    row = dispatch_of(session, ticket)
    assert outcome.status == "dead" and (row.attempts, row.response_code) == (2, 410)


def test_unreachable_webhook_is_a_network_error_worth_retrying(seeded, dinsos, session):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    dinsos(channel="webhook", webhook_url=closed, webhook_secret=SECRET)
    ticket = processed_ticket(seeded, session, BANSOS)
    row = dispatch_of(session, ticket)
    assert row.status == "retrying" and "could not reach" in row.last_error


def test_email_channel_delivers_through_a_real_smtp_server(seeded, dinsos, session):
    with SmtpServer() as smtp:
        reconfigure(seeded, smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_from="lapor@1708.test")
        dinsos(channel="email", email="pengaduan@dinsos.surabaya.test")
        ticket = processed_ticket(
            seeded, session, "bansos pkh blm cair, hp sy 081234567812 kel tegalsari surabaya"
        )
    (message,) = smtp.inbox.messages
    assert message["To"] == "pengaduan@dinsos.surabaya.test"
    assert ticket.tracking_number[:5] in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "081234567812" not in text and "bansos pkh" in text
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == f"laporan-{ticket.tracking_number}.json"
    assert ticket.status == "dispatched"
    assert events_of(session, ticket, "dispatched")[0].data["channel"] == "email"


def test_smtp_temporary_refusal_retries_and_permanent_refusal_is_dead(seeded, dinsos, session):
    with SmtpServer() as smtp:
        reconfigure(seeded, smtp_host="127.0.0.1", smtp_port=smtp.port)
        smtp.inbox.refuse = "451 4.3.0 kotak penuh, coba lagi"
        dinsos(channel="email", email="pengaduan@dinsos.surabaya.test")
        ticket = processed_ticket(seeded, session, BANSOS)
        row = dispatch_of(session, ticket)
        assert (row.status, row.response_code) == ("retrying", 451)
        smtp.inbox.refuse = "550 5.1.1 alamat tidak ada"
        smtp_settings = transport(seeded, smtp_host="127.0.0.1", smtp_port=smtp.port)
        assert dispatch.deliver(session, row.id, smtp_settings, now=row.created_at).status == "dead"


def test_portal_agency_gets_the_ticket_without_a_push(seeded, dinsos, session):
    dinsos(channel="portal")
    ticket = processed_ticket(seeded, session, BANSOS)
    assert ticket.status == "dispatched"
    assert dispatch_of(session, ticket).channel == "portal"


def test_sweeper_dispatches_tickets_verified_without_a_job(seeded, dinsos, session, run_worker):
    dinsos(channel="portal")
    ticket = processed_ticket(seeded, session, BANSOS)
    session.execute(Dispatch.__table__.delete())
    ticket.status = "verified"
    session.commit()
    reconfigure(seeded, sweep_after_seconds=-1)
    assert jobs.sweep_dispatch() == 1
    run_worker()
    session.expire_all()
    assert session.get(Ticket, ticket.id).status == "dispatched"
    assert jobs.sweep_dispatch() == 0
