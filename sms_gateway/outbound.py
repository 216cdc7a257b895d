"""Outbound SMS: queue a message once (by idempotency key), send it once.

Rules that hold whoever queues or sends:

- **Never twice.** ``send`` claims the row (``queued`` → ``sending``) and commits before calling
  the provider. A row left in ``sending`` (a worker died mid-call) is never resent by itself: the
  provider may have taken it. :func:`stuck_sending` lists such rows for an operator, who may
  :func:`release` one back to ``queued`` knowing the citizen might get it twice.
- **Respect.** A citizen who opted out (STOP) gets only replies to their own messages
  (:data:`REPLY_KINDS`); anything else is recorded as ``suppressed``. More than
  ``Policy.loop_limit`` SMS to one number within ``Policy.loop_window_seconds`` looks like a
  conversation with another robot: the new one is ``held`` and the citizen flagged.
- **Bounded tries.** Transient failures (network, 429, 5xx) go back to ``queued`` for the job's
  retry, with the backoff of :func:`backoff_seconds`; after ``max_attempts`` the row is ``failed``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import Insert, and_, bindparam, case, func, select, true, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from config import Settings

from .db import dialect_insert
from .models import Citizen, InboundMessage, OutboundMessage, Ticket, utcnow
from .providers import PermanentError, Provider, TransientError
from .sms.encoding import measure, to_gsm7

QUEUED, SENDING, SENT = "queued", "sending", "sent"
DELIVERED, UNDELIVERED, FAILED = "delivered", "undelivered", "failed"
SUPPRESSED, HELD = "suppressed", "held"
# What an opted-out citizen still gets: answers to a message of their own.
REPLY_KINDS = frozenset({"reply", "ack"})
OPTED_OUT = "opted_out"
REPLY_LOOP = "reply_loop"


@dataclass(frozen=True)
class Queued:
    """An outbound message row, whether this call created it, and its status."""

    id: int
    created: bool
    status: str = QUEUED

    @property
    def to_send(self) -> bool:
        """True when the caller should enqueue the send job (after its commit)."""
        return self.created and self.status == QUEUED


@dataclass(frozen=True)
class Policy:
    """The reply-loop guard's limits."""

    loop_limit: int = 8
    loop_window_seconds: int = 600

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(settings.sms_loop_limit, settings.sms_loop_window_seconds)


def _citizen(session: Session, citizen_id: int | None, to: str) -> tuple[int | None, bool]:
    """The recipient's citizen id and whether they opted out (None, False: unknown number)."""
    if citizen_id is not None:  # usually loaded already by the caller: no query
        citizen = session.get(Citizen, citizen_id)
        return (citizen.id, bool(citizen.opted_out)) if citizen else (None, False)
    row = session.execute(select(Citizen.id, Citizen.opted_out).where(Citizen.phone == to)).first()
    return (row.id, bool(row.opted_out)) if row else (None, False)


# The columns a new outbound row is given (its status and error decided with the reply-loop
# guard, in the same statement).
_GIVEN = (
    "idempotency_key",
    "to",
    "body",
    "kind",
    "encoding",
    "segments",
    "provider",
    "citizen_id",
    "ticket_id",
    "in_reply_to_id",
    "created_at",
    "status_at",
)
_RECORD: dict[str, Insert] = {}


