"""The SLA sweep: start and stop clocks, remind at 80%, escalate when late, flag for Ombudsman.

Clocks: verification (status received or needs_info) runs 3 working days from ``created_at``;
the agency's first response (status dispatched) runs 5 working days from ``dispatched_at``
(a reopened ticket is dispatched again, so it gets a new deadline). Every flag is set by a
compare-and-set UPDATE and its event is written only when that UPDATE changed the row, so two
schedulers, or one sweep run twice, add nothing more (at most one event per ticket and deadline).
Reminders and escalations fire only on the region's working days: a deadline ending on a Friday
is escalated in the first minutes of the next working day, not on Saturday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.orm import Session

from .. import places
from ..models import Agency, Ticket, TicketEvent
from .calendar import DEFAULT_TZ, add_working_days, is_working_time, working_days_between

VERIFICATION_DAYS = 3
RESPONSE_DAYS = 5
REMIND_SHARE = 0.8
OMBUDSMAN_AFTER = timedelta(days=60)
COMPLETED = frozenset({"resolved", "closed", "rejected", "withdrawn"})
CLOCK_OF_STATUS = {
    "received": "verification",
    "needs_info": "verification",
    "dispatched": "response",
}
ACTOR = "system:sla"


@dataclass(frozen=True)
class Clock:
    """A running SLA clock: which one, from when, until when, in which time zone."""

    name: str
    start: datetime
    due_at: datetime
    tz: str


def ticket_tz(region_code: str | None) -> str:
    """The ticket's region time zone; WIB when the region is unknown."""
    return (places.timezone(region_code) if region_code else None) or DEFAULT_TZ


def clock_for(
    status: str, created_at: datetime, dispatched_at: datetime | None, tz: str
) -> Clock | None:
    """The clock a ticket in ``status`` runs, or None when none does."""
    name = CLOCK_OF_STATUS.get(status)
    if name == "verification":
        return Clock(name, created_at, add_working_days(created_at, VERIFICATION_DAYS, tz), tz)
    if name == "response" and dispatched_at is not None:
        return Clock(name, dispatched_at, add_working_days(dispatched_at, RESPONSE_DAYS, tz), tz)
    return None


def _same(column: Any, value: Any) -> Any:
    """``column = value``, or ``column IS NULL`` for None."""
    return column.is_(None) if value is None else column == value


