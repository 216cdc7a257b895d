"""Writing an SMS and its effects with one statement per row: every database, every kind.

``finish`` completes every kind but the two store_pg writes in one statement (a new complaint,
an empty SMS) once the message row exists, on both paths.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Executable

from .. import activity, citizen_commands, lifecycle, tracking
from ..models import Citizen, InboundMessage, Ticket, TicketEvent
from ..models.base import UTCDateTime
from ..sms.templates import render
from .model import Draft, IntakeResult, result

CITIZENS = Citizen.__table__
INBOUND = InboundMessage.__table__
TICKETS = Ticket.__table__
EVENTS = TicketEvent.__table__
MAX_TRACKING_ATTEMPTS = 8
APPENDABLE = frozenset({"received", "needs_info", "verified"})


@dataclass(frozen=True)
class _Statements:
    """Statements built once per dialect: values come as execute() parameters."""

    citizen: Executable
    inbound: Executable
    ticket: Executable
    event: Executable
    decision: Executable


@functools.cache
def _statements(dialect: str) -> _Statements:
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    citizen = upsert(CITIZENS)
    return _Statements(
        citizen=citizen.on_conflict_do_update(
            index_elements=["phone"], set_={"last_seen_at": citizen.excluded.last_seen_at}
        ).returning(CITIZENS.c.id, CITIZENS.c.language),
        inbound=upsert(INBOUND)
        .on_conflict_do_nothing(index_elements=["provider", "provider_message_id"])
        .returning(INBOUND.c.id),
        ticket=upsert(TICKETS)
        .on_conflict_do_nothing(index_elements=["tracking_number"])
        .returning(TICKETS.c.id),
        event=insert(EVENTS),
        decision=text(f"WITH {activity.DECISION.format(lock='')} SELECT * FROM d")
        .bindparams(*(bindparam(name, type_=UTCDateTime()) for name in activity.DATETIMES))
        .columns(last_complaint_at=UTCDateTime()),
    )


def statements(session: Session) -> _Statements:
    return _statements(session.get_bind().dialect.name)


def citizen(session: Session, phone: str, valid: bool, now: datetime) -> tuple[int, str]:
    """The sender's citizen row (created on first contact): id and reply language."""
    row = session.execute(
        statements(session).citizen,
        {
            "phone": phone,
            "phone_valid": valid,
            "language": "id",
            "opted_out": False,
            "flagged": False,
            "created_at": now,
            "last_seen_at": now,
        },
    ).one()
    return row.id, row.language


def existing(session: Session, draft: Draft) -> IntakeResult:
    """The result stored the first time this provider message arrived."""
    row = session.execute(
        select(
            INBOUND.c.id,
            INBOUND.c.kind,
            INBOUND.c.reply,
            INBOUND.c.ticket_id,
            TICKETS.c.id.label("opened_id"),
            TICKETS.c.tracking_number,
        )
        .select_from(INBOUND.outerjoin(TICKETS, TICKETS.c.source_message_id == INBOUND.c.id))
        .where(
            INBOUND.c.provider == draft.sms.provider,
            INBOUND.c.provider_message_id == draft.message_id,
        )
    ).one()
    return IntakeResult(
        inbound_id=row.id,
        kind=row.kind,
        reply=row.reply or "",
        duplicate=True,
        ticket_id=row.opened_id or row.ticket_id,
        tracking_number=row.tracking_number,
    )


def open_ticket(
    session: Session, draft: Draft, number: str, inbound_id: int, citizen_id: int, language: str
) -> tuple[int, str]:
    """Insert the ticket and its first event; a (very rare) number collision draws a new one."""
    read, now = draft.read, draft.sms.received_at
    values = {
        "status": "received",
        "channel": "sms",
        "citizen_id": citizen_id,
        "source_message_id": inbound_id,
        "text": read.text,
        "language": language,
        "is_rahasia": read.rahasia,
        "is_anonim": read.anonim,
        "is_urgent": read.emergency is not None,
        "emergency_kind": read.emergency,
        "report_type": "pengaduan",
        "needs_triage": False,
        "region_hint": draft.region_hint,
        "created_at": now,
        "updated_at": now,
    }
    for _ in range(MAX_TRACKING_ATTEMPTS):
        ticket_id = session.execute(
            statements(session).ticket, {**values, "tracking_number": number}
        ).scalar()
        if ticket_id is not None:
            session.execute(
                statements(session).event,
                {
                    "ticket_id": ticket_id,
                    "at": now,
                    "actor": "citizen",
                    "kind": "created",
                    "to_status": "received",
                    "reason": "SMS",
                },
            )
            return ticket_id, number
        number = tracking.generate()
    raise RuntimeError("no free tracking number after several tries")  # ~never: 9e8 numbers


