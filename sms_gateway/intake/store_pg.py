"""PostgreSQL: a new complaint, an empty or a throttled SMS in one statement, one round trip.

Data-modifying CTEs do in one statement what store_generic does in six: lock and read the
citizen's row, decide what the SMS is from the number's activity (activity.py), update that
activity, store the message and, for a new complaint, its ticket and first event. An SMS that
needs more (a command, a continuation, an answer, a repeat; a retry of the provider's) writes
nothing here and goes the general way. The effect is the same and the suite runs against both.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from typing import NamedTuple

from sqlalchemy import update
from sqlalchemy.orm import Session

from .. import activity, tracking
from ..models import InboundMessage
from .model import Draft, IntakeResult, result
from .store import existing, open_ticket, remember

# The SMS this statement is tried for, as read from the text; it writes them completely when
# they turn out a new complaint, an empty SMS or a throttled one, else nothing.
READ_KINDS = ("complaint", "empty")

_STORE_SQL = f"""
WITH {activity.DECISION.format(lock=" FOR UPDATE")}, h AS (
    SELECT d.* FROM d WHERE d.kind IN ('complaint', 'empty', 'throttled')
        AND NOT EXISTS (SELECT 1 FROM tickets WHERE tracking_number = :number)
), c AS (
    INSERT INTO citizens AS ci (phone, phone_valid, language, opted_out, flagged, flagged_reason,
        created_at, last_seen_at, activity_minute, sms_in_minute, activity_hour, sms_in_hour,
        last_complaint_number, last_complaint_fingerprint, last_complaint_at)
    SELECT :sender, :sender_valid, 'id', false, h.kind = 'throttled',
        CASE WHEN h.kind = 'throttled' THEN :flag_reason END, :now, :now,
        :minute, h.sms_in_minute, :hour, h.sms_in_hour,
        CASE WHEN h.kind = 'complaint' THEN :number ELSE h.last_complaint_number END,
        CASE WHEN h.kind = 'complaint' THEN :fingerprint ELSE h.last_complaint_fingerprint END,
        CASE WHEN h.kind = 'complaint' THEN :now ELSE h.last_complaint_at END
    FROM h
    ON CONFLICT (phone) DO UPDATE SET last_seen_at = excluded.last_seen_at,
        flagged = ci.flagged OR excluded.flagged,
        flagged_reason = COALESCE(excluded.flagged_reason, ci.flagged_reason),
        activity_minute = excluded.activity_minute, sms_in_minute = excluded.sms_in_minute,
        activity_hour = excluded.activity_hour, sms_in_hour = excluded.sms_in_hour,
        last_complaint_number = excluded.last_complaint_number,
        last_complaint_fingerprint = excluded.last_complaint_fingerprint,
        last_complaint_at = excluded.last_complaint_at
    RETURNING ci.id, ci.language
), m AS (
    INSERT INTO inbound_messages (provider, provider_message_id, sender, sender_valid, recipient,
        body, raw_payload, received_at, state, kind, citizen_id, reply, attempts)
    SELECT :provider, :message_id, :sender, :sender_valid, :recipient, :body,
        CAST(:raw AS JSON), :now, 'received', h.kind, c.id,
        CASE WHEN h.kind = 'throttled' THEN '' WHEN c.language = 'en' THEN :reply_en
            ELSE :reply END, 0
    FROM c, h
    ON CONFLICT (provider, provider_message_id) DO NOTHING
    RETURNING id, reply
), t AS (
    INSERT INTO tickets (tracking_number, status, channel, citizen_id, source_message_id, text,
        language, is_rahasia, is_anonim, is_urgent, emergency_kind, report_type, needs_triage,
        region_hint, created_at, updated_at)
    SELECT :number, 'received', 'sms', c.id, m.id, :text,
        CASE WHEN c.language = 'en' THEN 'en' ELSE :language END,
        :rahasia, :anonim, :urgent, :emergency, 'pengaduan', false, :region_hint, :now, :now
    FROM m, c, h
    WHERE h.kind = 'complaint'
    ON CONFLICT (tracking_number) DO NOTHING
    RETURNING id
), e AS (
    INSERT INTO ticket_events (ticket_id, at, actor, kind, to_status, reason)
    SELECT t.id, :now, 'citizen', 'created', 'received', 'SMS' FROM t
    RETURNING ticket_id
)
SELECT d.kind, c.id AS citizen_id, c.language, m.id AS inbound_id, m.reply, e.ticket_id
FROM d LEFT JOIN c ON true LEFT JOIN m ON true LEFT JOIN e ON true
"""
# Sent as it is through the driver (psycopg's %(name)s parameters): this statement runs on every
# SMS, and skipping SQLAlchemy's text() binding saves a noticeable part of the request. Squeezed
# to single spaces: psycopg caches its parsing of a query only up to 4 KB (else ~0.4 ms each).
_STORE = re.sub(r"(?<!:):(\w+)", r"%(\1)s", " ".join(_STORE_SQL.split()))


class Stored(NamedTuple):
    """The statement's one row."""

    kind: str
    citizen_id: int | None
    language: str | None
    inbound_id: int | None
    reply: str | None
    ticket_id: int | None


