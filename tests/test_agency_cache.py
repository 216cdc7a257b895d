"""Workers keep the agencies they read while the directory's number stays the same.

Any change to the agencies table raises the number in its own transaction (a trigger: migration
0011), whoever makes it, so a worker never forwards to an address or with a secret the table no
longer holds. Real database, real Redis, real agency webhooks that check each signature.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, select, text

from sms_gateway.dispatch import agencies
from sms_gateway.models import DirectoryVersion, InboundMessage, Ticket
from tests.support.agency_receiver import AgencyReceiver
from tests.test_faults_burst import AGENCY_SECRET, agencies_on_webhook
from workers import context, jobs

NEW_SECRET = "rahasia-baru-setelah-rotasi-2026"
LAMP = "lampu jalan di jl. pemuda kota semarang mati seminggu, gelap bgt kalo malam"


def number(app) -> int | None:  # noqa: ANN001
    with app.extensions["db"].scope() as s:
        return s.scalar(select(DirectoryVersion.version))


def take_in_and_process(app, phone, sender: str) -> Ticket:  # noqa: ANN001
    phone.number = sender
    assert phone.text(LAMP).status_code == 200
    with app.extensions["db"].scope() as s:
        inbound_id = s.scalar(select(InboundMessage.id).order_by(InboundMessage.id.desc()))
    assert jobs.process_inbound(inbound_id)
    with app.extensions["db"].scope() as s:
        return s.scalar(select(Ticket).order_by(Ticket.id.desc()))


@contextmanager
def statements_on_agencies():  # noqa: ANN201
    """The worker's SQL statements that read the agencies table, as they are sent."""
    engine = context.current().db.engine
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001, ANN002
        if "FROM agencies" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_every_change_to_the_agencies_raises_the_directory_number_once_committed(seeded):
    app = seeded
    db = app.extensions["db"]
    before = number(app)
    assert before is not None
    with db.scope() as s:  # through the ORM, as the console does
        agencies.set_channel(s, "ADMIN-NASIONAL", email="pengaduan@lapor.example.id")
        s.commit()
    after_console = number(app)
    assert after_console > before
    with db.scope() as s:  # a change rolled back leaves the number as it was
        s.execute(text("UPDATE agencies SET name = 'Sementara' WHERE code = 'ADMIN-NASIONAL'"))
        s.rollback()
    assert number(app) == after_console
    with db.engine.begin() as connection:  # as an administrator would in psql
        connection.execute(text("UPDATE agencies SET email = NULL WHERE code = 'ADMIN-NASIONAL'"))
    assert number(app) > after_console


def test_a_worker_reads_an_agency_once_and_again_only_after_the_table_changed(seeded, phone):
    app = seeded
    with (
        AgencyReceiver(AGENCY_SECRET) as first,
        AgencyReceiver(NEW_SECRET) as second,
        agencies_on_webhook(app, first.url),
    ):
        routed = take_in_and_process(app, phone, "+6281300088001")
        assert routed.status == "dispatched" and len(first.received) == 1
        with statements_on_agencies() as reads:
            again = take_in_and_process(app, phone, "+6281300088002")
        assert again.status == "dispatched" and again.agency_code == routed.agency_code
        assert len(first.received) == 2
        assert reads == []  # unchanged directory: the agency came from the worker's copy
        with app.extensions["db"].engine.begin() as connection:  # the agency moved its webhook
            connection.execute(
                text("UPDATE agencies SET webhook_url = :url, webhook_secret = :secret"),
                {"url": second.url, "secret": NEW_SECRET},
            )
        with statements_on_agencies() as reads:
            moved = take_in_and_process(app, phone, "+6281300088003")
        assert moved.status == "dispatched"
        assert len(reads) == 1  # read again, once
        assert len(second.received) == 1 and second.rejected == 0  # new address, new secret
        assert len(first.received) == 2 and first.rejected == 0  # nothing more to the old one
        assert second.received[0]["body"]["ticket"]["tracking_number"] == moved.tracking_number
