"""One complaint the whole way: SMS in, routed, forwarded to a signed webhook, answered through
the agency API, the citizen told by SMS, rated, closed."""

from __future__ import annotations

from sqlalchemy import select

from sms_gateway import apikeys
from sms_gateway.dispatch.agencies import set_channel
from sms_gateway.dispatch.citizen import quiet_until
from sms_gateway.models import OutboundMessage, Ticket, TicketEvent, utcnow
from tests.conftest import drain_queues
from tests.support.agency_receiver import AgencyReceiver
from tests.support.twilio_client import Phone
from tests.test_intake_webhook import number_in, reply_of

SECRET = "rahasia-bersama-dinsos-surabaya"


def test_complaint_travels_from_sms_to_agency_and_back_to_closed(seeded, session, client):
    redis = seeded.extensions["redis"]
    phone = Phone(client, "test-twilio-auth-token", "+6281355500011")
    with AgencyReceiver(SECRET) as receiver:
        agency = set_channel(session, "35.78-DINSOS", webhook=receiver.url, secret=SECRET)
        session.commit()
        try:
            number = number_in(
                reply_of(
                    phone.text(
                        "bansos pkh ibu sy blm cair 3 bulan, kelurahan tegalsari surabaya, nik 3578014501900003"
                    )
                )
            )
            drain_queues(redis)  # analyse, route, forward
            drain_queues(redis)  # the "forwarded" SMS
            session.expire_all()
            ticket = session.execute(
                select(Ticket).where(Ticket.tracking_number == number)
            ).scalar_one()
            assert ticket.status == "dispatched" and ticket.agency_code == "35.78-DINSOS"
            assert len(receiver.received) == 1 and receiver.rejected == 0
            delivered = receiver.received[0]["body"]
            assert "3578014501900003" not in str(delivered)  # personal data masked for the agency

            key = apikeys.create(session, "35.78-DINSOS")
            session.commit()
            auth = {"Authorization": f"Bearer {key}"}
            answer = client.post(
                f"/api/v1/tickets/{number}/responses",
                headers=auth,
                json={"text": "Data sudah kami verifikasi, pencairan tahap berikut."},
            )
            assert answer.status_code in (200, 201), answer.get_data(as_text=True)
            resolved = client.post(
                f"/api/v1/tickets/{number}/resolve",
                headers=auth,
                json={"note": "Bantuan sudah cair tgl 20."},
            )
            assert resolved.status_code in (200, 201), resolved.get_data(as_text=True)
            drain_queues(redis)

            rating = reply_of(phone.text(f"NILAI {number} 5 mantap cepat"))
            assert "nilai 5" in rating
            session.expire_all()
            ticket = session.get(Ticket, ticket.id)
            assert ticket.status == "closed" and ticket.rating == 5
            steps = (
                session.execute(
                    select(TicketEvent.to_status)
                    .where(TicketEvent.ticket_id == ticket.id, TicketEvent.to_status.is_not(None))
                    .order_by(TicketEvent.id)
                )
                .scalars()
                .all()
            )
            assert steps == [
                "received",
                "verified",
                "dispatched",
                "responded",
                "resolved",
                "closed",
            ]
            sms = session.execute(
                select(OutboundMessage.body, OutboundMessage.status)
                .where(OutboundMessage.to == "+6281355500011")
                .order_by(OutboundMessage.id)
            ).all()
            night = quiet_until(ticket.region_code, utcnow()) is not None
            # Sent at once by day; at night (21:00-07:00 local) held for the morning.
            assert all(status == "sent" or (night and status == "queued") for _, status in sms), sms
            bodies = " ".join(body for body, _ in sms)
            assert "NILAI" in bodies  # asked to rate once resolved
        finally:
            set_channel(session, agency.code, portal=True)
            session.commit()


def test_a_late_agency_is_reminded_then_escalated_on_working_days_only(seeded, session, client):
    from datetime import timedelta

    from sms_gateway.models import Dispatch
    from sms_gateway.sla import calendar, clock, performance
    from workers import jobs

    phone = Phone(client, "test-twilio-auth-token", "+6281355500022")
    with AgencyReceiver(SECRET) as receiver:
        agency = set_channel(session, "35.78-DINSOS", webhook=receiver.url, secret=SECRET)
        session.commit()
        try:
            number = number_in(
                reply_of(
                    phone.text(
                        "bansos pkh ibu sy blm cair 3 bulan, kelurahan tegalsari surabaya, tolong dibantu"
                    )
                )
            )
            drain_queues(seeded.extensions["redis"])
            session.expire_all()
            ticket = session.execute(
                select(Ticket).where(Ticket.tracking_number == number)
            ).scalar_one()
            assert ticket.status == "dispatched" and len(receiver.received) == 1
            start = ticket.dispatched_at
            clock.sweep(session, start + timedelta(minutes=1))
            session.commit()
            session.expire_all()
            due = session.get(Ticket, ticket.id).sla_due_at
            assert due == calendar.add_working_days(start, 5, "Asia/Jakarta")

            def first_working_moment(after):  # noqa: ANN001, ANN202
                moment = after
                while not calendar.is_working_time(moment, "Asia/Jakarta"):
                    moment += timedelta(hours=1)
                return moment

            def sent(purpose: str) -> list[Dispatch]:
                session.expire_all()
                rows = (
                    session.execute(
                        select(Dispatch).where(
                            Dispatch.ticket_id == ticket.id, Dispatch.purpose == purpose
                        )
                    )
                    .scalars()
                    .all()
                )
                for row in rows:
                    jobs.dispatch_ticket(row.id)
                session.expire_all()
                return (
                    session.execute(
                        select(Dispatch).where(
                            Dispatch.ticket_id == ticket.id, Dispatch.purpose == purpose
                        )
                    )
                    .scalars()
                    .all()
                )

            late_evening = due - timedelta(hours=1)  # 23:00 WIB of the fifth working day: past 80%
            assert clock.sweep(session, late_evening)["reminded"] == 1
            assert clock.sweep(session, late_evening)["reminded"] == 0  # once per deadline
            session.commit()
            [reminder] = sent("sla_reminder")
            assert reminder.agency_code == "35.78-DINSOS" and reminder.status == "delivered"
            assert receiver.received[-1]["body"]["event"] == "ticket.sla_reminder"

            escalation_time = first_working_moment(due + timedelta(minutes=5))
            if escalation_time - timedelta(minutes=5) > due:  # days off after the deadline
                assert (
                    clock.sweep(session, escalation_time - timedelta(minutes=5))["escalated"] == 0
                )
            assert clock.sweep(session, escalation_time)["escalated"] == 1
            assert clock.sweep(session, escalation_time + timedelta(hours=1))["escalated"] == 0
            session.commit()
            [teguran] = sent("sla_escalated")
            assert teguran.agency_code == agency.parent_code  # the supervisor, Pemkot Surabaya
            assert teguran.status == "delivered"
            session.expire_all()
            ticket = session.get(Ticket, ticket.id)
            assert ticket.overdue_since == escalation_time
            kinds = (
                session.execute(select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket.id))
                .scalars()
                .all()
            )
            assert kinds.count("sla_reminder") == 1 and kinds.count("sla_escalated") == 1
            report = performance.agency_performance(session, escalation_time)
            row = next(r for r in report if r["agency"] == "35.78-DINSOS")
            assert row["open_overdue"] >= 1
        finally:
            set_channel(session, agency.code, portal=True)
            session.commit()
