"""Batch jobs: the pump moves waiting SMS together, each SMS still done once and on its own.

Real Redis and a real database; the rq worker runs in this process (drain_queues).
"""

from __future__ import annotations

from datetime import UTC, datetime

from rq.job import Job, JobStatus
from sqlalchemy import select

from sms_gateway import processing
from sms_gateway.dispatch import citizen
from sms_gateway.models import InboundMessage, OutboundMessage, Ticket
from tests.conftest import drain_queues
from tests.support.agency_receiver import AgencyReceiver
from tests.support.worker_context import reconfigure
from tests.test_faults_burst import AGENCY_SECRET, agencies_on_webhook
from workers import jobs, pump
from workers.queues import DEFAULT, INTAKE_LISTS, OUTBOUND, Enqueuer

TEXTS = [  # each names a place and a service, so the machine routes and forwards it
    "lampu jalan di jl. pemuda kota semarang mati seminggu, gelap bgt kalo malam",
    "got di gang mawar kota bekasi mampet, tiap hujan air masuk rumah",
    "jalan kabupaten di kec. kutasari purbalingga berlubang dalam, motor sering jatuh",
    "sampah di tps pasar kec. tebet jakarta selatan ga diangkut 5 hari, bau sampe rumah",
    "air pdam kota makassar mati 3 hari, warga beli air galon",
]


def take_in(phone, count: int) -> None:  # noqa: ANN001
    for i in range(count):  # each from its own number: none continues another
        phone.number = f"+6281300077{i:02d}"
        assert phone.text(TEXTS[i % len(TEXTS)]).status_code == 200


def inbound_ids(app) -> list[int]:  # noqa: ANN001
    with app.extensions["db"].scope() as s:
        return list(s.execute(select(InboundMessage.id).order_by(InboundMessage.id)).scalars())


def states(app) -> list[str]:  # noqa: ANN001
    with app.extensions["db"].scope() as s:
        return list(s.execute(select(InboundMessage.state).order_by(InboundMessage.id)).scalars())


def queued_sms(app) -> list[int]:  # noqa: ANN001
    """The outbound SMS waiting to be sent, oldest first."""
    with app.extensions["db"].scope() as s:
        return list(
            s.execute(
                select(OutboundMessage.id)
                .where(OutboundMessage.status == "queued")
                .order_by(OutboundMessage.id)
            ).scalars()
        )


def test_the_pump_moves_waiting_sms_as_batches_and_notes_each_batch(app, phone):
    take_in(phone, 5)
    enqueuer = Enqueuer(app.extensions["redis"])
    ids = inbound_ids(app)
    assert pump.transfer(enqueuer) == 5
    (job_id,) = enqueuer.queue(DEFAULT).job_ids
    assert job_id == f"inbound-batch-{ids[0]}-5"
    assert Job.fetch(job_id, connection=enqueuer.connection).args == (ids,)
    assert all(enqueuer.batch_of(f"inbound-{i}") == job_id for i in ids)
    assert all(enqueuer.is_live(f"inbound-{i}") for i in ids)  # their batch is waiting
    drain_queues(enqueuer.connection)
    assert states(app) == ["processed"] * 5
    assert Job.fetch(job_id, connection=enqueuer.connection).return_value() == 5
    assert not any(enqueuer.is_live(f"inbound-{i}") for i in ids)


def test_large_arrivals_are_cut_into_batches_of_the_batch_size(app, phone, monkeypatch):
    monkeypatch.setattr(pump, "BATCH", 2)
    monkeypatch.setattr(pump, "POP", 3)  # more waiting than one call takes: all move anyway
    take_in(phone, 5)
    enqueuer = Enqueuer(app.extensions["redis"])
    pump.transfer(enqueuer)
    sizes = [
        len(Job.fetch(j, connection=enqueuer.connection).args[0])
        for j in enqueuer.queue(DEFAULT).job_ids
    ]
    assert sizes == [2, 2, 1]


def test_the_pump_holds_ordinary_sms_back_while_a_job_waits_but_never_urgent_ones(app, phone):
    take_in(phone, 2)
    enqueuer = Enqueuer(app.extensions["redis"])
    connection = enqueuer.connection
    assert pump._held_back(enqueuer) is False  # nothing waiting: go
    pump.transfer(enqueuer)
    connection.rpush(INTAKE_LISTS[1], 901)
    connection.rpush(INTAKE_LISTS[0], 902)
    assert pump._held_back(enqueuer) is True  # the first batch still waits for a worker
    assert connection.llen(INTAKE_LISTS[1]) == 1  # the ordinary id waits to join the next
    assert connection.llen(INTAKE_LISTS[0]) == 0  # the urgent one went at once
    assert enqueuer.batch_of("inbound-902") is not None