def _record(session: Session) -> Insert:
    """The INSERT of a new outbound row, built once per database kind.

    One statement counts the SMS to the same number within the loop window and, at the limit,
    stores the new one ``held`` instead of ``queued``: the guard costs no query of its own (every
    citizen SMS goes through it). Built on the table, not through the ORM: less than half the
    CPU. Returns the new row's id and status; no row when the key was recorded before.
    """
    dialect = session.get_bind().dialect.name
    if dialect not in _RECORD:
        table = OutboundMessage.__table__
        c = table.c
        recent = (
            select(func.count())
            .select_from(table)
            .where(
                c.to == bindparam("to"),
                c.created_at >= bindparam("loop_since", type_=c.created_at.type),
                c.status.not_in((SUPPRESSED, HELD)),
            )
            .scalar_subquery()
        )
        guard = select(
            and_(
                bindparam("status", type_=c.status.type) == QUEUED,
                recent >= bindparam("loop_limit"),
            ).label("loops")
        ).subquery("guard")
        rows = (
            select(
                *(bindparam(name, type_=c[name].type) for name in _GIVEN),
                case((guard.c.loops, HELD), else_=bindparam("status", type_=c.status.type)),
                case(
                    (guard.c.loops, REPLY_LOOP),
                    else_=bindparam("error_code", type_=c.error_code.type),
                ),
                case(
                    (guard.c.loops, bindparam("loop_reason", type_=c.last_error.type)),
                    else_=bindparam("last_error", type_=c.last_error.type),
                ),
            )
            .select_from(guard)
            .where(true())  # SQLite reads an INSERT ... SELECT's ON CONFLICT only after a WHERE
        )
        _RECORD[dialect] = (
            dialect_insert(session, table)
            .from_select([*_GIVEN, "status", "error_code", "last_error"], rows)
            .on_conflict_do_nothing(index_elements=["idempotency_key"])
            .returning(c.id, c.status)
        )
    return _RECORD[dialect]


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
    policy: Policy | None = None,
) -> Queued:
    """Record an SMS to send; the same ``key`` twice records it once (caller commits).

    The row is ``queued``, or ``suppressed`` (opted out, not a reply) or ``held`` (reply loop)
    with the reason in ``error_code``/``last_error``; only ``Queued.to_send`` rows need a job.
    """
    policy = policy or Policy()
    text = to_gsm7(body)
    encoded = measure(text)
    known_id, opted_out = _citizen(session, citizen_id, to)
    status, code, reason = QUEUED, None, None
    if opted_out and kind not in REPLY_KINDS:
        status, code, reason = SUPPRESSED, OPTED_OUT, "citizen opted out; not a reply"
    now = utcnow()
    values = {
        "idempotency_key": key,
        "to": to,
        "body": text,
        "kind": kind,
        "encoding": encoded.encoding,
        "segments": encoded.segments,
        "provider": provider,
        "status": status,
        "error_code": code,
        "last_error": reason,
        "loop_since": now - timedelta(seconds=policy.loop_window_seconds),
        "loop_limit": policy.loop_limit,
        "loop_reason": (
            f"{policy.loop_limit}+ SMS to this number within {policy.loop_window_seconds} s"
        ),
        "citizen_id": citizen_id if citizen_id is not None else known_id,
        "ticket_id": ticket_id,
        "in_reply_to_id": in_reply_to_id,
        "created_at": now,
        "status_at": now,
    }
    new = session.execute(_record(session), values).first()
    if new is None:  # the same key before: what was recorded then stands
        existing = session.execute(
            select(OutboundMessage.id, OutboundMessage.status).where(
                OutboundMessage.idempotency_key == key
            )
        ).one()
        return Queued(existing.id, False, existing.status)
    if new.status == HELD and known_id is not None:
        session.execute(
            update(Citizen)
            .where(Citizen.id == known_id)
            .values(flagged=True, flagged_reason=f"reply loop: {values['loop_reason']}")
        )
    return Queued(new.id, True, new.status)


def queue_reply_to(
    session: Session, provider: str, provider_message_id: str, policy: Policy | None = None
) -> Queued | None:
    """Queue, as an SMS, the immediate answer stored with an inbound message (idempotent).

    Gateways (Jasmin, Kannel) cannot carry a reply in their webhook's answer, so the reply intake
    chose goes out through the queue. None when the message is unknown or had no answer.
    """
    inbound = session.execute(
        select(InboundMessage).where(
            InboundMessage.provider == provider,
            InboundMessage.provider_message_id == provider_message_id,
        )
    ).scalar_one_or_none()
    if inbound is None or not inbound.reply or not inbound.sender_valid:
        return None
    # A complaint's own message is linked from its ticket until processing links it back.
    ticket_id = inbound.ticket_id or session.scalar(
        select(Ticket.id).where(Ticket.source_message_id == inbound.id)
    )
    return queue_sms(
        session,
        to=inbound.sender,
        body=inbound.reply,
        kind="reply",
        key=f"reply-{inbound.id}",
        provider=provider,
        citizen_id=inbound.citizen_id,
        ticket_id=ticket_id,
        in_reply_to_id=inbound.id,
        policy=policy,
    )


def backoff_seconds(attempt: int, jitter: float, base: float = 10.0, cap: float = 900.0) -> float:
    """Wait before retry ``attempt`` (1-based): doubling from ``base``, capped, half jittered.

    ``jitter`` in [0, 1) spreads retries of many messages over the upper half of the interval,
    so an outage's backlog does not return all at once.
    """
    ceiling = min(cap, base * 2 ** (attempt - 1))
    return ceiling / 2 + ceiling / 2 * jitter


