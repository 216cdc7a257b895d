"""Delivery receipts: what providers tell us later about an SMS we sent.

Receipts arrive late, out of order and more than once. Each status has a rank; a receipt moves a
message only upward, so ``delivered`` never turns back into ``sent``, and of two final states the
first one stays (a duplicate changes nothing).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .intake.model import clean_text
from .models import OutboundMessage, utcnow
from .providers.receipt import Receipt

RANK = {
    "queued": 0,
    "sending": 1,
    "sent": 2,
    "delivered": 3,
    "undelivered": 3,
    "failed": 3,
}
FINAL = frozenset(name for name, rank in RANK.items() if rank == 3)


def rank(status: str) -> int:
    """How far along ``status`` is; unknown (held, suppressed) ranks below everything."""
    return RANK.get(status, -1)


def record(session: Session, receipt: Receipt) -> str:
    """Apply one receipt (caller commits); return ``updated``, ``ignored`` or ``unknown``."""
    if "\x00" in receipt.provider_message_id:
        return "unknown"  # no id we stored has NUL (PostgreSQL would refuse to compare it)
    message = session.execute(
        select(OutboundMessage)
        .where(
            OutboundMessage.provider == receipt.provider,
            OutboundMessage.provider_message_id == receipt.provider_message_id,
        )
        .with_for_update()
    ).scalar_one_or_none()
    if message is None:
        return "unknown"
    if message.status in FINAL or rank(receipt.status) <= rank(message.status):
        return "ignored"
    message.status, message.status_at = receipt.status, utcnow()
    if receipt.status in ("undelivered", "failed"):
        message.error_code = _stored(receipt.error_code)
        message.last_error = _stored(receipt.detail) or message.last_error
    return "updated"


def _stored(text: str | None) -> str | None:
    """A provider's text as a column takes it: NUL (which PostgreSQL refuses) replaced."""
    return clean_text(text) if text else text
