"""Intake throughput and latency on PostgreSQL + Redis, beside the bare endpoints it is judged by.

    python -m benchmarks.intake_bench [--seconds 10] [--rounds 3] [--connections 16] [--web-workers 2]

Throughput is driven by wrk (``apt-get install wrk``) replaying pre-signed, unique SMS forms, so
the load generator costs little CPU; the paced latency run uses benchmarks/loadgen.py.

Starts gunicorn (the project's gunicorn.conf.py, sync workers) on loopback with three endpoints:
a bare "hello" TwiML answer, a baseline doing the Twilio signature check plus one single-row
insert and commit, and the real durable webhook (signature, intake transaction, commit, rq
enqueue). Endpoints are measured in turns, round after round, so noise on this shared machine hits
them alike (the baseline and the durable webhook swap order every round); the ratio
durable/baseline is the figure the target is about, printed as the ratio of the medians and as
the median of each round's back-to-back ratio. Then the durable path is
paced at --rate requests/s for its latency, and each endpoint at --cpu-rate for the CPU the web
processes and PostgreSQL spend per request (read from /proc: benchmarks/cpu.py). Needs PostgreSQL and Redis (BENCH_DATABASE_URL,
BENCH_REDIS_URL; defaults: the local servers, database ``lapor_bench``, Redis db 14).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, text

from benchmarks.cpu import cpu_by_part
from benchmarks.loadgen import Result, run, signed_bodies

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-twilio-auth-token"
DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/lapor_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"


def prepare_database(url: str) -> None:
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    name = url.rsplit("/", 1)[1]
    engine = create_engine(
        admin_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as conn:
        if not conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def checkpoint(url: str) -> None:
    engine = create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as conn:
        conn.execute(text("CHECKPOINT"))
    engine.dispose()


def start_server(env: dict, port: int, web_workers: int) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(web_workers),
        "benchmarks.bench_app:create()",
    ]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def wrk(
    name: str,
    port: int,
    path: str,
    seconds: float,
    connections: int,
    threads: int,
    requests_file: Path,
    offset: int = 0,
) -> Result:
    """Closed-loop load with wrk; returns throughput and wrk's latency percentiles."""
    output = subprocess.run(
        [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(connections),
            "-d",
            f"{int(seconds)}s",
            "-s",
            str(ROOT / "benchmarks" / "wrk_signed.lua"),
            f"http://127.0.0.1:{port}",
            "--",
            path,
            str(requests_file),
            str(threads),
            str(offset),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    stats = json.loads(output.strip().splitlines()[-1])
    result = Result(
        name, stats["requests"], stats["errors"] + stats["non2xx"], stats["seconds"], []
    )
    result.p50, result.p99 = stats["p50_ms"], stats["p99_ms"]
    return result


def write_requests(folder: Path, port: int, path: str, count: int) -> Path:
    """A file of unique signed SMS forms for ``path``: one "signature<TAB>body" per line."""
    target = folder / (path.strip("/").replace("/", "_") + ".tsv")
    rows = signed_bodies(f"http://127.0.0.1:{port}{path}", TOKEN, count, "W")
    target.write_text("".join(f"{sig}\t{body.decode()}\n" for body, sig in rows))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--clients", type=int, default=4, help="processes of the paced run")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=300)
    parser.add_argument("--cpu-rate", type=float, default=100, help="rate of the CPU runs")
    parser.add_argument("--port", type=int, default=5099)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        parser.exit(2, "intake_bench needs wrk on the PATH: apt-get install wrk\n")

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    prepare_database(database_url)
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        TWILIO_AUTH_TOKEN=TOKEN,
        APP_ENV="development",
        LOG_LEVEL="WARNING",
        PROMETHEUS_MULTIPROC_DIR=str(ROOT / "instance" / "bench-prometheus"),
    )
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "benchmarks.bench_app:create()", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    server = start_server(env, args.port, args.web_workers)
    endpoints = [
        ("bare hello", "/bench/hello"),
        ("signature + 1 insert", "/bench/baseline"),
        ("durable webhook", "/webhooks/twilio/sms"),
    ]
    results: dict[str, list] = {name: [] for name, _ in endpoints}
    saturated: dict[str, dict[str, float]] = {name: {} for name, _ in endpoints}
    work = ROOT / "instance" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    count = int(5000 * args.seconds * args.rounds) + 20000
    offsets = {path: 0 for _, path in endpoints}
    files = {path: write_requests(work, args.port, path, count) for _, path in endpoints}
    try:
        wrk(
            "warm-up",
            args.port,
            "/bench/hello",
            2,
            args.connections,
            args.threads,
            files["/bench/hello"],
        )
        for round_no in range(args.rounds):
            # The two compared endpoints swap places every round (ABBA), so a drift in the
            # machine's load between them favours neither.
            order = endpoints if round_no % 2 == 0 else [endpoints[0], *endpoints[:0:-1]]
            for name, path in order:
                checkpoint(database_url)  # no endpoint pays for the WAL another one wrote
                before = cpu_by_part(server, [])
                result = wrk(
                    name,
                    args.port,
                    path,
                    args.seconds,
                    args.connections,
                    args.threads,
                    files[path],
                    offsets[path],
                )
                # Never send a message twice: the next run starts after this one's last.
                offsets[path] += result.requests + 4 * args.connections
                if offsets[path] > count and path != "/bench/hello":
                    raise SystemExit(f"ran out of unique messages for {path}; raise the count")
                results[name].append(result)
                after = cpu_by_part(server, [])
                for part, seconds in after.items():
                    saturated[name][part] = saturated[name].get(part, 0.0) + seconds - before[part]
                saturated[name]["requests"] = saturated[name].get("requests", 0) + result.requests
                saturated[name]["seconds"] = saturated[name].get("seconds", 0) + result.seconds
                print(f"round {round_no + 1}: {result.row()}", flush=True)
        checkpoint(database_url)
        paced = run(
            f"durable @ {args.rate:.0f}/s",
            "127.0.0.1",
            args.port,
            "/webhooks/twilio/sms",
            TOKEN,
            args.seconds,
            args.clients,
            rate=args.rate,
        )
        costs = [cpu_per_request(server, database_url, args, e) for e in endpoints]
    finally:
        server.terminate()
        server.wait(10)

    def median(name: str, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in results[name])

    print(
        f"\nmedians over {args.rounds} rounds, wrk {args.connections} connections, "
        f"{args.web_workers} gunicorn sync workers, {os.cpu_count()} cores"
    )
    print(f"{'endpoint':<28} {'req/s':>8}  {'p50 ms':>7}  {'p99 ms':>7}")
    for name, _ in endpoints:
        print(
            f"{name:<28} {median(name, 'rps'):8.0f}  {median(name, 'p50'):7.2f}  {median(name, 'p99'):7.2f}"
        )
    ratio = median("durable webhook", "rps") / median("signature + 1 insert", "rps")
    pairs = [
        durable.rps / baseline.rps
        for durable, baseline in zip(
            results["durable webhook"], results["signature + 1 insert"], strict=True
        )
    ]
    print(f"durable / baseline throughput: {ratio:.2f}  (target >= 0.80)")
    print(
        f"per round, measured back to back: median {statistics.median(pairs):.2f} "
        f"(rounds: {', '.join(f'{r:.2f}' for r in pairs)})"
    )
    print(f"paced: {paced.row()}  (target p99 <= 25 ms)")
    print("\nCPU per request during the throughput rounds (ms; wrk is the load generator):")
    print(
        f"{'endpoint':<28} {'web':>6} {'PostgreSQL':>10} {'Redis':>6} {'wrk':>6} {'other':>6}"
        f"  {'cores busy':>10}"
    )
    for name, _ in endpoints:
        used = saturated[name]
        count = max(1, used["requests"])
        parts = [used[p] / count * 1000 for p in ("web", "PostgreSQL", "Redis")]
        loadgen = used["load generator and agency receiver"] / count * 1000
        other = used["machine"] / count * 1000 - sum(parts) - loadgen
        busy = used["machine"] / max(used["seconds"], 1e-9)
        print(
            f"{name:<28} {parts[0]:6.2f} {parts[1]:10.2f} {parts[2]:6.2f} {loadgen:6.2f}"
            f" {other:6.2f}  {busy:6.2f} of {os.cpu_count()}"
        )
    print(
        f"\nCPU per request, each endpoint paced at {args.cpu_rate:.0f}/s for {args.seconds:.0f} s:"
    )
    print(f"{'endpoint':<28} {'web ms':>7}  {'PostgreSQL ms':>13}")
    for name, web, database in costs:
        print(f"{name:<28} {web:7.2f}  {database:13.2f}")
    (_, *baseline), (_, *durable) = costs[1], costs[2]
    print(f"durable / baseline CPU (web + PostgreSQL): {sum(durable) / sum(baseline):.2f}")


def cpu_per_request(
    server: subprocess.Popen, database_url: str, args: argparse.Namespace, endpoint: tuple
) -> tuple[str, float, float]:
    """The CPU the web processes and PostgreSQL spend per request of ``endpoint``, paced well
    below saturation so the endpoints are compared at the same rate."""
    name, path = endpoint
    checkpoint(database_url)
    before = cpu_by_part(server, [])
    result = run(name, "127.0.0.1", args.port, path, TOKEN, args.seconds, 2, rate=args.cpu_rate)
    after = cpu_by_part(server, [])
    count = max(1, result.requests)
    return (
        name,
        (after["web"] - before["web"]) / count * 1000,
        (after["PostgreSQL"] - before["PostgreSQL"]) / count * 1000,
    )


if __name__ == "__main__":
    main()
