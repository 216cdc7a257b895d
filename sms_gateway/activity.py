"""Each phone number's recent activity, kept in Redis: message rate and its last complaint.

Read once per inbound SMS (one pipelined round trip) before intake decides:
- a number sending too much, too fast (flooding, or a loop with another robot's auto-reply)
  is throttled: its messages are still stored, but get no reply and open no ticket;
- a message arriving shortly after that number's new complaint continues it (a long SMS split
  by the phone), and the same complaint sent again the same day answers the existing number.
If Redis is unavailable nothing is limited and nothing is merged: intake never waits on it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

import redis

from .understand import normalize

PREFIX = "lapor:activity:"


@dataclass(frozen=True)
class Limits:
    """How much one number may send before it is throttled, and the merge windows."""

    per_minute: int = 6
    per_hour: int = 30
    continuation_seconds: int = 300
    duplicate_seconds: int = 86400


@dataclass(frozen=True)
class LastComplaint:
    ticket_id: int
    tracking_number: str
    fingerprint: str
    at: datetime


@dataclass(frozen=True)
class Recent:
    """What Redis knows about a number right now."""

    last_minute: int = 0
    last_hour: int = 0
    last_complaint: LastComplaint | None = None
    awaiting_answer: bool = False  # an agency answered this number's ticket in the last 10 days
    known: bool = False  # False when Redis could not be asked


def fingerprint(text: str) -> str:
    """A short hash of the normalised text: the same complaint typed twice hashes the same."""
    return hashlib.blake2b(normalize(text).encode(), digest_size=8).hexdigest()


# One round trip: count this message in its minute and hour, read the last complaint.
_CHECK = """
local minute = redis.call('INCR', KEYS[1])
if minute == 1 then redis.call('EXPIRE', KEYS[1], 120) end
local hour = redis.call('INCR', KEYS[2])
if hour == 1 then redis.call('EXPIRE', KEYS[2], 7200) end
return {minute, hour, redis.call('GET', KEYS[3]), redis.call('EXISTS', KEYS[4])}
"""


@functools.cache
def _check_script(connection: redis.Redis):  # noqa: ANN202
    return connection.register_script(_CHECK)


def check(connection: redis.Redis, phone: str, now: datetime) -> Recent:
    """Count this message and read the number's last complaint (one round trip)."""
    minute, hour = int(now.timestamp() // 60), int(now.timestamp() // 3600)
    key = PREFIX + phone
    try:
        per_minute, per_hour, last, awaiting = _check_script(connection)(
            keys=[f"{key}:m:{minute}", f"{key}:h:{hour}", f"{key}:last", f"{key}:awaiting"]
        )
    except (redis.RedisError, OSError):
        return Recent()
    last_complaint = None
    if last:
        try:
            data = json.loads(last)
            last_complaint = LastComplaint(
                int(data["ticket_id"]),
                str(data["number"]),
                str(data["fingerprint"]),
                datetime.fromisoformat(data["at"]),
            )
        except (ValueError, KeyError, TypeError):
            last_complaint = None  # unreadable note: treat the number as having none
    return Recent(per_minute, per_hour, last_complaint, bool(awaiting), known=True)


def note(phone: str, complaint: LastComplaint, limits: Limits) -> tuple[str, str, int]:
    """(key, value, seconds to keep) recording a number's new complaint."""
    value = json.dumps(
        {
            "ticket_id": complaint.ticket_id,
            "number": complaint.tracking_number,
            "fingerprint": complaint.fingerprint,
            "at": complaint.at.isoformat(),
        }
    )
    return f"{PREFIX}{phone}:last", value, limits.duplicate_seconds


ANSWER_WINDOW_SECONDS = 10 * 86400


def expect_answer(connection: redis.Redis, phone: str) -> None:
    """Note that an agency answered this number's ticket: its plain replies thread to it."""
    with contextlib.suppress(redis.RedisError, OSError):
        connection.set(f"{PREFIX}{phone}:awaiting", "1", ex=ANSWER_WINDOW_SECONDS)


def throttled(recent: Recent, limits: Limits) -> bool:
    """True when this number has sent more than the limits allow."""
    return recent.last_minute > limits.per_minute or recent.last_hour > limits.per_hour