def retry_schedule(retries: int, rng: Callable[[], float] = random.random) -> list[int]:
    """Whole-second waits before each of ``retries`` retries."""
    return [max(1, round(backoff_seconds(n, rng()))) for n in range(1, retries + 1)]


_outbound = OutboundMessage.__table__
# queued → sending, only while queued; the attempt it is.
_CLAIM = (
    update(_outbound)
    .where(_outbound.c.id == bindparam("claimed"), _outbound.c.status == QUEUED)
    .values(status=SENDING, attempts=_outbound.c.attempts + 1, status_at=bindparam("at"))
    .returning(_outbound.c.attempts)
)


def send(
    session: Session,
    outbound_id: int,
    provider: Provider,
    *,
    throttle: Callable[[], None] | None = None,
    max_attempts: int = 6,
    price_per_segment: Decimal | None = None,
) -> str:
    """Send one queued SMS through ``provider``; return its status afterwards.

    ``throttle()`` is called before the claim and may block (rate limit) or raise (no slot: the
    row stays ``queued`` for the retry). The claim (queued → sending) is committed before the
    provider is called, so two workers never both send it. A transient failure puts the row
    back to ``queued`` and re-raises for the job's retry, or fails it after ``max_attempts``; a
    permanent one marks it ``failed``. A sent row gets ``price = segments × price_per_segment``.
    """
    message = session.get(OutboundMessage, outbound_id)
    if message is None:
        return "missing"
    if message.status != QUEUED:
        return message.status
    if message.kind not in REPLY_KINDS and _citizen(session, message.citizen_id, message.to)[1]:
        message.status, message.error_code = SUPPRESSED, OPTED_OUT
        message.last_error, message.status_at = "citizen opted out before sending", utcnow()
        session.commit()
        return message.status
    session.rollback()  # end the read transaction before a possibly long wait
    if throttle is not None:
        throttle()
    claimed_at = utcnow()
    attempts = session.execute(_CLAIM, {"claimed": outbound_id, "at": claimed_at}).scalar()
    session.commit()
    if attempts is None:  # another worker has it, or it changed since it was read
        session.refresh(message)
        return message.status
    for name, value in (("status", SENDING), ("attempts", attempts), ("status_at", claimed_at)):
        set_committed_value(message, name, value)  # as claimed: no query to read it back
    try:
        provider_id = provider.send(
            to=message.to, body=message.body, reference=message.idempotency_key
        )
    except TransientError as exc:
        final = message.attempts >= max_attempts
        message.status = FAILED if final else QUEUED
        message.last_error, message.error_code = str(exc)[:2000], (exc.code or "")[:16] or None
        message.status_at = utcnow()
        session.commit()
        if final:
            return message.status
        raise
    except PermanentError as exc:
        message.status, message.last_error = FAILED, str(exc)[:2000]
        message.error_code, message.status_at = (exc.code or "")[:16] or None, utcnow()
        session.commit()
        return message.status
    message.status, message.provider_message_id = SENT, provider_id
    message.sent_at = message.status_at = utcnow()
    if price_per_segment is not None:
        message.price = price_per_segment * message.segments
    session.commit()
    return message.status


def failed_outbound(session: Session, limit: int = 100) -> list[OutboundMessage]:
    """Outbound SMS that failed for good (or were held by the loop guard), newest first."""
    return list(
        session.execute(
            select(OutboundMessage)
            .where(OutboundMessage.status.in_((FAILED, UNDELIVERED, HELD)))
            .order_by(OutboundMessage.status_at.desc(), OutboundMessage.id.desc())
            .limit(limit)
        ).scalars()
    )


def stuck_sending(session: Session, older_than_seconds: int) -> list[OutboundMessage]:
    """Rows claimed for sending longer ago than ``older_than_seconds``: outcome unknown."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    return list(
        session.execute(
            select(OutboundMessage)
            .where(OutboundMessage.status == SENDING, OutboundMessage.status_at < cutoff)
            .order_by(OutboundMessage.id)
        ).scalars()
    )


def release(session: Session, outbound_id: int) -> bool:
    """Put a held or stuck message back in the queue (an operator's decision; caller commits)."""
    return bool(
        session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id == outbound_id, OutboundMessage.status.in_((HELD, SENDING)))
            .values(status=QUEUED, status_at=utcnow())
        ).rowcount
    )
