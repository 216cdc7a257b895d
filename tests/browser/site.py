"""The application served over real HTTP for the browser, with an rq worker beside it."""

from __future__ import annotations

import re
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import Flask
from rq import SimpleWorker
from rq.registry import FailedJobRegistry
from rq.timeouts import TimerDeathPenalty
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from config import Settings
from sms_gateway.models import Ticket
from tests.conftest import TEST_TOKEN, running_app
from tests.support.twilio_client import SMS_PATH, sign, sms_form
from workers import pump
from workers.queues import ALL, Enqueuer


def tracking_number_in(twiml: str) -> str:
    """The tracking number (digits only) in the reply to a complaint."""
    match = re.search(r"(\d{4,5})-(\d{4,5})", twiml)
    assert match, twiml
    return match.group(1) + match.group(2)


class ThreadWorker(SimpleWorker):
    """rq's SimpleWorker, able to run outside the main thread (no signals: timers instead)."""

    death_penalty_class = TimerDeathPenalty

    def _install_signal_handlers(self) -> None:
        """Signals belong to the main thread, where pytest and the browser run."""


@dataclass
class LiveSite:
    """Where the app answers, and a citizen's phone that texts it through the signed webhook."""

    url: str
    app: Flask
    errors: list[BaseException] = field(default_factory=list)

    def text(self, body: str, sender: str = "+6281234567890") -> str:
        """Send one SMS the way Twilio does (signed, over HTTP); returns the TwiML answer."""
        form = sms_form(body, sender=sender)
        request = urllib.request.Request(
            self.url + SMS_PATH,
            data=urllib.parse.urlencode(form).encode(),
            headers={"X-Twilio-Signature": sign(TEST_TOKEN, self.url + SMS_PATH, form)},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200
            return answer.read().decode()

    def ticket(self, number: str) -> Ticket:
        """The ticket as stored now (a fresh read)."""
        with self.app.extensions["db"].scope() as session:
            return session.execute(
                select(Ticket).where(Ticket.tracking_number == number)
            ).scalar_one()


def _work(connection, stop: threading.Event, errors: list[BaseException]) -> None:  # noqa: ANN001
    """Run the jobs that arrive until told to stop, as ``python -m workers`` does."""
    enqueuer = Enqueuer(connection)
    while not stop.is_set():
        try:
            pump.transfer(enqueuer)
            ThreadWorker(list(ALL), connection=connection).work(
                burst=True, with_scheduler=False, logging_level="WARNING"
            )
        except Exception as exc:  # noqa: BLE001 - reported by the test, not lost in a thread
            errors.append(exc)
            return
        stop.wait(0.2)


class _Handler(WSGIRequestHandler):
    timeout = 5  # a kept-alive connection the browser left idle ends, so its thread can be joined


@contextmanager
def serve(settings: Settings) -> Iterator[LiveSite]:
    """The app on 127.0.0.1 (a free port) with a worker thread; both stop at the end."""
    target: dict[str, Flask] = {}
    server = make_server(
        "127.0.0.1",
        0,
        lambda environ, start: target["app"](environ, start),
        threaded=True,
        request_handler=_Handler,
    )
    # Request threads are joined by server_close(), before the app's database is disposed: a
    # request still running (the queue page polls) would otherwise return its connection to a
    # pool already thrown away, and the connection would be closed by the garbage collector.
    server.daemon_threads = False
    url = f"http://127.0.0.1:{server.server_port}"
    # The signed URL is the one the phone posts to, so Twilio signatures validate.
    with running_app(settings.with_overrides(public_base_url=url)) as app:
        target["app"] = app
        site = LiveSite(url, app)
        stop = threading.Event()
        threads = [
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}),
            threading.Thread(target=_work, args=(app.extensions["redis"], stop, site.errors)),
        ]
        for thread in threads:
            thread.start()
        try:
            yield site
        finally:
            stop.set()
            server.shutdown()
            for thread in threads:
                thread.join(timeout=30)
            server.server_close()
        assert not site.errors, f"the worker failed: {site.errors!r}"
        failed = _failed_jobs(app.extensions["redis"])
        assert not failed, f"jobs failed in the background: {failed}"


def _failed_jobs(connection) -> list[str]:  # noqa: ANN001
    """Ids of the jobs rq put in its failed registries."""
    return [
        job_id
        for name in ALL
        for job_id in FailedJobRegistry(name, connection=connection).get_job_ids()
    ]