# Runs a statement with its parameters; its first row, or None.
Runner = Callable[[str, dict], "tuple | None"]


def in_session(session: Session) -> Runner:
    """Run the statement on the session's connection, in its transaction."""
    return lambda sql, parameters: session.connection().exec_driver_sql(sql, parameters).first()


@dataclasses.dataclass(frozen=True)
class Unticketed:
    """A complaint stored whose tracking number another SMS took in the same instant."""

    draft: Draft
    inbound_id: int
    citizen_id: int
    language: str


def store_postgresql(
    session: Session, draft: Draft, limits: activity.Limits, run: Runner | None = None
) -> IntakeResult | Unticketed | None:
    """A live SMS in one statement; None when it needs more than that (nothing written).

    Runs in the session's transaction, or through ``run`` as a transaction of its own
    (intake.take: ``Database.run_alone``): either way the statement alone is the whole effect.
    What follows a retry reads through the session.
    """
    read, now = draft.read, draft.sms.received_at
    parameters = activity.parameters(
        sender=draft.sender,
        provider=draft.sms.provider,
        message_id=draft.message_id,
        kind=read.kind,
        text=read.text,
        now=now,
        limits=limits,
        normalized=read.normalized,
    )
    parameters.update(
        sender_valid=draft.sender_valid,
        now=now,
        flag_reason=activity.FLAG_REASON,
        recipient=draft.recipient,
        body=draft.body,
        raw=json.dumps(draft.sms.raw),
        reply=draft.reply(read.language),
        reply_en=draft.reply("en"),
        number=draft.number,
        text=read.text,
        language=read.language,
        rahasia=read.rahasia,
        anonim=read.anonim,
        urgent=read.emergency is not None,
        emergency=read.emergency,
        region_hint=draft.region_hint,
    )
    found = (run or in_session(session))(_STORE, parameters)
    if found is None:  # the provider retried
        return existing(session, draft)
    row = Stored(*found)
    if row.citizen_id is None:  # it needs more (or its number is taken): nothing written
        return None
    if row.inbound_id is None:  # the provider's retry, arriving at the same instant
        return existing(session, draft)
    draft = dataclasses.replace(draft, kind=row.kind)
    if row.kind != "complaint":
        return result(draft, row.inbound_id, row.reply)
    if row.ticket_id is None:
        language = row.language if row.language != "id" else read.language
        return Unticketed(draft, row.inbound_id, row.citizen_id, language)
    return result(
        draft,
        row.inbound_id,
        row.reply,
        ticket_id=row.ticket_id,
        tracking_number=draft.number,
        opened=True,
    )


def give_ticket(session: Session, stored: Unticketed) -> IntakeResult:
    """Open the ticket of a complaint whose number was taken, with a new number."""
    draft = stored.draft
    ticket_id, number = open_ticket(
        session, draft, tracking.generate(), stored.inbound_id, stored.citizen_id, stored.language
    )
    reply = draft.reply(stored.language, number)
    session.execute(
        update(InboundMessage).where(InboundMessage.id == stored.inbound_id).values(reply=reply)
    )
    remember(session, stored.citizen_id, draft, number)
    return result(
        draft,
        stored.inbound_id,
        reply,
        ticket_id=ticket_id,
        tracking_number=number,
        opened=True,
    )
