"""Nothing lost: Redis or the database down during intake, with the real servers stopped or cut."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from sms_gateway import spool
from sms_gateway.db import INTAKE_APPLICATION_NAME
from sms_gateway.models import InboundMessage, OutboundMessage, Ticket
from tests.conftest import TEST_TOKEN, drain_queues, running_app
from tests.support.redis_server import PrivateRedis
from tests.support.tcpproxy import TcpProxy
from tests.support.twilio_client import Phone, sms_form
from tests.test_intake_webhook import number_in, reply_of
from workers import jobs

COMPLAINTS = [
    "jembatan gantung di dusun krajan putus sebelah, anak2 sekolah lewat sungai",
    "pungli di kantor kelurahan, ngurus surat pindah dimintai 200rb",
    "lampu merah perempatan pasar mati udh 4 hari, hampir tabrakan tiap pagi",
    "sampah di tps blm diangkut seminggu bau bgt",
    "bansos pkh ibu sy blm cair 3 bulan pdhl terdaftar",
]


def count(session, model) -> int:  # noqa: ANN001
    return session.scalar(select(func.count()).select_from(model))


def test_redis_down_at_intake_still_answers_and_is_processed_once_it_returns(settings, tmp_path):
    redis_server = PrivateRedis(tmp_path / "redis")
    redis_server.start()
    settings = settings.with_overrides(redis_url=redis_server.url, sweep_after_seconds=0)
    with running_app(settings) as app:
        phone = Phone(app.test_client(), TEST_TOKEN)
        redis_server.stop()
        print(f"injected: redis-server stopped; sending {len(COMPLAINTS)} SMS")
        numbers = []
        for i, text in enumerate(COMPLAINTS):  # from different numbers: none continues another
            phone.number = f"+62812000000{i}"
            response = phone.text(text)
            assert response.status_code == 200
            numbers.append(number_in(reply_of(response)))
        assert phone.client.get("/readyz").status_code == 503

        db = app.extensions["db"]
        with db.scope() as session:
            states = session.execute(select(InboundMessage.state)).scalars().all()
        assert states == ["received"] * len(COMPLAINTS)

        redis_server.start()
        assert jobs.sweep() == {"inbound": len(COMPLAINTS), "outbound": 0}
        assert jobs.sweep() == {"inbound": 0, "outbound": 0}  # the jobs are already waiting
        drain_queues(app.extensions["redis"])
        with db.scope() as session:
            processed = session.execute(select(InboundMessage.state)).scalars().all()
            tickets = session.execute(select(Ticket.tracking_number)).scalars().all()
        print(f"counted: {processed.count('processed')} processed, {len(tickets)} tickets")
        assert processed == ["processed"] * len(COMPLAINTS)
        assert sorted(tickets) == sorted(numbers)
        assert jobs.sweep() == {"inbound": 0, "outbound": 0}
        redis_server.stop()


class DatabaseOutage:
    """Makes the real database refuse work: a cut TCP path (PostgreSQL) or a held lock (SQLite)."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.proxy: TcpProxy | None = None
        self.holder: sqlite3.Connection | None = None
        if self.url.get_backend_name() == "postgresql":
            self.proxy = TcpProxy(self.url.host or "127.0.0.1", self.url.port or 5432)
            self.proxy.start()

    @property
    def app_url(self) -> str:
        if self.proxy is None:
            return self.url.render_as_string(hide_password=False)
        return self.url.set(host="127.0.0.1", port=self.proxy.port).render_as_string(
            hide_password=False
        )

    def begin(self) -> None:
        if self.proxy is not None:
            self.proxy.cut()
        else:
            self.holder = sqlite3.connect(self.url.database, isolation_level=None)
            self.holder.execute("BEGIN EXCLUSIVE")

    def end(self) -> None:
        if self.proxy is not None:
            self.proxy.restore()
        elif self.holder is not None:
            self.holder.execute("ROLLBACK")
            self.holder.close()


@pytest.fixture
def outage(database_url):  # noqa: ANN001, ANN201
    outage = DatabaseOutage(database_url)
    yield outage
    if outage.proxy is not None:
        outage.proxy.cut()


