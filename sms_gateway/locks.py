"""Soft locks: who is working on a ticket, so two operators don't do the same work.

A lock is a Redis key ``lapor:lock:ticket:<id>`` holding the operator, with a short time to live
that the open ticket page keeps refreshing. It is soft: it shows, it never forbids; another
operator may still act after confirming. Leaving the page releases it; a closed laptop lets it
lapse.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import redis

TTL_SECONDS = 60
PREFIX = "lapor:lock:ticket:"

# Delete the key only if it still holds this user (a lapsed lock may have passed to another).
_RELEASE = """
local held = redis.call('GET', KEYS[1])
if held and cjson.decode(held)['user'] == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


@dataclass(frozen=True)
class Holder:
    """The operator holding a lock."""

    user: str  # username
    name: str  # what colleagues read


def key(ticket_id: int) -> str:
    """The Redis key of a ticket's lock."""
    return f"{PREFIX}{ticket_id}"


def _holder(raw: bytes | str | None) -> Holder | None:
    if raw is None:
        return None
    try:
        value = json.loads(raw)
        return Holder(str(value["user"]), str(value.get("name") or value["user"]))
    except (ValueError, KeyError, TypeError):
        return None


def take(connection: redis.Redis, ticket_id: int, user: str, name: str) -> Holder:
    """Take the lock if free, refresh it if ours; the holder either way."""
    mine = json.dumps({"user": user, "name": name})
    if connection.set(key(ticket_id), mine, nx=True, ex=TTL_SECONDS):
        return Holder(user, name)
    current = _holder(connection.get(key(ticket_id)))
    if current is None or current.user == user:
        connection.set(key(ticket_id), mine, ex=TTL_SECONDS)
        return Holder(user, name)
    return current


def holder(connection: redis.Redis, ticket_id: int) -> Holder | None:
    """Who holds the ticket's lock, if anyone."""
    return _holder(connection.get(key(ticket_id)))


def holders(connection: redis.Redis, ticket_ids: Iterable[int]) -> dict[int, Holder]:
    """The holders of many tickets' locks, in one round trip."""
    ids = list(ticket_ids)
    if not ids:
        return {}
    found = connection.mget([key(i) for i in ids])
    return {i: h for i, raw in zip(ids, found, strict=True) if (h := _holder(raw)) is not None}


def release(connection: redis.Redis, ticket_id: int, user: str) -> bool:
    """Release the lock if ``user`` holds it."""
    return bool(connection.eval(_RELEASE, 1, key(ticket_id), user))
