"""Each phone number's recent activity, kept on its citizen row: message rate and last complaint.

Read and updated with every inbound SMS by the statement that stores it (on PostgreSQL the
webhook's one round trip), which decides what the SMS is from it:
- a number sending too much, too fast (flooding, or a loop with another robot's auto-reply)
  is throttled: its messages are still stored, but get no reply and open no ticket;
- a plain message from a number whose ticket has waited for details (``needs_info``: the worker
  asked where, or an operator asked) for at most 3 days answers that question, as if it began "INFO <no>": it is added
  to the ticket, which is analysed again (an emergency, or the complaint sent again, is not);
- a plain message from a number whose ticket an agency answered in the last 10 days is the
  citizen's answer to it (threaded to that ticket);
- a message arriving shortly after that number's new complaint continues it (a long SMS split
  by the phone), and the same complaint sent again the same day answers the existing number.
The statement locks the citizen's row first, so two SMS from one number are decided in turn.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from .understand import normalize

ANSWER_WINDOW_SECONDS = 10 * 86400
DETAILS_WINDOW_SECONDS = 3 * 86400
FLAG_REASON = "too many messages too fast"


@dataclass(frozen=True)
class Limits:
    """How much one number may send before it is throttled, and the merge windows."""

    per_minute: int = 6
    per_hour: int = 30
    continuation_seconds: int = 300
    duplicate_seconds: int = 86400


@dataclass(frozen=True)
class LastComplaint:
    """The number's last new complaint, as its citizen row remembers it."""

    tracking_number: str
    fingerprint: str
    at: datetime


def fingerprint(text: str, normalized: str | None = None) -> str:
    """A short hash of the normalised text: the same complaint typed twice hashes the same.

    ``normalized``, when the caller already has it, is ``normalize(text)``.
    """
    if normalized is None:
        normalized = normalize(text)
    return hashlib.blake2b(normalized.encode(), digest_size=8).hexdigest()


# What a live SMS is, given the number's row as it was (``p``, locked on PostgreSQL), as the CTEs
# ``n`` (this SMS counted in its minute and hour) and ``d`` (its kind). No row when the provider
# already delivered this message: a retried webhook changes nothing.
DECISION = """
n AS (
    SELECT p.id, p.last_complaint_number, p.last_complaint_fingerprint, p.last_complaint_at,
        CAST(:kind AS VARCHAR(16)) AS read_kind,
        CASE WHEN p.activity_minute = :minute THEN p.sms_in_minute + 1 ELSE 1 END AS sms_in_minute,
        CASE WHEN p.activity_hour = :hour THEN p.sms_in_hour + 1 ELSE 1 END AS sms_in_hour
    FROM (SELECT 1) AS one
    LEFT JOIN (SELECT * FROM citizens WHERE phone = :sender{lock}) AS p ON true
    WHERE NOT EXISTS (SELECT 1 FROM inbound_messages
        WHERE provider = :provider AND provider_message_id = :message_id)
), d AS (
    SELECT n.*, CASE
        WHEN n.sms_in_minute > :per_minute OR n.sms_in_hour > :per_hour THEN 'throttled'
        WHEN n.read_kind <> 'complaint' THEN n.read_kind
        WHEN n.last_complaint_fingerprint = :fingerprint
            AND n.last_complaint_at > :duplicate_since THEN 'duplicate'
        WHEN EXISTS (SELECT 1 FROM tickets AS t WHERE t.citizen_id = n.id
            AND t.status = 'needs_info' AND t.updated_at >= :asked_since) THEN 'info'
        WHEN EXISTS (SELECT 1 FROM tickets AS t WHERE t.citizen_id = n.id
            AND (t.status = 'responded' AND t.responded_at >= :answer_since
                OR t.status = 'resolved' AND t.resolved_at >= :answer_since)) THEN 'answer'
        WHEN n.last_complaint_at > :continuation_since THEN 'continuation'
        ELSE 'complaint' END AS kind
    FROM n
)"""

# The decision's datetime parameters (typed binds on databases without a timestamp type).
DATETIMES = ("asked_since", "answer_since", "duplicate_since", "continuation_since")


def parameters(
    *,
    sender: str,
    provider: str,
    message_id: str,
    kind: str,
    text: str,
    now: datetime,
    limits: Limits,
    normalized: str | None = None,
) -> dict:
    """The DECISION's parameters for one SMS (``normalized``: its text's, if known)."""
    seconds = int(now.timestamp())
    return {
        "sender": sender,
        "provider": provider,
        "message_id": message_id,
        "kind": kind,
        "minute": seconds // 60,
        "hour": seconds // 3600,
        "per_minute": limits.per_minute,
        "per_hour": limits.per_hour,
        "fingerprint": fingerprint(text, normalized) if kind == "complaint" else "",
        "asked_since": now - timedelta(seconds=DETAILS_WINDOW_SECONDS),
        "answer_since": now - timedelta(seconds=ANSWER_WINDOW_SECONDS),
        "duplicate_since": now - timedelta(seconds=limits.duplicate_seconds),
        "continuation_since": now - timedelta(seconds=limits.continuation_seconds),
    }
