"""Forwarding a ticket to its agency, once, through the agency's channel.

A ticket that became ``verified`` (or was reopened) gets a :class:`Dispatch` row keyed by the
event that asked for it, so asking twice makes one row. :func:`deliver` claims the row
(pending/retrying → sending) and commits before calling the channel, so a re-run job never sends
twice; the worker that routes a ticket commits its row already claimed (:func:`claim_for`).
Transient failures go back to ``retrying`` for the job's next try; after ``max_attempts``, or on
a refusal, the row is ``dead`` (a dead letter operators see in ``sweeps.dead_letters``) and the
ticket gets a ``dispatch_failed`` event. On success a verified ticket moves to ``dispatched`` and
the citizen is told to whom. A claim whose worker died before or during the call is taken back
by the sweeper (``sweeps.take_back_stalled``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from .. import lifecycle
from ..db import dialect_insert
from ..models import Agency, Citizen, Dispatch, InboundMessage, Ticket, TicketEvent, utcnow
from . import channels, citizen
from .sending import DISPATCHED, SLA_ESCALATED, Transport, send
from .sending import REOPENED as REOPENED  # followup asks for core.REOPENED

PENDING, SENDING, DELIVERED, RETRYING, DEAD, CANCELLED = (
    "pending",
    "sending",
    "delivered",
    "retrying",
    "dead",
    "cancelled",
)


@dataclass(frozen=True)
class Outcome:
    """What a delivery did: the row's status and the citizen SMS to enqueue after the commit."""

    status: str
    notices: list[citizen.Notice] = field(default_factory=list)


class RetryLater(Exception):
    """A transient failure; the job should be retried (the row is ``retrying``)."""


def _target(agency: Agency) -> str | None:
    return {"webhook": agency.webhook_url, "email": agency.email}.get(agency.channel)


def request(
    session: Session, ticket: Ticket, purpose: str, event_id: int, agency_code: str | None = None
) -> int | None:
    """The id of the dispatch for ``event_id`` (created once); None when the agency is unknown.

    It goes to the ticket's agency, or to ``agency_code`` (a supervisor receiving a teguran).
    """
    row = request_row(session, ticket, purpose, event_id, agency_code)
    return row.id if row is not None else None


def request_row(
    session: Session,
    ticket: Ticket,
    purpose: str,
    event_id: int,
    agency_code: str | None = None,
    claimed_at: datetime | None = None,
) -> Dispatch | None:
    """``request``, returning the row itself; with ``claimed_at``, a row it creates is already
    claimed (``sending``, first attempt, claimed at that time)."""
    code = agency_code or ticket.agency_code
    agency = session.get(Agency, code) if code else None
    if agency is None:
        return None
    key = (
        f"dispatch-{ticket.id}-{event_id}-{agency.code}"
        if agency_code
        else f"dispatch-{ticket.id}-{event_id}"
    )
    now = utcnow()
    created = session.execute(
        _insert(session),
        {
            "key": key,
            "ticket_id": ticket.id,
            "event_id": event_id,
            "purpose": purpose,
            "agency_code": agency.code,
            "channel": agency.channel,
            "target": _target(agency),
            "status": SENDING if claimed_at else PENDING,
            "attempts": 1 if claimed_at else 0,
            "created_at": now,
            "updated_at": claimed_at or now,
        },
    ).scalar()
    return created or session.scalars(select(Dispatch).where(Dispatch.key == key)).one()


_INSERTS: dict[str, object] = {}


def _insert(session: Session):  # noqa: ANN202
    """The INSERT of a dispatch row (kept if its key exists), built once per database kind."""
    dialect = session.get_bind().dialect.name
    if dialect not in _INSERTS:
        _INSERTS[dialect] = (
            dialect_insert(session, Dispatch)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(Dispatch)
        )
    return _INSERTS[dialect]


def latest_event_id(session: Session, ticket_id: int, to_status: str) -> int | None:
    """The id of the newest event that moved the ticket to ``to_status``."""
    return session.scalar(
        select(TicketEvent.id)
        .where(TicketEvent.ticket_id == ticket_id, TicketEvent.to_status == to_status)
        .order_by(TicketEvent.id.desc())
        .limit(1)
    )


def request_for_ticket(session: Session, ticket_id: int) -> int | None:
    """A dispatch for a verified ticket's current verification; None if it awaits none."""
    ticket = session.get(Ticket, ticket_id)
    row = request_for(session, ticket) if ticket is not None else None
    return row.id if row is not None else None


def request_for(
    session: Session, ticket: Ticket, verified_event_id: int | None = None
) -> Dispatch | None:
    """``request_for_ticket`` for a ticket already loaded, returning the row; pass the id of the
    event that made it ``verified`` when the caller has it (processing just recorded it), else it
    is looked up."""
    if ticket.status != "verified" or not ticket.agency_code:
        return None
    event_id = verified_event_id or latest_event_id(session, ticket.id, "verified")
    return request_row(session, ticket, DISPATCHED, event_id or 0)


