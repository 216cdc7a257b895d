"""The ticket lifecycle: which status may follow which, and the event every change leaves.

received → (needs_info) → verified → dispatched → responded → resolved → closed, with rejected
(not a public-service matter: needs a reason), withdrawn (the citizen's BATAL) and transferred
(an agency's "bukan wewenang": back to triage, then verified again towards another agency).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Executable, bindparam, exists, insert, select, union_all, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.dml import UpdateBase

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
# Several rows in one INSERT (SQLAlchemy's "insertmanyvalues"), ids in the order of the rows.
_APPEND_ORDERED = insert(TicketEvent.__table__).returning(
    TicketEvent.__table__.c.id, sort_by_parameter_order=True
)


_EVENT_COLUMNS = ("ticket_id", "at", "actor", "kind", "from_status", "to_status", "reason", "data")
_MOVES: dict[tuple, Executable] = {}


def _moving(
    dialect: str, columns: tuple[str, ...], events: int, guard: UpdateBase | None = None
) -> Executable:
    """The statement of a status change, built once per database kind, columns, events and guard.

    On PostgreSQL one statement updates the ticket and appends its events (a data-modifying
    CTE), returning the events' ids, and runs the guard first: nothing else happens when the
    guard changes no row. Elsewhere it is the ticket's UPDATE, and the events follow (the guard,
    if any, is run before by ``move``). Both are built on the tables: the ORM's flush of one
    changed ticket costs more CPU than the statement itself.
    """
    key = (dialect, columns, events, guard)
    if key not in _MOVES:
        tickets, log = Ticket.__table__, TicketEvent.__table__
        change = (
            update(tickets)
            .where(tickets.c.id == bindparam("ticket"))
            .values({c: bindparam(f"set_{c}", type_=tickets.c[c].type) for c in columns})
        )
        if dialect == "postgresql":
            held = guard.cte("guard") if guard is not None else None
            if held is not None:
                change = change.where(exists(select(held.c[0])))
            # The events as a SELECT (a multi-row VALUES would be compiled again every time).
            rows = [
                select(*(bindparam(f"e{i}_{c}", type_=log.c[c].type) for c in _EVENT_COLUMNS))
                for i in range(events)
            ]
            if held is not None:
                rows = [row.where(exists(select(held.c[0]))) for row in rows]
            change = (
                insert(log)
                .from_select(_EVENT_COLUMNS, rows[0] if events == 1 else union_all(*rows))
                .returning(log.c.id)
                .add_cte(change.returning(tickets.c.id).cte("moved"))
            )
        _MOVES[key] = change
    return _MOVES[key]


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
    preceded_by: tuple[dict, ...] = (),
    also: dict | None = None,
    guard: tuple[UpdateBase, dict] | None = None,
) -> Change | None:
    """Change a ticket's status and record the event; refuse what the lifecycle forbids.

    ``preceded_by``: events (``event(...)``) that come just before this one in the history,
    appended with it in the same statement. ``also``: other columns of the ticket written with
    the status (the analysis's, when a complaint is routed). ``guard``: a conditional UPDATE
    of another row, built once, ``RETURNING`` one column, and its parameters (their names
    distinct from the move's): it runs first, and when it changes no row nothing is moved and
    None is returned. The ticket in memory is updated as written; its other pending changes, if
    any, are flushed as usual before.
    """
    if not can_move(ticket.status, to_status):
        raise IllegalTransition(f"a ticket that is {ticket.status} cannot become {to_status}")
    if to_status in NEEDS_REASON and not (reason and reason.strip()):
        raise IllegalTransition(f"{to_status} needs a reason")
    now = utcnow()
    from_status = ticket.status
    values = {**(also or {}), "status": to_status, "updated_at": now}
    if to_status in TIMESTAMPS:
        values[TIMESTAMPS[to_status]] = now
    change = event(
        ticket.id,
        kind,
        actor=actor,
        reason=reason,
        data=data,
        from_status=from_status,
        to_status=to_status,
    )
    events = [*preceded_by, change]
    columns = tuple(sorted(values))
    dialect = session.get_bind().dialect.name
    parameters = {"ticket": ticket.id, **{f"set_{c}": values[c] for c in columns}}
    guarding, guarded = guard if guard is not None else (None, {})
    if dialect == "postgresql":
        for i, row in enumerate(events):
            parameters.update({f"e{i}_{c}": row[c] for c in _EVENT_COLUMNS})
        statement = _moving(dialect, columns, len(events), guarding)
        # The rows are numbered by the sequence in their order.
        event_ids = sorted(session.execute(statement, {**parameters, **guarded}).scalars())
        if not event_ids:
            return None  # the guard changed nothing, so nothing else did
    else:
        if guarding is not None and session.execute(guarding, guarded).first() is None:
            return None
        session.execute(_moving(dialect, columns, len(events)), parameters)
        event_ids = record_all(session, events)
    for column in columns:
        set_committed_value(ticket, column, values[column])
    return Change(ticket.id, from_status, to_status, event_ids[-1])


def event(
    ticket_id: int,
    kind: str,
    *,
    actor: str,
    reason: str | None = None,
    data: dict | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
) -> dict:
    """An event of a ticket's history, as ``record_all`` appends it (stamped now)."""
    return {
        "ticket_id": ticket_id,
        "at": utcnow(),
        "actor": actor,
        "kind": kind,
        "from_status": from_status,
        "to_status": to_status,
        "reason": reason,
        "data": data,
    }


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
    values = event(
        ticket_id,
        kind,
        actor=actor,
        reason=reason,
        data=data,
        from_status=from_status,
        to_status=to_status,
    )
    return session.execute(_APPEND, values).scalar_one()


def record_all(session: Session, events: list[dict]) -> list[int]:
    """Append events (``event(...)``) in one statement, in order; their ids in the same order."""
    if len(events) == 1:
        return [session.execute(_APPEND, events[0]).scalar_one()]
    return list(session.execute(_APPEND_ORDERED, events).scalars())
