"""The per-provider rate limit holds across processes: slots come from one clock in Redis."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
import redis as redis_lib

from sms_gateway import outbound
from sms_gateway.models import OutboundMessage
from sms_gateway.ratelimit import RateLimited, RateLimiter
from tests.support.worker_context import use_settings
from workers import jobs

PROBE = """
import json, sys, time
import redis
from sms_gateway.ratelimit import RateLimiter
url, count, start = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
limiter = RateLimiter(redis.Redis.from_url(url))
while time.time() < start:
    time.sleep(0.001)
grants = []
for _ in range(count):
    limiter.wait("probe", 40)
    grants.append(time.time())
print(json.dumps(grants))
"""


def test_two_clients_share_one_schedule(app, redis_url):  # noqa: ANN001
    first = RateLimiter(app.extensions["redis"])
    second = RateLimiter(redis_lib.Redis.from_url(redis_url))
    waits = [(first if n % 2 else second).reserve("twilio", 10) for n in range(6)]
    expected = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    assert waits == pytest.approx(expected, abs=0.03)


def test_burst_lets_a_few_through_at_once(app):  # noqa: ANN001
    limiter = RateLimiter(app.extensions["redis"], burst=3)
    waits = [limiter.reserve("jasmin", 10) for _ in range(5)]
    assert waits[:3] == pytest.approx([0, 0, 0], abs=0.03)
    assert waits[3:] == pytest.approx([0.1, 0.2], abs=0.03)


def test_a_slot_too_far_away_is_not_taken(app):  # noqa: ANN001
    limiter = RateLimiter(app.extensions["redis"], max_wait=0.25)
    assert [limiter.reserve("kannel", 10) is not None for _ in range(5)] == [True] * 3 + [False] * 2
    with pytest.raises(RateLimited):
        limiter.wait("kannel", 10)


def test_zero_rate_means_no_limit(app):  # noqa: ANN001
    limiter = RateLimiter(app.extensions["redis"])
    assert {limiter.reserve("sandbox", 0) for _ in range(50)} == {0.0}


@pytest.mark.slow
def test_two_worker_processes_together_stay_within_the_rate(app, redis_url):  # noqa: ANN001
    start = time.time() + 1.5  # both processes start reserving together
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", PROBE, redis_url, "20", str(start)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    grants = sorted(t for p in procs for t in json.loads(p.communicate(timeout=60)[0]))
    assert all(p.returncode == 0 for p in procs)
    assert len(grants) == 40
    span = grants[-1] - grants[0]
    assert span >= 39 / 40 * 0.9  # 40 messages at 40/s cannot take less than ~1 s
    in_any_second = max(sum(1 for t in grants if first <= t < first + 0.5) for first in grants)
    assert in_any_second <= 21  # half a second holds 20 slots (+1 for clock jitter)


def test_send_job_gives_up_a_slot_it_cannot_get_soon_and_leaves_the_row_queued(app, session):  # noqa: ANN001
    settings = app.config["SETTINGS"].with_overrides(sms_rate_per_second=(("sandbox", 0.01),))
    use_settings(app, settings)
    ids = []
    for n in range(2):
        queued = outbound.queue_sms(
            session,
            to="+6281388880000",
            body="Halo.",
            kind="status",
            key=f"r{n}",
            provider="sandbox",
        )
        ids.append(queued.id)
    session.commit()
    assert jobs.send_outbound(ids[0]) == "sent"  # the first slot is free
    with pytest.raises(RateLimited):
        jobs.send_outbound(ids[1])  # the next is 100 s away: not taken, retried later
    session.expire_all()
    message = session.get(OutboundMessage, ids[1])
    assert (message.status, message.attempts) == ("queued", 0)
