"""The live SMS queue page: what arrives, what leaves, what failed, who is working."""

from __future__ import annotations

import re

import pytest
from rq import Queue, SimpleWorker
from rq.job import Job
from rq.registry import FailedJobRegistry
from sqlalchemy import func, select

from sms_gateway.models import InboundMessage
from tests.console.conftest import csrf_token
from tests.test_intake_webhook import number_in, reply_of
from workers.monitor import last_line

QUEUE = "/console/queue/"


def collapse_road(district: str) -> None:
    """A job that fails for real, as a buggy job would."""
    raise RuntimeError(f"jalan di {district} ambles, data tidak bisa diproses")


def rows(page: str, table: str) -> str:
    match = re.search(rf'<table id="{table}".*?</table>', page, re.S)
    assert match, page
    return match.group(0)


@pytest.fixture
def redis(seeded):  # noqa: ANN001, ANN201
    return seeded.extensions["redis"]


@pytest.fixture
def failed_job(redis):  # noqa: ANN001, ANN201
    """A job on the low queue that raised inside a real rq worker."""
    job = Queue("low", connection=redis).enqueue(
        collapse_road, "kecamatan wonokromo", job_id="uji-gagal-1"
    )
    SimpleWorker(["low"], connection=redis).work(burst=True)
    assert job.id in FailedJobRegistry(queue=Queue("low", connection=redis))
    return job


def test_queue_page_shows_a_texted_sms_with_the_sender_masked(operator_client, phone):
    number = number_in(reply_of(phone.text("jalan berlubang besar di dpn pasar kramat, bahaya")))
    page = operator_client.get(QUEUE).get_data(as_text=True)
    inbound = rows(page, "inbound")
    assert f'data-ticket="{number}"' in inbound
    assert "jalan berlubang besar di dpn pasar kramat" in inbound
    assert "+62********890" in inbound and phone.number not in page


def test_tracking_number_links_to_the_ticket_page_once_it_exists(operator_client, phone, seeded):
    number = number_in(reply_of(phone.text("sampah menumpuk di tpu karet, seminggu tdk diangkut")))
    inbound = rows(operator_client.get(QUEUE).get_data(as_text=True), "inbound")
    linked = re.search(rf'<a href="[^"]*{number}[^"]*">', inbound) is not None
    assert linked == ("console.tickets.show" in seeded.view_functions)


def test_live_partial_marks_the_sms_that_arrived_since_the_last_poll(
    operator_client, phone, session
):
    phone.text("air pdam mati 3 hari di perumahan griya asri")
    first = session.scalar(select(func.max(InboundMessage.id)))
    phone.text("lampu merah perempatan ciledug mati, macet parah")
    latest = session.scalar(select(func.max(InboundMessage.id)))

    partial = operator_client.get(f"/console/queue/live/inbound?since={first}")
    body = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "<html" not in body
    assert re.search(rf'<tr data-message="{latest}"[^>]*class="new"', body)
    assert not re.search(rf'<tr data-message="{first}"[^>]*class="new"', body)
    assert f"since={latest}" in body  # the next poll asks for what comes after


def test_citizen_text_is_shown_as_text_not_markup(operator_client, phone):
    phone.text('<script>alert("x")</script> jembatan putus di desa sukamaju')
    page = operator_client.get(QUEUE).get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_outbound_rows_carry_their_delivery_status(operator_client, phone, run_worker):
    phone.text("bansos blt belum cair pdhl sdh terdaftar, kel. tegalsari surabaya")
    run_worker()
    run_worker()
    outbound = rows(operator_client.get(QUEUE).get_data(as_text=True), "outbound")
    statuses = re.findall(r'data-outbound="\d+" data-status="(\w+)"', outbound)
    assert statuses and set(statuses) <= {"queued", "sending", "sent", "delivered", "held"}


def test_failed_job_is_listed_with_the_last_line_of_its_error(operator_client, failed_job):
    page = operator_client.get("/console/queue/live/status").get_data(as_text=True)
    assert 'data-job="uji-gagal-1"' in page
    assert "RuntimeError: jalan di kecamatan wonokromo ambles" in page
    assert "collapse_road" in page


