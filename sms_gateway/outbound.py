"""Outbound SMS: queue a message once (by idempotency key), send it once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .intake import _insert
from .models import OutboundMessage, utcnow
from .providers import PermanentError, Provider, TransientError
from .sms.encoding import measure, to_gsm7


@dataclass(frozen=True)
class Queued:
    """An outbound message row, and whether this call created it."""

    id: int
    created: bool


def queue_sms(
    session: Session,
    *,
    to: str,
    body: str,
    kind: str,
    key: str,
    provider: str,
    citizen_id: int | None = None,
    ticket_id: int | None = None,
    in_reply_to_id: int | None = None,
) -> Queued:
    """Record an SMS to send; the same ``key`` twice records it once (caller commits)."""
    text = to_gsm7(body)
    encoded = measure(text)
    new_id = session.execute(
        _insert(session, OutboundMessage)
        .values(
            idempotency_key=key,
            to=to,
            body=text,
            kind=kind,
            encoding=encoded.encoding,
            segments=encoded.segments,
            provider=provider,
            status="queued",
            citizen_id=citizen_id,
            ticket_id=ticket_id,
            in_reply_to_id=in_reply_to_id,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(OutboundMessage.id)
    ).scalar()
    if new_id is not None:
        return Queued(new_id, True)
    existing = session.execute(
        select(OutboundMessage.id).where(OutboundMessage.idempotency_key == key)
    ).scalar_one()
    return Queued(existing, False)


def send(session: Session, outbound_id: int, provider: Provider) -> str:
    """Send one queued SMS through ``provider``; return its status afterwards.

    The row is claimed (queued → sending) and committed before the provider is called, so two
    workers never both send it. A transient failure puts it back to ``queued`` and re-raises for
    the job's retry; a permanent one marks it ``failed``.
    """
    claimed = session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.id == outbound_id, OutboundMessage.status == "queued")
        .values(status="sending", attempts=OutboundMessage.attempts + 1, status_at=utcnow())
    ).rowcount
    session.commit()
    message = session.get(OutboundMessage, outbound_id)
    if message is None:
        return "missing"
    if not claimed:
        return message.status
    try:
        provider_id = provider.send(
            to=message.to, body=message.body, reference=message.idempotency_key
        )
    except TransientError as exc:
        message.status, message.last_error, message.error_code = "queued", str(exc), exc.code
        session.commit()
        raise
    except PermanentError as exc:
        message.status, message.last_error, message.error_code = "failed", str(exc), exc.code
        message.status_at = utcnow()
        session.commit()
        return message.status
    message.status, message.provider_message_id = "sent", provider_id
    message.sent_at = message.status_at = utcnow()
    session.commit()
    return message.status
