"""Finding work that fell between the cracks: SMS never picked up, spooled SMS to replay."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import intake, outbound
from .models import InboundMessage, OutboundMessage, utcnow


def stuck_inbound(session: Session, older_than_seconds: int, limit: int = 1000) -> list[int]:
    """Stored SMS still waiting for processing after ``older_than_seconds``."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    return list(
        session.execute(
            select(InboundMessage.id)
            .where(InboundMessage.state == "received", InboundMessage.received_at < cutoff)
            .order_by(InboundMessage.id)
            .limit(limit)
        ).scalars()
    )


def stuck_outbound(session: Session, older_than_seconds: int, limit: int = 1000) -> list[int]:
    """Outbound SMS still queued after ``older_than_seconds``."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    return list(
        session.execute(
            select(OutboundMessage.id)
            .where(OutboundMessage.status == "queued", OutboundMessage.created_at < cutoff)
            .order_by(OutboundMessage.id)
            .limit(limit)
        ).scalars()
    )


def take_spooled(
    session: Session, sms: intake.IncomingSms, provider: str
) -> tuple[int | None, int | None]:
    """Run a spooled SMS through intake and queue its reply as an SMS (caller commits).

    The citizen got only a generic thank-you while the database was down, so the answer they
    should have had (with the tracking number) goes out as an SMS. Returns the new inbound id and
    outbound id, or (None, None) when this SMS was already taken (a second replay).
    """
    result = intake.receive(session, sms)
    if result.duplicate:
        return None, None
    sender, valid = intake.normalise_sender(sms.sender)
    if not valid or not result.reply:
        return result.inbound_id, None
    queued = outbound.queue_sms(
        session,
        to=sender,
        body=result.reply,
        kind="reply",
        key=f"reply-{result.inbound_id}",
        provider=provider,
        ticket_id=result.ticket_id,
        in_reply_to_id=result.inbound_id,
    )
    return result.inbound_id, queued.id
