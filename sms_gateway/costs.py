"""What outbound SMS cost: per ticket and per day, one query each.

A message costs ``segments × price per segment`` of its provider (SMS_PRICE_PER_SEGMENT, in
IDR), stored on the row when the provider takes it. Messages that never left (failed at the
provider's API, suppressed, held) cost nothing; undelivered ones were still charged. Days are
calendar days in WIB (UTC+7), where 1708's traffic and its budget live.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import OutboundMessage

WIB = timezone(timedelta(hours=7), "WIB")
CHARGED = ("sent", "delivered", "undelivered")


@dataclass(frozen=True)
class Cost:
    """Messages, segments and their price (IDR) for one provider, or all (``provider=None``)."""

    provider: str | None
    messages: int
    segments: int
    idr: Decimal


def _idr(value: object) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def ticket_cost(session: Session, ticket_id: int) -> Cost:
    """Everything sent about one ticket."""
    row = session.execute(
        select(
            func.count(OutboundMessage.id),
            func.coalesce(func.sum(OutboundMessage.segments), 0),
            func.coalesce(func.sum(OutboundMessage.price), 0),
        ).where(OutboundMessage.ticket_id == ticket_id, OutboundMessage.status.in_(CHARGED))
    ).one()
    return Cost(None, row[0], int(row[1]), _idr(row[2]))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The WIB calendar day ``day`` as a UTC interval [start, end)."""
    start = datetime.combine(day, time(0), WIB).astimezone(UTC)
    return start, start + timedelta(days=1)


def day_cost(session: Session, day: date) -> list[Cost]:
    """SMS sent on ``day`` (WIB), per provider (by name)."""
    start, end = day_bounds(day)
    rows = session.execute(
        select(
            OutboundMessage.provider,
            func.count(OutboundMessage.id),
            func.coalesce(func.sum(OutboundMessage.segments), 0),
            func.coalesce(func.sum(OutboundMessage.price), 0),
        )
        .where(
            OutboundMessage.sent_at >= start,
            OutboundMessage.sent_at < end,
            OutboundMessage.status.in_(CHARGED),
        )
        .group_by(OutboundMessage.provider)
        .order_by(OutboundMessage.provider)
    ).all()
    return [Cost(r[0], r[1], int(r[2]), _idr(r[3])) for r in rows]


def total(costs: list[Cost]) -> Cost:
    """The sum of several providers' costs."""
    return Cost(
        None,
        sum(c.messages for c in costs),
        sum(c.segments for c in costs),
        sum((c.idr for c in costs), Decimal("0.00")),
    )
