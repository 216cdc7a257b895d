"""Intake: store an inbound SMS, open or find its ticket, and choose the immediate reply.

This is the webhook's hot path. It runs inside the caller's transaction and does only what the
instant answer needs: a handful of indexed statements, no network calls. Everything slower
(understanding, classification, routing) happens in the worker after the commit.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import datetime

import phonenumbers
from sqlalchemy import insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Executable

from . import tracking
from .models import Citizen, InboundMessage, Ticket, TicketEvent
from .quickread import QuickRead, quick_read
from .sms.templates import render, status_name

MAX_SENDER = 64
MAX_TRACKING_ATTEMPTS = 8


@dataclass(frozen=True)
class IncomingSms:
    """An SMS as a provider handed it over, before anything is decided."""

    provider: str
    message_id: str
    sender: str
    recipient: str
    body: str
    received_at: datetime
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class IntakeResult:
    """What intake did, and what to answer right away."""

    inbound_id: int
    kind: str
    reply: str
    duplicate: bool = False
    ticket_id: int | None = None
    tracking_number: str | None = None
    urgent: bool = False

    @property
    def needs_processing(self) -> bool:
        return not self.duplicate


def normalise_sender(sender: str) -> tuple[str, bool]:
    """The sender as E.164 when it is a phone number (Indonesian by default), else verbatim."""
    raw = clean_text(sender).strip()[:MAX_SENDER]
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        return raw, False
    if not phonenumbers.is_possible_number(number):
        return raw, False
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), True


def clean_text(text: str) -> str:
    """Text as stored: NUL is the one character no database column takes, so it is replaced."""
    return text.replace("\x00", "\ufffd")


CITIZENS = Citizen.__table__
INBOUND = InboundMessage.__table__
TICKETS = Ticket.__table__
EVENTS = TicketEvent.__table__


def _insert(session: Session, table):  # noqa: ANN001, ANN202
    """An INSERT that knows ON CONFLICT on the two databases we run on."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    return insert(table)


@dataclass(frozen=True)
class _Statements:
    """The hot path's statements, built once per dialect: values come as execute() parameters."""

    citizen: Executable
    inbound: Executable
    ticket: Executable
    event: Executable


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
    )