@dataclass(frozen=True)
class Claim:
    """A dispatch its worker holds from the start: created ``sending`` (first attempt) in the
    transaction that routed the ticket, so after that commit the call needs no write before it.
    The row is kept here, loaded, for the delivery."""

    row: Dispatch
    claimed_at: datetime


def claim_for(
    session: Session, ticket: Ticket, verified_event_id: int | None = None
) -> Claim | int | None:
    """What the worker that just routed ``ticket`` forwards after its commit (caller commits).

    A :class:`Claim` when it creates the dispatch; the row's id when the row was there already (a
    re-run job: ``deliver`` decides what is left to do); None when the ticket awaits none. A
    worker that dies after the commit leaves a claim the sweeper takes back
    (``sweeps.take_back_stalled``), as for one that dies during the call.
    """
    if ticket.status != "verified" or not ticket.agency_code:
        return None
    claimed_at = utcnow()
    event_id = verified_event_id or latest_event_id(session, ticket.id, "verified")
    row = request_row(session, ticket, DISPATCHED, event_id or 0, claimed_at=claimed_at)
    if row is None:
        return None
    mine = row.status == SENDING and row.attempts == 1 and row.updated_at == claimed_at
    return Claim(row, claimed_at) if mine else row.id


def request_for_message(session: Session, inbound_id: int) -> int | None:
    """After processing an SMS: the dispatch its ticket now needs, if it became verified."""
    ticket_id = session.scalar(
        select(InboundMessage.ticket_id).where(InboundMessage.id == inbound_id)
    )
    return request_for_ticket(session, ticket_id) if ticket_id else None


def _still_wanted(row: Dispatch, ticket: Ticket) -> bool:
    if row.purpose == SLA_ESCALATED:  # to the supervisor: wanted while the agency owes an answer
        return ticket.status == "dispatched"
    if ticket.agency_code != row.agency_code:
        return False
    return ticket.status == ("verified" if row.purpose == DISPATCHED else "dispatched")


def _holding(dispatch_id: int, attempt: int, claimed_at: datetime) -> tuple:
    """The claim a worker made is still its own: not taken back by the sweeper since."""
    return (
        Dispatch.id == dispatch_id,
        Dispatch.status == SENDING,
        Dispatch.attempts == attempt,
        Dispatch.updated_at == claimed_at,
    )


def deliver(
    session: Session, dispatch: int | Claim, transport: Transport, now: datetime
) -> Outcome:
    """Send one dispatch through its channel; raise RetryLater on a transient failure.

    The claim (pending/retrying → sending) is committed before the call; a :class:`Claim` is one
    committed already. What the call then writes is conditional: a failure only while the claim
    is still this worker's (the sweeper may have taken it back, see
    ``sweeps.take_back_stalled``), a success unless another success or a cancellation got there
    first, so a late worker neither regresses the row nor delivers it twice.
    """
    if isinstance(dispatch, Claim):
        row = dispatch.row
        ticket = session.get(Ticket, row.ticket_id)
        agency = session.get(Agency, row.agency_code)
        if agency is not None:
            return _attempt(session, row, ticket, agency, 1, dispatch.claimed_at, transport, now)
        return _as_found(session, row)  # gone since the commit: the sweeper takes the claim back
    dispatch_id = dispatch
    row = session.get(Dispatch, dispatch_id)
    if row is None or row.status not in (PENDING, RETRYING):
        return Outcome(row.status if row else "missing")
    ticket = session.get(Ticket, row.ticket_id)
    agency = session.get(Agency, row.agency_code)
    if agency is None or not _still_wanted(row, ticket):
        cancelled = _write(
            session,
            row,
            (Dispatch.id == dispatch_id, Dispatch.status.in_((PENDING, RETRYING))),
            status=CANCELLED,
            last_error="the ticket moved on before it was forwarded",
        )
        session.commit()
        return Outcome(CANCELLED) if cancelled else _as_found(session, row)
    claimed_at = utcnow()
    attempt = session.execute(
        update(Dispatch)
        .where(Dispatch.id == dispatch_id, Dispatch.status.in_((PENDING, RETRYING)))
        .values(status=SENDING, attempts=Dispatch.attempts + 1, updated_at=claimed_at)
        .returning(Dispatch.attempts)
        .execution_options(synchronize_session=False)
    ).scalar()
    session.commit()
    if attempt is None:  # another worker took it: report what it made of it
        return _as_found(session, row)
    for name, value in (("status", SENDING), ("attempts", attempt), ("updated_at", claimed_at)):
        set_committed_value(row, name, value)
    return _attempt(session, row, ticket, agency, attempt, claimed_at, transport, now)


