"""All enqueueing goes through here: queue names, job ids, retries and timeouts.

Job ids are deterministic (``inbound-<id>``), so enqueueing the same work twice — a retried
webhook, the sweeper, a replayed spool — describes one job, and the jobs themselves are idempotent.

The webhook's hot path does not build rq jobs: it pushes the new message id onto a Redis list
(one RPUSH, a fifth of the cost of an rq enqueue, sent without waiting for Redis's answer:
see ``Pusher``) and the intake pump in each worker process
turns those ids into rq jobs (workers/pump.py), several SMS to a job when they wait together: rq
costs about 3 ms of a worker's time per job, as much as a fifth of processing one SMS. The pump
notes each message's batch (``lapor:batch-of:<id>``), so the sweeper can tell a message whose
batch is still waiting or running from one whose job was lost. If Redis is down, pushing fails
fast and the row stays ``received``; the sweeper enqueues it once Redis is back. A short
circuit-breaker keeps a dead Redis from costing every request a connection attempt.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import threading
import time
from datetime import datetime, timedelta

import redis
from redis.sentinel import SentinelConnectionPool
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from sms_gateway.metrics import ENQUEUE_FAILURES

log = logging.getLogger(__name__)

URGENT, DEFAULT, OUTBOUND, LOW = "urgent", "default", "outbound", "low"
ALL = (URGENT, DEFAULT, OUTBOUND, LOW)  # a worker listens in this order
# Inbound message ids waiting for the pump, most urgent list first.
INTAKE_LISTS = ("lapor:intake:urgent", "lapor:intake")

# rq retries of a send job; the row's own attempt count (SMS_MAX_ATTEMPTS) is the real bound,
# and the sweeper re-enqueues a row still queued once rq has given up.
OUTBOUND_RETRIES = 5
# rq retries of a dispatch job; the row's attempt count (DISPATCH_MAX_ATTEMPTS) is the real bound.
DISPATCH_RETRIES = 7

# Where the batch job carrying the work of a single job id is noted (``inbound-<id>`` → the
# pump's batch); kept a day, longer than any job waits.
BATCH_OF = "lapor:batch-of:"
BATCH_NOTE_SECONDS = 86400
BATCH_TIMEOUT = 180  # rq's limit for a batch job; the job itself hands work back after a budget

WORKER_PREFIX = "rq:worker:"  # rq keeps a key per live worker, refreshed by its heartbeat
_LIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}


def note_batch(pipe, job_ids: list[str], batch_id: str) -> None:  # noqa: ANN001
    """Note, in ``pipe``, that the work of each of ``job_ids`` travels in job ``batch_id``."""
    for job_id in job_ids:
        pipe.set(f"{BATCH_OF}{job_id}", batch_id, ex=BATCH_NOTE_SECONDS)


class Pusher:
    """Pushes onto Redis lists on a connection of its own, without waiting for the answers.

    The connection asks Redis not to answer (``CLIENT REPLY OFF``), so a push is one write to
    the socket: the web process saves the round trip, the wait and the reading of the answer
    (about three quarters of what an RPUSH costs it). That is safe only for the webhook's hint
    to the pump: the message is committed before its id is pushed, and the sweeper enqueues any
    message the pump never saw, so a push Redis refused (out of memory) or lost with its
    connection is late, never lost. Before each push the socket is polled: a connection the
    server closed (a restart, ``CLIENT KILL``) is replaced before it could swallow the push.

    Where answers matter or cannot be turned off, the push waits for its answer like any
    command: behind Sentinel (a master demoted to a replica refuses writes without closing
    the connection) and on a server that refuses ``CLIENT REPLY`` (a proxy, an ACL).
    """

    def __init__(self, client: redis.Redis) -> None:
        self._pool = client.connection_pool
        self._may_be_quiet = not isinstance(self._pool, SentinelConnectionPool)
        self._lock = threading.Lock()  # the development server answers from several threads
        self._connection = None
        self._pid = 0
        self.quiet = False  # whether the current connection's pushes go unanswered
        self.client_id: int | None = None  # the server's id of the connection, for CLIENT LIST

    def push(self, key: str, value: object) -> None:
        """RPUSH ``value`` onto ``key``; raises redis.RedisError or OSError if it cannot."""
        with self._lock:
            connection = self._ready()
            try:
                connection.send_command("RPUSH", key, value, check_health=False)
                if not self.quiet:
                    connection.read_response()
            except redis.ResponseError:
                raise  # refused (out of memory, an ACL): the connection itself is sound
            except BaseException:
                self._drop()
                raise

    def _ready(self):  # noqa: ANN202
        connection = self._connection
        if connection is not None and self._pid == os.getpid():
            try:
                if not connection.can_read(0):  # nothing may arrive here but the server's EOF
                    return connection
            except (redis.RedisError, OSError):
                pass
        self._drop()
        connection = self._pool.make_connection()
        try:
            connection.connect()
            connection.send_command("CLIENT", "ID", check_health=False)
            try:
                self.client_id = int(connection.read_response())
            except redis.ResponseError:  # a server that refuses CLIENT
                self.client_id = None
            self.quiet = self._may_be_quiet and self._turn_answers_off(connection)
        except BaseException:
            connection.disconnect()
            raise
        self._connection, self._pid = connection, os.getpid()
        return connection

    @staticmethod
    def _turn_answers_off(connection) -> bool:  # noqa: ANN001
        # REPLY OFF answers nothing when it works, so ask for answers again to learn whether it
        # did, then turn them off for good.
        connection.send_command("CLIENT", "REPLY", "OFF", check_health=False)
        connection.send_command("CLIENT", "REPLY", "ON", check_health=False)
        try:
            connection.read_response()
        except redis.ResponseError:  # refused: two answers wait, REPLY OFF's error and ON's
            with contextlib.suppress(redis.ResponseError):
                connection.read_response()
            return False
        connection.send_command("CLIENT", "REPLY", "OFF", check_health=False)
        return True

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.disconnect()  # in a forked child only closes this process's descriptor


class Enqueuer:
    """Enqueues the project's jobs on one Redis connection."""

    def __init__(self, connection: redis.Redis, pause_after_failure: float = 2.0) -> None:
        self.connection = connection
        self.pusher = Pusher(connection)
        self._queues = {name: Queue(name, connection=connection) for name in ALL}
        self._pause = pause_after_failure
        self._down_until = 0.0

    def _guarded(self, queue: str, what: str, action) -> bool:  # noqa: ANN001
        if time.monotonic() < self._down_until:
            ENQUEUE_FAILURES.labels(queue).inc()
            return False
        try:
            action()
        except (redis.RedisError, OSError) as exc:
            self._down_until = time.monotonic() + self._pause
            ENQUEUE_FAILURES.labels(queue).inc()
            log.warning("enqueue %s failed, the sweeper will retry: %s", what, exc)
            return False
        return True

    def _enqueue(self, queue: str, func: str, arg: object, job_id: str, **options) -> bool:
        return self._guarded(
            queue,
            job_id,
            lambda: self._queues[queue].enqueue_call(func, args=(arg,), job_id=job_id, **options),
        )

    def intake(self, inbound_id: int, urgent: bool = False) -> bool:
        """Hand a new inbound SMS to the pump (the webhook's cheap enqueue: one RPUSH, not
        waited for). True when it was sent: Redis may still refuse it, and the sweeper takes
        the message once it has waited a minute (``Settings.sweep_after_seconds``)."""
        target = INTAKE_LISTS[0] if urgent else INTAKE_LISTS[1]
        return self._guarded(
            "intake", f"inbound-{inbound_id}", lambda: self.pusher.push(target, inbound_id)
        )

    def inbound(self, inbound_id: int, urgent: bool = False) -> bool:
        """Process an inbound SMS (understand, classify, route)."""
        return self._enqueue(URGENT if urgent else DEFAULT, **self.inbound_job(inbound_id))

    @staticmethod
    def inbound_job(inbound_id: int) -> dict:
        """The rq job that processes one inbound SMS."""
        return {
            "func": "workers.jobs.process_inbound",
            "arg": inbound_id,
            "job_id": f"inbound-{inbound_id}",
            "timeout": 60,
            "result_ttl": 600,
            "failure_ttl": 7 * 86400,
            "retry": Retry(max=3, interval=[5, 30, 120]),
        }

    @staticmethod
    def inbound_batch_job(inbound_ids: list[int]) -> dict:
        """The rq job that processes several inbound SMS, one after the other.

        Its id names the first message and the count: the pump moves each id once, so no two
        batches share it, and the sweeper re-enqueues a lost batch under the same id.
        """
        return {
            "func": "workers.jobs.process_inbound_batch",
            "arg": list(inbound_ids),
            "job_id": f"inbound-batch-{inbound_ids[0]}-{len(inbound_ids)}",
            "timeout": BATCH_TIMEOUT,
            "result_ttl": 600,
            "failure_ttl": 7 * 86400,
        }

    def requeue_batch(self, job_id: str, inbound_ids: list[int]) -> bool:
        """Enqueue a lost batch again under its own id, with the messages it still owes."""
        spec = {**self.inbound_batch_job(inbound_ids), "job_id": job_id}
        return self._enqueue(DEFAULT, **spec)

    def outbound_batch(self, outbound_ids: list[int], when: datetime | None = None) -> bool:
        """Send several outbound SMS in one job, now or at ``when`` (quiet hours); each failure
        is retried by a job of its own."""
        if not outbound_ids:
            return True
        job_id = f"outbound-batch-{outbound_ids[0]}-{len(outbound_ids)}"
        options = {"job_id": job_id, "result_ttl": 600, "failure_ttl": 7 * 86400}

        def action() -> None:
            with self.connection.pipeline() as pipe:  # rq's enqueue runs its own transaction
                note_batch(pipe, [f"outbound-{i}" for i in outbound_ids], job_id)
                pipe.execute()
            queue, send = self._queues[OUTBOUND], "workers.jobs.send_outbound_batch"
            if when is None:
                queue.enqueue_call(
                    send, args=(list(outbound_ids),), timeout=BATCH_TIMEOUT, **options
                )
            else:
                queue.enqueue_at(
                    when, send, list(outbound_ids), job_timeout=BATCH_TIMEOUT, **options
                )

        return self._guarded(OUTBOUND, job_id, action)

    def batch_of(self, job_id: str) -> str | None:
        """The batch job that carries the work of ``job_id`` (e.g. ``inbound-42``), if any."""
        found = self.connection.get(f"{BATCH_OF}{job_id}")
        return found.decode() if found else None

    def queue(self, name: str) -> Queue:
        return self._queues[name]

    def outbound(self, outbound_id: int, retries: int = OUTBOUND_RETRIES) -> bool:
        """Send one outbound SMS; transient failures retry with jittered exponential backoff."""
        from sms_gateway.outbound import retry_schedule

        return self._enqueue(
            OUTBOUND,
            "workers.jobs.send_outbound",
            outbound_id,
            job_id=f"outbound-{outbound_id}",
            timeout=60,  # a provider call (10 s timeout) plus a wait for a rate-limit slot
            result_ttl=600,
            failure_ttl=7 * 86400,
            retry=Retry(max=retries, interval=retry_schedule(retries)),
        )

    def outbound_at(self, outbound_id: int, when: datetime | None) -> bool:
        """Send one outbound SMS at ``when`` (quiet hours), or now when ``when`` is None."""
        if when is None:
            return self.outbound(outbound_id)
        from sms_gateway.outbound import retry_schedule

        return self._guarded(
            OUTBOUND,
            f"outbound-{outbound_id}",
            lambda: self._queues[OUTBOUND].enqueue_at(
                when,
                "workers.jobs.send_outbound",
                outbound_id,
                job_id=f"outbound-{outbound_id}",
                job_timeout=60,
                result_ttl=600,
                failure_ttl=7 * 86400,
                retry=Retry(max=OUTBOUND_RETRIES, interval=retry_schedule(OUTBOUND_RETRIES)),
            ),
        )

    def dispatch(
        self, dispatch_id: int, retries: int = DISPATCH_RETRIES, first_try_later: bool = False
    ) -> bool:
        """Forward a ticket to its agency; transient failures retry with jittered backoff.

        ``first_try_later``: a try has just failed (forwarding inline after processing), so
        the job's first run waits the first backoff interval too.
        """
        from sms_gateway.outbound import backoff_seconds

        waits = [
            max(1, round(backoff_seconds(n, random.random(), base=30.0, cap=3600.0)))
            for n in range(1, retries + 1)
        ]
        job_id = f"dispatch-{dispatch_id}"
        func, queue = "workers.jobs.dispatch_ticket", self._queues[DEFAULT]
        options = {"job_id": job_id, "job_timeout": 120, "result_ttl": 600}
        options["failure_ttl"] = 7 * 86400

        def action() -> None:
            if first_try_later:
                retry = Retry(max=retries - 1, interval=waits[1:]) if retries > 1 else None
                delay = timedelta(seconds=waits[0])
                queue.enqueue_in(delay, func, dispatch_id, retry=retry, **options)
            else:
                queue.enqueue(
                    func, dispatch_id, retry=Retry(max=retries, interval=waits), **options
                )

        return self._guarded(DEFAULT, job_id, action)

    def is_live(self, job_id: str) -> bool:
        """True when a job will still do this work: waiting, running or scheduled for a retry.

        The work of ``inbound-<id>`` or ``outbound-<id>`` may travel in a batch job (see
        ``note_batch``); it is live while that batch is. A job "started" by a worker that no
        longer exists (killed mid-job: its heartbeat key has expired) is not live: the sweeper
        enqueues it again, and the job, being idempotent, finishes what the dead worker left.
        """
        if self._job_live(job_id):
            return True
        batch = self.batch_of(job_id)
        return batch is not None and self._job_live(batch)

    def _job_live(self, job_id: str) -> bool:
        try:
            job = Job.fetch(job_id, connection=self.connection)
        except NoSuchJobError:
            return False
        status = job.get_status()
        if status == JobStatus.STARTED:
            return bool(job.worker_name) and bool(
                self.connection.exists(f"{WORKER_PREFIX}{job.worker_name}")
            )
        return status in _LIVE

    def depths(self) -> dict[str, int]:
        """Jobs waiting in each queue, and ids waiting for the intake pump."""
        depths = {name: q.count for name, q in self._queues.items()}
        depths["intake"] = sum(self.connection.llen(name) for name in INTAKE_LISTS)
        return depths
