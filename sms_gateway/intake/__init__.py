"""Intake: store an inbound SMS, open or find its ticket, and choose the immediate reply.

This is the webhook's hot path. It runs inside the caller's transaction and does only what the
instant answer needs: a few indexed statements (one on PostgreSQL for a new complaint), no
network calls besides the database. The number's recent activity (throttling, split SMS, answers
to a question asked or to an agency) lives on its citizen row and is decided in the same
statements (activity.py).
Understanding, classification and routing happen in the worker after the commit.
"""

from __future__ import annotations

from .. import tracking
from ..activity import Limits
from ..quickread import quick_read
from .model import Draft, IncomingSms, IntakeResult, clean_text, normalise_sender
from .store import store_generic
from .store_pg import READ_KINDS, Runner, Unticketed, give_ticket, store_postgresql

__all__ = [
    "IncomingSms",
    "IntakeResult",
    "clean_text",
    "normalise_sender",
    "receive",
    "take",
]


def _draft(sms: IncomingSms, region_hint: str | None) -> Draft:
    sender, sender_valid = normalise_sender(sms.sender)
    body = clean_text(sms.body)
    read = quick_read(body)
    return Draft(
        sms=sms,
        sender=sender,
        sender_valid=sender_valid,
        body=body,
        read=read,
        kind=read.kind,
        follows=None,
        number=tracking.generate() if read.kind == "complaint" else None,
        region_hint=region_hint,
    )


def _postgresql(session) -> bool:  # noqa: ANN001
    return session.get_bind().dialect.name == "postgresql"


def _store(session, draft: Draft, limits: Limits | None) -> IntakeResult:  # noqa: ANN001
    if limits is not None and draft.kind in READ_KINDS and _postgresql(session):
        stored = store_postgresql(session, draft, limits)
        if isinstance(stored, Unticketed):
            return give_ticket(session, stored)
        if stored is not None:
            return stored
    return store_generic(session, draft, limits)


def receive(
    session,  # noqa: ANN001
    sms: IncomingSms,
    limits: Limits | None = None,
    region_hint: str | None = None,
) -> IntakeResult:
    """Store the SMS and open its ticket or answer its command, in the caller's transaction.

    The reply is decided before the message row is written and stored with it, so a retried
    webhook finds it there and answers the same. With ``limits`` (a live SMS) the number's
    activity counts it and may throttle it, or merge it into the number's last complaint;
    without (a replayed spool) it is taken as read. ``region_hint`` is the region of the
    channel the SMS came in on, if it serves one region.
    """
    return _store(session, _draft(sms, region_hint), limits)


def take(
    session,  # noqa: ANN001
    sms: IncomingSms,
    limits: Limits | None = None,
    region_hint: str | None = None,
    run: Runner | None = None,
) -> IntakeResult:
    """``receive`` as a transaction of its own, committed when this returns (the webhook's way).

    On PostgreSQL, with ``run`` (``Database.run_alone``), a new complaint is one statement on an
    autocommit connection: the statement is the transaction, so the request pays one round trip
    instead of three (BEGIN, it, COMMIT) and no session work. What that statement leaves (it
    writes all or nothing) continues in the session's ordinary transaction.
    """
    draft = _draft(sms, region_hint)
    stored = None
    if (
        run is not None
        and limits is not None
        and draft.kind in READ_KINDS
        and not session.in_transaction()
        and _postgresql(session)
    ):
        stored = store_postgresql(session, draft, limits, run=run)
        if isinstance(stored, IntakeResult) and not session.in_transaction():
            return stored
        if isinstance(stored, Unticketed):
            stored = give_ticket(session, stored)
    if stored is None:
        stored = _store(session, draft, limits)
    session.commit()
    return stored
