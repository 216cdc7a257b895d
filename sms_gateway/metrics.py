"""Prometheus metrics. Under gunicorn, PROMETHEUS_MULTIPROC_DIR makes them add up across workers."""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

# Every process writes its values into files there from its first count: a directory that is
# named but missing (a new host, a cleaned /tmp) would fail every request that counts something.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

INBOUND = Counter(
    "lapor_inbound_sms_total",
    "Inbound SMS webhooks by provider and outcome",
    ["provider", "outcome"],
)
WEBHOOK_LATENCY = Histogram(
    "lapor_webhook_seconds",
    "Time to answer an inbound SMS webhook",
    ["provider"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
ENQUEUE_FAILURES = Counter(
    "lapor_enqueue_failures_total", "Jobs that could not be enqueued (Redis down)", ["queue"]
)
JOBS = Counter("lapor_jobs_total", "Jobs run by the workers", ["job", "outcome"])


class QueueCollector:
    """Queue depths, spool size and stuck messages, read when Prometheus scrapes."""

    def __init__(self, read):  # noqa: ANN001
        self._read = read

    def collect(self):  # noqa: ANN201
        values = self._read()
        depth = GaugeMetricFamily(
            "lapor_queue_depth", "Jobs waiting per rq queue", labels=["queue"]
        )
        for name, count in values.get("queues", {}).items():
            depth.add_metric([name], count)
        yield depth
        yield GaugeMetricFamily(
            "lapor_spool_pending", "Inbound SMS waiting in the spool", value=values.get("spool", 0)
        )
        yield GaugeMetricFamily(
            "lapor_redis_up", "1 when Redis answered the scrape", value=values.get("redis_up", 0)
        )
        yield GaugeMetricFamily(
            "lapor_database_up",
            "1 when the database answered the scrape",
            value=values.get("database_up", 0),
        )
        for name, help_text in STATE_GAUGES.items():
            if name in values:
                yield GaugeMetricFamily(f"lapor_{name}", help_text, value=values[name])


# Read from the database at scrape time (so they are right whichever process did the work).
STATE_GAUGES = {
    "inbound_unprocessed": "Inbound SMS stored but not yet processed by a worker",
    "inbound_oldest_unprocessed_seconds": "Age of the oldest inbound SMS not yet processed",
    "dispatch_dead_letters": "Forwardings to agencies that used up their tries (dead letters)",
    "outbound_failed": "Outbound SMS that failed for good",
    "tickets_overdue": "Open tickets past their SLA deadline",
    "tickets_waiting_triage": "Open tickets waiting for an operator",
    "workers_alive": "rq workers with a live heartbeat",
}


def exposition(read_gauges) -> tuple[bytes, str]:  # noqa: ANN001
    """The metrics page body and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counters = CollectorRegistry()
        multiprocess.MultiProcessCollector(counters)
    else:
        counters = REGISTRY
    gauges = CollectorRegistry()
    gauges.register(QueueCollector(read_gauges))
    return generate_latest(counters) + generate_latest(gauges), CONTENT_TYPE_LATEST