def _attempt(
    session: Session,
    row: Dispatch,
    ticket: Ticket,
    agency: Agency,
    attempt: int,
    claimed_at: datetime,
    transport: Transport,
    now: datetime,
) -> Outcome:
    """The call, for a claim this worker holds, and what it leaves."""
    # Held for the whole delivery: the payload and the citizen's SMS both read it, one query.
    _reporter = session.get(Citizen, ticket.citizen_id) if ticket.citizen_id else None
    try:
        send(session, row, ticket, agency, transport)
    except channels.DispatchError as exc:
        return _failed(session, row, ticket, exc, attempt, claimed_at, transport)
    return _delivered(session, row, ticket, agency, transport, now)


def _write(session: Session, row: Dispatch, where: tuple, **values: object) -> bool:
    """Update the row only where ``where`` still holds; True (and ``row`` updated) when it did."""
    values.setdefault("updated_at", utcnow())
    # On the table, not through the ORM: the row is updated in memory below, and the ORM's
    # bulk UPDATE would cost twice the CPU for nothing more.
    statement = update(Dispatch.__table__).where(*where).values(**values)
    if not session.execute(statement).rowcount:
        return False
    for name, value in values.items():
        set_committed_value(row, name, value)
    return True


def _as_found(session: Session, row: Dispatch) -> Outcome:
    session.commit()
    session.refresh(row)
    return Outcome(row.status)


def _failed(
    session: Session,
    row: Dispatch,
    ticket: Ticket,
    exc: channels.DispatchError,
    attempt: int,
    claimed_at: datetime,
    t: Transport,
) -> Outcome:
    final = isinstance(exc, channels.Permanent) or attempt >= t.max_attempts
    status = DEAD if final else RETRYING
    error = str(exc)[:2000]
    if not _write(
        session,
        row,
        _holding(row.id, attempt, claimed_at),
        status=status,
        last_error=error,
        response_code=exc.code,
    ):  # taken back while this worker was slow: the sweeper's retry decides now
        return _as_found(session, row)
    if final:
        lifecycle.record(
            session,
            ticket.id,
            "dispatch_failed",
            actor="system",
            reason=f"{row.channel}: {exc}"[:500],
            data={"dispatch": row.id, "agency": row.agency_code, "attempts": attempt},
        )
    session.commit()
    if not final:
        raise RetryLater(str(exc)) from exc
    return Outcome(DEAD)


_dispatches = Dispatch.__table__
# The first success of a delivery (built once: every forwarded complaint ends here).
_DELIVERED = (
    update(_dispatches)
    .where(
        _dispatches.c.id == bindparam("delivered"),
        _dispatches.c.status.in_((SENDING, RETRYING, DEAD)),
    )
    .values(
        status=DELIVERED, delivered_at=bindparam("at"), updated_at=bindparam("at"), last_error=None
    )
    .returning(_dispatches.c.id)
)


def _delivered(
    session: Session, row: Dispatch, ticket: Ticket, agency: Agency, t: Transport, now: datetime
) -> Outcome:
    # Any 2xx for this delivery id means the agency has it, even one that comes back after the
    # sweeper took the claim back (and perhaps gave up on it): the first success is recorded,
    # once; a second one (the agency ignored the repeat) finds the row delivered and stops.
    at = utcnow()
    first_success = (_DELIVERED, {"delivered": row.id, "at": at})
    data = {
        "agency": agency.code,
        "channel": row.channel,
        "dispatch": row.id,
        "purpose": row.purpose,
    }
    notices = []
    if row.purpose == DISPATCHED and lifecycle.can_move(ticket.status, "dispatched"):
        # The row, the ticket and its event in one statement on PostgreSQL (the row guards it).
        change = lifecycle.move(
            session,
            ticket,
            "dispatched",
            actor="system",
            kind="dispatched",
            data=data,
            guard=first_success,
        )
        if change is None:
            return _as_found(session, row)
        _mark_delivered(row, at)
        notice = citizen.status_update(
            session,
            ticket,
            change.event_id,
            "dispatched",
            provider=t.provider,
            now=now,
            agency=agency.name,
        )
        notices = [notice] if notice else []
    else:
        if session.execute(*first_success).first() is None:
            return _as_found(session, row)
        _mark_delivered(row, at)
        lifecycle.record(session, ticket.id, "agency_notified", actor="system", data=data)
    session.commit()
    return Outcome(DELIVERED, notices)


def _mark_delivered(row: Dispatch, at: datetime) -> None:
    for name, value in (("status", DELIVERED), ("delivered_at", at), ("updated_at", at)):
        set_committed_value(row, name, value)
    set_committed_value(row, "last_error", None)
