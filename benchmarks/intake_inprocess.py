"""The web process's own CPU per request: the durable webhook beside the baseline, in-process.

    python -m benchmarks.intake_inprocess [--requests 2000] [--profile durable|baseline]

No server and no network between client and app: the app of benchmarks/bench_app.py is called
as a WSGI application, one request at a time, with unique signed SMS forms, on PostgreSQL and
Redis (BENCH_DATABASE_URL, BENCH_REDIS_URL; by default the databases of intake_bench, emptied
and migrated first). The two endpoints are alternated in ten blocks (the order swapped
every block), so the machine's noise hits both alike. What is printed is this process's CPU per
request (the web side alone) and PostgreSQL's, read from /proc around each block: one request
at a time, so neither pays for contention (intake_bench measures it under load). --profile counts the Python function calls per request of one endpoint (a figure the
host's load does not move) and prints where its time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import time

from benchmarks.cpu import postgresql_seconds
from benchmarks.intake_bench import DEFAULT_DB, DEFAULT_REDIS, ROOT, TOKEN, prepare_database
from benchmarks.loadgen import signed_bodies

PATHS = {"baseline": "/bench/baseline", "durable": "/webhooks/twilio/sms"}
BLOCKS = 10


def environ(path: str, body: bytes, signature: str) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_TWILIO_SIGNATURE": signature,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000, help="per endpoint")
    parser.add_argument("--profile", choices=sorted(PATHS))
    args = parser.parse_args()

    os.environ.update(
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS),
        TWILIO_AUTH_TOKEN=TOKEN,
        APP_ENV="development",
        LOG_LEVEL="WARNING",
    )
    folder = ROOT / "instance" / "bench-prometheus-inprocess"
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(folder))
    prepare_database(os.environ["DATABASE_URL"])
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "benchmarks.bench_app:create()", "db", "upgrade"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    from benchmarks.bench_app import create

    app = create()
    warm = 100
    tag = f"P{int(time.time())}"
    bodies = {
        name: signed_bodies(f"http://localhost{path}", TOKEN, warm + args.requests, tag + name[0])
        for name, path in PATHS.items()
    }

    def call(name: str, index: int) -> None:
        body, signature = bodies[name][index]
        status: list[str] = []
        answer = app(environ(PATHS[name], body, signature), lambda s, h, e=None: status.append(s))
        b"".join(answer)
        getattr(answer, "close", lambda: None)()
        if not status[0].startswith("200"):
            raise SystemExit(f"{name} answered {status[0]}")

    for index in range(warm):
        call("baseline", index)
        call("durable", index)
    spent = dict.fromkeys(PATHS, 0.0)
    database = dict.fromkeys(PATHS, 0.0)
    profile = cProfile.Profile(time.process_time) if args.profile else None
    size = args.requests // BLOCKS
    for block in range(BLOCKS):
        order = ("baseline", "durable") if block % 2 == 0 else ("durable", "baseline")
        for name in order:
            profiled = profile is not None and name == args.profile
            if profiled:
                profile.enable()
            started, server = time.process_time(), postgresql_seconds()
            for index in range(warm + block * size, warm + (block + 1) * size):
                call(name, index)
            spent[name] += time.process_time() - started
            database[name] += postgresql_seconds() - server
            if profiled:
                profile.disable()
    done = size * BLOCKS
    for name, seconds in spent.items():
        note = " (profiled)" if name == args.profile else ""
        print(
            f"{name:9s} web {seconds / done * 1000:.3f} ms, "
            f"PostgreSQL {database[name] / done * 1000:.3f} ms CPU per request{note}"
        )
    if profile is None:
        print(f"durable / baseline CPU, web: {spent['durable'] / spent['baseline']:.2f}")
        both = {name: spent[name] + database[name] for name in PATHS}
        print(f"durable / baseline CPU, web + PostgreSQL: {both['durable'] / both['baseline']:.2f}")
    else:
        stats = pstats.Stats(profile)
        print(
            f"Python function calls per request ({args.profile}): {stats.total_calls / done:,.0f}"
        )
        stats.sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
