"""What one worker pays per SMS: CPU, wall time and SQL statements, processing and forwarding.

    python -m benchmarks.worker_bench [--sms 500] [--batch 25] [--profile FILE] [--statements]

Seeds a PostgreSQL database (``lapor_bench_worker``; BENCH_DATABASE_URL, BENCH_REDIS_URL,
default Redis db 12), points every agency at a signed webhook served by this process, takes
--sms complaints in through the real webhook (in-process), then runs the worker's own batch job
(``workers.jobs.process_inbound_batch``) over them in this process, --batch at a time: each SMS
understood, classified, located, routed, forwarded to its agency and its citizen's SMS queued.
Prints the worker's CPU and wall time per SMS and the SQL statements it sent, counted with an
SQLAlchemy hook. The first 50 SMS warm the process up (the classifier, the gazetteer) and are
not counted.

The wall time includes PostgreSQL's and the agency receiver's answers; the CPU is this
process's only. Compare two versions of the code by running this in each, alternately, on the
same machine: single runs move by a tenth with the machine's load. Between 22:00 and 06:00 in
the complaint's region the citizen's "forwarded" SMS is scheduled for the morning instead of
sent in the batch's job, which costs a little more.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time
from collections import Counter

from sqlalchemy import event, text
from sqlalchemy.engine.interfaces import CacheStats
from twilio.request_validator import RequestValidator

from benchmarks.intake_bench import checkpoint
from benchmarks.pipeline_bench import TOKEN, _sms, prepare_service

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/lapor_bench_worker"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
BASE_URL = "http://127.0.0.1:5097"
WARM_UP = 50


def take_in(count: int) -> None:
    """``count`` signed SMS through the real webhook, in this process."""
    from wsgi import app

    validator = RequestValidator(TOKEN)
    url = f"{BASE_URL}/webhooks/twilio/sms"
    client = app.test_client()
    tag = f"{int(time.time() * 1000) % 10**8:08d}"
    for i in range(count):
        form = _sms(i, tag)
        answer = client.post(
            "/webhooks/twilio/sms",
            data=form,
            headers={"X-Twilio-Signature": validator.compute_signature(url, form)},
            base_url=BASE_URL,
        )
        if answer.status_code != 200:
            raise SystemExit(f"the webhook answered {answer.status_code}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sms", type=int, default=500)
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument(
        "--profile", metavar="FILE", help="also profile the measured part (cProfile) into FILE"
    )
    parser.add_argument(
        "--statements", action="store_true", help="also list the statements sent, per SMS"
    )
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    os.environ.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        TWILIO_AUTH_TOKEN=TOKEN,
        SMS_PROVIDER="sandbox",
        APP_ENV="development",
        PUBLIC_BASE_URL=BASE_URL,
        LOG_LEVEL="WARNING",
    )
    engine, hook = prepare_service(database_url, redis_url, dict(os.environ))

    take_in(WARM_UP + args.sms)
    with engine.connect() as conn:
        ids = conn.execute(
            text("SELECT id FROM inbound_messages WHERE state = 'received' ORDER BY id")
        ).scalars()
        ids = list(ids)
    checkpoint(database_url)  # the intake's writes flushed before the measured part

    from workers import context, jobs

    ctx = context.configure()
    jobs.process_inbound_batch(ids[:WARM_UP])
    counted = ids[WARM_UP:]
    statements = 0
    kinds: Counter[str] = Counter()

    @event.listens_for(ctx.db.engine, "before_cursor_execute")
    def _count(_conn, _cursor, statement, _parameters, context, _many) -> None:  # noqa: ANN001
        nonlocal statements
        statements += 1
        if args.statements:  # "compiled": SQLAlchemy could not reuse its compilation
            fresh = context is not None and context.cache_hit is CacheStats.NO_CACHE_KEY
            kinds[("compiled " if fresh else "") + " ".join(statement.split())[:100]] += 1

    profiler = cProfile.Profile() if args.profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for start in range(0, len(counted), args.batch):
        jobs.process_inbound_batch(counted[start : start + args.batch])
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    hook.shutdown()

    with engine.connect() as conn:
        delivered = conn.execute(
            text(
                "SELECT count(*) FROM dispatches d JOIN tickets t ON t.id = d.ticket_id"
                " JOIN inbound_messages m ON m.id = t.source_message_id"
                " WHERE d.status = 'delivered' AND m.id >= :first"
            ),
            {"first": counted[0]},
        ).scalar_one()
    n = len(counted)
    print(f"{n} SMS in batches of {args.batch}, {delivered} forwarded to their agency")
    print(f"worker CPU   {cpu / n * 1000:6.2f} ms per SMS")
    print(f"worker wall  {wall / n * 1000:6.2f} ms per SMS ({n / wall:.0f} SMS/s)")
    print(f"statements   {statements / n:6.1f} per SMS")
    for statement, count in kinds.most_common():
        print(f"  {count / n:5.2f}  {statement}")
    if profiler:  # the profiler slows the run down: its CPU and wall figures are not the real ones
        profiler.dump_stats(args.profile)
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(30)
        # Unlike CPU time, the count does not move with the machine's load: compare versions by it.
        print(f"Python function calls {stats.total_calls / n:,.0f} per SMS")


if __name__ == "__main__":
    main()
