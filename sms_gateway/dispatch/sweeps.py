"""Forwardings that need someone: lost jobs and stalled claims for the sweeper, dead letters for
operators.

A claim (``sending``) outlives its worker when the worker dies mid-call (SIGKILL, out of memory,
a job timeout): nobody else would touch the row again. :func:`take_back_stalled` finds claims
older than :func:`claim_expiry` and puts them back to ``retrying`` (the cut call counted as an
attempt), or makes them dead letters when that was the last try. The retry sends the same
delivery id, which the agency uses to ignore a repeat (docs/agency-webhook.md).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from .. import lifecycle
from ..models import Dispatch, Ticket, utcnow
from .core import DEAD, PENDING, RETRYING, SENDING
from .sending import DISPATCHED, Transport

log = logging.getLogger(__name__)

# Beyond a webhook's two waits (connect, then the answer), each bounded by the timeout.
CLAIM_MARGIN = timedelta(seconds=60)
LOST_MID_CALL = "the worker sending it stopped mid-call (claimed {claimed}); outcome unknown"


def claim_expiry(transport: Transport) -> timedelta:
    """How long a claim may last before its worker is presumed dead: 2 × timeout + 60 s."""
    return timedelta(seconds=2 * transport.timeout) + CLAIM_MARGIN


def take_back_stalled(
    session: Session, transport: Transport, now: datetime, limit: int = 500
) -> list[int]:
    """Claims older than ``claim_expiry``: back to ``retrying``, or ``dead`` once out of tries.

    Returns the ids to enqueue again. Each row moves by one conditional UPDATE (still ``sending``,
    claimed before the cutoff), so two sweepers at once take a row back once, and a worker that
    was merely slow finds the claim gone when it reports (``core.deliver``). Caller commits.
    """
    cutoff = now - claim_expiry(transport)
    stalled = session.execute(
        select(Dispatch.id, Dispatch.updated_at)
        .where(Dispatch.status == SENDING, Dispatch.updated_at < cutoff)
        .order_by(Dispatch.id)
        .limit(limit)
    ).all()
    retry = []
    for dispatch_id, claimed_at in stalled:
        error = LOST_MID_CALL.format(claimed=claimed_at.isoformat(timespec="seconds"))
        taken = session.execute(
            update(Dispatch)
            .where(
                Dispatch.id == dispatch_id,
                Dispatch.status == SENDING,
                Dispatch.updated_at < cutoff,
            )
            .values(
                status=case((Dispatch.attempts >= transport.max_attempts, DEAD), else_=RETRYING),
                updated_at=now,
                last_error=error,
                response_code=None,
            )
            .returning(
                Dispatch.status,
                Dispatch.ticket_id,
                Dispatch.attempts,
                Dispatch.channel,
                Dispatch.agency_code,
            )
            .execution_options(synchronize_session=False)
        ).first()
        if taken is None:  # another sweeper, or the worker itself, got there first
            continue
        status, ticket_id, attempts, channel, agency_code = taken
        log.warning("dispatch %s: %s; now %s", dispatch_id, error, status)
        if status == RETRYING:
            retry.append(dispatch_id)
            continue
        lifecycle.record(
            session,
            ticket_id,
            "dispatch_failed",
            actor="system",
            reason=f"{channel}: {error}"[:500],
            data={"dispatch": dispatch_id, "agency": agency_code, "attempts": attempts},
        )
    return retry


def waiting(session: Session, older_than_seconds: int, limit: int = 500) -> list[int]:
    """Dispatches pending or retrying for a while (their job may be lost): the sweeper's list."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    return list(
        session.execute(
            select(Dispatch.id)
            .where(Dispatch.status.in_((PENDING, RETRYING)), Dispatch.updated_at < cutoff)
            .order_by(Dispatch.id)
            .limit(limit)
        ).scalars()
    )


def undispatched(session: Session, older_than_seconds: int, limit: int = 500) -> list[int]:
    """Verified tickets with an agency but no dispatch yet (verified by an operator, say)."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    asked = select(Dispatch.id).where(
        Dispatch.ticket_id == Ticket.id,
        Dispatch.agency_code == Ticket.agency_code,
        Dispatch.purpose == DISPATCHED,
    )
    return list(
        session.execute(
            select(Ticket.id)
            .where(
                Ticket.status == "verified",
                Ticket.agency_code.is_not(None),
                Ticket.updated_at < cutoff,
                ~asked.exists(),
            )
            .limit(limit)
        ).scalars()
    )


def dead_letters(session: Session, limit: int = 100) -> list[Dispatch]:
    """Forwardings that failed for good, newest first: operators must act on these."""
    return list(
        session.execute(
            select(Dispatch)
            .where(Dispatch.status == DEAD)
            .order_by(Dispatch.updated_at.desc(), Dispatch.id.desc())
            .limit(limit)
        ).scalars()
    )


def retry_dead(session: Session, dispatch_id: int) -> bool:
    """Give a dead letter another round of tries (an operator's decision; caller commits)."""
    return bool(
        session.execute(
            update(Dispatch)
            .where(Dispatch.id == dispatch_id, Dispatch.status == DEAD)
            .values(status=RETRYING, attempts=0, updated_at=utcnow())
        ).rowcount
    )
