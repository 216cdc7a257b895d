"""Scale-out rehearsal on one machine: two web processes behind a balancer, two workers.

    python -m benchmarks.scaleout_rehearsal [--database-url URL] [--redis-url URL]
                                            [--rate 100] [--seconds 30] [--web-workers 2]
                                            [--drain-seconds 420]

Runs the Procfile's processes as a small cluster sharing one PostgreSQL database (default a
throwaway ``lapor_rehearsal`` on 127.0.0.1, created and wiped) and one Redis database (default
db 12, flushed): TWO gunicorn web processes (the project's gunicorn.conf.py, WEB_CONCURRENCY
sync workers each) on two loopback ports, TWO ``python -m workers`` processes and ONE
``python -m workers.scheduler``. In front of the web processes sits a round-robin TCP balancer
written here (asyncio, in this process): it health-checks ``/healthz`` every second, takes a
backend out when a check or a connection fails, and sends a connection that was refused to the
next backend (as HAProxy does with ``option redispatch``). Every agency is pointed at a
signed-webhook receiver in this process, which notes when each ticket arrives and how often.

Signed Twilio webhooks (unique senders and message ids) are paced at --rate per second for
--seconds, from four client processes; a request that fails is sent again once after the run
(as a provider retries), with the same message id and signature.

1. Steady: per web process, requests and 200s per second and the balancer's latency
   p50/p99 (accept → the backend's last byte), and the client's; how the rq jobs spread over the
   two workers (read from each job's ``worker_name`` in Redis while the jobs still exist); SMS
   in → ticket routed (verified_at) and → agency received, p50/p95; the checks.
2. Failover: the same load; a third of the way in, one web process (its gunicorn master and
   workers: the process group) gets SIGKILL; half way in, one worker process gets SIGKILL. It
   reports the requests that failed during the switch, then waits for the surviving worker and
   the scheduler's sweepers to finish everything (up to --drain-seconds) and checks again.

Checks: every sent SMS is stored once and has exactly one ticket; each ticket reached its agency
once (one dispatch row, one arrival at the receiver) and no status SMS was queued twice; nothing
is left ``received``, pending or queued (rq queues, intake lists and registries empty).
Every child process is stopped at the end, also on Ctrl-C or an error. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import multiprocessing as mp
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import redis
from sqlalchemy import create_engine, text
from twilio.request_validator import RequestValidator

from benchmarks.console_bench import prepare_database
from benchmarks.intake_bench import checkpoint
from benchmarks.pipeline_bench import PLACES, WHAT, pct

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "rehearsal-twilio-auth-token"
DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/lapor_rehearsal"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
LB_PORT, WEB_PORTS, HOOK_PORT = 5190, (5191, 5192), 5193
PATH = "/webhooks/twilio/sms"
CLIENTS = 4


# --- the balancer ---------------------------------------------------------------------------


class Balancer:
    """Round-robin TCP proxy with health checks; notes each connection's backend and outcome."""

    def __init__(self, port: int, backends: dict[str, int]) -> None:
        self.port, self.backends = port, backends
        self.up = dict.fromkeys(backends, True)
        self.records: list[tuple[str, str, float, float, str]] = []  # phase, backend, at, ms, out
        self.events: list[tuple[float, str]] = []
        self.redispatched = 0
        self.phase = "warm-up"
        self._turn = 0
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._run, name="balancer", daemon=True).start()
        if not self._ready.wait(10):
            raise SystemExit("the balancer did not start")

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", self.port, backlog=512)
        )
        self.loop.create_task(self._health())
        self._ready.set()
        try:
            self.loop.run_forever()
        finally:
            server.close()
            tasks = asyncio.all_tasks(self.loop)
            for task in tasks:
                task.cancel()
            self.loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))

    def _mark(self, name: str, up: bool, why: str) -> None:
        if self.up[name] != up:
            self.up[name] = up
            self.events.append((time.time(), f"{name} {'up' if up else 'DOWN'} ({why})"))

    def _next(self, tried: set[str]) -> str | None:
        names = list(self.backends)
        for _ in names:
            name = names[self._turn % len(names)]
            self._turn += 1
            if self.up[name] and name not in tried:
                return name
        return None

    async def _health(self) -> None:
        while True:
            for name, port in self.backends.items():
                try:
                    reader, writer = await asyncio.wait_for(
                        asyncio.open_connection("127.0.0.1", port), 1
                    )
                    writer.write(b"GET /healthz HTTP/1.0\r\nHost: lb\r\n\r\n")
                    answer = await asyncio.wait_for(reader.read(64), 2)
                    writer.close()
                    self._mark(name, answer[9:12] == b"200", "health check")
                except (OSError, TimeoutError):
                    self._mark(name, False, "health check")
            await asyncio.sleep(1)

    async def _handle(self, client_r, client_w) -> None:  # noqa: ANN001
        accepted, phase, tried = time.perf_counter(), self.phase, set()
        while True:
            name = self._next(tried)
            if name is None:  # no backend left: the client sees a closed connection
                self.records.append((phase, "-", time.time(), 0.0, "no backend"))
                client_w.close()
                return
            tried.add(name)
            try:
                back_r, back_w = await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", self.backends[name]), 1
                )
                break
            except (OSError, TimeoutError):
                self._mark(name, False, "connection refused")
                self.redispatched += 1
        first: list[bytes] = []
        upstream = asyncio.ensure_future(_pipe(client_r, back_w, None))
        await _pipe(back_r, client_w, first)
        upstream.cancel()
        for writer in (client_w, back_w):
            writer.close()
        status = first[0][9:12].decode(errors="replace") if first else "broken"
        elapsed = (time.perf_counter() - accepted) * 1000
        self.records.append((phase, name, time.time(), elapsed, status))


