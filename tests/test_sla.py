"""SLA clocks in working days: tests move time by passing ``now``, they never sleep."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from sms_gateway.models import Agency, Ticket, TicketEvent
from sms_gateway.sla import calendar, clock, performance

WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")
SURABAYA, DENPASAR = "35.78", "51.71"  # WIB, WITA
_numbers = itertools.count(1)


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def test_holidays_and_cuti_bersama_are_not_working_days():
    assert calendar.holiday_name(date(2025, 8, 17)) == "Independence Day"
    assert "Joint" in calendar.holiday_name(date(2025, 8, 18))  # cuti bersama, a Monday
    assert "Joint" in calendar.holiday_name(date(2025, 12, 26))
    assert "Joint" in calendar.holiday_name(date(2026, 3, 23))
    for day in (date(2025, 8, 18), date(2025, 12, 25), date(2025, 12, 26), date(2026, 8, 17)):
        assert not calendar.is_working_day(day)
    assert not calendar.is_working_day(date(2025, 9, 13))  # a Saturday
    assert calendar.is_working_day(date(2025, 8, 19))


def test_deadline_is_the_end_of_the_nth_working_day_after_the_start():
    friday = wib(2025, 8, 15, 10)  # before Sat 16, Sun 17 (Independence Day), Mon 18 (cuti)
    assert calendar.add_working_days(friday, 5, "Asia/Jakarta") == wib(2025, 8, 26)
    assert calendar.add_working_days(wib(2025, 12, 23, 9), 3, "Asia/Jakarta") == wib(2025, 12, 31)
    weekend = calendar.working_days_between(
        wib(2025, 9, 12, 18), wib(2025, 9, 15, 6), "Asia/Jakarta"
    )
    assert weekend == pytest.approx(0.5)
    assert calendar.working_days_between(wib(2025, 9, 15), wib(2025, 9, 12), "Asia/Jakarta") == 0


def test_wita_and_wib_deadlines_differ_by_the_hour_offset(session):
    start = datetime(2025, 9, 9, 3, tzinfo=UTC)  # 10:00 WIB, 11:00 WITA: the same local day
    in_wib = calendar.add_working_days(start, 5, "Asia/Jakarta")
    in_wita = calendar.add_working_days(start, 5, "Asia/Makassar")
    assert in_wib - in_wita == timedelta(hours=1)
    assert in_wita == datetime(2025, 9, 17, tzinfo=WITA)
    west = _ticket(session, "dispatched", SURABAYA, None, start, start)
    central = _ticket(session, "dispatched", DENPASAR, None, start, start)
    clock.sweep(session, start + timedelta(minutes=5))
    session.commit()
    session.expire_all()
    assert session.get(Ticket, west).sla_due_at == in_wib
    assert session.get(Ticket, central).sla_due_at == in_wita


def _agency(session, index: int = 0) -> Agency:
    query = select(Agency).where(Agency.parent_code.is_not(None)).order_by(Agency.code)
    return session.scalars(query.offset(index).limit(1)).one()


def _ticket(session, status, region, agency, created, dispatched=None) -> int:
    ticket = Ticket(
        tracking_number=f"SLA{next(_numbers):07d}",
        status=status,
        region_code=region,
        agency_code=agency,
        created_at=created,
        dispatched_at=dispatched,
    )
    session.add(ticket)
    session.commit()
    return ticket.id


def _events(session, ticket_id: int, kind: str) -> list[TicketEvent]:
    query = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind == kind)
    return list(session.scalars(query.order_by(TicketEvent.id)))


def _sweep(session, now: datetime) -> dict[str, int]:
    counts = clock.sweep(session, now)
    session.commit()
    session.expire_all()
    return counts


def test_friday_dispatch_before_a_long_weekend_reminds_and_escalates_on_working_days(
    seeded, session
):
    agency = _agency(session)
    friday = wib(2025, 8, 15, 10)
    tid = _ticket(session, "dispatched", SURABAYA, agency.code, friday - timedelta(days=1), friday)
    assert _sweep(session, wib(2025, 8, 15, 10, 5))["started"] == 1
    for now in (wib(2025, 8, 16, 12), wib(2025, 8, 17, 12), wib(2025, 8, 18, 23)):
        assert _sweep(session, now)["reminded"] == 0  # weekend, Independence Day, cuti bersama
    # 80% of 5.58 working days (Fri 14h + Tue-Mon) is reached on Friday 22nd at 21:12 WIB.
    assert _sweep(session, wib(2025, 8, 22, 21))["reminded"] == 0
    assert _sweep(session, wib(2025, 8, 22, 21, 20))["reminded"] == 1
    [reminder] = _events(session, tid, "sla_reminder")
    assert reminder.data["agency"] == agency.code and reminder.data["clock"] == "response"
    assert _sweep(session, wib(2025, 8, 25, 23, 55))["escalated"] == 0
    assert _sweep(session, wib(2025, 8, 26, 0, 5))["escalated"] == 1
    [escalation] = _events(session, tid, "sla_escalated")
    assert escalation.data["supervisor"] == agency.parent_code
    assert escalation.data["teguran"] is True
    ticket = session.get(Ticket, tid)
    assert ticket.overdue_since == wib(2025, 8, 26, 0, 5)
    assert ticket.sla_reminded_at == wib(2025, 8, 22, 21, 20)


def test_a_deadline_ending_on_friday_is_escalated_on_monday_not_saturday(session):
    tid = _ticket(session, "received", SURABAYA, None, wib(2025, 9, 9, 10))  # verification
    assert session.scalar(select(Ticket.sla_due_at).where(Ticket.id == tid)) is None
    _sweep(session, wib(2025, 9, 9, 10, 5))
    assert session.get(Ticket, tid).sla_due_at == wib(2025, 9, 13)  # end of Friday 12th
    assert _sweep(session, wib(2025, 9, 13, 10))["escalated"] == 0
    assert _sweep(session, wib(2025, 9, 14, 10))["escalated"] == 0
    assert _sweep(session, wib(2025, 9, 15, 0, 5))["escalated"] == 1
    [escalation] = _events(session, tid, "sla_escalated")
    assert escalation.data["notify"] == "operators"
    assert escalation.data["supervisor"] is None


def test_run_twice_or_from_a_second_scheduler_changes_nothing_more(seeded, session):
    agency = _agency(session)
    start = wib(2025, 9, 1, 9)
    late = _ticket(session, "dispatched", SURABAYA, agency.code, start, start)
    old = _ticket(session, "verified", SURABAYA, agency.code, start - timedelta(days=61))
    now = wib(2025, 9, 10, 10)
    first = _sweep(session, now)
    assert first["escalated"] == 1 and first["ombudsman"] == 1
    assert set(_sweep(session, now).values()) == {0}
    with seeded.extensions["db"].scope() as other:  # another scheduler, its own session
        assert set(clock.sweep(other, now + timedelta(minutes=5)).values()) == {0}
        other.commit()
    assert set(_sweep(session, now + timedelta(days=3)).values()) == {0}
    assert len(_events(session, late, "sla_escalated")) == 1
    assert len(_events(session, late, "sla_reminder")) == 0  # already late at the first sweep
    assert len(_events(session, old, "ombudsman")) == 1
    assert session.get(Ticket, old).ombudsman_at == now


def test_a_new_dispatch_restarts_the_clock_and_an_answer_stops_it(session):
    start = wib(2025, 9, 1, 9)
    tid = _ticket(session, "dispatched", SURABAYA, None, start, start)
    _sweep(session, wib(2025, 9, 10, 10))
    assert session.get(Ticket, tid).overdue_since is not None
    ticket = session.get(Ticket, tid)
    ticket.dispatched_at = wib(2025, 9, 11, 9)  # reopened: dispatched again
    session.commit()
    assert _sweep(session, wib(2025, 9, 11, 10))["started"] == 1
    ticket = session.get(Ticket, tid)
    assert ticket.overdue_since is None and ticket.sla_due_at == wib(2025, 9, 19)
    ticket.status = "responded"
    session.commit()
    assert _sweep(session, wib(2025, 9, 12, 10))["stopped"] == 1
    assert session.get(Ticket, tid).sla_clock is None


def _history(session, tid: int, *events: tuple[datetime, str, str, dict | None]) -> None:
    for at, actor, to_status, data in events:
        session.add(
            TicketEvent(
                ticket_id=tid, at=at, actor=actor, kind=to_status, to_status=to_status, data=data
            )
        )
    session.commit()


def test_performance_figures_from_a_small_history(seeded, session):
    fast, slow = _agency(session, 0), _agency(session, 1)
    a = f"agency:{fast.code}"
    sent = {"agency": fast.code}
    t1 = _ticket(session, "responded", SURABAYA, fast.code, wib(2025, 9, 1, 8))
    _history(
        session,
        t1,
        (wib(2025, 9, 1, 9), "system", "dispatched", sent),
        (wib(2025, 9, 3, 9), a, "responded", None),
    )  # 2 working days, on time
    t2 = _ticket(session, "resolved", SURABAYA, fast.code, wib(2025, 9, 1, 8))
    _history(
        session,
        t2,
        (wib(2025, 9, 1, 9), "system", "dispatched", sent),
        (wib(2025, 9, 15, 9), a, "resolved", None),
    )  # 10 working days, late
    t3 = _ticket(session, "dispatched", SURABAYA, slow.code, wib(2025, 9, 1, 8), wib(2025, 9, 1, 9))
    _history(session, t3, (wib(2025, 9, 1, 9), "system", "dispatched", {"agency": slow.code}))
    now = wib(2025, 10, 1, 10)
    _sweep(session, now)
    report = {row["agency"]: row for row in performance.agency_performance(session, now)}
    assert report[fast.code]["dispatched"] == 2 and report[fast.code]["answered"] == 2
    assert report[fast.code]["median_days"] == pytest.approx(
        5.5
    )  # 2 and 9 (5 Sep 2025 is a holiday)
    assert report[fast.code]["on_time_share"] == 0.5
    assert report[fast.code]["open_overdue"] == 0 and not report[fast.code]["idle"]
    assert report[slow.code]["answered"] == 0 and report[slow.code]["median_days"] is None
    assert report[slow.code]["on_time_share"] == 0.0
    assert report[slow.code]["open_overdue"] == 1 and report[slow.code]["idle"]
    later = performance.agency_performance(session, now + timedelta(days=40))
    assert performance.idle_agencies(later) == sorted([fast.code, slow.code])


def test_the_sweep_is_on_the_schedule_every_five_minutes():
    from workers import jobs
    from workers.schedule import SCHEDULE

    [entry] = [p for p in SCHEDULE if p.name == "sla_sweep"]
    assert entry.every_seconds == 300 and entry.run is jobs.sla_sweep
