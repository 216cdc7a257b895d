"""Encoding and cost: GSM-7 when possible, segments stored, price per segment, cost per ticket and day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sms_gateway import costs, outbound
from sms_gateway.models import OutboundMessage, Ticket
from sms_gateway.providers.sandbox import SandboxProvider
from tests.support.fake_jasmin import FakeJasmin
from tests.support.fake_kannel import FakeKannel
from tests.support.worker_context import use_settings
from workers import jobs

LONG = "Laporan Anda tentang jalan rusak di Jl. Mawar sudah diteruskan ke Dinas PUPR. " * 3


def send(
    session, body: str, key: str, price: str | None = "350", ticket_id=None, provider="sandbox"
) -> OutboundMessage:  # noqa: ANN001
    queued = outbound.queue_sms(
        session,
        to="+6281366660000",
        body=body,
        kind="status",
        key=key,
        provider=provider,
        ticket_id=ticket_id,
    )
    session.commit()
    outbound.send(
        session, queued.id, SandboxProvider(), price_per_segment=Decimal(price) if price else None
    )
    return session.get(OutboundMessage, queued.id)


def ticket(session, number: str) -> int:  # noqa: ANN001
    row = Ticket(tracking_number=number)
    session.add(row)
    session.commit()
    return row.id


def test_curly_quotes_and_dashes_stay_gsm7_but_emoji_needs_ucs2(session):  # noqa: ANN001
    plain = send(session, "Terima kasih \u201cPak RT\u201d \u2013 laporan diterima", "a")
    emoji = send(session, "Terima kasih \U0001f64f", "b")
    assert (plain.encoding, plain.segments) == ("GSM-7", 1)
    assert (emoji.encoding, emoji.segments) == ("UCS-2", 1)


def test_segments_and_price_are_stored_on_the_message(session):  # noqa: ANN001
    message = send(session, LONG, "long", price="350")
    assert (message.encoding, message.segments) == ("GSM-7", 2)
    assert Decimal(message.price) == Decimal("700")


def test_cost_per_ticket_counts_only_messages_that_left(session):  # noqa: ANN001
    ticket_id = ticket(session, "4827193059")
    send(session, LONG, "t1", ticket_id=ticket_id)
    send(session, "Singkat.", "t2", ticket_id=ticket_id)
    queued = outbound.queue_sms(
        session,
        to="+6281366660000",
        body="Belum.",
        kind="status",
        key="t3",
        provider="sandbox",
        ticket_id=ticket_id,
    )
    session.commit()
    cost = costs.ticket_cost(session, ticket_id)
    assert (cost.messages, cost.segments, cost.idr) == (2, 3, Decimal("1050.00"))
    assert session.get(OutboundMessage, queued.id).status == "queued"


def test_cost_per_day_uses_wib_days_and_splits_by_provider(session):  # noqa: ANN001
    late_evening = send(session, "Malam.", "d1", price="350")
    late_evening.sent_at = datetime(2025, 3, 3, 16, 30, tzinfo=UTC)  # 23:30 WIB on the 3rd
    next_morning = send(session, LONG, "d2", price="400", provider="jasmin")
    next_morning.sent_at = datetime(2025, 3, 3, 17, 30, tzinfo=UTC)  # 00:30 WIB on the 4th
    session.commit()
    third, fourth = (
        costs.day_cost(session, date(2025, 3, 3)),
        costs.day_cost(session, date(2025, 3, 4)),
    )
    assert [(c.provider, c.messages, c.idr) for c in third] == [("sandbox", 1, Decimal("350.00"))]
    assert [(c.provider, c.segments, c.idr) for c in fourth] == [("jasmin", 2, Decimal("800.00"))]
    assert costs.total(third + fourth).idr == Decimal("1150.00")


def test_send_job_prices_each_provider_from_settings(app, session):  # noqa: ANN001
    with FakeJasmin("u", "p") as fake:
        settings = app.config["SETTINGS"].with_overrides(
            jasmin_url=fake.url,
            jasmin_username="u",
            jasmin_password="p",
            sms_price_per_segment=(("jasmin", "325.50"), ("*", "999")),
        )
        use_settings(app, settings)
        queued = outbound.queue_sms(
            session, to="+6281366660001", body=LONG, kind="status", key="p", provider="jasmin"
        )
        session.commit()
        assert jobs.send_outbound(queued.id) == "sent"
    session.expire_all()
    assert Decimal(session.get(OutboundMessage, queued.id).price) == Decimal("651.00")


def test_gateways_send_ucs2_only_when_the_text_needs_it(app, session):  # noqa: ANN001
    with FakeJasmin("u", "p") as jasmin, FakeKannel("u", "p") as kannel:
        settings = app.config["SETTINGS"].with_overrides(
            jasmin_url=jasmin.url,
            jasmin_username="u",
            jasmin_password="p",
            kannel_sendsms_url=kannel.sendsms_url,
            kannel_username="u",
            kannel_password="p",
        )
        use_settings(app, settings)
        for provider in ("jasmin", "kannel"):
            for key, body in (
                ("gsm", "Jalan \u2018Mawar\u2019"),
                ("ucs", "Terima kasih \U0001f64f"),
            ):
                queued = outbound.queue_sms(
                    session,
                    to="+6281366660002",
                    body=body,
                    kind="status",
                    key=f"{provider}-{key}",
                    provider=provider,
                )
                session.commit()
                assert jobs.send_outbound(queued.id) == "sent"
    assert [m["coding"] for m in jasmin.sent] == ["0", "8"]
    assert jasmin.sent[0]["content"] == "Jalan 'Mawar'" and "content" not in jasmin.sent[1]
    assert jasmin.sent[1]["text"] == "Terima kasih \U0001f64f"
    assert [m["coding"] for m in kannel.sent] == ["0", "2"]
    assert kannel.sent[1]["text"] == "Terima kasih \U0001f64f"


def test_sms_cost_command_prints_the_day_per_provider_and_total(app, session):  # noqa: ANN001
    message = send(session, LONG, "cli", price="350")
    message.sent_at = datetime(2025, 8, 17, 3, 0, tzinfo=UTC)
    session.commit()
    result = app.test_cli_runner().invoke(args=["sms", "cost", "--day", "2025-08-17"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert "sandbox" in lines[0] and "Rp 700.00" in lines[0]
    assert "total" in lines[-1] and "2 segments" in lines[-1]
    empty = app.test_cli_runner().invoke(args=["sms", "cost", "--day", "2025-08-18"])
    assert "Rp 0.00" in empty.output


def test_sms_failed_command_lists_failed_messages(app, session):  # noqa: ANN001
    queued = outbound.queue_sms(
        session, to="+62813", body="x", kind="status", key="f", provider="sandbox"
    )
    message = session.get(OutboundMessage, queued.id)
    message.status, message.error_code = "failed", "21211"
    session.commit()
    result = app.test_cli_runner().invoke(args=["sms", "failed"])
    assert result.exit_code == 0 and f"{queued.id}\tfailed\t21211" in result.output
