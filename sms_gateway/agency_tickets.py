"""Which tickets an agency may see: those forwarded to it, from dispatch on.

One rule for the agency API and the agency portal: a ticket whose ``agency_code`` is the
agency's and whose status is one of :data:`VISIBLE`. Anything else does not exist for the
agency (the API and the portal answer 404, never 403).
"""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Subquery,
    func,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from . import tracking
from .models import Ticket

VISIBLE = ("dispatched", "responded", "resolved", "closed")
DONE = ("resolved", "closed")
ORDERS = ("newest", "urgent")


def visible(agency_code: str, status: str | None = None) -> list[ColumnElement[bool]]:
    """The WHERE clauses of the agency's tickets (optionally of one visible status)."""
    where = [Ticket.agency_code == agency_code, Ticket.status.in_(VISIBLE)]
    if status:
        where.append(Ticket.status == status)
    return where


def own_ticket(session: Session, agency_code: str, number: str) -> Ticket | None:
    """The agency's ticket with this tracking number (any spelling), or None."""
    digits = tracking.normalise(number)
    if not digits:
        return None
    return session.execute(
        select(Ticket).where(Ticket.tracking_number == digits, *visible(agency_code))
    ).scalar_one_or_none()


def page_of(
    session: Session,
    agency_code: str,
    *,
    status: str | None = None,
    order: str = "newest",
    page: int = 1,
    per_page: int = 50,
) -> list[Ticket]:
    """The agency's tickets, newest first, or most urgent first (open ones by earliest due)."""
    offset = (page - 1) * per_page
    if order == "urgent":
        return _most_urgent(session, agency_code, status, offset, per_page)
    return list(
        session.execute(
            select(Ticket)
            .where(*visible(agency_code, status))
            .order_by(Ticket.created_at.desc(), Ticket.id.desc())
            .offset(offset)
            .limit(per_page)
        ).scalars()
    )


def _most_urgent(
    session: Session, agency_code: str, status: str | None, offset: int, limit: int
) -> list[Ticket]:
    """A page of the urgent order, read as ordered ranges of ix_tickets_agency_order.

    The order: open tickets by earliest due date, open ones without one, then done ones the same
    way; ties go to urgent tickets, then to the newest. Each status, with and without a due date,
    is one range of the index read in that order and cut at the page's end, so the database reads
    at most ``offset + limit`` entries of each instead of sorting every ticket of the agency.
    """
    arms = [
        _arm(agency_code, name, dated, offset + limit)
        for name in VISIBLE
        if not status or name == status
        for dated in (True, False)
    ]
    if not arms:
        return []
    ranked = union_all(*arms).subquery("ranked")
    shown = select(ranked).order_by(*_urgency(ranked)).offset(offset).limit(limit).subquery()
    query = select(Ticket).join(shown, Ticket.id == shown.c.id).order_by(*_urgency(shown))
    return list(session.execute(query).scalars())


def _arm(agency_code: str, status: str, dated: bool, limit: int) -> Select:
    """The ``limit`` most urgent of the agency's tickets in ``status`` with (without) a due date."""
    part = 2 * (status in DONE) + (not dated)  # open dated, open undated, done dated, done undated
    arm = select(
        Ticket.id,
        literal_column(str(part), Integer).label("part"),
        Ticket.sla_due_at,
        Ticket.is_urgent,
    ).where(Ticket.agency_code == agency_code, Ticket.status == status)
    if dated:
        # the index gives the due dates in order; only tickets due at the same moment are sorted
        arm = arm.where(Ticket.sla_due_at.is_not(None)).order_by(
            Ticket.sla_due_at, Ticket.is_urgent.desc(), Ticket.id.desc()
        )
    else:
        # sla_due_at is NULL throughout: naming it lets the index, read backwards, be the order
        arm = arm.where(Ticket.sla_due_at.is_(None)).order_by(
            Ticket.sla_due_at.desc(), Ticket.is_urgent.desc(), Ticket.id.desc()
        )
    return select(arm.limit(limit).subquery())


def _urgency(ranked: Subquery) -> tuple[ColumnElement, ...]:
    """The urgent order over the arms' columns."""
    c = ranked.c
    return (c.part, c.sla_due_at, c.is_urgent.desc(), c.id.desc())


def counts(session: Session, agency_code: str) -> dict[str, int]:
    """How many tickets the agency has in each visible status."""
    rows = session.execute(
        select(Ticket.status, func.count()).where(*visible(agency_code)).group_by(Ticket.status)
    ).all()
    return {status: count for status, count in rows}
