"""Intake: store an inbound SMS, open or find its ticket, and choose the immediate reply.

This is the webhook's hot path. It runs inside the caller's transaction and does only what the
instant answer needs: a few indexed statements (one on PostgreSQL for a new complaint), no
network calls. Understanding, classification and routing happen in the worker after the commit.
"""

from __future__ import annotations

from datetime import timedelta

from .. import tracking
from ..activity import Limits, Recent, fingerprint, throttled
from ..quickread import quick_read
from .model import Draft, IncomingSms, IntakeResult, clean_text, normalise_sender
from .store import store_generic
from .store_pg import store_postgresql

__all__ = ["IncomingSms", "IntakeResult", "clean_text", "normalise_sender", "receive"]


def _kind(draft_kind: str, text: str, recent: Recent | None, now, limits: Limits):  # noqa: ANN001, ANN202
    """Throttled, a repeat or continuation of the number's last complaint, or as read."""
    if recent is None or not recent.known:
        return draft_kind, None
    if throttled(recent, limits):
        return "throttled", None
    if draft_kind == "complaint" and recent.awaiting_answer:
        return "answer", recent.last_complaint
    last = recent.last_complaint
    if draft_kind != "complaint" or last is None:
        return draft_kind, None
    age = now - last.at
    if fingerprint(text) == last.fingerprint and age < timedelta(seconds=limits.duplicate_seconds):
        return "duplicate", last
    if age < timedelta(seconds=limits.continuation_seconds):
        return "continuation", last
    return draft_kind, None


def receive(
    session,  # noqa: ANN001
    sms: IncomingSms,
    recent: Recent | None = None,
    limits: Limits = Limits(),  # noqa: B008
    region_hint: str | None = None,
    sender: tuple[str, bool] | None = None,
) -> IntakeResult:
    """Store the SMS and open its ticket or answer its command, in the caller's transaction.

    The reply is decided before the message row is written and stored with it, so a retried
    webhook finds it there and answers the same. ``recent`` (the number's activity, read from
    Redis by the caller) lets intake throttle floods and merge split or repeated complaints;
    ``region_hint`` is the region of the channel the SMS came in on, if it serves one region.
    """
    sender, sender_valid = sender or normalise_sender(sms.sender)
    body = clean_text(sms.body)
    read = quick_read(body)
    kind, follows = _kind(read.kind, read.text, recent, sms.received_at, limits)
    draft = Draft(
        sms=sms,
        sender=sender,
        sender_valid=sender_valid,
        body=body,
        read=read,
        kind=kind,
        follows=follows,
        number=tracking.generate() if kind in ("complaint", "continuation", "answer") else None,
        region_hint=region_hint,
    )
    if kind in ("complaint", "empty") and session.get_bind().dialect.name == "postgresql":
        return store_postgresql(session, draft)
    return store_generic(session, draft)
