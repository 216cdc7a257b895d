"""The intake pump: turns inbound message ids pushed by the webhook into rq jobs.

Runs as a thread inside every worker process. It pops ids in batches (urgent first) and enqueues
their ``process_inbound`` jobs in one Redis pipeline. An id popped by a process that dies before
enqueueing is not lost: its message stays ``received`` in the database and the sweeper enqueues it.
"""

from __future__ import annotations

import logging
import threading

import redis

from .queues import DEFAULT, INTAKE_LISTS, URGENT, Enqueuer

log = logging.getLogger(__name__)

BATCH = 200


def transfer(enqueuer: Enqueuer, wait_seconds: float = 0) -> int:
    """Move waiting ids into rq jobs; block up to ``wait_seconds`` for the first. Returns count."""
    connection = enqueuer.connection
    moved = 0
    if wait_seconds:
        first = connection.blpop(list(INTAKE_LISTS), timeout=wait_seconds)
        if first is None:
            return 0
        batches = {first[0].decode(): [first[1]]}
    else:
        batches = {}
    for name in INTAKE_LISTS:
        more = connection.lpop(name, BATCH) or []
        batches.setdefault(name, []).extend(more)
    for name, ids in batches.items():
        if not ids:
            continue
        queue = enqueuer.queue(URGENT if name == INTAKE_LISTS[0] else DEFAULT)
        jobs = []
        for raw in ids:
            spec = Enqueuer.inbound_job(int(raw))
            jobs.append(
                queue.prepare_data(
                    spec["func"],
                    args=(spec["arg"],),
                    job_id=spec["job_id"],
                    timeout=spec["timeout"],
                    result_ttl=spec["result_ttl"],
                    failure_ttl=spec["failure_ttl"],
                    retry=spec["retry"],
                )
            )
        with connection.pipeline() as pipe:
            queue.enqueue_many(jobs, pipeline=pipe)
            pipe.execute()
        moved += len(ids)
    return moved


def run(enqueuer: Enqueuer, stop: threading.Event) -> None:
    """Pump until ``stop`` is set; Redis trouble is logged and retried."""
    while not stop.is_set():
        try:
            transfer(enqueuer, wait_seconds=1)
        except (redis.RedisError, OSError) as exc:
            log.warning("intake pump: %s; retrying", exc)
            stop.wait(1)


def start(enqueuer: Enqueuer) -> threading.Event:
    """Start the pump thread; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=run, args=(enqueuer, stop), name="intake-pump", daemon=True).start()
    return stop
