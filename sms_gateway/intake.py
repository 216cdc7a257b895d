"""Intake: store an inbound SMS, open or find its ticket, and choose the immediate reply.

This is the webhook's hot path. It runs inside the caller's transaction and does only what the
instant answer needs: a handful of indexed statements, no network calls. Everything slower
(understanding, classification, routing) happens in the worker after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import phonenumbers
from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

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


def _citizen(session: Session, phone: str, valid: bool, now: datetime) -> tuple[int, str]:
    """The sender's citizen row (created on first contact): id and reply language."""
    statement = _insert(session, CITIZENS).values(
        phone=phone,
        phone_valid=valid,
        language="id",
        opted_out=False,
        flagged=False,
        created_at=now,
        last_seen_at=now,
    )
    row = session.execute(
        statement.on_conflict_do_update(
            index_elements=["phone"], set_={"last_seen_at": statement.excluded.last_seen_at}
        ).returning(CITIZENS.c.id, CITIZENS.c.language)
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
    for _ in range(MAX_TRACKING_ATTEMPTS):
        ticket_id = session.execute(
            _insert(session, TICKETS)
            .values(
                tracking_number=number,
                status="received",
                channel="sms",
                citizen_id=citizen_id,
                source_message_id=inbound_id,
                text=read.text,
                language=language,
                is_rahasia=read.rahasia,
                is_anonim=read.anonim,
                is_urgent=read.emergency is not None,
                emergency_kind=read.emergency,
                report_type="pengaduan",
                needs_triage=False,
                region_hint=read.region_hint,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["tracking_number"])
            .returning(TICKETS.c.id)
        ).scalar()
        if ticket_id is not None:
            session.execute(
                insert(EVENTS).values(
                    ticket_id=ticket_id,
                    at=now,
                    actor="citizen",
                    kind="created",
                    to_status="received",
                    reason="SMS",
                )
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


def receive(session: Session, sms: IncomingSms) -> IntakeResult:
    """Store the SMS and open its ticket or answer its command, in the caller's transaction.

    Four statements for a new complaint (citizen upsert, message, ticket, event) and one commit
    by the caller. The reply is decided before the message row is written, so a retried webhook
    finds it stored there and answers the same.
    """
    sender, sender_valid = normalise_sender(sms.sender)
    body = clean_text(sms.body)
    now = sms.received_at
    citizen_id, language = _citizen(session, sender, sender_valid, now)
    read = quick_read(body)
    reply_language = language if language != "id" else read.language

    number = None
    if read.kind == "complaint":
        number = tracking.generate()
        template = "emergency_ack" if read.emergency else "ack"
        reply = render(template, reply_language, digits=number)
    elif read.kind == "status":
        reply = _status_reply(session, read, reply_language)
    else:
        reply = render("empty", reply_language)

    inbound_id = session.execute(
        _insert(session, INBOUND)
        .values(
            provider=sms.provider,
            provider_message_id=clean_text(sms.message_id)[:64],
            sender=sender,
            sender_valid=sender_valid,
            recipient=clean_text(sms.recipient)[:64],
            body=body,
            raw_payload=sms.raw,
            received_at=now,
            state="received",
            kind=read.kind,
            citizen_id=citizen_id,
            reply=reply,
            attempts=0,
        )
        .on_conflict_do_nothing(index_elements=["provider", "provider_message_id"])
        .returning(INBOUND.c.id)
    ).scalar()
    if inbound_id is None:
        return _existing(session, sms)

    ticket_id = None
    if number is not None:
        ticket_id, drawn = _open_ticket(
            session, read, number, inbound_id, citizen_id, reply_language, now
        )
        if drawn != number:
            number, reply = drawn, render(template, reply_language, digits=drawn)
            session.execute(update(INBOUND).where(INBOUND.c.id == inbound_id).values(reply=reply))
    return IntakeResult(
        inbound_id=inbound_id,
        kind=read.kind,
        reply=reply,
        ticket_id=ticket_id,
        tracking_number=number,
        urgent=read.emergency is not None,
    )