def _citizen(session: Session, phone: str, valid: bool, now: datetime) -> tuple[int, str]:
    """The sender's citizen row (created on first contact): id and reply language."""
    row = session.execute(
        _statements(session.get_bind().dialect.name).citizen,
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


def _existing(session: Session, sms: IncomingSms) -> IntakeResult:
    row = session.execute(
        select(
            INBOUND.c.id,
            INBOUND.c.kind,
            INBOUND.c.reply,
            TICKETS.c.id.label("ticket_id"),
            TICKETS.c.tracking_number,
        )
        .select_from(INBOUND.outerjoin(TICKETS, TICKETS.c.source_message_id == INBOUND.c.id))
        .where(
            INBOUND.c.provider == sms.provider,
            INBOUND.c.provider_message_id == clean_text(sms.message_id)[:64],
        )
    ).one()
    return IntakeResult(
        inbound_id=row.id,
        kind=row.kind,
        reply=row.reply or "",
        duplicate=True,
        ticket_id=row.ticket_id,
        tracking_number=row.tracking_number,
    )


def _open_ticket(
    session: Session,
    read: QuickRead,
    number: str,
    inbound_id: int,
    citizen_id: int,
    language: str,
    now: datetime,
) -> tuple[int, str]:
    """Insert the ticket and its first event; a (very rare) number collision draws a new one."""
    statements = _statements(session.get_bind().dialect.name)
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
        "region_hint": read.region_hint,
        "created_at": now,
        "updated_at": now,
    }
    for _ in range(MAX_TRACKING_ATTEMPTS):
        ticket_id = session.execute(
            statements.ticket, {**values, "tracking_number": number}
        ).scalar()
        if ticket_id is not None:
            session.execute(
                statements.event,
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


def _status_reply(session: Session, read: QuickRead, language: str) -> str:
    command = read.command
    if command.number is None:
        if command.given:
            return render("status_invalid", language, given=command.given)
        return render("status_missing", language)
    status = session.execute(
        select(TICKETS.c.status).where(TICKETS.c.tracking_number == command.number)
    ).scalar()
    if status is None:
        return render("status_unknown", language, digits=command.number)
    return render("status", language, digits=command.number, status=status_name(status, language))


# PostgreSQL: citizen, message, ticket and first event in one round trip (data-modifying CTEs).
# Same effect as _store_generic; the test suite runs against both.
_PG_STORE = text("""
WITH c AS (
    INSERT INTO citizens AS ci (phone, phone_valid, language, opted_out, flagged, created_at,
                                last_seen_at)
    VALUES (:sender, :sender_valid, 'id', false, false, :now, :now)
    ON CONFLICT (phone) DO UPDATE SET last_seen_at = excluded.last_seen_at
    RETURNING ci.id, ci.language
), m AS (
    INSERT INTO inbound_messages (provider, provider_message_id, sender, sender_valid, recipient,
                                  body, raw_payload, received_at, state, kind, citizen_id, reply,
                                  attempts)
    SELECT :provider, :message_id, :sender, :sender_valid, :recipient, :body,
           CAST(:raw AS JSON), :now, 'received', :kind, c.id,
           CASE WHEN c.language = 'en' THEN :reply_en ELSE :reply END, 0
    FROM c
    ON CONFLICT (provider, provider_message_id) DO NOTHING
    RETURNING id, reply
), t AS (
    INSERT INTO tickets (tracking_number, status, channel, citizen_id, source_message_id, text,
                         language, is_rahasia, is_anonim, is_urgent, emergency_kind, report_type,
                         needs_triage, region_hint, created_at, updated_at)
    SELECT :number, 'received', 'sms', c.id, m.id, :text,
           CASE WHEN c.language = 'en' THEN 'en' ELSE :language END,
           :rahasia, :anonim, :urgent, :emergency, 'pengaduan', false, :region_hint, :now, :now
    FROM m, c
    WHERE :open_ticket
    ON CONFLICT (tracking_number) DO NOTHING
    RETURNING id
), e AS (
    INSERT INTO ticket_events (ticket_id, at, actor, kind, to_status, reason)
    SELECT t.id, :now, 'citizen', 'created', 'received', 'SMS' FROM t
    RETURNING ticket_id
)
SELECT c.id AS citizen_id, c.language, m.id AS inbound_id, m.reply, e.ticket_id
FROM c LEFT JOIN m ON true LEFT JOIN e ON true
""")


@dataclass(frozen=True)
class _Draft:
    """Everything decided about an SMS before it is written."""

    sms: IncomingSms
    sender: str
    sender_valid: bool
    body: str
    read: QuickRead
    number: str | None
    template: str


def _reply(draft: _Draft, language: str) -> str:
    return render(draft.template, language, digits=draft.number or "")


def _store_postgresql(session: Session, draft: _Draft) -> IntakeResult:
    """One statement; a (very rare) tracking-number collision opens the ticket separately."""
    read, now = draft.read, draft.sms.received_at
    row = session.execute(
        _PG_STORE,
        {
            "sender": draft.sender,
            "sender_valid": draft.sender_valid,
            "now": now,
            "provider": draft.sms.provider,
            "message_id": clean_text(draft.sms.message_id)[:64],
            "recipient": clean_text(draft.sms.recipient)[:64],
            "body": draft.body,
            "raw": json.dumps(draft.sms.raw),
            "kind": read.kind,
            "reply": _reply(draft, read.language),
            "reply_en": _reply(draft, "en"),
            "number": draft.number,
            "text": read.text,
            "language": read.language,
            "rahasia": read.rahasia,
            "anonim": read.anonim,
            "urgent": read.emergency is not None,
            "emergency": read.emergency,
            "region_hint": read.region_hint,
            "open_ticket": draft.number is not None,
        },
    ).one()
    if row.inbound_id is None:
        return _existing(session, draft.sms)
    if draft.number is not None and row.ticket_id is None:
        language = row.language if row.language != "id" else read.language
        ticket_id, number = _open_ticket(
            session, read, tracking.generate(), row.inbound_id, row.citizen_id, language, now
        )
        reply = render(draft.template, language, digits=number)
        session.execute(update(INBOUND).where(INBOUND.c.id == row.inbound_id).values(reply=reply))
        return _result(draft, row.inbound_id, reply, ticket_id, number)
    return _result(draft, row.inbound_id, row.reply, row.ticket_id, draft.number)


def _store_generic(session: Session, draft: _Draft) -> IntakeResult:
    """Citizen upsert, message, ticket and event as separate statements (SQLite, commands)."""
    read, now = draft.read, draft.sms.received_at
    citizen_id, language = _citizen(session, draft.sender, draft.sender_valid, now)
    language = language if language != "id" else read.language
    if read.kind == "status":
        reply = _status_reply(session, read, language)
    else:
        reply = _reply(draft, language)
    inbound_id = session.execute(
        _statements(session.get_bind().dialect.name).inbound,
        {
            "provider": draft.sms.provider,
            "provider_message_id": clean_text(draft.sms.message_id)[:64],
            "sender": draft.sender,
            "sender_valid": draft.sender_valid,
            "recipient": clean_text(draft.sms.recipient)[:64],
            "body": draft.body,
            "raw_payload": draft.sms.raw,
            "received_at": now,
            "state": "received",
            "kind": read.kind,
            "citizen_id": citizen_id,
            "reply": reply,
            "attempts": 0,
        },
    ).scalar()
    if inbound_id is None:
        return _existing(session, draft.sms)
    ticket_id = number = None
    if draft.number is not None:
        ticket_id, number = _open_ticket(
            session, read, draft.number, inbound_id, citizen_id, language, now
        )
        if number != draft.number:
            reply = render(draft.template, language, digits=number)
            session.execute(update(INBOUND).where(INBOUND.c.id == inbound_id).values(reply=reply))
    return _result(draft, inbound_id, reply, ticket_id, number)


def _result(
    draft: _Draft, inbound_id: int, reply: str, ticket_id: int | None, number: str | None
) -> IntakeResult:
    return IntakeResult(
        inbound_id=inbound_id,
        kind=draft.read.kind,
        reply=reply,
        ticket_id=ticket_id,
        tracking_number=number,
        urgent=draft.read.emergency is not None,
    )


def receive(session: Session, sms: IncomingSms) -> IntakeResult:
    """Store the SMS and open its ticket or answer its command, in the caller's transaction.

    The reply is decided before the message row is written and stored with it, so a retried
    webhook finds it there and answers the same. On PostgreSQL a complaint costs one statement
    (plus the caller's commit); elsewhere four.
    """
    sender, sender_valid = normalise_sender(sms.sender)
    body = clean_text(sms.body)
    read = quick_read(body)
    complaint = read.kind == "complaint"
    draft = _Draft(
        sms=sms,
        sender=sender,
        sender_valid=sender_valid,
        body=body,
        read=read,
        number=tracking.generate() if complaint else None,
        template=("emergency_ack" if read.emergency else "ack") if complaint else "empty",
    )
    if read.kind != "status" and session.get_bind().dialect.name == "postgresql":
        return _store_postgresql(session, draft)
    return _store_generic(session, draft)