def test_a_failing_sms_is_retried_alone_and_the_others_go_on(app, phone, monkeypatch):
    take_in(phone, 3)
    ids = inbound_ids(app)
    real = processing.process_inbound

    def breaks_on_the_second(session, inbound_id, *rest):  # noqa: ANN001, ANN002, ANN202
        if inbound_id == ids[1]:
            raise RuntimeError("disk full (injected)")
        return real(session, inbound_id, *rest)

    monkeypatch.setattr(processing, "process_inbound", breaks_on_the_second)
    assert jobs.process_inbound_batch(ids) == 2
    assert states(app) == ["processed", "received", "processed"]
    connection = app.extensions["redis"]
    assert Job.fetch(f"inbound-{ids[1]}", connection=connection).get_status() == "queued"
    monkeypatch.setattr(processing, "process_inbound", real)
    drain_queues(connection)
    assert states(app) == ["processed"] * 3


def test_a_batch_over_its_time_budget_hands_the_rest_to_a_new_batch(app, phone, monkeypatch):
    take_in(phone, 3)
    ids = inbound_ids(app)
    monkeypatch.setattr(jobs, "BATCH_BUDGET_SECONDS", -1)  # spent before the first SMS
    assert jobs.process_inbound_batch(ids) == 0
    enqueuer = Enqueuer(app.extensions["redis"])
    assert enqueuer.queue(DEFAULT).job_ids == [f"inbound-batch-{ids[0]}-3"]
    monkeypatch.undo()
    drain_queues(enqueuer.connection)
    assert states(app) == ["processed"] * 3


def test_a_batch_lost_with_its_worker_is_enqueued_again_once_under_its_id(app, phone):
    take_in(phone, 3)
    ids = inbound_ids(app)
    enqueuer = Enqueuer(app.extensions["redis"])
    pump.transfer(enqueuer)
    (job_id,) = enqueuer.queue(DEFAULT).job_ids
    jobs.process_inbound(ids[0])  # the worker did the first SMS, then died
    enqueuer.queue(DEFAULT).remove(job_id)
    job = Job.fetch(job_id, connection=enqueuer.connection)
    job.set_status(JobStatus.STARTED)
    job.worker_name = "worker-killed-mid-batch"
    job.save()
    reconfigure(app, sweep_after_seconds=0)
    assert jobs.sweep() == {"inbound": 1, "outbound": 0}  # one job: the batch, not 2 singles
    assert Job.fetch(job_id, connection=enqueuer.connection).args == (ids[1:],)
    assert jobs.sweep() == {"inbound": 0, "outbound": 0}  # waiting again: live
    drain_queues(enqueuer.connection)
    assert states(app) == ["processed"] * 3
    with app.extensions["db"].scope() as s:
        assert len(s.execute(select(Ticket.id)).all()) == 3


def test_the_citizens_sms_of_a_batch_travel_in_one_send_job(seeded, phone, monkeypatch):
    app = seeded
    monkeypatch.setattr(citizen, "quiet_until", lambda _region, _now: None)  # any hour
    with AgencyReceiver(AGENCY_SECRET) as receiver, agencies_on_webhook(app, receiver.url):
        take_in(phone, 3)
        jobs.process_inbound_batch(inbound_ids(app))
    connection = app.extensions["redis"]
    queued = queued_sms(app)
    with app.extensions["db"].scope() as s:
        forwarded = s.execute(select(Ticket.id).where(Ticket.status == "dispatched")).all()
    assert len(queued) == len(forwarded) >= 2
    batch = f"outbound-batch-{queued[0]}-{len(queued)}"
    assert Job.fetch(batch, connection=connection).args == (queued,)
    assert all(Enqueuer(connection).batch_of(f"outbound-{i}") == batch for i in queued)
    drain_queues(connection)
    with app.extensions["db"].scope() as s:
        sent = s.execute(select(OutboundMessage.status).where(OutboundMessage.id.in_(queued)))
        assert set(sent.scalars()) == {"sent"}


def test_in_quiet_hours_the_citizens_sms_of_a_batch_wait_in_one_scheduled_job(
    seeded, phone, monkeypatch
):
    app = seeded
    morning = datetime(2031, 5, 6, 23, 0, tzinfo=UTC)  # 06:00 in Jakarta
    monkeypatch.setattr(citizen, "quiet_until", lambda _region, _now: morning)
    with AgencyReceiver(AGENCY_SECRET) as receiver, agencies_on_webhook(app, receiver.url):
        take_in(phone, 3)
        jobs.process_inbound_batch(inbound_ids(app))
    connection = app.extensions["redis"]
    queued = queued_sms(app)
    assert len(queued) >= 2
    enqueuer = Enqueuer(connection)
    batch = f"outbound-batch-{queued[0]}-{len(queued)}"
    job = Job.fetch(batch, connection=connection)
    assert (job.args, job.get_status()) == ((queued,), JobStatus.SCHEDULED)
    registry = enqueuer.queue(OUTBOUND).scheduled_job_registry
    assert registry.get_job_ids() == [batch]  # one job for the morning, not one per SMS
    assert registry.get_scheduled_time(batch) == morning
    assert all(enqueuer.is_live(f"outbound-{i}") for i in queued)  # the sweeper leaves them
    drain_queues(connection)  # not due yet: nothing is sent
    with app.extensions["db"].scope() as s:
        waiting = s.execute(select(OutboundMessage.status).where(OutboundMessage.id.in_(queued)))
        assert set(waiting.scalars()) == {"queued"}
