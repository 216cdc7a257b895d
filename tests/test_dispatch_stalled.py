"""A forwarding whose worker died mid-call (left ``sending``) is taken back and sent again, once.

The dead worker is played by the row itself: ``sending``, one more attempt, claimed long ago. A
worker that is only slow is a real thread held by a real agency webhook on 127.0.0.1 while the
sweeper takes its claim back; whatever it reports late must not deliver twice or undo anything.
"""

from __future__ import annotations

import re
import socket
import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from sms_gateway import dispatch, processing
from sms_gateway.models import (
    Dispatch,
    InboundMessage,
    OutboundMessage,
    Ticket,
    TicketEvent,
    utcnow,
)
from tests import test_dispatch
from tests.support.agency_receiver import AgencyReceiver
from tests.support.twilio_client import Phone
from tests.support.worker_context import reconfigure
from tests.test_dispatch import BANSOS, SECRET, dispatch_of, transport
from tests.test_processing_pipeline import processed_ticket
from workers import jobs

LONG_AGO = timedelta(minutes=10)
dinsos = test_dispatch.dinsos  # the fixture: Dinas Sosial's channel, put back after the test


class SlowAgency(AgencyReceiver):
    """Once ``hold`` is set, the next delivery waits for ``release``, then gets ``late_status``."""

    def __init__(self, secret: str, late_status: int = 200) -> None:
        super().__init__(secret)
        self.late_status = late_status
        self.hold = False
        self.holding, self.release = threading.Event(), threading.Event()
        self.deliveries: list[str] = []  # X-Lapor-Delivery of every request, answered or not

    def _take(self, headers: dict, body: bytes) -> int:
        with self.lock:
            self.deliveries.append(headers.get("X-Lapor-Delivery", ""))
            held = self.hold and not self.holding.is_set()
            if held:
                self.holding.set()
        if not held:
            return super()._take(headers, body)
        self.release.wait(timeout=30)
        if self.late_status != 200:
            with self.lock:
                self.calls += 1
            return self.late_status
        return super()._take(headers, body)

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        super().__exit__(*exc)


def closed_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/hook"


def waiting_forwarding(app, session, dinsos, url: str, sender: str = "+6281234567890") -> Dispatch:  # noqa: ANN001
    """A ticket whose forwarding to ``url`` failed once (HTTP 503, or unreachable) and whose
    retry job is lost; the row keeps ``url`` as its target."""
    dinsos(channel="webhook", webhook_url=url, webhook_secret=SECRET)
    ticket = processed_ticket(app, session, BANSOS, sender=sender)
    app.extensions["redis"].flushdb()  # the retry job, lost with its worker
    row = dispatch_of(session, ticket)
    assert (row.status, row.attempts) == (dispatch.RETRYING, 1)
    return row


def busy(agency: AgencyReceiver) -> str:
    """The agency answers the next delivery 503; its URL."""
    agency.statuses = [503]
    return agency.url


def claimed_by_a_dead_worker(session, row: Dispatch, claimed_at: datetime) -> None:  # noqa: ANN001
    """What ``deliver`` leaves behind when its worker is SIGKILLed mid-call."""
    session.execute(
        update(Dispatch)
        .where(Dispatch.id == row.id)
        .values(status=dispatch.SENDING, attempts=Dispatch.attempts + 1, updated_at=claimed_at)
    )
    session.commit()
    session.expire_all()


def dispatch_of_id(session, dispatch_id: int) -> Dispatch:  # noqa: ANN001
    session.expire_all()
    return session.get(Dispatch, dispatch_id)


def count_of(session, model, *where) -> int:  # noqa: ANN001, ANN002
    return session.scalar(select(func.count()).select_from(model).where(*where))


def events(session, row: Dispatch, kind: str) -> list[TicketEvent]:  # noqa: ANN001
    return list(
        session.execute(
            select(TicketEvent).where(
                TicketEvent.ticket_id == row.ticket_id, TicketEvent.kind == kind
            )
        ).scalars()
    )


