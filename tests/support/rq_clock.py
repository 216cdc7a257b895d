"""Standing in for the clock of rq's scheduled jobs: retries and delayed jobs, due now.

rq keeps a job waiting for its retry (or an ``enqueue_in``) in a sorted set scored by the time
it is due. A test that must see the third try of a policy whose waits are minutes moves those
scores to now (what the clock would do) and lets rq's own scheduler enqueue them.
"""

from __future__ import annotations

import time

import redis
from rq import Queue
from rq.registry import ScheduledJobRegistry
from rq.scheduler import RQScheduler

from workers.queues import ALL


def scheduled(connection: redis.Redis) -> dict[str, float]:
    """Every scheduled job id and the Unix time it is due."""
    due: dict[str, float] = {}
    for name in ALL:
        registry = ScheduledJobRegistry(queue=Queue(name, connection=connection))
        for job_id, score in connection.zrange(registry.key, 0, -1, withscores=True):
            due[job_id.decode()] = score
    return due


def bring_forward(connection: redis.Redis) -> int:
    """Make every scheduled job due now; returns how many there were."""
    now = time.time() - 1
    count = 0
    for name in ALL:
        registry = ScheduledJobRegistry(queue=Queue(name, connection=connection))
        ids = [job_id for job_id in connection.zrange(registry.key, 0, -1)]
        if ids:
            connection.zadd(registry.key, dict.fromkeys(ids, now))
            count += len(ids)
    return count


def enqueue_due(connection: redis.Redis) -> None:
    """What rq's scheduler does each second: move due jobs onto their queues."""
    scheduler = RQScheduler(list(ALL), connection=connection)
    scheduler.prepare_registries(list(ALL))
    scheduler.enqueue_scheduled_jobs()
