"""The agency league, kept ready in Redis: the scheduler computes it every 5 minutes.

Computing the league reads every forwarding of the window and does working-day arithmetic
(0.1-1 s at 100,000 tickets); the SLA board shows the kept figures with their age instead, and
computes them itself only when none are kept (a fresh service, or Redis restarted).
"""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from typing import Any

import redis
from sqlalchemy.orm import Session

from . import sla_board

KEY = "lapor:league:{}"
KEEP_SECONDS = 15 * 60  # three missed refreshes, then the page computes it again


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"at": value.isoformat()}
    raise TypeError(type(value))


def _decode(row: dict) -> dict:
    moment = row.get("last_activity")
    if isinstance(moment, dict):
        row["last_activity"] = datetime.fromisoformat(moment["at"])
    return row


def store(connection: redis.Redis, days: int, rows: list[dict], now: datetime) -> None:
    """Keep the league of a window with the time it was computed."""
    body = json.dumps({"computed_at": now.isoformat(), "rows": rows}, default=_encode)
    connection.set(KEY.format(days), body, ex=KEEP_SECONDS)


def load(connection: redis.Redis, days: int) -> tuple[datetime, list[dict]] | None:
    """The kept league of a window and when it was computed, or None."""
    raw = connection.get(KEY.format(days))
    if raw is None:
        return None
    data = json.loads(raw)
    return datetime.fromisoformat(data["computed_at"]), [_decode(r) for r in data["rows"]]


def league(
    session: Session, connection: redis.Redis, now: datetime, days: int
) -> tuple[datetime, list[dict]]:
    """The kept league if there is one, else computed now (and kept); Redis down: computed."""
    try:
        kept = load(connection, days)
    except redis.RedisError:
        return now, sla_board.league(session, now, days=days)
    if kept is not None:
        return kept
    rows = sla_board.league(session, now, days=days)
    with contextlib.suppress(redis.RedisError):  # kept next time; the page still answers
        store(connection, days, rows, now)
    return now, rows


def refresh(session: Session, connection: redis.Redis, now: datetime) -> int:
    """Compute and keep the league of every window (the scheduler's job); how many windows."""
    for days in sla_board.LEAGUE_WINDOWS:
        store(connection, days, sla_board.league(session, now, days=days), now)
    return len(sla_board.LEAGUE_WINDOWS)
