"""Which tickets an agency may see: those forwarded to it, from dispatch on.

One rule for the agency API and the agency portal: a ticket whose ``agency_code`` is the
agency's and whose status is one of :data:`VISIBLE`. Anything else does not exist for the
agency (the API and the portal answer 404, never 403).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
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
    where = visible(agency_code, status)
    if order == "urgent":
        ordering = (
            Ticket.status.in_(DONE),
            Ticket.sla_due_at.is_(None),
            Ticket.sla_due_at,
            Ticket.is_urgent.desc(),
            Ticket.id.desc(),
        )
    else:
        ordering = (Ticket.created_at.desc(), Ticket.id.desc())
    return list(
        session.execute(
            select(Ticket)
            .where(*where)
            .order_by(*ordering)
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).scalars()
    )


def counts(session: Session, agency_code: str) -> dict[str, int]:
    """How many tickets the agency has in each visible status."""
    rows = session.execute(
        select(Ticket.status, func.count()).where(*visible(agency_code)).group_by(Ticket.status)
    ).all()
    return {status: count for status, count in rows}
