"""What operations sees: /metrics figures read from the database, request and job ids in logs."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rq import Queue
from sqlalchemy import text

from config import ConfigError, from_env
from sms_gateway import logs
from workers.__main__ import Worker

ALERTS = Path(__file__).resolve().parent.parent / "deploy" / "prometheus-alerts.yml"
_test_log = logging.getLogger("tests.observability")


def _metric(body: str, name: str) -> float:
    match = re.search(rf"^{name} ([0-9.e+-]+)$", body, re.MULTILINE)
    assert match, f"{name} missing from /metrics"
    return float(match.group(1))


def test_metrics_count_the_backlog_until_a_worker_processes_it(seeded, phone, run_worker) -> None:  # noqa: ANN001
    client = seeded.test_client()
    phone.text("lampu jalan di gang mawar mati sudah seminggu, mohon diperbaiki")
    body = client.get("/metrics").get_data(as_text=True)
    assert _metric(body, "lapor_inbound_unprocessed") == 1
    assert _metric(body, "lapor_database_up") == 1
    assert _metric(body, "lapor_redis_up") == 1
    run_worker()
    body = client.get("/metrics").get_data(as_text=True)
    assert _metric(body, "lapor_inbound_unprocessed") == 0
    assert _metric(body, "lapor_inbound_oldest_unprocessed_seconds") == 0
    for name in ("dispatch_dead_letters", "outbound_failed", "tickets_overdue", "workers_alive"):
        assert _metric(body, f"lapor_{name}") >= 0


def test_every_alert_rule_names_a_metric_that_exists(seeded, phone) -> None:  # noqa: ANN001
    phone.text("jalan berlubang di depan pasar, tolong ditambal")
    body = seeded.test_client().get("/metrics").get_data(as_text=True)
    served = set(re.findall(r"^# TYPE (lapor_\w+) ", body, re.MULTILINE))
    named = set(re.findall(r"\b(lapor_[a-z_]+)", ALERTS.read_text()))
    suffixes = ("_bucket", "_total")
    missing = {
        name
        for name in named
        if name not in served and not any(name.removesuffix(s) in served for s in suffixes)
    }
    assert named and not missing, f"alert rules name metrics /metrics lacks: {missing}"


def test_every_response_carries_a_request_id(app) -> None:  # noqa: ANN001
    client = app.test_client()
    generated = client.get("/healthz").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", generated)
    given = client.get("/healthz", headers={"X-Request-ID": "lb-4f2a9c01"})
    assert given.headers["X-Request-ID"] == "lb-4f2a9c01"
    hostile = client.get("/healthz", headers={"X-Request-ID": "<script>x</script>"})
    assert hostile.headers["X-Request-ID"] != "<script>x</script>"


def _json_lines(logger: logging.Logger) -> tuple[io.StringIO, logging.Handler]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RedactingFilter())
    handler.setFormatter(logs.JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return stream, handler


def test_json_log_lines_carry_the_request_id_and_no_phone_number() -> None:
    stream, handler = _json_lines(_test_log)
    token = logs.REQUEST_ID.set("abcd1234abcd1234")
    try:
        _test_log.info("reply sent to %s", "+6281234567890")
        try:
            raise ValueError("bad number 081298765432")
        except ValueError:
            _test_log.exception("failed")
    finally:
        logs.REQUEST_ID.reset(token)
        _test_log.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["request_id"] == "abcd1234abcd1234" and first["level"] == "INFO"
    assert "+6281234567890" not in stream.getvalue() and "081298765432" not in stream.getvalue()
    assert "ValueError" in second["error"]


def log_something(word: str) -> str:
    """A job that logs one line (run by the real worker class below)."""
    _test_log.info("job says %s", word)
    return word


def test_worker_log_lines_carry_the_job_id(app) -> None:  # noqa: ANN001
    connection = app.extensions["redis"]
    stream, handler = _json_lines(_test_log)
    try:
        Queue("default", connection=connection).enqueue(
            log_something, "halo", job_id="observability-1"
        )
        Worker(["default"], connection=connection).work(burst=True, with_scheduler=False)
    finally:
        _test_log.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert {"message": "job says halo", "job_id": "observability-1"}.items() <= lines[0].items()


def fail_quoting_a_row(sender: str) -> None:
    """A job failing as a refused statement does: its error quotes the row and the sender."""
    raise RuntimeError(
        f"balasan ke {sender} gagal disimpan\n"
        f"DETAIL:  Failing row contains (7, {sender}, tolong anak saya dipukuli tetangga)."
    )


def test_a_failed_job_keeps_its_traceback_without_the_row_or_the_number(app) -> None:  # noqa: ANN001
    connection = app.extensions["redis"]
    job = Queue("default", connection=connection).enqueue(
        fail_quoting_a_row, "+6281234567890", job_id="observability-failed-1"
    )
    Worker(["default"], connection=connection).work(burst=True, with_scheduler=False)
    job.refresh()
    assert job.is_failed
    stored = job.latest_result().exc_string
    assert "RuntimeError: balasan ke +62812****890 gagal disimpan" in stored
    assert "DETAIL:  Failing row contains (…)" in stored
    assert "fail_quoting_a_row" in stored  # the traceback itself is kept
    assert "6281234567890" not in stored and "dipukuli" not in stored


def test_a_named_but_missing_metrics_directory_is_made_not_a_failure(tmp_path) -> None:  # noqa: ANN001
    # Multi-process metrics are chosen when prometheus_client is imported: a fresh process.
    folder = tmp_path / "gone" / "prometheus"
    probe = "from sms_gateway.metrics import INBOUND\nINBOUND.labels('twilio', 'ticket').inc()\n"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder)},
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert any(folder.glob("counter_*.db"))


def test_log_format_is_text_or_json() -> None:
    assert from_env({"LOG_FORMAT": "json"}).log_format == "json"
    with pytest.raises(ConfigError, match="LOG_FORMAT"):
        from_env({"LOG_FORMAT": "xml"})


SECRET_LINE = "nama sy Wulandari Kusumastuti, email wulan.k@contoh.id, tlg dirahasiakan"


def _log_failure(run) -> str:  # noqa: ANN001
    """Run ``run`` (it must fail) and return what the failure logged, as text and as JSON."""
    text_stream = io.StringIO()
    text_handler = logging.StreamHandler(text_stream)
    text_handler.addFilter(logs.RedactingFilter())
    text_handler.setFormatter(logging.Formatter(logs.TEXT_FORMAT))
    _test_log.addHandler(text_handler)
    json_stream, json_handler = _json_lines(_test_log)
    try:
        with pytest.raises(Exception) as failure:
            run()
        _test_log.error("statement failed: %s", failure.value, exc_info=failure.value)
    finally:
        _test_log.removeHandler(text_handler)
        _test_log.removeHandler(json_handler)
    return text_stream.getvalue() + json_stream.getvalue()


def test_a_failed_statement_logs_none_of_what_it_tried_to_write(app, session) -> None:  # noqa: ANN001
    insert = text(
        "INSERT INTO ticket_events (ticket_id, at, actor, kind, reason) "
        "VALUES (NULL, CURRENT_TIMESTAMP, 'citizen', 'note', :reason)"
    )
    logged = _log_failure(lambda: session.execute(insert, {"reason": SECRET_LINE}))
    session.rollback()
    assert "ticket_events" in logged and "IntegrityError" in logged  # the failure is there
    assert "Wulandari" not in logged and "wulan.k@" not in logged
    if session.get_bind().dialect.name != "postgresql":
        return
    # PostgreSQL quotes the failing row, and JSON it could not read, unless they are cut.
    assert "Failing row contains (…)" in logged
    database = app.extensions["db"]
    bad_json = '{"Body": "' + SECRET_LINE + '" "From": 1}'
    logged = _log_failure(
        lambda: database.run_alone("SELECT CAST(%(raw)s AS JSON)", {"raw": bad_json})
    )
    assert "invalid input syntax for type json" in logged
    assert "Wulandari" not in logged and "wulan.k@" not in logged


def test_values_postgresql_quotes_are_cut_and_the_rest_kept() -> None:
    error = (
        '(psycopg.errors.UniqueViolation) duplicate key value violates unique constraint "x"\n'
        "DETAIL:  Key (provider, note)=(twilio, Budi (RT 3) ada)) already exists.\n"
        "[SQL: INSERT INTO x (provider, note) VALUES (%(provider)s, %(note)s)]\n"
        "DETAIL:  Failing row contains (7, Budi\nbaris dua), null).\n"
        "(Background on this error at: https://sqlalche.me/e/21/gkpj)\n"
        'invalid input syntax for type integer: "Budi"\n'
        'invalid input value for enum status: "Budi"\n'
        'malformed array literal: "{Budi"'
    )
    cut = logs.hide_values(error)
    assert "Budi" not in cut
    assert "Key (provider, note)=(…) already exists" in cut
    assert "Failing row contains (…)\n(Background" in cut
    assert "[SQL: INSERT INTO x (provider, note)" in cut and 'type integer: "…"' in cut
    assert 'enum status: "…"' in cut and 'array literal: "…"' in cut