def test_database_down_spools_answers_and_replays_without_loss(settings, outage):
    settings = settings.with_overrides(database_url=outage.app_url, db_timeout_seconds=0.3)
    with running_app(settings) as app:
        phone = Phone(app.test_client(), TEST_TOKEN)
        forms = [sms_form(text, sender=f"+62812000000{i}") for i, text in enumerate(COMPLAINTS)]
        outage.begin()
        print(f"injected: database unavailable; sending {len(forms)} SMS")
        for form in forms:
            response = phone.post(form)
            assert response.status_code == 200
            assert "sebentar lagi" in reply_of(response)
        assert spool.pending(settings.spool_path) == len(forms)
        if outage.proxy is not None:  # a held SQLite write lock still lets SELECT 1 through
            assert phone.client.get("/readyz").status_code == 503
        with pytest.raises(Exception):  # noqa: B017 — still down: nothing replayed, nothing lost
            jobs.replay_spool()
        assert spool.pending(settings.spool_path) == len(forms)

        outage.end()
        assert jobs.replay_spool() == len(forms)
        assert jobs.replay_spool() == 0
        drain_queues(app.extensions["redis"])
        phone.post(forms[0])  # the provider retries one of them after all
        db = app.extensions["db"]
        with db.scope() as session:
            tickets = count(session, Ticket)
            replies = session.execute(  # the acknowledgements (no place: "where?" may follow)
                select(OutboundMessage.to, OutboundMessage.status, OutboundMessage.body).where(
                    OutboundMessage.kind == "reply"
                )
            ).all()
            states = set(session.execute(select(InboundMessage.state)).scalars())
        left = spool.pending(settings.spool_path)
        print(f"counted: {tickets} tickets, {len(replies)} reply SMS, {left} left in the spool")
        assert tickets == len(forms)
        assert spool.pending(settings.spool_path) == 0
        assert states == {"processed"}
        assert sorted(r.to for r in replies) == sorted(f["From"] for f in forms)
        assert all(r.status == "sent" and "No. laporan" in r.body for r in replies)


def test_connections_the_database_dropped_cost_one_retry_not_the_sms(app, phone, database_url):
    """A database restart leaves dead connections in the pool; the next SMS still gets a ticket."""
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("server-side connection kills need PostgreSQL")
    phone.number = "+6281200000011"
    first = number_in(reply_of(phone.text("got depan sd negeri 2 mampet, air meluap ke jalan")))
    db = app.extensions["db"]
    with db.scope() as session:
        killed = session.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND application_name = :intake"  # the intake's pool only
            ),
            {"intake": INTAKE_APPLICATION_NAME},
        ).scalar_one()
    print(f"injected: {killed} server connections terminated")
    assert killed >= 1
    phone.number = "+6281200000012"
    response = phone.text("tiang listrik miring di jl kenanga, kabelnya hampir kena atap warga")
    second = number_in(reply_of(response))
    with db.scope() as session:
        numbers = set(session.execute(select(Ticket.tracking_number)).scalars())
    print(f"counted: {len(numbers)} tickets")
    assert numbers == {first, second}


def test_a_job_left_started_by_a_dead_worker_is_swept_again(app, phone):
    from rq.job import Job, JobStatus

    from workers.queues import Enqueuer

    phone.text("tembok sekolah retak lebar, takut roboh menimpa murid")
    enqueuer = Enqueuer(app.extensions["redis"])
    db = app.extensions["db"]
    with db.scope() as session:
        inbound_id = session.execute(select(InboundMessage.id)).scalar_one()
    enqueuer.inbound(inbound_id)
    job = Job.fetch(f"inbound-{inbound_id}", connection=enqueuer.connection)
    job.set_status(JobStatus.STARTED)
    job.worker_name = "worker-killed-mid-job"
    job.save()
    print("injected: job marked started by a worker that no longer exists")
    assert enqueuer.is_live(job.id) is False  # no heartbeat: the sweeper may take it again
    enqueuer.connection.set("rq:worker:worker-killed-mid-job", "alive")
    assert enqueuer.is_live(job.id) is True  # a worker still running it: leave it alone
    enqueuer.connection.delete("rq:worker:worker-killed-mid-job")
    from tests.support.worker_context import reconfigure

    reconfigure(app, sweep_after_seconds=0)
    assert jobs.sweep()["inbound"] == 1
    drain_queues(app.extensions["redis"])
    with db.scope() as session:
        states = session.execute(select(InboundMessage.state)).scalars().all()
        tickets = session.execute(select(func.count()).select_from(Ticket)).scalar_one()
    print(f"counted: {states.count('processed')} processed, {tickets} ticket")
    assert states == ["processed"] and tickets == 1