def _insert_inbound(session: Session, draft: Draft, citizen_id: int) -> int | None:
    return session.execute(
        statements(session).inbound,
        {
            "provider": draft.sms.provider,
            "provider_message_id": draft.message_id,
            "sender": draft.sender,
            "sender_valid": draft.sender_valid,
            "recipient": draft.recipient,
            "body": draft.body,
            "raw_payload": draft.sms.raw,
            "received_at": draft.sms.received_at,
            "state": "received",
            "kind": draft.kind,
            "citizen_id": citizen_id,
            "reply": None,
            "ticket_id": None,
            "attempts": 0,
        },
    ).scalar()


def _set_reply(session: Session, inbound_id: int, reply: str, ticket_id: int | None) -> None:
    session.execute(
        update(INBOUND).where(INBOUND.c.id == inbound_id).values(reply=reply, ticket_id=ticket_id)
    )


def remember(session: Session, citizen_id: int, draft: Draft, number: str) -> None:
    """Note on the citizen's row the new complaint this SMS opened (for the next SMS to join)."""
    session.execute(
        update(CITIZENS)
        .where(CITIZENS.c.id == citizen_id)
        .values(
            last_complaint_number=number,
            last_complaint_fingerprint=activity.fingerprint(draft.read.text, draft.read.normalized),
            last_complaint_at=draft.sms.received_at,
        )
    )


def _followed(session: Session, draft: Draft, citizen_id: int) -> Ticket | None:
    """The ticket of the complaint this SMS follows, if it is still the citizen's and open."""
    if draft.follows is None:
        return None
    ticket = session.execute(
        select(Ticket).where(Ticket.tracking_number == draft.follows.tracking_number)
    ).scalar_one_or_none()
    if ticket is None or ticket.citizen_id != citizen_id or ticket.status not in APPENDABLE:
        return None
    return ticket


