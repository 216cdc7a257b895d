"""What rq itself costs a worker per job, whatever the job does.

    python -m benchmarks.rq_job_bench [--jobs 400] [--rounds 3] [--profile]

Enqueues --jobs jobs that do nothing (``benchmarks.rq_job_bench.nothing``) on a queue of their
own in Redis (BENCH_REDIS_URL, default db 11, emptied before and after), then lets one
``SimpleWorker`` (no fork, so the CPU is this process's) drain them in burst mode, and prints the
CPU per job of each round. With --profile, one more round counts the Python function calls per
job: a figure the host's load does not move. The reply parser redis-py uses is printed too:
hiredis (C) when installed, else redis-py's own in Python.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import time

import redis
from redis.utils import HIREDIS_AVAILABLE
from rq import Queue, SimpleWorker

DEFAULT_REDIS = "redis://127.0.0.1:6379/11"


def nothing(value: int) -> None:
    """The job: nothing, so what is measured is rq's own work around it."""


def drain(connection: redis.Redis, jobs: int, profile: cProfile.Profile | None = None) -> float:
    """CPU seconds one worker spends running ``jobs`` empty jobs."""
    connection.flushdb()
    queue = Queue("bench", connection=connection)
    for i in range(jobs):
        queue.enqueue("benchmarks.rq_job_bench.nothing", i, result_ttl=600)
    worker = SimpleWorker([queue], connection=connection)
    if profile:
        profile.enable()
    started = time.process_time()
    worker.work(burst=True, logging_level="WARNING")
    spent = time.process_time() - started
    if profile:
        profile.disable()
    done = queue.finished_job_registry.count
    if done != jobs:
        raise SystemExit(f"only {done} of {jobs} jobs finished")
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="also count Python calls per job")
    args = parser.parse_args()

    connection = redis.Redis.from_url(os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    print(f"reply parser: {'hiredis' if HIREDIS_AVAILABLE else 'redis-py (Python)'}")
    try:
        drain(connection, 50)  # warm up
        per_job = [drain(connection, args.jobs) / args.jobs * 1000 for _ in range(args.rounds)]
        rounds = ", ".join(f"{ms:.2f}" for ms in per_job)
        print(f"rq CPU per job: median {statistics.median(per_job):.2f} ms (rounds: {rounds})")
        if args.profile:
            profile = cProfile.Profile(time.process_time)
            drain(connection, args.jobs, profile)
            calls = pstats.Stats(profile).total_calls / args.jobs
            print(f"Python function calls per job: {calls:,.0f}")
    finally:
        connection.flushdb()


if __name__ == "__main__":
    main()
