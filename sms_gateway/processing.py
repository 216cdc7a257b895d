"""What happens to an inbound SMS after the webhook answered: the worker's side of intake."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .models import InboundMessage, Ticket, utcnow


def process_inbound(session: Session, inbound_id: int) -> bool:
    """Process one stored SMS; False when it was already processed (a repeated job)."""
    claimed = session.execute(
        update(InboundMessage)
        .where(InboundMessage.id == inbound_id, InboundMessage.state == "received")
        .values(state="processed", processed_at=utcnow(), attempts=InboundMessage.attempts + 1)
    ).rowcount
    if not claimed:
        return False
    opened = select(Ticket.id).where(Ticket.source_message_id == inbound_id).scalar_subquery()
    session.execute(
        update(InboundMessage)
        .where(InboundMessage.id == inbound_id, InboundMessage.ticket_id.is_(None))
        .values(ticket_id=opened)
    )
    return True
