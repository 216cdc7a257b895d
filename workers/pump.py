"""The intake pump: turns inbound message ids pushed by the webhook into rq jobs.

Runs as a thread inside every worker process. It pops the ids waiting (urgent first) and
enqueues them as batch jobs of up to ``BATCH`` messages, in one Redis pipeline that also notes
each message's batch for the sweeper. It holds ordinary ids back while a job of theirs is
still waiting in the queue: the ids that arrive meanwhile travel together in the next batch, so
a busy worker pays rq's cost once for many SMS, and an idle one still gets each SMS at once.
An id popped by a process that dies before enqueueing is not lost: its message stays
``received`` in the database and the sweeper enqueues it.
"""

from __future__ import annotations

import logging
import threading

import redis

from .queues import DEFAULT, INTAKE_LISTS, URGENT, Enqueuer, note_batch

log = logging.getLogger(__name__)

BATCH = 25  # messages per job: ~1 s of work, short enough to spread over the workers
POP = 500  # ids taken from a list in one call
HOLD_SECONDS = 0.02  # how often a held-back pump looks again


def _chunks(ids: list[int], size: int) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def enqueue_batches(enqueuer: Enqueuer, ids: list[int], urgent: bool = False) -> int:
    """Enqueue ``ids`` as batch jobs (one pipeline) and note each message's batch."""
    if not ids:
        return 0
    connection = enqueuer.connection
    queue = enqueuer.queue(URGENT if urgent else DEFAULT)
    jobs = []
    with connection.pipeline() as pipe:
        for chunk in _chunks(ids, BATCH):
            spec = Enqueuer.inbound_batch_job(chunk)
            jobs.append(
                queue.prepare_data(
                    spec["func"],
                    args=(spec["arg"],),
                    job_id=spec["job_id"],
                    timeout=spec["timeout"],
                    result_ttl=spec["result_ttl"],
                    failure_ttl=spec["failure_ttl"],
                )
            )
            note_batch(pipe, [f"inbound-{i}" for i in chunk], spec["job_id"])
        queue.enqueue_many(jobs, pipeline=pipe)
        pipe.execute()
    return len(ids)


def _pop(connection: redis.Redis, name: str) -> list[int]:
    return [int(raw) for raw in connection.lpop(name, POP) or []]


def transfer(enqueuer: Enqueuer, wait_seconds: float = 0) -> int:
    """Move waiting ids into rq jobs; block up to ``wait_seconds`` for the first. Returns count."""
    connection = enqueuer.connection
    waiting: dict[str, list[int]] = {name: [] for name in INTAKE_LISTS}
    if wait_seconds:
        first = connection.blpop(list(INTAKE_LISTS), timeout=wait_seconds)
        if first is None:
            return 0
        waiting[first[0].decode()].append(int(first[1]))
    for name in INTAKE_LISTS:  # everything waiting: a burst worker must not leave any behind
        while popped := _pop(connection, name):
            waiting[name].extend(popped)
    urgent, ordinary = (waiting[name] for name in INTAKE_LISTS)
    return enqueue_batches(enqueuer, urgent, urgent=True) + enqueue_batches(enqueuer, ordinary)


def _held_back(enqueuer: Enqueuer) -> bool:
    """True while a job is waiting in the ordinary queue: new ids can wait to join the next.

    Urgent SMS are never held back: they are taken in the same round trip that looks at the
    queue, and enqueued at once.
    """
    with enqueuer.connection.pipeline(transaction=False) as pipe:
        pipe.llen(enqueuer.queue(DEFAULT).key)
        pipe.lpop(INTAKE_LISTS[0], POP)
        waiting, urgent = pipe.execute()
    urgent_ids = [int(raw) for raw in urgent or []]
    if urgent_ids:
        enqueue_batches(enqueuer, urgent_ids, urgent=True)
    return bool(waiting)


def run(enqueuer: Enqueuer, stop: threading.Event) -> None:
    """Pump until ``stop`` is set; Redis trouble is logged and retried."""
    while not stop.is_set():
        try:
            if _held_back(enqueuer):
                stop.wait(HOLD_SECONDS)
                continue
            transfer(enqueuer, wait_seconds=1)
        except (redis.RedisError, OSError) as exc:
            log.warning("intake pump: %s; retrying", exc)
            stop.wait(1)


def start(enqueuer: Enqueuer) -> threading.Event:
    """Start the pump thread; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=run, args=(enqueuer, stop), name="intake-pump", daemon=True).start()
    return stop