def _cas(session: Session, ticket_id: int, where: list, **values: Any) -> bool:
    """Update one ticket only if ``where`` still holds; True when this call changed it."""
    statement = (
        update(Ticket)
        .where(Ticket.id == ticket_id, *where)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return session.execute(statement).rowcount == 1


def _event(session: Session, ticket_id: int, kind: str, now: datetime, data: dict) -> int:
    """Append an SLA event stamped with the sweep's ``now``; its id."""
    return session.execute(
        insert(TicketEvent)
        .values(ticket_id=ticket_id, at=now, actor=ACTOR, kind=kind, data=data)
        .returning(TicketEvent.id)
    ).scalar_one()


def _notify(session: Session, ticket_id: int, purpose: str, event_id: int, to: str | None) -> None:
    """Ask the dispatcher to carry a reminder or teguran (the dispatch sweeper sends it)."""
    from .. import dispatch

    ticket = session.get(Ticket, ticket_id)
    if ticket is not None:
        dispatch.request(session, ticket, purpose, event_id, agency_code=to)


def _supervisor(session: Session, agency_code: str | None, cache: dict) -> str | None:
    """The agency's parent (who receives the teguran), cached for one sweep."""
    if agency_code is None:
        return None
    if agency_code not in cache:
        cache[agency_code] = session.scalar(
            select(Agency.parent_code).where(Agency.code == agency_code)
        )
    return cache[agency_code]


def sweep(session: Session, now: datetime) -> dict[str, int]:
    """Bring every ticket's SLA clock and flags up to ``now``; the caller commits."""
    counts = {"started": 0, "stopped": 0, "reminded": 0, "escalated": 0, "ombudsman": 0}
    cols = (Ticket.id, Ticket.status, Ticket.region_code, Ticket.agency_code, Ticket.created_at)
    rows = session.execute(
        select(
            *cols,
            Ticket.dispatched_at,
            Ticket.sla_clock,
            Ticket.sla_due_at,
            Ticket.sla_reminded_at,
            Ticket.overdue_since,
            Ticket.ombudsman_at,
        )
        .where(
            or_(
                Ticket.status.in_(CLOCK_OF_STATUS),
                Ticket.sla_clock.is_not(None),
                and_(
                    Ticket.ombudsman_at.is_(None),
                    Ticket.status.not_in(COMPLETED),
                    Ticket.created_at <= now - OMBUDSMAN_AFTER,
                ),
            )
        )
        .order_by(Ticket.id)
    ).all()
    supervisors: dict[str, str | None] = {}
    for row in rows:
        tz = ticket_tz(row.region_code)
        clock = clock_for(row.status, row.created_at, row.dispatched_at, tz)
        new = (clock.name, clock.due_at) if clock else (None, None)
        reminded, overdue = row.sla_reminded_at, row.overdue_since
        if (row.sla_clock, row.sla_due_at) != new:
            old = [_same(Ticket.sla_clock, row.sla_clock), _same(Ticket.sla_due_at, row.sla_due_at)]
            if not _cas(
                session,
                row.id,
                old,
                sla_clock=new[0],
                sla_due_at=new[1],
                sla_reminded_at=None,
                overdue_since=None,
            ):
                continue  # another sweeper moved this ticket on
            counts["started" if clock else "stopped"] += 1
            reminded = overdue = None
        if clock is not None:
            _clock_flags(session, row, clock, now, reminded, overdue, supervisors, counts)
        if (
            row.ombudsman_at is None
            and row.status not in COMPLETED
            and now >= row.created_at + OMBUDSMAN_AFTER
            and _cas(session, row.id, [Ticket.ombudsman_at.is_(None)], ombudsman_at=now)
        ):
            data = {"created_at": row.created_at.isoformat(), "status": row.status}
            _event(session, row.id, "ombudsman", now, {**data, "agency": row.agency_code})
            counts["ombudsman"] += 1
    return counts


def _clock_flags(
    session: Session,
    row: Any,
    clock: Clock,
    now: datetime,
    reminded: datetime | None,
    overdue: datetime | None,
    supervisors: dict,
    counts: dict[str, int],
) -> None:
    """Escalate a late ticket, or remind its agency at 80% of the working time (working days)."""
    if not is_working_time(now, clock.tz):
        return  # reminders and teguran go out on the region's working days only
    data: dict[str, Any] = {
        "clock": clock.name,
        "due_at": clock.due_at.isoformat(),
        "tz": clock.tz,
        "agency": row.agency_code if clock.name == "response" else None,
    }
    mine = [Ticket.sla_clock == clock.name, Ticket.sla_due_at == clock.due_at]
    if now >= clock.due_at:
        if overdue is None and _cas(
            session, row.id, [*mine, Ticket.overdue_since.is_(None)], overdue_since=now
        ):
            supervisor = _supervisor(session, data["agency"], supervisors)
            data |= {"supervisor": supervisor, "teguran": True}
            if clock.name == "verification":
                data["notify"] = "operators"
            event_id = _event(session, row.id, "sla_escalated", now, data)
            if clock.name == "response" and supervisor:
                _notify(session, row.id, "sla_escalated", event_id, supervisor)
            counts["escalated"] += 1
        return
    total = working_days_between(clock.start, clock.due_at, clock.tz)
    elapsed = working_days_between(clock.start, now, clock.tz)
    if (
        reminded is None
        and elapsed >= REMIND_SHARE * total
        and _cas(session, row.id, [*mine, Ticket.sla_reminded_at.is_(None)], sla_reminded_at=now)
    ):
        data["working_days_left"] = round(total - elapsed, 2)
        event_id = _event(session, row.id, "sla_reminder", now, data)
        if clock.name == "response":
            _notify(session, row.id, "sla_reminder", event_id, None)
        counts["reminded"] += 1
