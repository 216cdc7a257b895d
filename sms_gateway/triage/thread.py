"""What an operator reads on a ticket page: the SMS thread around it and its events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import InboundMessage, OutboundMessage, Ticket, TicketEvent

BEFORE, AFTER = timedelta(days=2), timedelta(days=60)  # the citizen's SMS "around" the ticket
LIMIT = 100
EVENTS = 300


@dataclass(frozen=True)
class Message:
    """One SMS in a ticket's thread, either way."""

    id: int
    direction: str  # "in" (from the citizen) or "out" (to the citizen)
    at: datetime
    body: str
    kind: str
    state: str  # the inbound message's state, or the outbound's delivery status
    ticket_id: int | None
    encoding: str | None = None
    segments: int | None = None
    error: str | None = None


def thread(session: Session, ticket: Ticket, phone: str | None) -> list[Message]:
    """The ticket's SMS and its citizen's SMS around it, both ways, in time order."""
    start, end = ticket.created_at - BEFORE, ticket.created_at + AFTER
    inbound = {
        m.id: m
        for query in (
            select(InboundMessage).where(InboundMessage.ticket_id == ticket.id),
            select(InboundMessage).where(
                InboundMessage.citizen_id == ticket.citizen_id,
                InboundMessage.received_at.between(start, end),
            )
            if ticket.citizen_id
            else None,
        )
        if query is not None
        for m in session.scalars(query.order_by(InboundMessage.id).limit(LIMIT))
    }
    outbound = {
        m.id: m
        for query in (
            select(OutboundMessage).where(OutboundMessage.ticket_id == ticket.id),
            select(OutboundMessage).where(
                OutboundMessage.to == phone, OutboundMessage.created_at.between(start, end)
            )
            if phone
            else None,
        )
        if query is not None
        for m in session.scalars(query.order_by(OutboundMessage.id).limit(LIMIT))
    }
    messages = [
        Message(m.id, "in", m.received_at, m.body, m.kind, m.state, m.ticket_id)
        for m in inbound.values()
    ] + [
        Message(
            m.id,
            "out",
            m.created_at,
            m.body,
            m.kind,
            m.status,
            m.ticket_id,
            m.encoding,
            m.segments,
            m.last_error,
        )
        for m in outbound.values()
    ]
    return sorted(messages, key=lambda m: (m.at, m.direction == "out", m.id))


def events(session: Session, ticket_id: int) -> list[TicketEvent]:
    """The ticket's history, oldest first (bounded)."""
    return list(
        session.scalars(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket_id)
            .order_by(TicketEvent.at, TicketEvent.id)
            .limit(EVENTS)
        )
    )