def test_claim_expiry_is_twice_the_delivery_timeout_and_a_minute(seeded):
    assert dispatch.claim_expiry(transport(seeded)) == timedelta(seconds=80)
    assert dispatch.claim_expiry(transport(seeded, dispatch_timeout_seconds=60)) == timedelta(
        seconds=180
    )


def routed_by_a_worker_that_dies(app, session, dinsos, url: str) -> dispatch.Claim:  # noqa: ANN001
    """A worker routes a complaint, commits (its dispatch already claimed), then dies before
    the call."""
    dinsos(channel="webhook", webhook_url=url, webhook_secret=SECRET)
    Phone(app.test_client(), "test-twilio-auth-token", "+6281234567892").text(BANSOS)
    app.extensions["redis"].flushdb()  # its job, lost with the worker
    inbound_id = session.scalar(select(func.max(InboundMessage.id)))
    processed = processing.process_inbound(session, inbound_id)
    claim = dispatch.claim_for(session, processed.ticket, processed.verified_event_id)
    session.commit()
    return claim


def test_the_routing_commit_holds_the_claim_and_a_rerun_gets_the_row(seeded, dinsos, session):
    with AgencyReceiver(SECRET) as agency:
        claim = routed_by_a_worker_that_dies(seeded, session, dinsos, agency.url)
    assert isinstance(claim, dispatch.Claim)
    row = dispatch_of_id(session, claim.row.id)
    assert (row.status, row.attempts, row.updated_at) == (dispatch.SENDING, 1, claim.claimed_at)
    ticket = session.get(Ticket, row.ticket_id)
    assert ticket.status == "verified"
    # The same job run again finds the row: its id, for deliver to decide, and nothing new.
    assert dispatch.claim_for(session, ticket) == row.id
    session.commit()
    assert count_of(session, Dispatch) == 1
    assert agency.received == []


def test_a_worker_dead_after_routing_leaves_a_claim_the_sweeper_sends_once(
    seeded,
    dinsos,
    session,
    run_worker,
):
    with AgencyReceiver(SECRET) as agency:
        claim = routed_by_a_worker_that_dies(seeded, session, dinsos, agency.url)
        reconfigure(seeded, sweep_after_seconds=0)
        assert jobs.sweep_dispatch() == 0  # a young claim: its worker may still be calling
        session.execute(  # time passes
            update(Dispatch)
            .where(Dispatch.id == claim.row.id)
            .values(updated_at=claim.claimed_at - LONG_AGO)
        )
        session.commit()
        assert jobs.sweep_dispatch() == 1
        run_worker()
        assert jobs.sweep_dispatch() == 0
    (delivery,) = agency.received
    assert delivery["headers"]["X-Lapor-Delivery"] == claim.row.key
    row = dispatch_of_id(session, claim.row.id)
    assert (row.status, row.attempts) == (dispatch.DELIVERED, 2)  # the cut call counted
    assert session.get(Ticket, row.ticket_id).status == "dispatched"
    assert len(events(session, row, "dispatched")) == 1


def test_a_claim_is_taken_back_only_once_past_its_expiry(seeded, dinsos, session):
    row = waiting_forwarding(seeded, session, dinsos, closed_url())
    claimed_at = utcnow()
    claimed_by_a_dead_worker(session, row, claimed_at)
    t = transport(seeded)
    expiry = dispatch.claim_expiry(t)
    assert dispatch.take_back_stalled(session, t, claimed_at + expiry) == []
    assert dispatch_of(session, row).status == dispatch.SENDING
    later = claimed_at + expiry + timedelta(milliseconds=1)
    assert dispatch.take_back_stalled(session, t, later) == [row.id]
    session.commit()
    row = dispatch_of(session, row)
    assert (row.status, row.attempts, row.updated_at) == (dispatch.RETRYING, 2, later)
    assert "stopped mid-call" in row.last_error
    assert events(session, row, "dispatch_failed") == []  # a retry records no event


