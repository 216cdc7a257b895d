"""The SMS traffic as the live queue page shows it: latest messages, throughput, dead letters.

Every query is bounded: the latest rows by primary key with a LIMIT, counts over an indexed
time range or an indexed status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from ..disclosure import mask_phone
from ..models import Dispatch, InboundMessage, OutboundMessage, Ticket

LATEST = 50
PREVIEW_WORDS = 12
PREVIEW_CHARS = 90


@dataclass(frozen=True)
class InboundRow:
    id: int
    received_at: datetime
    sender: str  # masked: the full number is on the ticket page
    kind: str
    state: str
    preview: str  # the first words of the body, raw: the template escapes it
    tracking_number: str | None


@dataclass(frozen=True)
class OutboundRow:
    id: int
    created_at: datetime
    to: str  # masked
    kind: str
    status: str
    segments: int
    attempts: int
    error: str
    tracking_number: str | None


@dataclass(frozen=True)
class Throughput:
    """Messages per minute over the last 5 and 60 minutes."""

    inbound_5: float
    inbound_60: float
    outbound_5: float
    outbound_60: float


def preview(body: str) -> str:
    """The first words of an SMS, with an ellipsis when there is more."""
    words = body.split()
    short = " ".join(words[:PREVIEW_WORDS])
    if len(short) > PREVIEW_CHARS:
        short = short[:PREVIEW_CHARS].rstrip()
    return short + ("…" if short != " ".join(words) else "")


def latest_inbound(session: Session, limit: int = LATEST) -> list[InboundRow]:
    """The newest inbound SMS, newest first, with the tracking number of their ticket."""
    by_link = aliased(Ticket)  # the ticket the message concerns (set once processed)
    opened = aliased(Ticket)  # the ticket the message opened (set at intake)
    rows = session.execute(
        select(
            InboundMessage.id,
            InboundMessage.received_at,
            InboundMessage.sender,
            InboundMessage.kind,
            InboundMessage.state,
            InboundMessage.body,
            func.coalesce(by_link.tracking_number, opened.tracking_number),
        )
        .outerjoin(by_link, by_link.id == InboundMessage.ticket_id)
        .outerjoin(opened, opened.source_message_id == InboundMessage.id)
        .order_by(InboundMessage.id.desc())
        .limit(limit)
    ).all()
    return [
        InboundRow(id_, at, mask_phone(sender), kind, state, preview(body or ""), number)
        for id_, at, sender, kind, state, body, number in rows
    ]


def latest_outbound(session: Session, limit: int = LATEST) -> list[OutboundRow]:
    """The newest outbound SMS, newest first, with their delivery state."""
    rows = session.execute(
        select(
            OutboundMessage.id,
            OutboundMessage.created_at,
            OutboundMessage.to,
            OutboundMessage.kind,
            OutboundMessage.status,
            OutboundMessage.segments,
            OutboundMessage.attempts,
            OutboundMessage.error_code,
            OutboundMessage.last_error,
            Ticket.tracking_number,
        )
        .outerjoin(Ticket, Ticket.id == OutboundMessage.ticket_id)
        .order_by(OutboundMessage.id.desc())
        .limit(limit)
    ).all()
    return [
        OutboundRow(
            id_,
            at,
            mask_phone(to),
            kind,
            status,
            segments,
            attempts,
            " ".join(filter(None, [code, (error or "")[:120]])),
            number,
        )
        for id_, at, to, kind, status, segments, attempts, code, error, number in rows
    ]


def throughput(session: Session, now: datetime) -> Throughput:
    """Inbound (received) and outbound (sent) SMS per minute over the last 5 and 60 minutes."""
    hour_ago, five_ago = now - timedelta(minutes=60), now - timedelta(minutes=5)
    inbound = session.execute(
        select(
            func.count(),
            func.count().filter(InboundMessage.received_at >= five_ago),
        ).where(InboundMessage.received_at >= hour_ago)
    ).one()
    outbound = session.execute(
        select(
            func.count(),
            func.count().filter(OutboundMessage.sent_at >= five_ago),
        ).where(OutboundMessage.sent_at >= hour_ago)
    ).one()
    return Throughput(
        inbound_5=inbound[1] / 5,
        inbound_60=inbound[0] / 60,
        outbound_5=outbound[1] / 5,
        outbound_60=outbound[0] / 60,
    )


def dead_letters(session: Session) -> dict[str, int]:
    """Forwardings to agencies given up on, and outbound SMS that failed for good."""
    return {
        "dispatches": session.scalar(
            select(func.count()).select_from(Dispatch).where(Dispatch.status == "dead")
        )
        or 0,
        "outbound": session.scalar(
            select(func.count())
            .select_from(OutboundMessage)
            .where(OutboundMessage.status == "failed")
        )
        or 0,
    }
