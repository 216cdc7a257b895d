"""What the operators' queue page shows of rq: failed jobs, queue depths, workers alive.

The only place outside the job modules that reads rq's own bookkeeping. Retrying and discarding
act only on jobs that really sit in a queue's failed registry, so a stale button never touches a
job that is running or waiting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import redis
from rq import Queue, Worker
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry

from sms_gateway.logs import hide_values, redact

from .queues import ALL, INTAKE_LISTS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FailedJob:
    """A job rq gave up on: where, what, when, and the last line of its error."""

    id: str
    queue: str
    function: str
    failed_at: datetime | None
    error: str


@dataclass(frozen=True)
class WorkerAlive:
    """A registered rq worker and how long ago its heartbeat was."""

    name: str
    state: str
    heartbeat_age: float | None  # seconds; None when rq has no heartbeat yet
    queues: tuple[str, ...]


def _registries(connection: redis.Redis) -> dict[str, FailedJobRegistry]:
    return {name: FailedJobRegistry(queue=Queue(name, connection=connection)) for name in ALL}


def failed_count(connection: redis.Redis) -> int:
    """Failed jobs on every queue."""
    return sum(registry.count for registry in _registries(connection).values())


def last_line(text: str | None) -> str:
    """The last non-empty line of a traceback (the exception and its message), with no phone
    number or quoted row in it (the console shows it)."""
    lines = [line.strip() for line in redact(hide_values(text or "")).splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def failed_jobs(connection: redis.Redis, limit: int = 25) -> list[FailedJob]:
    """The newest failed jobs across every queue, newest first, at most ``limit``.

    The error is read (one round trip each) only for the jobs shown.
    """
    oldest = datetime.min.replace(tzinfo=UTC)
    found: list[tuple[str, Job]] = []
    for name, registry in _registries(connection).items():
        ids = registry.get_job_ids(0, limit - 1, desc=True)
        found += [(name, job) for job in Job.fetch_many(ids, connection=connection) if job]
    found.sort(key=lambda item: _ended(item[1]) or oldest, reverse=True)
    shown = []
    for name, job in found[:limit]:
        result = job.latest_result()
        shown.append(
            FailedJob(
                id=job.id,
                queue=name,
                function=job.func_name or "",
                failed_at=_ended(job),
                error=last_line(result.exc_string if result else None),
            )
        )
    return shown


def _ended(job: Job) -> datetime | None:
    ended = job.ended_at
    return ended.replace(tzinfo=UTC) if ended and ended.tzinfo is None else ended


def _failed(connection: redis.Redis, job_id: str) -> tuple[Job, FailedJobRegistry] | None:
    try:
        job = Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        return None
    registry = _registries(connection).get(job.origin)
    if registry is None or job.id not in registry:
        return None
    return job, registry


def retry(connection: redis.Redis, job_id: str, actor: str) -> bool:
    """Put a failed job back on its queue; False when it is not (or no longer) failed."""
    found = _failed(connection, job_id)
    if found is None:
        return False
    job, registry = found
    try:
        registry.requeue(job)
    except InvalidJobOperation:
        return False  # another operator was quicker
    log.info("failed job %s (%s) retried by %s", job.id, job.func_name, actor)
    return True


def discard(connection: redis.Redis, job_id: str, actor: str) -> bool:
    """Delete a failed job for good; False when it is not (or no longer) failed."""
    found = _failed(connection, job_id)
    if found is None:
        return False
    job, registry = found
    registry.remove(job, delete_job=True)
    log.info("failed job %s (%s) discarded by %s", job.id, job.func_name, actor)
    return True


def depths(connection: redis.Redis) -> dict[str, int]:
    """Jobs waiting in each rq queue and ids waiting in each intake list, in one round trip."""
    names = [*ALL, *INTAKE_LISTS]
    with connection.pipeline(transaction=False) as pipe:
        for name in ALL:
            pipe.llen(Queue(name, connection=connection).key)
        for name in INTAKE_LISTS:
            pipe.llen(name)
        counts = pipe.execute()
    return dict(zip(names, (int(c) for c in counts), strict=True))


def workers(connection: redis.Redis, now: datetime | None = None) -> list[WorkerAlive]:
    """The workers rq knows to be alive (their key not expired), by name."""
    now = now or datetime.now(UTC)
    alive = []
    for worker in Worker.all(connection=connection):
        beat = worker.last_heartbeat
        if beat is not None and beat.tzinfo is None:
            beat = beat.replace(tzinfo=UTC)
        alive.append(
            WorkerAlive(
                name=worker.name,
                state=str(getattr(worker.get_state(), "value", worker.get_state())),
                heartbeat_age=(now - beat).total_seconds() if beat else None,
                queues=tuple(worker.queue_names()),
            )
        )
    return sorted(alive, key=lambda w: w.name)
