"""``python -m workers.scheduler``: runs the periodic schedule.

Safe with two running at once: each run of a task first takes a Redis key for its time slot
(SET NX with an expiry), so only one scheduler runs a given slot; and every task is idempotent, so
even a run that happens twice (Redis down, no lock to take) changes nothing more.
"""

from __future__ import annotations

import argparse
import logging
import signal
import time

import redis

from sms_gateway import logs
from workers import context
from workers.schedule import SCHEDULE, Periodic

log = logging.getLogger("workers.scheduler")


def _claim(connection: redis.Redis, task: Periodic, now: float) -> bool:
    slot = int(now // task.every_seconds)
    try:
        return bool(
            connection.set(
                f"lapor:schedule:{task.name}:{slot}", "1", nx=True, ex=task.every_seconds * 2
            )
        )
    except (redis.RedisError, OSError):
        return True  # no lock to take: run anyway, the task is idempotent


def run_due(connection: redis.Redis, now: float, last: dict[str, float]) -> list[str]:
    """Run every task whose interval has passed and whose slot this scheduler wins."""
    ran = []
    for task in SCHEDULE:
        if now - last.get(task.name, 0.0) < task.every_seconds:
            continue
        last[task.name] = now
        if not _claim(connection, task, now):
            continue
        try:
            task.run()
            ran.append(task.name)
        except Exception:
            log.exception("periodic task %s failed; it runs again next interval", task.name)
    return ran


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m workers.scheduler", description=__doc__)
    parser.add_argument("--once", action="store_true", help="run every task once and exit")
    args = parser.parse_args(argv)
    ctx = context.configure()
    logs.configure(ctx.settings.log_level, ctx.settings.log_format)
    stopping = False

    def _stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    last: dict[str, float] = {}
    while not stopping:
        run_due(ctx.redis, time.time(), last)
        if args.once:
            break
        time.sleep(1)


if __name__ == "__main__":
    main()