def test_retrying_a_failed_job_puts_it_back_on_its_queue(operator_client, failed_job, redis):
    token = csrf_token(operator_client, QUEUE)
    answer = operator_client.post(
        f"/console/queue/jobs/{failed_job.id}/retry", data={"csrf_token": token}
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith(QUEUE)
    queue = Queue("low", connection=redis)
    assert failed_job.id in queue.job_ids
    assert failed_job.id not in FailedJobRegistry(queue=queue)
    page = operator_client.get(QUEUE).get_data(as_text=True)
    assert 'data-job="uji-gagal-1"' not in page

    SimpleWorker(["low"], connection=redis).work(burst=True)  # it fails again: listed again
    assert failed_job.id in FailedJobRegistry(queue=queue)


def test_discarding_a_failed_job_deletes_it(operator_client, failed_job, redis):
    token = csrf_token(operator_client, QUEUE)
    answer = operator_client.post(
        f"/console/queue/jobs/{failed_job.id}/discard", data={"csrf_token": token}
    )
    assert answer.status_code == 302
    assert not Job.exists(failed_job.id, connection=redis)
    assert FailedJobRegistry(queue=Queue("low", connection=redis)).count == 0


def test_retry_and_discard_need_the_csrf_token(operator_client, failed_job, redis):
    for action in ("retry", "discard"):
        answer = operator_client.post(f"/console/queue/jobs/{failed_job.id}/{action}")
        assert answer.status_code == 400
    assert failed_job.id in FailedJobRegistry(queue=Queue("low", connection=redis))


def test_retry_of_a_job_that_is_not_failed_changes_nothing(operator_client, redis):
    waiting = Queue("low", connection=redis).enqueue(collapse_road, "tebet", job_id="uji-antre")
    token = csrf_token(operator_client, QUEUE)
    operator_client.post("/console/queue/jobs/uji-antre/discard", data={"csrf_token": token})
    assert Job.exists(waiting.id, connection=redis)
    assert waiting.id in Queue("low", connection=redis).job_ids


def test_workers_alive_and_queue_depths_are_counted(operator_client, redis):
    worker = SimpleWorker(["default", "outbound"], connection=redis, name="pekerja-uji-1")
    worker.register_birth()
    try:
        Queue("outbound", connection=redis).enqueue(collapse_road, "cempaka putih")
        redis.rpush("lapor:intake", 101, 102)
        page = operator_client.get("/console/queue/live/status").get_data(as_text=True)
        assert 'id="workers" data-count="1"' in page
        assert 'data-worker="pekerja-uji-1"' in page
        assert re.search(r'data-queue="outbound"><td>outbound</td><td class="num">1<', page)
        assert re.search(r'data-queue="lapor:intake"><td>lapor:intake</td><td class="num">2<', page)
    finally:
        worker.register_death()
    page = operator_client.get("/console/queue/live/status").get_data(as_text=True)
    assert 'id="workers" data-count="0"' in page


def test_throughput_counts_the_last_minutes(operator_client, phone):
    for text in ("got mampet di jl. melati", "parit meluap tiap hujan di rw 05"):
        phone.text(text)
    page = operator_client.get("/console/queue/live/status").get_data(as_text=True)
    assert 'data-rate="inbound-5">0.40<' in page


def test_agency_officers_cannot_see_the_queue(officer_client):
    assert officer_client.get(QUEUE).status_code == 403


def test_the_error_shown_of_a_failed_job_quotes_no_row_and_no_number():
    trace = (
        "Traceback (most recent call last):\n"
        '  File "workers/jobs.py", line 1, in process\n'
        'psycopg.errors.NotNullViolation: null value in column "kind" violates not-null\n'
        "DETAIL:  Failing row contains (3, +6281234567890, Budi minta tolong)."
    )
    assert last_line(trace) == "DETAIL:  Failing row contains (…)"
    assert last_line("RuntimeError: balas ke 081234567890 gagal") == (
        "RuntimeError: balas ke 0812****890 gagal"
    )