async def _pipe(reader, writer, first: list[bytes] | None) -> None:  # noqa: ANN001
    try:
        while data := await reader.read(65536):
            if first is not None and not first:
                first.append(data)
            writer.write(data)
            await writer.drain()
    except (OSError, asyncio.CancelledError):
        pass


# --- the agency's webhook ---------------------------------------------------------------------


class Receiver(BaseHTTPRequestHandler):
    """An agency's webhook: notes when each ticket first arrived and how many times."""

    arrivals: dict[str, float] = {}
    counts: dict[str, int] = {}

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            number = json.loads(body)["ticket"]["tracking_number"]
            Receiver.arrivals.setdefault(number, time.time())
            Receiver.counts[number] = Receiver.counts.get(number, 0) + 1
        except (ValueError, KeyError):
            pass
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass


# --- the citizens (client processes) ----------------------------------------------------------


def _form(run: int, i: int) -> dict[str, str]:
    return {
        "MessageSid": f"SMrh{run:02d}{i:08d}",
        "AccountSid": "AC" + "7" * 32,
        "From": f"+62813{run:02d}{i:06d}",  # unique per SMS: no continuation, no throttling
        "To": "1708",
        "Body": WHAT[i % len(WHAT)].format(p=PLACES[(i // len(WHAT)) % len(PLACES)]),
        "NumMedia": "0",
    }


def _post(body: bytes, signature: str) -> tuple[bool, str]:
    conn = http.client.HTTPConnection("127.0.0.1", LB_PORT, timeout=10)
    try:
        conn.request(
            "POST",
            PATH,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": signature,
            },
        )
        answer = conn.getresponse()
        content = answer.read().decode(errors="replace")
        match = re.search(r"CEK (\d{8,10})", content)
        return answer.status == 200, match.group(1) if match else ""
    except (OSError, http.client.HTTPException):
        return False, ""
    finally:
        conn.close()


def _ready(_: int) -> None:
    time.sleep(0.2)  # long enough that every pool process takes one


def _client(job: tuple) -> list[tuple]:
    """Send signed SMS on schedule; retry failures once after the run, as a provider would.

    Returns (index, scheduled, latency ms, ok at first, ok in the end, tracking number).
    """
    signed, rate, start_at = job
    out = {}
    for i, body, signature in signed:
        scheduled = start_at + i / rate
        time.sleep(max(0.0, scheduled - time.time()))
        ok, number = _post(body, signature)
        out[i] = [i, scheduled, (time.time() - scheduled) * 1000, ok, ok, number]
    failed = [(i, b, s) for i, b, s in signed if not out[i][3]]
    if failed:
        time.sleep(1.0)
    for i, body, signature in failed:  # same message id, same signature
        ok, number = _post(body, signature)
        out[i][4], out[i][5] = ok, number
    return [tuple(row) for row in out.values()]


# --- the cluster ------------------------------------------------------------------------------


class Cluster:
    """The child processes, each in its own process group so a kill takes all of it.

    Like a process manager (systemd ``Restart=always``, a Procfile platform), it starts again
    a child that exits by itself, under a new rq worker name, and notes it; a child killed on
    purpose stays dead.
    """

    def __init__(self, env: dict, logs: Path) -> None:
        self.env, self.logs = env, logs
        self.children: dict[str, subprocess.Popen] = {}
        self.commands: dict[str, tuple[list[str], dict]] = {}
        self.killed: set[str] = set()
        self.restarts: list[tuple[float, str, int]] = []  # when, name, exit code
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def start(self, name: str, command: list[str], **env: str) -> subprocess.Popen:
        self.commands[name] = (command, env)
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 (the child keeps it)
        child = subprocess.Popen(
            [sys.executable, *command],
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.children[name] = child
        return child

    def supervise(self) -> None:
        threading.Thread(target=self._supervise, name="supervisor", daemon=True).start()

    def _supervise(self) -> None:
        while not self._stopping.wait(0.5):
            with self._lock:
                for name, child in list(self.children.items()):
                    code = child.poll()
                    if code is None or name in self.killed or self._stopping.is_set():
                        continue
                    self.restarts.append((time.time(), name, code))
                    command, env = self.commands[name]
                    if "--name" in command:
                        at = command.index("--name") + 1
                        command = [*command[:at], f"{command[at]}-r{len(self.restarts)}"]
                    self.start(name, command, **env)

    def kill(self, name: str) -> float:
        """SIGKILL the process group of ``name`` (a gunicorn master and its workers)."""
        with self._lock:
            self.killed.add(name)
            child = self.children[name]
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        return time.time()

    def stop_all(self) -> None:
        self._stopping.set()
        with self._lock:
            children = list(self.children.values())
        for child in children:
            if child.poll() is None:
                _signal_group(child, signal.SIGTERM)
        deadline = time.time() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                _signal_group(child, signal.SIGKILL)
                child.wait()
        for child in children:  # gunicorn workers orphaned by a killed master
            _signal_group(child, signal.SIGKILL)


def _signal_group(child: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signum)


def _wait_http(port: int, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"nothing answered on port {port}")


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


# --- watching the jobs ------------------------------------------------------------------------


class JobWatch:
    """Reads ``worker_name`` of every finished rq job while the job hashes still exist."""

    def __init__(self, connection: redis.Redis) -> None:
        self.connection = connection
        self.done: dict[str, str] = {}  # job id → worker
        self._stop = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._run, name="job-watch", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def poll(self) -> None:
        keys = [
            k.decode()
            for k in self.connection.scan_iter("rq:job:*", count=2000)
            if k.decode()[7:] not in self.done
        ]
        with self.connection.pipeline() as pipe:
            for key in keys:
                pipe.hmget(key, "status", "worker_name")
            rows = pipe.execute()
        for key, (status, worker) in zip(keys, rows, strict=True):
            if status == b"finished" and worker:
                self.done[key[7:]] = worker.decode()

    def _run(self) -> None:
        while not self._stop.wait(2):
            with contextlib.suppress(redis.RedisError):
                self.poll()


# --- the measurements -------------------------------------------------------------------------


def send(run: int, rate: float, seconds: float, balancer: Balancer, phase: str, at=None):  # noqa: ANN001, ANN201
    """Paced SMS from CLIENTS processes; ``at`` maps a second into the run to an action."""
    url = f"http://127.0.0.1:{LB_PORT}{PATH}"
    validator = RequestValidator(TOKEN)
    signed = []
    for i in range(int(rate * seconds)):
        form = _form(run, i)
        signed.append((i, urlencode(form).encode(), validator.compute_signature(url, form)))
    done = {}
    with mp.get_context("spawn").Pool(CLIENTS) as pool:
        pool.map(_ready, range(CLIENTS))  # every client process is up before the clock starts
        start_at = time.time() + 0.5
        balancer.phase = phase
        jobs = [(signed[p::CLIENTS], rate, start_at) for p in range(CLIENTS)]
        pending = pool.map_async(_client, jobs)
        actions = sorted((at or {}).items())
        while not pending.ready():
            if actions and time.time() >= start_at + actions[0][0]:
                second, action = actions.pop(0)
                done[second] = action()
            pending.wait(0.05)
        rows = sorted(row for part in pending.get() for row in part)
    return rows, start_at, done


def web_table(balancer: Balancer, phase: str, seconds: float) -> dict:
    rows = [r for r in balancer.records if r[0] == phase]
    out = {}
    for name in [*balancer.backends, "-"]:
        mine = [r for r in rows if r[1] == name]
        if not mine:
            continue
        ok = [r[3] for r in mine if r[4] == "200"]
        out[name] = {
            "connections": len(mine),
            "ok": len(ok),
            "ok_per_s": round(len(ok) / seconds, 1),
            "p50_ms": round(pct(ok, 0.5), 1),
            "p99_ms": round(pct(ok, 0.99), 1),
            "broken": sum(1 for r in mine if r[4] != "200"),
        }
    return out


def spread(watch: JobWatch, prefix: str, since: dict[str, str]) -> dict[str, dict[str, int]]:
    """Finished jobs per worker and per kind (inbound, dispatch, outbound), new since ``since``."""
    table: dict[str, dict[str, int]] = {}
    for job_id, worker in watch.done.items():
        if job_id in since:
            continue
        kind = job_id.split("-", 1)[0]
        table.setdefault(worker.replace(prefix, ""), {}).setdefault(kind, 0)
        table[worker.replace(prefix, "")][kind] += 1
    return table


def wait_done(engine, conn: redis.Redis, run: int, timeout: float) -> float | None:  # noqa: ANN001
    """Seconds until nothing of run ``run`` is left to do, or None after ``timeout``."""
    started = time.time()
    while time.time() - started < timeout:
        left = leftovers(engine, conn, run)
        if not any(v for k, v in left.items() if k != "held_for_quiet_hours"):
            return time.time() - started
        time.sleep(1)
    return None


def _scope(run: int) -> str:
    return f"SMrh{run:02d}%"


def leftovers(engine, conn: redis.Redis, run: int) -> dict[str, int]:  # noqa: ANN001
    """What of run ``run`` is still to do, in the database and in Redis."""
    with engine.connect() as db:
        received, pending, queued = db.execute(
            text(
                "SELECT"
                " (SELECT count(*) FROM inbound_messages WHERE provider_message_id LIKE :s"
                "   AND state = 'received'),"
                " (SELECT count(*) FROM dispatches d JOIN inbound_messages i"
                "   ON i.ticket_id = d.ticket_id WHERE i.provider_message_id LIKE :s"
                "   AND d.status <> 'delivered'),"
                " (SELECT count(*) FROM outbound_messages o JOIN inbound_messages i"
                "   ON i.ticket_id = o.ticket_id WHERE i.provider_message_id LIKE :s"
                "   AND o.status IN ('queued', 'sending'))"
            ),
            {"s": _scope(run)},
        ).one()
    held = min(queued, conn.zcard("rq:scheduled:outbound"))  # quiet hours: sent at 07:00
    queues = [f"rq:queue:{q}" for q in ("urgent", "default", "outbound", "low")]
    now = time.time()
    return {
        "inbound_received": received,
        "dispatch_not_delivered": pending,
        "status_sms_queued": queued - held,
        "held_for_quiet_hours": held,
        "intake_lists": conn.llen("lapor:intake") + conn.llen("lapor:intake:urgent"),
        "rq_queued": sum(conn.llen(q) for q in queues),
        "rq_intermediate": sum(conn.llen(f"{q}:intermediate") for q in queues),
        # Executions whose expiry has passed belong to a killed worker: rq drops them later.
        "rq_started": sum(conn.zcount(f"rq:wip:{q[9:]}", now, "+inf") for q in queues),
    }


def checks(engine, conn: redis.Redis, run: int, rows: list[tuple]) -> dict:  # noqa: ANN001
    """Exactly once: stored once, one ticket, one forwarding, one status SMS per step."""
    sids = [_form(run, r[0])["MessageSid"] for r in rows]
    with engine.connect() as db:
        per_sms = dict(
            db.execute(
                text(
                    "SELECT i.provider_message_id, count(t.id) FROM inbound_messages i"
                    " LEFT JOIN tickets t ON t.source_message_id = i.id"
                    " WHERE i.provider_message_id LIKE :s GROUP BY 1"
                ),
                {"s": _scope(run)},
            ).all()
        )
        numbers = dict(
            db.execute(
                text(
                    "SELECT i.provider_message_id, t.tracking_number FROM inbound_messages i"
                    " JOIN tickets t ON t.source_message_id = i.id"
                    " WHERE i.provider_message_id LIKE :s"
                ),
                {"s": _scope(run)},
            ).all()
        )
        twice = db.execute(
            text(
                "SELECT"
                " (SELECT count(*) FROM (SELECT d.ticket_id FROM dispatches d JOIN tickets t"
                "   ON t.id = d.ticket_id JOIN inbound_messages i ON i.id = t.source_message_id"
                "   WHERE i.provider_message_id LIKE :s GROUP BY 1 HAVING count(*) > 1) x),"
                " (SELECT count(*) FROM (SELECT o.ticket_id, o.kind, o.body FROM outbound_messages o"
                "   JOIN tickets t ON t.id = o.ticket_id JOIN inbound_messages i"
                "   ON i.id = t.source_message_id WHERE i.provider_message_id LIKE :s"
                "   GROUP BY 1, 2, 3 HAVING count(*) > 1) y),"
                " (SELECT count(*) FROM dispatches d JOIN tickets t ON t.id = d.ticket_id"
                "   JOIN inbound_messages i ON i.id = t.source_message_id"
                "   WHERE i.provider_message_id LIKE :s AND d.status = 'delivered'),"
                " (SELECT count(*) FROM tickets t JOIN inbound_messages i"
                "   ON i.id = t.source_message_id"
                "   WHERE i.provider_message_id LIKE :s AND t.needs_triage)"
            ),
            {"s": _scope(run)},
        ).one()
    answered_other = sum(
        1 for r, sid in zip(rows, sids, strict=True) if r[5] and numbers.get(sid) not in (r[5],)
    )
    mine = set(numbers.values())
    arrivals_twice = sum(1 for n, c in Receiver.counts.items() if n in mine and c > 1)
    return {
        "sent": len(rows),
        "answered_200": sum(1 for r in rows if r[4]),
        "answered_with_number": sum(1 for r in rows if r[5]),
        "stored": sum(1 for s in sids if s in per_sms),
        "not_stored": sum(1 for s in sids if s not in per_sms),
        "with_exactly_one_ticket": sum(1 for s in sids if per_sms.get(s) == 1),
        "answer_names_another_ticket": answered_other,
        "forwarded_delivered": twice[2],
        "left_for_operator_triage": twice[3],
        "tickets_with_two_dispatches": twice[0],
        "status_sms_queued_twice": twice[1],
        "tickets_received_twice_by_agency": arrivals_twice,
        "left": leftovers(engine, conn, run),
        "rq_failed": sum(
            conn.zcard(f"rq:failed:{q}") for q in ("urgent", "default", "outbound", "low")
        ),
    }


def latency(engine, run: int, rows: list[tuple]) -> dict:  # noqa: ANN001
    """SMS sent → acknowledged, → ticket routed (verified_at), → agency received (seconds)."""
    acks = [r[2] for r in rows if r[3]]
    sent = {_form(run, r[0])["MessageSid"]: r[1] for r in rows}
    with engine.connect() as db:
        routed = db.execute(
            text(
                "SELECT i.provider_message_id, t.tracking_number,"
                " extract(epoch FROM t.verified_at) FROM inbound_messages i"
                " JOIN tickets t ON t.source_message_id = i.id"
                " WHERE i.provider_message_id LIKE :s"
            ),
            {"s": _scope(run)},
        ).all()
    to_routed = [float(v) - sent[s] for s, _, v in routed if v is not None and s in sent]
    to_agency = [Receiver.arrivals[n] - sent[s] for s, n, _ in routed if n in Receiver.arrivals]
    return {
        "ack_p50_ms": round(pct(acks, 0.5), 1),
        "ack_p99_ms": round(pct(acks, 0.99), 1),
        "routed_n": len(to_routed),
        "routed_p50_s": round(pct(to_routed, 0.5), 2),
        "routed_p95_s": round(pct(to_routed, 0.95), 2),
        "agency_n": len(to_agency),
        "agency_p50_s": round(pct(to_agency, 0.5), 2),
        "agency_p95_s": round(pct(to_agency, 0.95), 2),
    }


def print_phase(title: str, result: dict) -> None:
    print(f"\n== {title}")
    for name, row in result["web"].items():
        print(
            f"  web {name:<6} {row['ok']:5d} answered 200 ({row['ok_per_s']:6.1f}/s)  "
            f"p50 {row['p50_ms']:6.1f} ms  p99 {row['p99_ms']:7.1f} ms  "
            f"broken {row['broken']}   [at the balancer]"
        )
    client = result["client"]
    print(
        f"  total  {client['ok_first']:5d}/{client['sent']} answered at first try "
        f"({client['ok_per_s']:.1f}/s)  p50 {client['p50_ms']:.1f} ms  "
        f"p99 {client['p99_ms']:.1f} ms   [at the client, from the scheduled send time]"
    )
    for worker, kinds in sorted(result["spread"].items()):
        print(f"  worker {worker}: {dict(sorted(kinds.items()))}")
    lat = result["latency"]
    print(
        f"  SMS → routed p50 {lat['routed_p50_s']} s p95 {lat['routed_p95_s']} s "
        f"(n={lat['routed_n']});  SMS → agency received p50 {lat['agency_p50_s']} s "
        f"p95 {lat['agency_p95_s']} s (n={lat['agency_n']})"
    )
    print(f"  drained {result['drain_s']} s after the last SMS was sent")
    print("  checks: " + json.dumps(result["checks"]))


def phase(ctx: dict, run: int, name: str, at=None) -> dict:  # noqa: ANN001
    args, balancer, watch = ctx["args"], ctx["balancer"], ctx["watch"]
    before = dict(watch.done)
    rows, start_at, done = send(run, args.rate, args.seconds, balancer, name, at)
    drain = wait_done(ctx["engine"], ctx["redis"], run, args.drain_seconds)
    time.sleep(3)  # the last status SMS jobs, the receiver's last arrivals
    watch.poll()
    ok = [r for r in rows if r[3]]
    return {
        "start_utc": datetime.fromtimestamp(start_at, UTC).isoformat(timespec="seconds"),
        "start_at": start_at,
        "actions": done,
        "web": web_table(balancer, name, args.seconds),
        "client": {
            "sent": len(rows),
            "ok_first": len(ok),
            "failed_first": len(rows) - len(ok),
            "ok_per_s": round(len(ok) / args.seconds, 1),
            "p50_ms": round(pct([r[2] for r in ok], 0.5), 1),
            "p99_ms": round(pct([r[2] for r in ok], 0.99), 1),
            "failed_at_s": [round(r[1] - start_at, 2) for r in rows if not r[3]],
        },
        "spread": spread(watch, "rehearsal-", before),
        "latency": latency(ctx["engine"], run, rows),
        "drain_s": None if drain is None else round(drain, 1),
        "checks": checks(ctx["engine"], ctx["redis"], run, rows),
    }


def run_rehearsal(args: argparse.Namespace, workdir: Path, cluster: Cluster) -> dict:
    env = cluster.env
    prepare_database(args.database_url)
    for step in (["db", "upgrade"], ["seed"]):
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *step],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    engine = create_engine(args.database_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as db:
        db.execute(
            text(
                "UPDATE agencies SET channel = 'webhook', webhook_url = :u,"
                " webhook_secret = 'rehearsal-agency-secret-0123'"
            ),
            {"u": f"http://127.0.0.1:{HOOK_PORT}/lapor"},
        )
    connection = redis.Redis.from_url(args.redis_url)
    connection.flushdb()
    checkpoint(args.database_url)

    hook = ThreadingHTTPServer(("127.0.0.1", HOOK_PORT), Receiver)
    threading.Thread(target=hook.serve_forever, name="receiver", daemon=True).start()
    gunicorn = ["-m", "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app", "--bind"]
    for k, port in enumerate(WEB_PORTS, 1):
        cluster.start(
            f"web-{k}",
            [*gunicorn, f"127.0.0.1:{port}"],
            PROMETHEUS_MULTIPROC_DIR=str(workdir / f"prometheus-{k}"),
        )
    stamp = time.strftime("%H%M%S")
    for k in (1, 2):
        cluster.start(f"worker-{k}", ["-m", "workers", "--name", f"rehearsal-w{k}-{stamp}"])
    cluster.start("scheduler", ["-m", "workers.scheduler"])
    for port in WEB_PORTS:
        _wait_http(port)
    cluster.supervise()
    balancer = Balancer(LB_PORT, {"web-1": WEB_PORTS[0], "web-2": WEB_PORTS[1]})
    balancer.start()
    watch = JobWatch(connection)
    watch.start()
    ctx = {"args": args, "balancer": balancer, "watch": watch, "engine": engine}
    ctx["redis"] = connection
    try:
        # Warm-up: each worker loads the classifier and the gazetteer on its first job.
        send(0, 20, 1, balancer, "warm-up")
        if wait_done(engine, connection, 0, 120) is None:
            raise SystemExit("the warm-up SMS were not processed in 120 s")
        time.sleep(2)
        watch.poll()
        print(
            f"cluster: 2 web (gunicorn, {args.web_workers} sync workers each) behind the "
            f"balancer on :{LB_PORT}, 2 workers, 1 scheduler; {args.rate:.0f} SMS/s for "
            f"{args.seconds:.0f} s per phase; logs in {workdir}",
            flush=True,
        )
        steady = phase(ctx, 1, "steady")
        print_phase("steady: 2 web + 2 workers", steady)
        checkpoint(args.database_url)

        def kill_worker() -> dict:
            command = cluster.commands["worker-2"][0]
            name = command[command.index("--name") + 1]
            alive = cluster.children["worker-2"].poll() is None
            killed_at = cluster.kill("worker-2")
            current = connection.hget(f"rq:worker:{name}", "current_job")
            return {
                "at": killed_at,
                "name": name,
                "was_running": alive,
                "current_job": current.decode() if current else None,
            }

        at = {args.seconds / 3: lambda: cluster.kill("web-2"), args.seconds / 2: kill_worker}
        failover = phase(ctx, 2, "failover", at)
        print_phase("failover: web-2 killed at 1/3, worker-2 killed at 1/2", failover)
        web_kill, worker_kill = (
            failover["actions"][args.seconds / 3],
            failover["actions"][args.seconds / 2],
        )
        start = failover["start_at"]
        print(f"  web-2 SIGKILL at {web_kill - start:.1f} s into the run; balancer events:")
        for when, what in balancer.events:
            if when >= start - 1:
                print(f"    {when - start:+7.2f} s  {what}")
        failed = failover["client"]["failed_at_s"]
        print(
            f"  requests failed at first try: {len(failed)} (sent at {failed} s); "
            f"connections refused and sent to the other backend: {balancer.redispatched}; "
            f"all answered after one retry: {failover['checks']['answered_200']}"
            f"/{failover['checks']['sent']}"
        )
        print(
            f"  worker-2 ({worker_kill['name']}, running: {worker_kill['was_running']}) SIGKILL "
            f"at {worker_kill['at'] - start:.1f} s, in the middle of job "
            f"{worker_kill['current_job']}; everything finished by worker-1 and the sweepers: "
            f"drained {failover['drain_s']} s after the last SMS"
        )
        print("  processes that exited by themselves (restarted, as a process manager would):")
        for when, name, code in cluster.restarts:
            print(
                f"    {name} exited with code {code} at "
                f"{datetime.fromtimestamp(when, UTC).isoformat(timespec='seconds')}"
            )
        if not cluster.restarts:
            print("    none")
        return {
            "steady": steady,
            "failover": failover,
            "balancer_events": balancer.events,
            "restarts": cluster.restarts,
        }
    finally:
        watch.stop()
        balancer.stop()
        hook.shutdown()
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers per web")
    parser.add_argument("--drain-seconds", type=float, default=420)
    args = parser.parse_args()
    for port in (LB_PORT, *WEB_PORTS, HOOK_PORT):
        if not _port_free(port):
            raise SystemExit(f"port {port} is in use on 127.0.0.1")
    workdir = Path(tempfile.mkdtemp(prefix="lapor-rehearsal-"))
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "SMS_PROVIDER": "sandbox",
        "APP_ENV": "development",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{LB_PORT}",  # the balancer is the public address
        "INSTANCE_PATH": str(workdir / "instance"),
        "LOG_LEVEL": "INFO",
        "WEB_CONCURRENCY": str(args.web_workers),
        "SECRET_KEY": "rehearsal-shared-secret-key",  # one key for both web processes
    }
    cluster = Cluster(env, workdir)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        result = run_rehearsal(args, workdir, cluster)
        (workdir / "result.json").write_text(json.dumps(result, indent=1, default=str))
        print(f"\nfull result: {workdir / 'result.json'}")
    finally:
        cluster.stop_all()


if __name__ == "__main__":
    main()
