"""A small HTTP load generator for signed Twilio-style webhooks, run from separate processes.

Closed loop (each process sends its next request when the previous one answered) measures the
most a server takes; paced (requests leave on a fixed schedule, latency counted from the
scheduled time so a slow server cannot hide its queue) measures latency at a given rate.
Every request opens a new connection, as a provider's webhook calls do.
"""

from __future__ import annotations

import http.client
import multiprocessing as mp
import os
import statistics
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    p50: float | None = None
    p99: float | None = None

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, int(q * len(data)))]

    def __post_init__(self) -> None:
        if self.latencies_ms:
            self.p50, self.p99 = self.pct(0.5), self.pct(0.99)

    def row(self) -> str:
        return (
            f"{self.name:<28} {self.rps:8.0f} req/s   p50 {self.p50 or 0:6.2f} ms   "
            f"p99 {self.p99 or 0:7.2f} ms   errors {self.errors}"
        )


def signed_bodies(url: str, token: str, count: int, tag: str) -> list[tuple[bytes, str]]:
    """``count`` distinct signed SMS form bodies (unique MessageSid each)."""
    validator = RequestValidator(token)
    out = []
    for i in range(count):
        form = {
            "MessageSid": f"SM{tag}{os.getpid():x}x{i:x}",
            "AccountSid": "AC" + "3" * 32,
            "From": f"+62812{(os.getpid() * 7919 + i) % 10**7:07d}",
            "To": "1708",
            "Body": "lampu jalan di gang melati mati sdh seminggu, mohon segera diperbaiki",
            "NumMedia": "0",
        }
        out.append((urlencode(form).encode(), validator.compute_signature(url, form)))
    return out


def _one(host: str, port: int, path: str, body: bytes, signature: str) -> bool:
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": signature,
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status == 200
    except OSError:
        return False
    finally:
        conn.close()


def _client(args: tuple) -> tuple[int, int, list[float], float]:
    host, port, path, url, token, seconds, interval, tag, start_at = args
    bodies = signed_bodies(
        url, token, int(seconds * (2000 if interval == 0 else 1 / interval)) + 50, tag
    )
    while time.time() < start_at:
        time.sleep(0.001)
    started = time.perf_counter()
    deadline = started + seconds
    latencies: list[float] = []
    errors = sent = 0
    next_at = started
    while sent < len(bodies):
        now = time.perf_counter()
        if now >= deadline:
            break
        if interval:
            if now < next_at:
                time.sleep(next_at - now)
            scheduled = next_at
            next_at += interval
        else:
            scheduled = now
        body, signature = bodies[sent]
        ok = _one(host, port, path, body, signature)
        latencies.append((time.perf_counter() - scheduled) * 1000)
        errors += not ok
        sent += 1
    return sent, errors, latencies, time.perf_counter() - started


def run(
    name: str,
    host: str,
    port: int,
    path: str,
    token: str,
    seconds: float,
    processes: int,
    rate: float | None = None,
) -> Result:
    """Load ``path`` for ``seconds`` from ``processes`` client processes (paced if ``rate``)."""
    url = f"http://{host}:{port}{path}"
    interval = processes / rate if rate else 0.0
    start_at = time.time() + 1.5  # let every process finish signing first
    tag = f"{int(time.time() * 1000) % 10**8:08d}"
    jobs = [
        (host, port, path, url, token, seconds, interval, f"{tag}{i:02d}", start_at)
        for i in range(processes)
    ]
    with mp.get_context("spawn").Pool(processes) as pool:
        parts = pool.map(_client, jobs)
    latencies = [x for part in parts for x in part[2]]
    return Result(
        name,
        sum(p[0] for p in parts),
        sum(p[1] for p in parts),
        statistics.mean(p[3] for p in parts),
        latencies,
    )
