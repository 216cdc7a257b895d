"""Faults in the middle of a burst of SMS, then counted: nothing lost, nothing done twice.

Each test sends a burst of signed webhooks from many numbers, breaks a real part of the service
while the burst is being taken in or worked through (a redis-server stopped, a worker process
SIGKILLed, the database cut or locked, the SMS provider or an agency answering errors), lets it
recover, and counts what came out: tickets, jobs, forwardings, outbound SMS and what the fake
provider and agency received. Each prints one ``injected:`` and one ``counted:`` line.

Quiet hours (21:00-07:00 in the citizen's zone) would hold the status SMS of tests that count
what the provider received; those tests pin them off, so the result does not depend on the hour.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from rq.job import Job
from rq.registry import StartedJobRegistry
from sqlalchemy import select, update
from sqlalchemy.engine import make_url

from sms_gateway import spool
from sms_gateway.dispatch import citizen
from sms_gateway.models import (
    Agency,
    Dispatch,
    InboundMessage,
    OutboundMessage,
    Ticket,
    TicketEvent,
    utcnow,
)
from tests.conftest import TEST_TOKEN, drain_queues, running_app
from tests.console.conftest import browser, make_user, sign_in
from tests.support import rq_clock
from tests.support.agency_receiver import AgencyReceiver
from tests.support.fake_twilio import FakeTwilio
from tests.support.holding_receiver import HoldingReceiver
from tests.support.redis_server import PrivateRedis
from tests.support.twilio_client import Phone, sms_form
from tests.support.worker_process import WorkerProcess, environment, until
from tests.test_faults_intake import DatabaseOutage
from tests.test_intake_webhook import number_in, reply_of
from workers import jobs
from workers.queues import DEFAULT, INTAKE_LISTS, WORKER_PREFIX

SID = "AC" + "5" * 32
HOUR = timedelta(hours=1)
AGENCY_SECRET = "rahasia-penerima-uji-beban-2026"

# Complaints that name a place and a service the directory routes to an agency...
ROUTABLE = [
    "jalan kabupaten di kec. bojongsari purbalingga retak dan berlubang, tolong ditambal",
    "lampu pju di jl. diponegoro kota semarang padam 2 minggu, gelap gulita malam hari",
    "saluran air di gang melati kota bekasi tersumbat lumpur, air meluap ke rumah",
    "puskesmas kec. cibinong kab. bogor kehabisan obat anak sejak awal bulan",
    "pembuatan kk baru di dukcapil kota medan dipersulit, disuruh bolak balik 4 kali",
    "sampah liar di bantaran kali kec. jagakarsa jakarta selatan tdk pernah diangkut",
    "jembatan desa di kab. sleman retak di tiang penyangga, takut ambruk kalau banjir",
    "air pdam kota makassar keruh dan berbau lumpur sdh seminggu",
    "pungli di smp negeri kota bandung, ortu murid ditarik uang gedung 1 juta",
    "pohon besar miring di pinggir jalan kec. lembang bandung barat, mohon dipangkas",
    "pengurusan akta kematian di disdukcapil kab. bantul lama sekali, sdh sebulan",
    "penerima pkh di kota palembang banyak yg mampu, yg miskin malah tdk dapat",
    "rsud kota kupang menolak pasien bpjs dgn alasan kamar penuh padahal kosong",
    "genangan setinggi betis di jl. margonda kota depok tiap hujan deras",
    "lampu jalan di jl. sudirman kota pekanbaru banyak yg mati, rawan begal",
    "posyandu di kec. ciputat tangerang selatan tdk ada bidan yg datang bulan ini",
    "jalan rusak parah di kec. mrebet purbalingga, aspal mengelupas semua",
    "lampu lalu lintas di simpang lima sidoarjo mati, hampir tabrakan tiap pagi",
    "ktp el sy di dukcapil kota medan hilang datanya, disuruh rekam ulang",
    "tumpukan sampah di tps kec. cilandak jakarta selatan meluber ke jalan",
    "tagihan air pdam kota makassar naik 3 kali lipat padahal pemakaian sama",
    "sekolah dasar negeri di kota bandung minta sumbangan wajib utk wisuda",
    "dahan pohon patah menimpa kabel listrik di kec. parongpong bandung barat",
    "kk sy salah tulis tanggal lahir, di disdukcapil kab. bantul diminta bayar utk ganti",
    "bansos pkh nenek sy di kota palembang tdk cair 3 tahap berturut turut",
    "dokter di rsud kota kupang jarang ada, pasien menunggu dari pagi sampai sore",
    "saluran drainase di jl. raya sawangan kota depok jebol, jalan jadi licin",
]
# ...and some the machine is unsure of: they wait in triage, with no forwarding.
UNSURE = [
    "pinjol ilegal sebar data sy ke semua kontak, tolong ditindak",
    "bus koridor 9 telat terus lebih 30 menit jam berangkat kerja",
    "gas melon 3kg langka di pengecer, harga sampai 40rb",
    "petugas kelurahan minta uang rokok buat surat domisili",
    "pasar tradisional atapnya bocor, pedagang basah tiap hujan",
    "ada tambang pasir ilegal di sungai, tebing sungai longsor",
    "sertifikat tanah sdh 2 thn blm terbit padahal lunas",
]
BURST = ROUTABLE + UNSURE  # 34 SMS
PREFIXES = ("+62812", "+62813", "+62821", "+62838", "+62852", "+62857", "+62878", "+62896")


def burst_forms(tag: int = 0) -> list[dict]:
    """The burst as Twilio form posts, each from its own number (none continues another)."""
    forms = []
    for i, text in enumerate(BURST):
        digits = (31_000_000 + tag * 1_000 + i * 104_729) % 100_000_000
        forms.append(sms_form(text, sender=f"{PREFIXES[i % len(PREFIXES)]}{digits:08d}"))
    return forms


def twilio_settings(fake: FakeTwilio) -> dict:
    return {
        "sms_provider": "twilio",
        "twilio_account_sid": SID,
        "twilio_api_base_url": fake.url,
    }


@pytest.fixture
def daytime(monkeypatch: pytest.MonkeyPatch) -> None:
    """Status SMS go out now, whatever the hour (quiet hours are tested in test_followup)."""
    monkeypatch.setattr(citizen, "quiet_until", lambda _region, _now: None)


@contextmanager
def agencies_on_webhook(app: Flask, url: str) -> Iterator[None]:
    """Every agency receives by signed webhook at ``url``; the directory is put back after."""
    db = app.extensions["db"]
    fields = (Agency.code, Agency.channel, Agency.webhook_url, Agency.webhook_secret)
    with db.scope() as session:
        saved = [dict(row._mapping) for row in session.execute(select(*fields))]
        session.execute(
            update(Agency).values(channel="webhook", webhook_url=url, webhook_secret=AGENCY_SECRET)
        )
        session.commit()
    try:
        yield
    finally:
        with db.scope() as session:
            session.execute(update(Agency), saved)
            session.commit()


@dataclass
class Tally:
    """What the database holds after a burst."""

    inbound: list[tuple[int, str, int]]  # id, state, attempts
    tickets: list[tuple[int, str, str]]  # id, tracking number, status
    dispatches: list[tuple[int, int, str, int]]  # id, ticket id, status, attempts
    outbound: list[tuple[int | None, str, str, str, int]]  # ticket, kind, to, status, attempts
    events: list[tuple[int, str]]  # ticket id, kind

    @property
    def numbers(self) -> list[str]:
        return sorted(t[1] for t in self.tickets)

    def tickets_in(self, status: str) -> list[int]:
        return [t[0] for t in self.tickets if t[2] == status]

    def outbound_per(self) -> Counter:
        """Outbound rows per (ticket, kind): an SMS queued twice shows as 2."""
        return Counter((o[0], o[1]) for o in self.outbound)

    def events_per(self, kind: str) -> Counter:
        return Counter(ticket for ticket, k in self.events if k == kind)


def tally(app: Flask) -> Tally:
    with app.extensions["db"].scope() as s:
        return Tally(
            inbound=[
                tuple(r)
                for r in s.execute(
                    select(InboundMessage.id, InboundMessage.state, InboundMessage.attempts)
                )
            ],
            tickets=[
                tuple(r)
                for r in s.execute(select(Ticket.id, Ticket.tracking_number, Ticket.status))
            ],
            dispatches=[
                tuple(r)
                for r in s.execute(
                    select(Dispatch.id, Dispatch.ticket_id, Dispatch.status, Dispatch.attempts)
                )
            ],
            outbound=[
                tuple(r)
                for r in s.execute(
                    select(
                        OutboundMessage.ticket_id,
                        OutboundMessage.kind,
                        OutboundMessage.to,
                        OutboundMessage.status,
                        OutboundMessage.attempts,
                    )
                )
            ],
            events=[tuple(r) for r in s.execute(select(TicketEvent.ticket_id, TicketEvent.kind))],
        )


def assert_each_once(counter: Counter, what: str) -> None:
    twice = {key: n for key, n in counter.items() if n != 1}
    assert not twice, f"{what} more than once: {twice}"


def assert_processed_once(t: Tally, sent: int) -> None:
    """Every SMS processed, by exactly one successful claim; one ticket per complaint."""
    assert len(t.inbound) == sent
    assert Counter(state for _, state, _ in t.inbound) == {"processed": sent}
    assert Counter(attempts for _, _, attempts in t.inbound) == {1: sent}
    assert len(t.tickets) == sent
    assert_each_once(t.events_per("analysed"), "a ticket analysed")
    assert_each_once(Counter(d[1] for d in t.dispatches), "a ticket given a forwarding")
    assert_each_once(t.outbound_per(), "an SMS queued for a ticket")


# 1 ─ Redis stopped half-way through the burst ─────────────────────────────────────────────


@pytest.mark.timeout(120)
def test_redis_stopped_mid_burst_every_sms_answered_then_processed_and_texted_once(
    settings, _seeded, tmp_path, daytime
):
    redis_server = PrivateRedis(tmp_path / "redis")
    redis_server.start()
    with FakeTwilio(SID, TEST_TOKEN) as fake:
        settings = settings.with_overrides(
            redis_url=redis_server.url, sweep_after_seconds=0, **twilio_settings(fake)
        )
        try:
            with running_app(settings) as app:
                connection = app.extensions["redis"]
                phone = Phone(app.test_client(), TEST_TOKEN)
                forms = burst_forms(1)
                half = len(forms) // 2
                numbers = []
                for i, form in enumerate(forms):
                    if i == half:
                        redis_server.stop()
                    response = phone.post(form)
                    assert response.status_code == 200
                    numbers.append(number_in(reply_of(response)))
                assert phone.client.get("/readyz").status_code == 503
                print(
                    f"injected: redis-server stopped after webhook {half} of {len(forms)}; "
                    f"{len(forms) - half} taken in with Redis down"
                )
                assert {state for _, state, _ in tally(app).inbound} == {"received"}

                redis_server.start()
                survived = connection.llen(INTAKE_LISTS[1])  # pushed before the stop, kept
                # Nothing became an rq job: the sweeper enqueues all, the pump then brings the
                # ids that survived in the intake list too (the same job ids).
                assert jobs.sweep() == {"inbound": len(forms), "outbound": 0}
                drain_queues(connection)
                t = tally(app)
                sent_before = (fake.requests, len(fake.sent))
                assert jobs.sweep() == {"inbound": 0, "outbound": 0}
                drain_queues(connection)
                assert (fake.requests, len(fake.sent)) == sent_before

            status_rows = [o for o in t.outbound if o[1] == "status"]
            print(
                f"counted: {len(numbers)} answered 200 with {len(set(numbers))} distinct "
                f"tracking numbers; {survived} ids survived in the intake list; "
                f"{len(t.tickets)} tickets, {len(t.tickets_in('dispatched'))} forwarded, "
                f"{len(t.dispatches)} forwardings; {len(t.outbound)} outbound rows; "
                f"provider: {fake.requests} requests, {len(fake.sent)} accepted"
            )
            assert len(set(numbers)) == len(forms)
            assert t.numbers == sorted(numbers)
            assert_processed_once(t, len(forms))
            dispatched = t.tickets_in("dispatched")
            assert len(dispatched) >= 20  # the burst really went through routing
            assert len(t.dispatches) == len(dispatched)
            assert sorted(o[0] for o in status_rows) == sorted(dispatched)
            assert {o[3] for o in status_rows} == {"sent"}
            assert len(fake.sent) == fake.requests == len(status_rows)
            assert_each_once(Counter(m["To"] for m in fake.sent), "an SMS to one number")
        finally:
            redis_server.stop()


# 2 ─ A worker process SIGKILLed in the middle of a job ─────────────────────────────────────


class HeldTable:
    """Another session's write lock: PostgreSQL ``LOCK TABLE``, or SQLite's database lock.

    A job that must write that table waits for it: it is in progress and cannot finish.
    """

    def __init__(self, database_url: str, table: str) -> None:
        self.url = make_url(database_url)
        self.table = table
        self.connection = None

    @property
    def postgres(self) -> bool:
        return self.url.get_backend_name() == "postgresql"

    def __enter__(self) -> HeldTable:
        if self.postgres:
            import psycopg

            self.connection = psycopg.connect(
                self.url.set(drivername="postgresql").render_as_string(hide_password=False)
            )
            self.connection.execute(f"LOCK TABLE {self.table} IN EXCLUSIVE MODE")
        else:
            self.connection = sqlite3.connect(self.url.database, isolation_level=None)
            self.connection.execute("BEGIN EXCLUSIVE")
        return self

    def waiters(self) -> int:
        """Sessions waiting for this lock (PostgreSQL); SQLite cannot tell, so 1."""
        if not self.postgres:
            return 1
        return self.connection.execute(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = %s::regclass",
            (self.table,),
        ).fetchone()[0]

    def __exit__(self, *exc: object) -> None:
        if self.postgres:
            self.connection.rollback()
        else:
            self.connection.execute("ROLLBACK")
        self.connection.close()


def expire_heartbeat(connection, worker: WorkerProcess) -> None:  # noqa: ANN001
    """A SIGKILLed worker's key outlives it by its job's timeout + 60 s (rq's heartbeat); the
    test expires it now instead of waiting two minutes: what time does, sooner."""
    key = f"{WORKER_PREFIX}{worker.name}"
    connection.pexpire(key, 1)
    until(lambda: not connection.exists(key), 5, "the dead worker's key to expire")


@pytest.mark.timeout(120)
def test_worker_killed_mid_job_the_job_runs_again_with_no_side_effect_twice(
    settings, _seeded, tmp_path
):
    settings = settings.with_overrides(sweep_after_seconds=0)
    workers: list[WorkerProcess] = []
    with running_app(settings) as app:
        connection = app.extensions["redis"]
        phone = Phone(app.test_client(), TEST_TOKEN)
        forms = burst_forms(2)
        numbers = [number_in(reply_of(phone.post(form))) for form in forms]
        env = environment(settings)
        try:
            with HeldTable(settings.database_url, "tickets") as held:
                first = WorkerProcess(env, tmp_path / "worker-1.log")
                workers.append(first)
                started = StartedJobRegistry(DEFAULT, connection=connection)
                (killed_job,) = until(started.get_job_ids, 60, "a job in progress")
                until(held.waiters, 30, "the job to wait for the tickets table")
                first.kill()
            print(
                f"injected: {len(forms)} SMS taken in; worker {first.name} SIGKILLed while "
                f"running {killed_job} (blocked writing the ticket), its transaction lost"
            )
            expire_heartbeat(connection, first)
            assert Job.fetch(killed_job, connection=connection).get_status() == "started"
            orphaned = len(Job.fetch(killed_job, connection=connection).args[0])
            assert jobs.sweep() == {"inbound": 1, "outbound": 0}  # only the orphaned job
            second = WorkerProcess(env, tmp_path / "worker-2.log", burst=True)
            workers.append(second)
            assert second.wait(timeout=90) == 0, second.output()
            job = Job.fetch(killed_job, connection=connection)
            # The same job ran again and did every SMS of its batch (none was done before).
            assert (job.get_status(), job.return_value()) == ("finished", orphaned)
            t = tally(app)
        finally:
            for worker in workers:
                worker.stop()
    dispatched = t.tickets_in("dispatched")
    status_rows = [o for o in t.outbound if o[1] == "status"]
    print(
        f"counted: {len(t.inbound)} SMS, attempts {dict(Counter(a for *_, a in t.inbound))}; "
        f"{len(t.tickets)} tickets, {len(t.events_per('analysed'))} analysed once each; "
        f"{len(t.dispatches)} forwardings for {len(dispatched)} forwarded tickets; "
        f"{len(status_rows)} status SMS, {len(t.outbound)} outbound rows"
    )
    assert t.numbers == sorted(numbers)
    assert_processed_once(t, len(forms))
    assert len(dispatched) >= 20
    assert Counter(d[2] for d in t.dispatches) == {"delivered": len(dispatched)}
    assert sorted(o[0] for o in status_rows) == sorted(dispatched)


@dataclass
class CutForwarding:
    """What a forwarding cut by a killed worker left behind."""

    tally: Tally
    held: str  # the delivery id the agency was holding when the worker died
    arrivals: Counter  # signed requests per delivery id, answered or not
    answered: Counter  # deliveries answered 200 per delivery id
    dead_letters_cli: str  # `flask dispatch failed`


def cut_forwarding(settings, tmp_path) -> CutForwarding:  # noqa: ANN001
    """A burst forwarded by a real worker; the worker dies while an agency holds a delivery."""
    settings = settings.with_overrides(sweep_after_seconds=0)
    workers: list[WorkerProcess] = []
    with (
        running_app(settings) as app,
        HoldingReceiver(AGENCY_SECRET, hold_at=3) as receiver,
        agencies_on_webhook(app, receiver.url),
    ):
        connection = app.extensions["redis"]
        phone = Phone(app.test_client(), TEST_TOKEN)
        forms = burst_forms(3)
        for form in forms:
            assert phone.post(form).status_code == 200
        env = environment(settings, DISPATCH_TIMEOUT_SECONDS="60")
        try:
            first = WorkerProcess(env, tmp_path / "worker-1.log")
            workers.append(first)
            until(lambda: receiver.holding.is_set(), 60, "the agency to hold a delivery")
            first.kill()
            receiver.release.set()
            (held,) = receiver.held
            print(
                f"injected: {len(forms)} SMS; worker SIGKILLed while the agency held "
                f"delivery {held} open ({sum(receiver.arrivals.values())} requests so far)"
            )
            expire_heartbeat(connection, first)
            swept = [jobs.sweep(), jobs.sweep_dispatch()]
            second = WorkerProcess(env, tmp_path / "worker-2.log", burst=True)
            workers.append(second)
            assert second.wait(timeout=90) == 0, second.output()
            # An hour later: the scheduler's sweeps have run many times since.
            with app.extensions["db"].scope() as s:
                s.execute(update(Dispatch).values(updated_at=utcnow() - HOUR))
                s.commit()
            swept += [jobs.sweep(), jobs.sweep_dispatch()]
            drain_queues(connection)
            listing = app.test_cli_runner().invoke(args=["dispatch", "failed"]).output
            t = tally(app)
        finally:
            for worker in workers:
                worker.stop()
        answered = Counter(d["headers"]["X-Lapor-Delivery"] for d in receiver.received)
        print(
            f"counted: sweeps {swept}; agency got {sum(receiver.arrivals.values())} requests "
            f"for {len(receiver.arrivals)} deliveries, answered {sum(answered.values())}; "
            f"forwardings {dict(Counter(d[2] for d in t.dispatches))}; "
            f"tickets {dict(Counter(x[2] for x in t.tickets))}"
        )
        return CutForwarding(t, held, receiver.arrivals, answered, listing)


@pytest.mark.timeout(120)
def test_forwarding_cut_by_a_killed_worker_is_taken_by_the_agency_once(settings, _seeded, tmp_path):
    """The cut delivery goes again under its delivery id (the sweeper takes the dead worker's
    claim back); every other one is sent once, and each is answered once."""
    cut = cut_forwarding(settings, tmp_path)
    t = cut.tally
    assert_processed_once(t, len(BURST))
    assert_each_once(cut.answered, "a delivery answered by the agency")
    assert cut.arrivals[cut.held] == 2
    assert_each_once(cut.arrivals - Counter({cut.held: 1}), "a delivery sent to the agency")
    delivered = {d[1] for d in t.dispatches if d[2] == "delivered"}
    assert len(delivered) == len(t.dispatches) >= 20
    assert sorted(delivered) == sorted(t.tickets_in("dispatched"))
    status_rows = [o for o in t.outbound if o[1] == "status"]
    assert sorted(o[0] for o in status_rows) == sorted(delivered)


@pytest.mark.timeout(120)
def test_forwarding_cut_by_a_killed_worker_is_not_left_silent(settings, _seeded, tmp_path):
    """Delivered in the end (sent again; the agency ignores a repeat by its delivery id), or
    shown to operators in `dispatch failed`: either way not stuck where nobody looks."""
    cut = cut_forwarding(settings, tmp_path)
    listed = {line.split("\t")[0] for line in cut.dead_letters_cli.splitlines()}
    stuck = [d for d in cut.tally.dispatches if d[2] != "delivered" and str(d[0]) not in listed]
    assert stuck == [], f"{cut.held} cut mid-call: neither delivered nor listed: {stuck}"


# 3 ─ The database unreachable half-way through the burst ───────────────────────────────────


@pytest.fixture
def outage(database_url):  # noqa: ANN001, ANN201
    outage = DatabaseOutage(database_url)
    yield outage
    if outage.proxy is not None:
        outage.proxy.cut()


@pytest.mark.timeout(120)
def test_database_cut_mid_burst_spools_then_replays_each_sms_once(
    settings, _seeded, outage, daytime
):
    with FakeTwilio(SID, TEST_TOKEN) as fake:
        settings = settings.with_overrides(
            database_url=outage.app_url, db_timeout_seconds=0.3, **twilio_settings(fake)
        )
        with running_app(settings) as app:
            phone = Phone(app.test_client(), TEST_TOKEN)
            forms = burst_forms(4)
            third = len(forms) // 3
            numbers = []
            for form in forms[:third]:
                response = phone.post(form)
                assert response.status_code == 200
                numbers.append(number_in(reply_of(response)))
            outage.begin()
            for form in forms[third:]:
                response = phone.post(form)
                assert response.status_code == 200
                assert "sebentar lagi" in reply_of(response)
            spooled = spool.pending(settings.spool_path)
            lines = sum(
                len(path.read_bytes().splitlines())
                for path in settings.spool_path.rglob("*")
                if path.is_file()
            )
            print(
                f"injected: database {'cut (TCP proxy)' if outage.proxy else 'locked'} after "
                f"webhook {third} of {len(forms)}; {spooled} SMS spooled ({lines} spool lines)"
            )
            assert spooled == lines == len(forms) - third
            with pytest.raises(Exception):  # noqa: B017 — still down: the spool is kept
                jobs.replay_spool()
            assert spool.pending(settings.spool_path) == spooled

            outage.end()
            replays = [jobs.replay_spool(), jobs.replay_spool()]
            drain_queues(app.extensions["redis"])
            for form in (forms[0], forms[-1]):  # the provider sends two of them again
                assert phone.post(form).status_code == 200
            replays.append(jobs.replay_spool())
            drain_queues(app.extensions["redis"])
            t = tally(app)
            left = spool.pending(settings.spool_path)
    replies = [o for o in t.outbound if o[1] == "reply"]
    status_rows = [o for o in t.outbound if o[1] == "status"]
    print(
        f"counted: replays took {replays}; {left} left in the spool; {len(t.inbound)} SMS "
        f"stored, {len(t.tickets)} tickets; {len(replies)} reply SMS (tracking number), "
        f"{len(status_rows)} status SMS; provider accepted {len(fake.sent)} of "
        f"{fake.requests} requests"
    )
    assert replays == [spooled, 0, 0] and left == 0
    assert_processed_once(t, len(forms))
    assert set(numbers) <= set(t.numbers)
    spooled_senders = sorted(f["From"] for f in forms[third:])
    assert sorted(o[2] for o in replies) == spooled_senders
    assert {o[3] for o in t.outbound} == {"sent"}
    assert len(status_rows) == len(t.tickets_in("dispatched")) >= 20
    assert len(fake.sent) == fake.requests == len(replies) + len(status_rows)
    assert_each_once(Counter((m["To"], m["Body"]) for m in fake.sent), "one SMS")


# 4 ─ The SMS provider answering 500 for a while ────────────────────────────────────────────


def retry_waits(app: Flask, model, failed_at, prefix: str) -> list[float]:  # noqa: ANN001
    """Seconds from each row's failed try to its job's scheduled retry (rq keeps whole seconds)."""
    due = rq_clock.scheduled(app.extensions["redis"])
    with app.extensions["db"].scope() as s:
        failed = {row[0]: row[1] for row in s.execute(select(model.id, failed_at))}
    return [at - failed[int(job_id.split("-")[1])].timestamp() for job_id, at in due.items()]


def retry_until(connection, done, rounds: int) -> int:  # noqa: ANN001
    """Run the queues; bring rq's scheduled retries forward and run again until ``done()``."""
    for n in range(rounds):
        drain_queues(connection)
        if done():
            return n
        rq_clock.bring_forward(connection)
        rq_clock.enqueue_due(connection)
    raise AssertionError(f"not done after {rounds} rounds")


@pytest.mark.timeout(120)
def test_provider_failing_for_a_while_every_sms_retried_and_sent_once(settings, _seeded, daytime):
    failures = 50  # more than the burst's status SMS: each fails once, some twice
    with FakeTwilio(SID, TEST_TOKEN) as fake:
        settings = settings.with_overrides(**twilio_settings(fake))
        with running_app(settings) as app:
            connection = app.extensions["redis"]
            phone = Phone(app.test_client(), TEST_TOKEN)
            forms = burst_forms(5)
            for form in forms:
                assert phone.post(form).status_code == 200
            fake.fail_next = failures
            print(
                f"injected: the provider answers HTTP 500 to its next {failures} requests "
                f"while {len(forms)} SMS are processed"
            )
            drain_queues(connection)
            t = tally(app)
            to_send = len([o for o in t.outbound if o[1] == "status"])
            assert to_send >= 20 and fake.sent == [] and fake.requests == to_send
            assert {o[3] for o in t.outbound} == {"queued"}
            waits = retry_waits(app, OutboundMessage, OutboundMessage.status_at, "outbound")
            assert len(waits) == to_send and min(waits) >= 4  # the first retry waits 5-10 s
            assert jobs.sweep() == {"inbound": 0, "outbound": 0}  # scheduled retries are live

            def all_sent() -> bool:
                return len(fake.sent) == to_send

            rounds = retry_until(connection, all_sent, rounds=6)
            t = tally(app)
            assert jobs.sweep() == {"inbound": 0, "outbound": 0}
            drain_queues(connection)
    attempts = Counter(o[4] for o in t.outbound)
    print(
        f"counted: {to_send} SMS to send; provider got {fake.requests} requests, failed "
        f"{failures}, accepted {len(fake.sent)}; tries per SMS {dict(attempts)}; "
        f"{rounds} retry rounds"
    )
    assert fake.requests == to_send + failures
    assert {o[3] for o in t.outbound} == {"sent"}
    assert sum(o[4] for o in t.outbound) == fake.requests
    assert max(attempts) <= settings.sms_max_attempts
    assert_each_once(Counter(m["To"] for m in fake.sent), "an SMS to one number")
    assert sorted(m["To"] for m in fake.sent) == sorted(o[2] for o in t.outbound)


# 5 ─ An agency's webhook down: retries, then dead letters operators see ────────────────────


def metric(body: str, name: str) -> float:
    match = re.search(rf"^{name} ([0-9.e+-]+)$", body, re.MULTILINE)
    assert match, f"{name} missing from /metrics"
    return float(match.group(1))


@pytest.mark.timeout(120)
def test_agency_down_forwardings_retried_then_dead_lettered_and_shown(settings, _seeded):
    tries = 3
    settings = settings.with_overrides(dispatch_max_attempts=tries, sweep_after_seconds=0)
    with (
        running_app(settings) as app,
        AgencyReceiver(AGENCY_SECRET) as receiver,
        agencies_on_webhook(app, receiver.url),
    ):
        receiver.statuses = [503] * 1000
        connection = app.extensions["redis"]
        phone = Phone(app.test_client(), TEST_TOKEN)
        forms = burst_forms(6)
        for form in forms:
            assert phone.post(form).status_code == 200
        print(f"injected: every agency webhook answers 503; {len(forms)} SMS; {tries} tries")
        drain_queues(connection)  # the first try, inline after routing
        t = tally(app)
        routed = len(t.dispatches)
        assert routed >= 20 and receiver.calls == routed
        assert Counter(d[2] for d in t.dispatches) == {"retrying": routed}
        waits = retry_waits(app, Dispatch, Dispatch.updated_at, "dispatch")
        assert len(waits) == routed and min(waits) >= 14  # the policy's first wait: 15-30 s
        calls = [receiver.calls]
        for _ in range(tries - 1):
            rq_clock.bring_forward(connection)
            rq_clock.enqueue_due(connection)
            drain_queues(connection)
            calls.append(receiver.calls)
        leftover = rq_clock.scheduled(connection)
        t = tally(app)
        swept = jobs.sweep_dispatch()
        body = app.test_client().get("/metrics").get_data(as_text=True)
        listing = app.test_cli_runner().invoke(args=["dispatch", "failed"]).output
        make_user(app, "wulan", "operator")
        console = browser(app)
        assert sign_in(console, "wulan").status_code == 302
        queue_page = console.get("/console/queue/").get_data(as_text=True)
        some_ticket = next(x for x in t.tickets if x[0] == t.dispatches[0][1])
        ticket_page = console.get(f"/console/tickets/{some_ticket[1]}").get_data(as_text=True)
    shown = re.search(r'data-count="dead-dispatches">(\d+)<', queue_page)
    print(
        f"counted: {routed} forwardings; agency calls after each round {calls}; "
        f"{dict(Counter(d[2] for d in t.dispatches))}; lapor_dispatch_dead_letters "
        f"{metric(body, 'lapor_dispatch_dead_letters'):.0f}; console shows "
        f"{shown and shown.group(1)}; `dispatch failed` lists {len(listing.splitlines())}"
    )
    assert calls == [routed * n for n in range(1, tries + 1)]
    assert not leftover and swept == 0  # dead letters wait for an operator, not the sweeper
    assert Counter(d[2] for d in t.dispatches) == {"dead": routed}
    assert {d[3] for d in t.dispatches} == {tries}
    assert receiver.received == []
    assert_each_once(t.events_per("dispatch_failed"), "a dispatch_failed event")
    assert len(t.events_per("dispatch_failed")) == routed
    assert len(t.tickets_in("verified")) == routed  # still waiting for an agency
    assert metric(body, "lapor_dispatch_dead_letters") == routed
    assert shown and int(shown.group(1)) == routed
    assert len(listing.splitlines()) == routed and "HTTP 503" in listing
    assert "dispatch_failed" in ticket_page