def test_forwarding_left_sending_by_a_dead_worker_is_sent_again_once_by_the_sweeper(
    seeded,
    dinsos,
    session,
    run_worker,
):
    with AgencyReceiver(SECRET) as agency:
        stalled = waiting_forwarding(seeded, session, dinsos, busy(agency))
        fresh = waiting_forwarding(seeded, session, dinsos, busy(agency), sender="+6281234567891")
        claimed_by_a_dead_worker(session, stalled, utcnow() - LONG_AGO)
        fresh_claim = utcnow()
        claimed_by_a_dead_worker(session, fresh, fresh_claim)
        reconfigure(seeded, sweep_after_seconds=3600)  # only the takeover may enqueue
        assert jobs.sweep_dispatch() == 1
        run_worker()
        assert jobs.sweep_dispatch() == 0
        run_worker()
    (delivery,) = agency.received  # the two 503s were the tries before the claims
    assert delivery["headers"]["X-Lapor-Delivery"] == stalled.key  # the same delivery id
    assert delivery["body"]["delivery_id"] == stalled.key
    stalled, fresh = dispatch_of_id(session, stalled.id), dispatch_of_id(session, fresh.id)
    assert (stalled.status, stalled.attempts) == (dispatch.DELIVERED, 3)
    assert session.get(Ticket, stalled.ticket_id).status == "dispatched"
    assert len(events(session, stalled, "dispatched")) == 1
    assert count_of(session, OutboundMessage, OutboundMessage.kind == "status") == 1
    # A claim younger than its expiry is a worker still at work: left alone.
    assert (fresh.status, fresh.attempts, fresh.updated_at) == (dispatch.SENDING, 2, fresh_claim)


def test_last_try_cut_mid_call_becomes_a_dead_letter_operators_see(seeded, dinsos, session):
    row = waiting_forwarding(seeded, session, dinsos, closed_url())
    claimed_by_a_dead_worker(session, row, utcnow() - LONG_AGO)  # attempt 2 of 2
    reconfigure(seeded, dispatch_max_attempts=2)
    assert jobs.sweep_dispatch() == 0  # nothing to send again
    assert jobs.sweep_dispatch() == 0  # and no second event
    row = dispatch_of_id(session, row.id)
    assert (row.status, row.attempts) == (dispatch.DEAD, 2)
    assert [d.id for d in dispatch.dead_letters(session)] == [row.id]
    (failed,) = events(session, row, "dispatch_failed")
    assert "stopped mid-call" in failed.reason and failed.data["attempts"] == 2
    assert session.get(Ticket, row.ticket_id).status == "verified"
    listing = seeded.test_cli_runner().invoke(args=["dispatch", "failed"]).output
    assert listing.startswith(f"{row.id}\t") and "2 tries" in listing
    body = seeded.test_client().get("/metrics").get_data(as_text=True)
    assert re.search(r"^lapor_dispatch_dead_letters 1(\.0)?$", body, re.MULTILINE)


def test_two_sweepers_at_once_take_a_claim_back_once(seeded, dinsos, session):
    row = waiting_forwarding(seeded, session, dinsos, closed_url())
    claimed_by_a_dead_worker(session, row, utcnow() - LONG_AGO)
    t, now = transport(seeded), utcnow()
    database = seeded.extensions["db"]
    second: list[list[int]] = []
    with database.scope() as first:
        assert dispatch.take_back_stalled(first, t, now) == [row.id]  # not committed yet

        def other_scheduler() -> None:
            with database.scope() as s:
                second.append(dispatch.take_back_stalled(s, t, now))
                s.commit()

        thread = threading.Thread(target=other_scheduler)
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive()  # waiting for the first one's row (or database) lock
        first.commit()
        thread.join(timeout=20)
    assert second == [[]]
    assert dispatch_of_id(session, row.id).status == dispatch.RETRYING


class SlowWorker(threading.Thread):
    """``deliver`` in a thread of its own, as a worker process would run it."""

    def __init__(self, app, dispatch_id: int, t: dispatch.Transport) -> None:  # noqa: ANN001
        super().__init__()
        self.database, self.dispatch_id, self.transport = app.extensions["db"], dispatch_id, t
        self.outcome: dispatch.Outcome | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        with self.database.scope() as s:
            try:
                self.outcome = dispatch.deliver(s, self.dispatch_id, self.transport, utcnow())
            except BaseException as exc:  # noqa: BLE001
                self.error = exc