def _waiting(session: Session, citizen_id: int, now: datetime) -> Ticket | None:
    """The citizen's ticket that waits for details (the latest asked), if it has not for long."""
    return session.execute(
        select(Ticket)
        .where(
            Ticket.citizen_id == citizen_id,
            Ticket.status == "needs_info",
            Ticket.updated_at >= now - timedelta(seconds=activity.DETAILS_WINDOW_SECONDS),
        )
        .order_by(Ticket.updated_at.desc(), Ticket.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _attach(
    session: Session, draft: Draft, citizen_id: int, inbound_id: int, now: datetime
) -> tuple[Ticket, str] | None:
    """Add this SMS to an existing ticket: the rest of a split complaint, or an answer to an
    agency's response. Returns the ticket and the reply template, or None."""
    if draft.kind == "continuation":
        ticket = _followed(session, draft, citizen_id)
        if ticket is None:
            return None
        ticket.text = f"{ticket.text} {draft.read.text}"
        lifecycle.record(
            session, ticket.id, "continued", actor="citizen", data={"inbound_id": inbound_id}
        )
        return ticket, "continued"
    from .. import followup  # imported here: followup → outbound → intake would be a cycle

    threaded = followup.thread_reply(session, citizen_id, draft.read.text, inbound_id, now)
    if threaded is None:
        return None
    ticket, reopened = threaded
    return ticket, "answer_reopened" if reopened else "answer_threaded"


def store_generic(session: Session, draft: Draft, limits: activity.Limits | None) -> IntakeResult:
    """Citizen, decision, message and whatever the kind of SMS needs, as separate statements.

    Without ``limits`` (a replayed spool) the SMS is taken as read and its number's activity
    is left as it was.
    """
    now = draft.sms.received_at
    # The upsert comes first: on SQLite it takes the write lock, so the decision below reads
    # the row as no other SMS can change it before this transaction ends.
    citizen_id, preferred = citizen(session, draft.sender, draft.sender_valid, now)
    if limits is not None:
        decision = activity.parameters(
            sender=draft.sender,
            provider=draft.sms.provider,
            message_id=draft.message_id,
            kind=draft.kind,
            text=draft.read.text,
            now=now,
            limits=limits,
            normalized=draft.read.normalized,
        )
        decided = session.execute(statements(session).decision, decision).one_or_none()
        if decided is None:  # the provider retried
            return existing(session, draft)
        throttled = decided.kind == "throttled"
        session.execute(
            update(CITIZENS)
            .where(CITIZENS.c.id == citizen_id)
            .values(
                activity_minute=decision["minute"],
                sms_in_minute=decided.sms_in_minute,
                activity_hour=decision["hour"],
                sms_in_hour=decided.sms_in_hour,
                **({"flagged": True, "flagged_reason": activity.FLAG_REASON} if throttled else {}),
            )
        )
        draft = decide(draft, decided)
    inbound_id = _insert_inbound(session, draft, citizen_id)
    if inbound_id is None:
        return existing(session, draft)
    language = preferred if preferred != "id" else draft.read.language
    return finish(session, draft, inbound_id, citizen_id, language, live=limits is not None)


def decide(draft: Draft, decided) -> Draft:  # noqa: ANN001
    """The draft as the decision row has it: its kind, and the complaint it follows."""
    follows = None
    if decided.last_complaint_number is not None and decided.last_complaint_at is not None:
        follows = activity.LastComplaint(
            decided.last_complaint_number,
            decided.last_complaint_fingerprint or "",
            decided.last_complaint_at,
        )
    return dataclasses.replace(draft, kind=decided.kind, follows=follows)


def finish(
    session: Session, draft: Draft, inbound_id: int, citizen_id: int, language: str, live: bool
) -> IntakeResult:
    """Everything the kind of SMS needs once its message row is stored; the reply."""
    now = draft.sms.received_at
    if draft.kind == "throttled":
        _set_reply(session, inbound_id, "", None)
        return result(draft, inbound_id, "")

    if draft.kind == "duplicate":
        number = draft.follows.tracking_number
        ticket_id = session.scalar(select(TICKETS.c.id).where(TICKETS.c.tracking_number == number))
        reply = render("duplicate", language, digits=number)
        _set_reply(session, inbound_id, reply, ticket_id)
        return result(draft, inbound_id, reply, ticket_id=ticket_id, tracking_number=number)

    if draft.kind == "command":
        outcome = citizen_commands.execute(session, draft.read.command, citizen_id, language)
        _set_reply(session, inbound_id, outcome.reply, outcome.ticket_id)
        if outcome.reanalyse:  # an INFO that answers the place asked: the worker reads it again
            session.execute(update(INBOUND).where(INBOUND.c.id == inbound_id).values(kind="info"))
        return result(draft, inbound_id, outcome.reply, ticket_id=outcome.ticket_id)

    if draft.kind == "info" and draft.read.emergency is None:
        waiting = _waiting(session, citizen_id, now)
        if waiting is not None:
            outcome = citizen_commands.add_info(session, waiting, draft.read.text, language)
            _set_reply(session, inbound_id, outcome.reply, waiting.id)
            return result(
                draft,
                inbound_id,
                outcome.reply,
                ticket_id=waiting.id,
                tracking_number=waiting.tracking_number,
            )

    if draft.kind in ("continuation", "answer"):
        attached = _attach(session, draft, citizen_id, inbound_id, now)
        if attached is not None:
            ticket, template = attached
            reply = render(template, language, digits=ticket.tracking_number)
            _set_reply(session, inbound_id, reply, ticket.id)
            return result(
                draft,
                inbound_id,
                reply,
                ticket_id=ticket.id,
                tracking_number=ticket.tracking_number,
            )
    if draft.kind in ("continuation", "answer", "info"):
        # Nothing to attach to after all: it is a new complaint.
        session.execute(update(INBOUND).where(INBOUND.c.id == inbound_id).values(kind="complaint"))

    if draft.number is None:  # empty
        reply = draft.reply(language)
        _set_reply(session, inbound_id, reply, None)
        return result(draft, inbound_id, reply)

    ticket_id, number = open_ticket(session, draft, draft.number, inbound_id, citizen_id, language)
    reply = draft.reply(language, number)
    session.execute(update(INBOUND).where(INBOUND.c.id == inbound_id).values(reply=reply))
    if live:
        remember(session, citizen_id, draft, number)
    return IntakeResult(
        inbound_id=inbound_id,
        kind="complaint",
        reply=reply,
        ticket_id=ticket_id,
        tracking_number=number,
        urgent=draft.read.emergency is not None,
        opened=True,
    )
