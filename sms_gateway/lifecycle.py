"""The ticket lifecycle: which status may follow which, and the event every change leaves.

received → (needs_info) → verified → dispatched → responded → resolved → closed, with rejected
(not a public-service matter: needs a reason), withdrawn (the citizen's BATAL) and transferred
(an agency's "bukan wewenang": back to triage, then verified again towards another agency).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.orm import Session

from .models import Ticket, TicketEvent, utcnow

TRANSITIONS: dict[str, frozenset[str]] = {
    "received": frozenset({"needs_info", "verified", "rejected", "withdrawn"}),
    "needs_info": frozenset({"verified", "rejected", "withdrawn"}),
    "verified": frozenset({"dispatched", "needs_info", "rejected", "withdrawn"}),
    "dispatched": frozenset({"responded", "transferred", "resolved", "withdrawn"}),
    "responded": frozenset({"resolved", "dispatched", "transferred", "withdrawn", "closed"}),
    "resolved": frozenset({"closed", "dispatched"}),  # a low rating or an objection reopens it
    "transferred": frozenset({"verified", "rejected", "needs_info"}),
    "closed": frozenset(),
    "rejected": frozenset(),
    "withdrawn": frozenset(),
}
OPEN = frozenset({"received", "needs_info", "verified", "dispatched", "responded", "transferred"})
NEEDS_REASON = frozenset({"rejected", "transferred"})
TIMESTAMPS = {
    "verified": "verified_at",
    "dispatched": "dispatched_at",
    "responded": "responded_at",
    "resolved": "resolved_at",
    "closed": "closed_at",
}


# Every step of every ticket appends an event: one statement built once, on the table (the
# ORM's insert costs more than twice as much CPU per event, and events are never loaded back).
_APPEND = insert(TicketEvent.__table__).returning(TicketEvent.__table__.c.id)


class IllegalTransition(ValueError):
    """A status change the lifecycle does not allow."""


@dataclass(frozen=True)
class Change:
    """A status change that happened."""

    ticket_id: int
    from_status: str
    to_status: str
    event_id: int


def can_move(from_status: str, to_status: str) -> bool:
    """True when the lifecycle allows ``from_status`` → ``to_status``."""
    return to_status in TRANSITIONS.get(from_status, frozenset())


def move(
    session: Session,
    ticket: Ticket,
    to_status: str,
    *,
    actor: str,
    reason: str | None = None,
    kind: str = "status",
    data: dict | None = None,
) -> Change:
    """Change a ticket's status and record the event; refuse what the lifecycle forbids."""
    if not can_move(ticket.status, to_status):
        raise IllegalTransition(f"a ticket that is {ticket.status} cannot become {to_status}")
    if to_status in NEEDS_REASON and not (reason and reason.strip()):
        raise IllegalTransition(f"{to_status} needs a reason")
    now = utcnow()
    from_status = ticket.status
    ticket.status = to_status
    ticket.updated_at = now
    if to_status in TIMESTAMPS:
        setattr(ticket, TIMESTAMPS[to_status], now)
    event_id = record(
        session,
        ticket.id,
        kind,
        actor=actor,
        reason=reason,
        data=data,
        from_status=from_status,
        to_status=to_status,
    )
    return Change(ticket.id, from_status, to_status, event_id)


def record(
    session: Session,
    ticket_id: int,
    kind: str,
    *,
    actor: str,
    reason: str | None = None,
    data: dict | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
) -> int:
    """Append an event to a ticket's history (never changed or deleted); returns its id."""
    values = {
        "ticket_id": ticket_id,
        "at": utcnow(),
        "actor": actor,
        "kind": kind,
        "from_status": from_status,
        "to_status": to_status,
        "reason": reason,
        "data": data,
    }
    return session.execute(_APPEND, values).scalar_one()