def taken_back_from_a_slow_worker(app, session, row: Dispatch, agency: SlowAgency) -> SlowWorker:  # noqa: ANN001
    """A worker holds the claim in a call the agency keeps open; the sweeper takes it back."""
    t = transport(app, dispatch_timeout_seconds=30)
    worker = SlowWorker(app, row.id, t)
    worker.start()
    assert agency.holding.wait(timeout=20), "the worker never reached the agency"
    later = utcnow() + dispatch.claim_expiry(t) + timedelta(seconds=1)
    assert dispatch.take_back_stalled(session, t, later) == [row.id]
    session.commit()
    session.expire_all()
    return worker


def finish(worker: SlowWorker, agency: SlowAgency) -> dispatch.Outcome:
    agency.release.set()
    worker.join(timeout=30)
    assert worker.error is None, repr(worker.error)
    return worker.outcome


@pytest.mark.parametrize("late_status", [200, 503])
def test_slow_worker_answering_after_the_retry_delivered_changes_nothing(
    seeded,
    dinsos,
    session,
    late_status,
):
    with SlowAgency(SECRET, late_status=late_status) as agency:
        row = waiting_forwarding(seeded, session, dinsos, busy(agency))
        agency.deliveries.clear()
        agency.hold = True
        worker = taken_back_from_a_slow_worker(seeded, session, row, agency)
        retry = dispatch.deliver(session, row.id, transport(seeded), utcnow())
        assert retry.status == dispatch.DELIVERED and len(retry.notices) == 1
        late = finish(worker, agency)
    assert (late.status, late.notices) == (dispatch.DELIVERED, [])
    assert agency.deliveries == [row.key, row.key]  # the repeat, under the same delivery id
    row = dispatch_of_id(session, row.id)
    assert (row.status, row.attempts, row.last_error) == (dispatch.DELIVERED, 3, None)
    assert len(events(session, row, "dispatched")) == 1
    assert count_of(session, OutboundMessage, OutboundMessage.kind == "status") == 1


def test_slow_worker_success_before_the_retry_counts_and_the_retry_sends_nothing(
    seeded,
    dinsos,
    session,
):
    with SlowAgency(SECRET) as agency:
        row = waiting_forwarding(seeded, session, dinsos, busy(agency))
        agency.deliveries.clear()
        agency.hold = True
        worker = taken_back_from_a_slow_worker(seeded, session, row, agency)
        late = finish(worker, agency)
        assert late.status == dispatch.DELIVERED and len(late.notices) == 1
        retry = dispatch.deliver(session, row.id, transport(seeded), utcnow())
    assert (retry.status, retry.notices) == (dispatch.DELIVERED, [])
    assert agency.deliveries == [row.key]
    row = dispatch_of_id(session, row.id)
    assert (row.status, row.attempts) == (dispatch.DELIVERED, 2)
    assert len(events(session, row, "dispatched")) == 1


def test_slow_worker_failing_after_the_takeover_does_not_undo_it(seeded, dinsos, session):
    with SlowAgency(SECRET, late_status=503) as agency:
        row = waiting_forwarding(seeded, session, dinsos, busy(agency))
        agency.deliveries.clear()
        agency.hold = True
        worker = taken_back_from_a_slow_worker(seeded, session, row, agency)
        late = finish(worker, agency)  # no RetryLater: the sweeper's retry owns the row now
        assert late.status == dispatch.RETRYING
        row = dispatch_of_id(session, row.id)
        assert (row.status, row.attempts, row.response_code) == (dispatch.RETRYING, 2, None)
        assert "stopped mid-call" in row.last_error
        assert dispatch.deliver(session, row.id, transport(seeded), utcnow()).status == (
            dispatch.DELIVERED
        )
    assert agency.deliveries == [row.key, row.key]
    assert dispatch_of_id(session, row.id).attempts == 3
