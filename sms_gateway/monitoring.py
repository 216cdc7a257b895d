"""Figures that say whether the service is healthy, read from the database at scrape time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .lifecycle import OPEN
from .models import Dispatch, InboundMessage, OutboundMessage, Ticket


def state_figures(session: Session, now: datetime) -> dict[str, float]:
    """Backlog, dead letters, failures, overdue and triage counts (each one index-backed query)."""
    backlog, oldest = session.execute(
        select(func.count(), func.min(InboundMessage.received_at)).where(
            InboundMessage.state == "received"
        )
    ).one()
    if isinstance(oldest, str):  # SQLite hands an aggregate back as text
        oldest = datetime.fromisoformat(oldest)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=now.tzinfo)

    def count(model, *where) -> int:  # noqa: ANN001
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    return {
        "inbound_unprocessed": backlog,
        "inbound_oldest_unprocessed_seconds": (
            max(0.0, (now - oldest).total_seconds()) if oldest else 0.0
        ),
        "dispatch_dead_letters": count(Dispatch, Dispatch.status == "dead"),
        "outbound_failed": count(OutboundMessage, OutboundMessage.status == "failed"),
        "tickets_overdue": count(
            Ticket, Ticket.status.in_(OPEN), Ticket.overdue_since.is_not(None)
        ),
        "tickets_waiting_triage": count(Ticket, Ticket.status.in_(OPEN), Ticket.needs_triage),
    }
