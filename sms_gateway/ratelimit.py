"""A per-provider throughput limit shared by every worker process, kept in Redis.

GCRA (the generic cell rate algorithm) in one Lua script: Redis keeps, per provider, the
theoretical arrival time of the next message (TAT). Each caller reserves the next free slot and
learns how long to wait for it; the clock is Redis's own (``TIME``), so processes on different
machines agree. A reservation farther away than ``max_wait`` is not taken at all.
"""

from __future__ import annotations

import time

import redis

KEY = "lapor:rate:{}"

# KEYS[1]: the provider's TAT key. ARGV: interval (µs per message), burst (messages),
# max_wait (µs). Returns the wait in µs, or -1 when the slot is farther than max_wait.
GCRA = """
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - (burst - 1) * interval - now
if wait < 0 then wait = 0 end
if wait > max_wait then return -1 end
local new_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', new_tat),
           'PX', math.ceil((new_tat - now) / 1000) + 1000)
return wait
"""


class RateLimited(Exception):
    """The provider's next free slot is too far away: try again later."""


class RateLimiter:
    """Slots for sending, ``per_second`` per provider, across all processes on one Redis."""

    def __init__(self, connection: redis.Redis, burst: int = 1, max_wait: float = 10.0) -> None:
        self.connection = connection
        self.burst = burst
        self.max_wait = max_wait
        self._script = connection.register_script(GCRA)

    def reserve(self, provider: str, per_second: float) -> float | None:
        """Reserve the next slot; return the seconds to wait for it (None: too far, not taken)."""
        if per_second <= 0:
            return 0.0
        waited = self._script(
            keys=[KEY.format(provider)],
            args=[round(1_000_000 / per_second), self.burst, round(self.max_wait * 1_000_000)],
        )
        return None if int(waited) < 0 else int(waited) / 1_000_000

    def wait(self, provider: str, per_second: float) -> None:
        """Block until this process may send one message through ``provider``."""
        delay = self.reserve(provider, per_second)
        if delay is None:
            raise RateLimited(f"{provider}: no slot within {self.max_wait:g} s")
        if delay > 0:
            time.sleep(delay)
