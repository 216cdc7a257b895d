"""Citizen updates (STOP, quiet hours, segment budgets) and the citizen's answer window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from sms_gateway import followup, lifecycle
from sms_gateway.dispatch import compose, quiet_until
from sms_gateway.models import Dispatch, OutboundMessage, Ticket, TicketEvent, utcnow
from sms_gateway.sms.encoding import measure
from sms_gateway.sms.templates import FITTED_TEMPLATES, TEMPLATES
from tests.support.twilio_client import Phone
from tests.test_intake_webhook import reply_of
from tests.test_processing_pipeline import processed_ticket

BANSOS = "bansos pkh bapak sy blm cair udh 3 bln di kelurahan tegalsari surabaya"
DINSOS = "35.78-DINSOS"
WIB, WITA, WIT = (ZoneInfo(z) for z in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"))
LONGEST = {
    "agency": "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan "
    "Keluarga Berencana Kabupaten Kepulauan Siau Tagulandang Biaro",
    "text": "tindak lanjut panjang sekali " * 40,
    "reason": "bukan kewenangan kami krn jalan provinsi " * 20,
    "link": "https://lapor1708.contoh.go.id/t/4827193059",
}


def local(zone: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=zone).astimezone(UTC)


@pytest.mark.parametrize("name", sorted(FITTED_TEMPLATES))
@pytest.mark.parametrize("language", ["id", "en"])
def test_update_templates_fit_their_budget_at_their_longest(name, language):
    body = compose(name, language, digits="4827193059", **LONGEST)
    encoded = measure(body)
    assert encoded.encoding == "GSM-7" and encoded.segments <= FITTED_TEMPLATES[name].segments
    fixed = name in ("update_dispatched", "update_needs_info")  # nothing long to shorten
    assert "4827" in body and ("..." in body or fixed), body


def test_fitted_and_plain_templates_have_distinct_names():
    assert not set(FITTED_TEMPLATES) & set(TEMPLATES)


def test_agency_words_with_emoji_stay_in_gsm7():
    body = compose(
        "update_responded",
        "id",
        digits="4827193059",
        agency="Dinsos",
        link="x",
        text="sdh beres 👍",
    )
    assert measure(body).encoding == "GSM-7" and "sdh beres" in body


def test_quiet_hours_hold_until_seven_in_the_citizens_own_zone():
    assert quiet_until("63.72", local(WITA, 2026, 3, 2, 22, 30)) == local(WITA, 2026, 3, 3, 7, 0)
    assert quiet_until("91.71", local(WIT, 2026, 3, 2, 5, 15)) == local(WIT, 2026, 3, 2, 7, 0)
    assert quiet_until("35.78", local(WIB, 2026, 3, 2, 20, 59)) is None
    assert quiet_until("35.78", local(WIB, 2026, 3, 2, 7, 0)) is None
    assert quiet_until(None, local(WIB, 2026, 3, 2, 21, 0)) == local(WIB, 2026, 3, 3, 7, 0)


@pytest.fixture
def forwarded(seeded, session) -> Ticket:  # noqa: ANN001
    ticket = processed_ticket(seeded, session, BANSOS)
    assert ticket.status == "dispatched" and ticket.agency_code == DINSOS
    return ticket


def respond(session, ticket: Ticket, now: datetime | None = None) -> followup.Step:  # noqa: ANN001
    step = followup.respond(
        session,
        ticket,
        DINSOS,
        "dana PKH bapak sdh kami ajukan ulang, cair bln depan",
        provider="sandbox",
        base_url="",
        now=now or utcnow(),
    )
    session.commit()
    return step


def test_response_at_night_is_scheduled_for_seven_in_the_morning(seeded, session, forwarded):
    night = local(WIB, 2026, 3, 2, 23, 10)
    step = respond(session, forwarded, now=night)
    assert step.notice.send_at == local(WIB, 2026, 3, 3, 7, 0)
    enqueuer = seeded.extensions["enqueuer"]
    assert enqueuer.outbound_at(step.notice.outbound_id, step.notice.send_at)
    registry = ScheduledJobRegistry("outbound", connection=seeded.extensions["redis"])
    job_id = f"outbound-{step.notice.outbound_id}"
    assert job_id in registry.get_job_ids()
    assert registry.get_scheduled_time(job_id) == step.notice.send_at


def test_stop_means_no_status_sms(seeded, session, forwarded):
    reply_of(Phone(seeded.test_client(), "test-twilio-auth-token").text("STOP"))
    step = respond(session, forwarded)
    assert step.notice is not None and not step.notice.to_send
    row = session.get(OutboundMessage, step.notice.outbound_id)
    assert (row.kind, row.status) == ("status", "suppressed")


def kinds(session, ticket: Ticket) -> list[str]:  # noqa: ANN001
    return list(
        session.execute(
            select(TicketEvent.kind)
            .where(TicketEvent.ticket_id == ticket.id)
            .order_by(TicketEvent.id)
        ).scalars()
    )


def test_plain_reply_threads_and_an_objection_reopens(session, forwarded):
    respond(session, forwarded)
    threaded = followup.thread_reply(
        session, forwarded.citizen_id, "ok makasih infonya", 0, utcnow()
    )
    assert threaded == (forwarded, False) and forwarded.status == "responded"
    ticket, reopened = followup.thread_reply(
        session, forwarded.citizen_id, "tp smp skrg blm cair jg pak", 0, utcnow()
    )
    session.commit()
    assert reopened and ticket.status == "dispatched"
    assert kinds(session, ticket)[-3:] == ["citizen_reply", "citizen_reply", "reopened"]
    again = session.execute(select(Dispatch).where(Dispatch.purpose == "reopened")).scalar_one()
    assert again.agency_code == DINSOS and again.status == "pending"


def test_reply_after_ten_days_is_not_threaded(session, forwarded):
    respond(session, forwarded)
    later = utcnow() + timedelta(days=10, minutes=1)
    assert followup.thread_reply(session, forwarded.citizen_id, "blm beres", 0, later) is None


def test_low_rating_reopens_and_a_good_one_closes(seeded, session, forwarded):
    phone = Phone(seeded.test_client(), "test-twilio-auth-token")
    for status in ("responded", "resolved"):
        lifecycle.move(session, forwarded, status, actor=f"agency:{DINSOS}")
    session.commit()
    reply_of(phone.text(f"NILAI {forwarded.tracking_number} 1 blm cair"))
    session.expire_all()
    assert session.get(Ticket, forwarded.id).status == "dispatched"
    lifecycle.move(session, session.get(Ticket, forwarded.id), "resolved", actor="agency:x")
    session.commit()
    reply_of(phone.text(f"NILAI {forwarded.tracking_number} 5"))
    session.expire_all()
    assert session.get(Ticket, forwarded.id).status == "closed"


def test_unanswered_ticket_closes_after_ten_days_once(session, forwarded):
    respond(session, forwarded)
    assert followup.close_unanswered(session, utcnow() + timedelta(days=9)) == []
    assert followup.close_unanswered(session, utcnow() + timedelta(days=10, hours=1)) == [
        forwarded.id
    ]
    session.commit()
    assert followup.close_unanswered(session, utcnow() + timedelta(days=30)) == []
    assert forwarded.status == "closed" and kinds(session, forwarded)[-1] == "closed"


def test_a_citizen_answer_restarts_the_ten_days(session, forwarded):
    respond(session, forwarded)
    followup.thread_reply(session, forwarded.citizen_id, "baik pak sy tunggu", 0, utcnow())
    session.execute(
        TicketEvent.__table__.update()
        .where(TicketEvent.kind == "citizen_reply")
        .values(at=utcnow() + timedelta(days=5))
    )
    session.commit()
    assert followup.close_unanswered(session, utcnow() + timedelta(days=11)) == []
    assert followup.close_unanswered(session, utcnow() + timedelta(days=16)) == [forwarded.id]
