"""Outbound SMS survive provider outages: transient errors retry with backoff, permanent ones don't."""

from __future__ import annotations

import random

import pytest
from rq.job import Job
from sqlalchemy import select

from sms_gateway import outbound
from sms_gateway.models import OutboundMessage
from sms_gateway.providers import TransientError
from tests.support.fake_jasmin import FakeJasmin
from tests.support.fake_kannel import FakeKannel
from tests.support.fake_twilio import FakeTwilio
from tests.support.worker_context import reconfigure
from workers import jobs

SID, TOKEN = "AC" + "3" * 32, "retry-twilio-token"
BODY = "LAPOR! 1708: Laporan 48271-93059 sedang ditindaklanjuti dinas terkait."


def queue(session, provider: str, key: str = "status-9", to: str = "+6281299990000") -> int:  # noqa: ANN001
    queued = outbound.queue_sms(
        session, to=to, body=BODY, kind="status", key=key, provider=provider
    )
    session.commit()
    return queued.id


def row(session, message_id: int) -> OutboundMessage:  # noqa: ANN001
    session.expire_all()
    return session.get(OutboundMessage, message_id)


def twilio_settings(fake: FakeTwilio) -> dict:
    return {
        "twilio_account_sid": SID,
        "twilio_auth_token": TOKEN,
        "twilio_api_base_url": fake.url,
    }


