"""``python -m workers``: an rq worker on every queue of the project.

It uses rq's SimpleWorker (no fork per job): a forking worker tops out near 85 jobs/s on these
machines, far below what intake takes in; jobs here are short and share one database pool.
Run more processes to scale (``Procfile``: ``worker``). Each process also runs the intake pump
(workers/pump.py), which turns the ids the webhook pushes into rq jobs.
"""

from __future__ import annotations

import argparse

from rq import SimpleWorker

from sms_gateway import logs, redis_conn
from workers import context, pump
from workers.queues import ALL


class Worker(SimpleWorker):
    """SimpleWorker whose log lines carry the id of the job they belong to, and whose failed
    jobs keep their traceback without the data it may quote."""

    def execute_job(self, job, queue):  # noqa: ANN001, ANN201
        token = logs.JOB_ID.set(job.id)
        try:
            return super().execute_job(job, queue)
        finally:
            logs.JOB_ID.reset(token)

    def handle_job_failure(  # noqa: ANN201
        self,
        job,  # noqa: ANN001
        queue,  # noqa: ANN001
        started_job_registry=None,  # noqa: ANN001
        exc_string: str = "",
    ):
        # rq keeps this text in Redis for the job's failure_ttl (a week) and the console shows
        # it: a statement's error may quote the row it tried to write (an SMS, a name), and a
        # job's message a phone number. Cut as the logs are.
        return super().handle_job_failure(
            job, queue, started_job_registry, logs.redact(logs.hide_values(exc_string))
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m workers", description=__doc__)
    parser.add_argument("--burst", action="store_true", help="exit when the queues are empty")
    parser.add_argument("--name", help="worker name (default: rq's)")
    args = parser.parse_args(argv)
    ctx = context.configure()
    logs.configure(ctx.settings.log_level, ctx.settings.log_format)
    if args.burst:
        pump.transfer(ctx.enqueuer)
    stop_pump = pump.start(ctx.enqueuer)
    # rq blocks on its queues for minutes: it gets a client of its own, whose socket timeout it
    # raises before any connection exists. On the shared client (2 s timeout, made for failing
    # fast) an idle worker would time out and quit.
    own = redis_conn.connect(redis_conn.resolve_url(ctx.settings))
    worker = Worker(list(ALL), connection=own, name=args.name)
    try:
        worker.work(burst=args.burst, with_scheduler=True, logging_level=ctx.settings.log_level)
    finally:
        stop_pump.set()


if __name__ == "__main__":
    main()
