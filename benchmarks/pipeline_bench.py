"""End to end on PostgreSQL + Redis: SMS in → acknowledged → classified, routed, forwarded.

    python -m benchmarks.pipeline_bench [--rate 100] [--seconds 60] [--web-workers 2]
                                        [--workers 2] [--scaling 1,2,4] [--backlog 2000]

Runs the real service as it is deployed: gunicorn (the project's gunicorn.conf.py) serving
wsgi:app and ``python -m workers`` processes, on a fresh database (``lapor_bench_pipeline``,
seeded) and Redis db 13. Every agency's channel points at a signed-webhook receiver in this
process, which notes when each ticket arrives.

1. Latency: citizens' SMS (unique senders, texts written for this benchmark) paced at --rate per
   second for --seconds; for each: the acknowledgement's latency (TwiML answer), and for each
   ticket the machine routed by itself, SMS sent → agency received (end to end).
2. Scaling: with the workers stopped, --backlog SMS are taken in; then 1, 2, 4… worker processes
   start and the time to process and forward all of them gives messages/s per worker count.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, text
from twilio.request_validator import RequestValidator

from benchmarks.cpu import cpu_by_part, print_cpu
from benchmarks.intake_bench import checkpoint, prepare_database

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-twilio-auth-token"
DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/lapor_bench_pipeline"
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
WEB_PORT, HOOK_PORT = 5097, 5098

# Complaints written for this benchmark: what, where (Surabaya's kecamatan), in SMS style.
WHAT = (
    "lampu penerangan jalan di {p} mati sdh 2 minggu, gelap bgt kalo malam",
    "jalan di {p} berlubang besar, sdh ada motor jatuh, mohon segera diperbaiki",
    "saluran air di {p} mampet, tiap hujan banjir smp masuk rumah warga",
    "sampah di pinggir jalan {p} menumpuk ga diangkut seminggu, bau sekali",
    "bansos PKH ibu saya di {p} blm cair 3 bulan pdhl terdaftar",
    "pengurusan KTP di kecamatan {p} lama sekali, sdh 2 bulan blm jadi",
    "pohon tumbang di {p} menutup separuh jalan, mohon dipotong",
    "air PDAM di {p} mati 3 hari, warga kesulitan air bersih",
    "puskesmas di {p} sering tutup sblm jam pelayanan selesai",
    "pedagang kaki lima menutup trotoar di {p}, pejalan kaki turun ke jalan",
)
PLACES = (
    "rungkut kota surabaya",
    "wonokromo surabaya",
    "tegalsari surabaya",
    "gubeng surabaya",
    "kenjeran surabaya",
    "sukolilo surabaya",
    "tambaksari surabaya",
    "lakarsantri surabaya",
)


class Receiver(BaseHTTPRequestHandler):
    """An agency's webhook: notes when each ticket arrived (by tracking number). It keeps its
    connections open (HTTP/1.1), as an agency's web server does."""

    protocol_version = "HTTP/1.1"
    arrivals: dict[str, float] = {}

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            number = json.loads(body)["ticket"]["tracking_number"]
            Receiver.arrivals.setdefault(number, time.time())
        except (ValueError, KeyError):
            pass
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass


def _sms(i: int, tag: str) -> dict[str, str]:
    return {
        "MessageSid": f"SM{tag}{i:08x}",
        "AccountSid": "AC" + "5" * 32,
        "From": f"+62813{(hash(tag) % 1000):03d}{i:05d}",
        "To": "1708",
        "Body": WHAT[i % len(WHAT)].format(p=PLACES[(i // len(WHAT)) % len(PLACES)]),
        "NumMedia": "0",
    }


def _sender(args: tuple) -> list[tuple[str, float, float]]:
    """One client process: sends its share on schedule; returns (tracking, sent, acked)."""
    first, count, interval, start_at, tag = args
    path = "/webhooks/twilio/sms"
    url = f"http://127.0.0.1:{WEB_PORT}{path}"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    validator = RequestValidator(TOKEN)
    forms = [_sms(first + k, tag) for k in range(count)]
    signed = [(urlencode(f).encode(), validator.compute_signature(url, f)) for f in forms]
    while time.time() < start_at:
        time.sleep(0.001)
    out = []
    for k, (body, signature) in enumerate(signed):
        scheduled = start_at + k * interval
        if interval:
            time.sleep(max(0.0, scheduled - time.time()))
        sent = scheduled if interval else time.time()
        # A new connection per SMS, as the provider's webhook calls come; http.client rather
        # than urllib: the load generator shares the cores with what it measures.
        conn = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=10)
        try:
            conn.request(
                "POST", path, body=body, headers={**headers, "X-Twilio-Signature": signature}
            )
            response = conn.getresponse()
            answer = response.read().decode()
        except (OSError, http.client.HTTPException):
            continue
        finally:
            conn.close()
        if response.status != 200:
            continue
        match = re.search(r"CEK (\d{8,10})", answer)  # the acknowledgement names the number
        digits = match.group(1) if match else ""
        out.append((digits, sent, time.time()))
    return out


def send(count: int, rate: float | None, processes: int) -> list[tuple[str, float, float]]:
    """``count`` SMS from ``processes`` senders, paced at ``rate``/s in all (or flat out)."""
    interval = processes / rate if rate else 0.0
    start_at = time.time() + 2.0
    tag = f"{int(time.time() * 1000) % 10**8:08d}"
    share = count // processes
    jobs = [
        (p * share, share, interval, start_at + p * interval / processes, f"{tag}{p:02d}")
        for p in range(processes)
    ]
    with mp.get_context("spawn").Pool(processes) as pool:
        return [row for part in pool.map(_sender, jobs) for row in part]


def pct(values: list[float], q: float) -> float:
    data = sorted(values)
    return data[min(len(data) - 1, int(q * len(data)))] if data else float("nan")


def start_web(env: dict, web_workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{WEB_PORT}",
            "--workers",
            str(web_workers),
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{WEB_PORT}/healthz", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not start")


def start_workers(env: dict, count: int) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(
            [sys.executable, "-m", "workers", "--name", f"bench-{i}-{time.time_ns()}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(count)
    ]


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_processed(engine, since_id: int, timeout: float) -> float:  # noqa: ANN001
    """Wait until every inbound SMS after ``since_id`` is processed; the processing rate (per s).

    The rate is counted between the first and the last message processed, so the workers'
    start-up (loading the classifier and the gazetteer) is not in it.
    """
    started = time.time()
    query = text(
        "SELECT count(*) FILTER (WHERE state = 'received'), count(*),"
        " extract(epoch FROM max(processed_at) - min(processed_at))"
        " FROM inbound_messages WHERE id > :i"
    )
    while time.time() - started < timeout:
        with engine.connect() as conn:
            left, total, span = conn.execute(query, {"i": since_id}).one()
        if left == 0:
            return total / float(span) if span else float("nan")
        time.sleep(0.2)
    return float("nan")


def prepare_service(database_url: str, redis_url: str, env: dict) -> tuple:
    """A fresh database, migrated and seeded, whose agencies all forward to a signed-webhook
    receiver now serving in this process; Redis's database flushed. Returns (engine, receiver)."""
    prepare_database(database_url)
    for step in (["db", "upgrade"], ["seed"]):
        flask = [sys.executable, "-m", "flask", "--app", "wsgi", *step]
        subprocess.run(flask, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE agencies SET channel = 'webhook', webhook_url = :u, "
                "webhook_secret = 'bench-agency-secret-0123'"
            ),
            {"u": f"http://127.0.0.1:{HOOK_PORT}/lapor"},
        )
    subprocess.run(["redis-cli", "-u", redis_url, "flushdb"], check=True, stdout=subprocess.DEVNULL)
    checkpoint(database_url)
    hook = ThreadingHTTPServer(("127.0.0.1", HOOK_PORT), Receiver)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    return engine, hook


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scaling", default="1,2,4")
    parser.add_argument("--backlog", type=int, default=2000)
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "SMS_PROVIDER": "sandbox",
        "APP_ENV": "development",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{WEB_PORT}",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": str(args.web_workers),
    }
    engine, hook = prepare_service(database_url, redis_url, env)
    web = start_web(env, args.web_workers)
    workers = start_workers(env, args.workers)
    try:
        # Warm up: the workers load the classifier and the gazetteer on their first jobs.
        send(4 * args.workers, None, 1)
        wait_processed(engine, 0, 120)
        with engine.connect() as conn:
            since = conn.execute(text("SELECT coalesce(max(id), 0) FROM inbound_messages"))
            since = since.scalar()
        time.sleep(2)
        count = int(args.rate * args.seconds)
        print(
            f"latency: {count} SMS at {args.rate:.0f}/s for {args.seconds:.0f} s, "
            f"{args.web_workers} web + {args.workers} worker processes"
        )
        cpu_before, started = cpu_by_part(web, workers), time.time()
        rows = send(count, args.rate, args.clients)
        wait_processed(engine, since, 120)
        print_cpu(cpu_before, cpu_by_part(web, workers), count, time.time() - started)
        time.sleep(3)
        acks = [(acked - sent) * 1000 for _, sent, acked in rows]
        with engine.connect() as conn:
            routed = {
                n
                for (n,) in conn.execute(
                    text(
                        "SELECT t.tracking_number FROM tickets t JOIN dispatches d ON d.ticket_id = t.id"
                        " WHERE d.status = 'delivered'"
                    )
                )
            }
            triage = conn.execute(text("SELECT count(*) FROM tickets WHERE needs_triage")).scalar()
        e2e = [Receiver.arrivals[n] - sent for n, sent, _ in rows if n in Receiver.arrivals]
        print(f"  answered {len(rows)}/{count}; forwarded {len(routed)}; left for triage {triage}")
        print(
            f"  acknowledgement p50 {pct(acks, 0.5):.1f} ms  p95 {pct(acks, 0.95):.1f} ms  "
            f"p99 {pct(acks, 0.99):.1f} ms"
        )
        if e2e:
            print(
                f"  SMS in → agency received: p50 {pct(e2e, 0.5):.2f} s  p95 {pct(e2e, 0.95):.2f} s"
                f"  p99 {pct(e2e, 0.99):.2f} s  max {max(e2e):.2f} s  (n={len(e2e)}, "
                f"mean {statistics.mean(e2e):.2f} s)"
            )
        stop(workers)
        workers = []
        print(f"scaling: backlog of {args.backlog} SMS, then N worker processes drain it")
        for n in [int(x) for x in args.scaling.split(",") if x.strip()]:
            with engine.connect() as conn:
                since = conn.execute(text("SELECT coalesce(max(id), 0) FROM inbound_messages"))
                since = since.scalar()
            taken = send(args.backlog, None, args.clients)
            workers = start_workers(env, n)
            rate = wait_processed(engine, since, 300)
            stop(workers)
            workers = []
            print(
                f"  {n} worker process(es): {len(taken)} SMS processed at {rate:.0f} SMS/s "
                f"({rate / n:.0f} per worker)"
            )
    finally:
        stop(workers)
        stop([web])
        hook.shutdown()
        engine.dispose()


if __name__ == "__main__":
    main()