def test_backoff_doubles_from_the_base_and_stops_at_the_cap():
    assert [outbound.backoff_seconds(n, jitter=0.0) for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert [outbound.backoff_seconds(n, jitter=0.999999) for n in (1, 2)] == pytest.approx(
        [10, 20], abs=1e-3
    )
    assert outbound.backoff_seconds(30, jitter=0.0) == 450  # half of the 900 s cap


def test_retry_schedule_is_jittered_within_each_interval():
    rng = random.Random(1708).random
    schedule = outbound.retry_schedule(5, rng)
    for attempt, wait in enumerate(schedule, start=1):
        ceiling = min(900, 10 * 2 ** (attempt - 1))
        assert ceiling / 2 - 1 <= wait <= ceiling
    assert schedule != outbound.retry_schedule(5, random.Random(1709).random)


def test_enqueued_send_job_carries_the_backoff_schedule(app):  # noqa: ANN001
    enqueuer = app.extensions["enqueuer"]
    assert enqueuer.outbound(41)
    job = Job.fetch("outbound-41", connection=app.extensions["redis"])
    assert job.retries_left == 5
    assert len(job.retry_intervals) == 5 and job.retry_intervals[0] >= 5
    assert job.retry_intervals[-1] >= 80


def test_twilio_outage_is_retried_and_the_message_is_sent_once(app, session):  # noqa: ANN001
    with FakeTwilio(SID, TOKEN) as fake:
        reconfigure(app, **twilio_settings(fake))
        fake.fail_next = 3
        message_id = queue(session, "twilio")
        for _ in range(3):
            with pytest.raises(TransientError):
                jobs.send_outbound(message_id)
            assert row(session, message_id).status == "queued"
        assert jobs.send_outbound(message_id) == "sent"
        assert jobs.send_outbound(message_id) == "sent"  # a retried job changes nothing
    message = row(session, message_id)
    assert (message.attempts, len(fake.sent), fake.requests) == (4, 1, 4)
    assert message.provider_message_id == fake.sent[0]["sid"]


def test_twilio_429_is_transient(app, session):  # noqa: ANN001
    with FakeTwilio(SID, TOKEN) as fake:
        reconfigure(app, **twilio_settings(fake))
        fake.fail_next, fake.fail_status = 1, 429
        message_id = queue(session, "twilio")
        with pytest.raises(TransientError):
            jobs.send_outbound(message_id)
        assert row(session, message_id).error_code == "20429"
        assert jobs.send_outbound(message_id) == "sent"
    assert len(fake.sent) == 1


@pytest.mark.parametrize("code", [21211, 21408, 21610, 21614])
def test_twilio_permanent_errors_fail_at_once_without_retry(app, session, code):  # noqa: ANN001
    with FakeTwilio(SID, TOKEN) as fake:
        reconfigure(app, **twilio_settings(fake))
        fake.permanent["+6281200000001"] = code
        message_id = queue(session, "twilio", to="+6281200000001")
        assert jobs.send_outbound(message_id) == "failed"
        assert jobs.send_outbound(message_id) == "failed"
    message = row(session, message_id)
    assert (message.error_code, message.attempts, fake.requests) == (str(code), 1, 1)
    assert message.last_error


def test_tries_are_bounded_then_the_message_is_failed_and_listed(app, session):  # noqa: ANN001
    with FakeTwilio(SID, TOKEN) as fake:
        reconfigure(app, sms_max_attempts=3, **twilio_settings(fake))
        fake.fail_next = 100
        message_id = queue(session, "twilio")
        for _ in range(2):
            with pytest.raises(TransientError):
                jobs.send_outbound(message_id)
        assert jobs.send_outbound(message_id) == "failed"
        assert jobs.send_outbound(message_id) == "failed"
    assert fake.requests == 3
    listed = outbound.failed_outbound(session)
    assert [m.id for m in listed] == [message_id]
    assert (listed[0].attempts, listed[0].error_code) == (3, "20500")


def test_network_failure_is_transient(app, session):  # noqa: ANN001
    with FakeTwilio(SID, TOKEN) as fake:
        dead_url = fake.url
    reconfigure(app, **{**twilio_settings(fake), "twilio_api_base_url": dead_url})
    message_id = queue(session, "twilio")
    with pytest.raises(TransientError):
        jobs.send_outbound(message_id)
    assert (row(session, message_id).status, row(session, message_id).error_code) == (
        "queued",
        "network",
    )


def test_jasmin_outage_then_success_sends_once(app, session):  # noqa: ANN001
    with FakeJasmin("lapor", "rahasia-jasmin") as fake:
        reconfigure(
            app, jasmin_url=fake.url, jasmin_username="lapor", jasmin_password="rahasia-jasmin"
        )
        fake.fail_next = 2
        message_id = queue(session, "jasmin")
        for _ in range(2):
            with pytest.raises(TransientError):
                jobs.send_outbound(message_id)
        assert jobs.send_outbound(message_id) == "sent"
        assert jobs.send_outbound(message_id) == "sent"
    assert len(fake.sent) == 1 and fake.sent[0]["to"] == "6281299990000"
    assert (fake.sent[0]["coding"], fake.sent[0]["text"]) == ("0", BODY)
    assert row(session, message_id).provider_message_id == fake.sent[0]["id"]


def test_jasmin_no_route_and_bad_credentials_are_permanent(app, session):  # noqa: ANN001
    with FakeJasmin("lapor", "rahasia-jasmin") as fake:
        fake.no_route.add("6281200000002")
        reconfigure(app, jasmin_url=fake.url, jasmin_username="lapor", jasmin_password="salah")
        wrong_password = queue(session, "jasmin", key="a")
        assert jobs.send_outbound(wrong_password) == "failed"
        reconfigure(
            app, jasmin_url=fake.url, jasmin_username="lapor", jasmin_password="rahasia-jasmin"
        )
        no_route = queue(session, "jasmin", key="b", to="+6281200000002")
        assert jobs.send_outbound(no_route) == "failed"
    assert row(session, wrong_password).error_code == "jasmin-403"
    assert row(session, no_route).error_code == "jasmin-412"
    assert "No route found" in row(session, no_route).last_error
    assert fake.sent == []


def test_kannel_503_is_retried_and_403_is_permanent(app, session):  # noqa: ANN001
    with FakeKannel("lapor", "rahasia-kannel") as fake:
        reconfigure(
            app,
            kannel_sendsms_url=fake.sendsms_url,
            kannel_username="lapor",
            kannel_password="rahasia-kannel",
        )
        fake.fail_next, fake.fail_status = 1, 503
        message_id = queue(session, "kannel")
        with pytest.raises(TransientError):
            jobs.send_outbound(message_id)
        assert jobs.send_outbound(message_id) == "sent"
        reconfigure(app, kannel_sendsms_url=fake.sendsms_url, kannel_username="lapor")
        refused = queue(session, "kannel", key="other")
        assert jobs.send_outbound(refused) == "failed"
    assert len(fake.sent) == 1
    assert (fake.sent[0]["text"], fake.sent[0]["coding"], fake.sent[0]["charset"]) == (
        BODY,
        "0",
        "UTF-8",
    )
    assert row(session, refused).error_code == "kannel-403"


def test_a_row_stuck_in_sending_is_listed_and_never_resent(app, session):  # noqa: ANN001
    with FakeTwilio(SID, TOKEN) as fake:
        reconfigure(app, **twilio_settings(fake))
        message_id = queue(session, "twilio")
        message = row(session, message_id)
        message.status = "sending"  # a worker claimed it, then died during the provider call
        session.commit()
        assert jobs.send_outbound(message_id) == "sending"
        assert fake.requests == 0
        assert [m.id for m in outbound.stuck_sending(session, older_than_seconds=0)] == [message_id]
        assert outbound.stuck_sending(session, older_than_seconds=3600) == []
        assert outbound.release(session, message_id)
        session.commit()
        assert jobs.send_outbound(message_id) == "sent"
    assert len(fake.sent) == 1


def test_worker_runs_the_send_job_from_the_queue(app, session, run_worker):  # noqa: ANN001
    with FakeJasmin("lapor", "rahasia-jasmin") as fake:
        reconfigure(
            app, jasmin_url=fake.url, jasmin_username="lapor", jasmin_password="rahasia-jasmin"
        )
        message_id = queue(session, "jasmin")
        app.extensions["enqueuer"].outbound(message_id)
        app.extensions["enqueuer"].outbound(message_id)  # the same job id: one job
        run_worker()
    assert row(session, message_id).status == "sent"
    assert len(fake.sent) == 1
    assert session.execute(select(OutboundMessage.attempts)).scalar_one() == 1
