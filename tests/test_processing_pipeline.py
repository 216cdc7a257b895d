"""After intake, the worker understands, locates, classifies and routes — or asks an operator."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from sms_gateway.models import Dispatch, InboundMessage, OutboundMessage, Ticket, TicketEvent
from tests.support.twilio_client import Phone
from tests.test_intake_webhook import number_in, reply_of


def processed_ticket(app, session, body: str, sender: str = "+6281234567890") -> Ticket:  # noqa: ANN001
    phone = Phone(app.test_client(), "test-twilio-auth-token", sender)
    number = number_in(reply_of(phone.text(body)))
    from tests.conftest import drain_queues

    drain_queues(app.extensions["redis"])
    session.expire_all()
    return session.execute(select(Ticket).where(Ticket.tracking_number == number)).scalar_one()


def test_confident_complaint_is_routed_and_forwarded_to_its_agency(seeded, session):
    ticket = processed_ticket(
        seeded, session, "bansos pkh ibu sy blm cair 3 bulan di kelurahan tegalsari surabaya"
    )
    assert ticket.category == "SOSIAL DAN KESEJAHTERAAN"
    assert ticket.status == "dispatched" and not ticket.needs_triage  # the portal channel
    assert ticket.agency_code == "35.78-DINSOS"
    assert ticket.region_code.startswith("35.78")
    assert "Dinas Sosial" in ticket.routing["explanation"]
    events = session.execute(
        select(TicketEvent.id, TicketEvent.kind, TicketEvent.to_status, TicketEvent.data)
        .where(TicketEvent.ticket_id == ticket.id)
        .order_by(TicketEvent.id)
    ).all()
    assert [(e.kind, e.to_status) for e in events] == [
        ("created", "received"),
        ("analysed", None),
        ("routed", "verified"),
        ("dispatched", "dispatched"),
    ]
    analysed, routed = events[1], events[2]  # appended together, in this order
    assert analysed.data["category"] == "SOSIAL DAN KESEJAHTERAAN"
    assert routed.data["agency"] == "35.78-DINSOS"
    forwarded = session.execute(
        select(Dispatch).where(Dispatch.ticket_id == ticket.id)
    ).scalar_one()
    assert forwarded.event_id == routed.id  # the forwarding answers the routing


def test_road_complaint_with_a_place_is_routed_to_that_regions_office(seeded, session):
    ticket = processed_ticket(
        seeded,
        session,
        "jalan kabupaten di kecamatan kalimanah purbalingga rusak parah berlubang bnyk, "
        "tolong diperbaiki sblm ada korban",
    )
    assert ticket.region_code and ticket.region_code.startswith("33.03")
    assert ticket.routing["region"]["code"] == ticket.region_code
    if ticket.agency_code:
        assert ticket.agency_code.startswith("33.03")


def test_gibberish_waits_in_triage_with_a_reason(seeded, session):
    ticket = processed_ticket(seeded, session, "zxqv blorp nnnggg wkwkwk qwerty")
    assert ticket.needs_triage and ticket.status == "received"
    assert ticket.triage_reason
    assert ticket.agency_code is None


def test_a_category_the_model_never_learnt_waits_in_triage_with_it_suggested(seeded, session):
    ticket = processed_ticket(
        seeded, session, "menu mbg di sdn 2 kota semarang kmrn basi, bnyk murid sakit perut"
    )
    assert ticket.needs_triage and ticket.status == "received"
    assert ticket.category == "PROGRAM MAKAN BERGIZI GRATIS (MBG)"
    assert ticket.agency_code is None  # nothing is forwarded on a suggestion
    assert '"mbg"' in ticket.triage_reason and "belum dipelajari" in ticket.triage_reason
    assert ticket.routing["classifier"]["cue"] == "mbg"
    assert ticket.routing["suggested_agency"] == "BGN"  # the operator's default choice


def test_extortion_by_an_official_is_not_forwarded_to_the_office_it_accuses(seeded, session):
    ticket = processed_ticket(
        seeded,
        session,
        "petugas dukcapil kota semarang minta 300rb biar ktp cepet jadi, itu pungli kan pak",
    )
    assert ticket.needs_triage and ticket.status == "received"
    assert ticket.agency_code is None  # not the population office the SMS names
    assert (ticket.category, ticket.subcategory) == ("POLITIK DAN HUKUM", "PUNGUTAN LIAR")
    assert "Dugaan pungli" in ticket.triage_reason
    assert ticket.routing["suggested_agency"] == "33.74-INSPEKTORAT"


POTHOLE = "jln di dpn sekolah berlubang gede, motor sering jatuh, tolong ditambal"


def _asks(session, ticket: Ticket) -> list[OutboundMessage]:  # noqa: ANN001
    return list(
        session.execute(
            select(OutboundMessage).where(
                OutboundMessage.ticket_id == ticket.id, OutboundMessage.kind == "status"
            )
        ).scalars()
    )


@pytest.mark.parametrize(
    ("sender", "prefix"),
    [("+6281234500077", "INFO {number} "), ("+6281234500079", "")],
    ids=["info-command", "plain-reply"],
)
def test_a_complaint_without_a_place_asks_where_and_the_answer_routes_it(
    seeded,
    session,
    sender: str,
    prefix: str,
):
    ticket = processed_ticket(seeded, session, POTHOLE, sender=sender)
    # The category is sure, but roads belong to a kabupaten/kota and none is named.
    assert ticket.category == "PEKERJAAN UMUM DAN PENATAAN RUANG"
    assert ticket.status == "needs_info" and ticket.needs_triage and ticket.agency_code is None
    assert "Lokasi ditanyakan ke pelapor" in ticket.triage_reason
    (ask,) = _asks(session, ticket)
    assert ask.to == sender and f"INFO {ticket.tracking_number}" in ask.body

    phone = Phone(seeded.test_client(), "test-twilio-auth-token", sender)
    answer = (
        prefix.format(number=ticket.tracking_number) + "desa karangsari kec kalimanah purbalingga"
    )
    assert "Keterangan tambahan" in reply_of(phone.text(answer))
    from tests.conftest import drain_queues

    drain_queues(seeded.extensions["redis"])
    session.expire_all()
    ticket = session.get(Ticket, ticket.id)
    assert ticket.agency_code == "33.03-DPUPR" and not ticket.needs_triage
    assert ticket.status in ("verified", "dispatched")
    kinds = list(
        session.execute(
            select(TicketEvent.kind)
            .where(TicketEvent.ticket_id == ticket.id)
            .order_by(TicketEvent.id)
        ).scalars()
    )
    assert kinds[:4] == ["created", "analysed", "asked_place", "citizen_info"]
    assert kinds[4:6] == ["analysed", "routed"]
    assert len(_asks(session, ticket)) == 2  # the question, then "forwarded to …": asked once


def test_a_citizen_who_sent_stop_is_not_asked(seeded, session):
    sender = "+6281234500078"
    phone = Phone(seeded.test_client(), "test-twilio-auth-token", sender)
    phone.text("STOP")
    ticket = processed_ticket(seeded, session, POTHOLE, sender=sender)
    assert ticket.status == "received" and ticket.needs_triage  # the operators' queue
    assert _asks(session, ticket) == []


def test_personal_data_is_masked_for_what_leaves_the_system(seeded, session):
    ticket = processed_ticket(
        seeded,
        session,
        "bansos blm cair, nik sy 3578014501900003 hp 081234567812 tlg dicek",
    )
    assert "3578014501900003" in ticket.text  # the original stays for authorised operators
    assert "3578014501900003" not in ticket.masked_text
    assert "081234567812" not in ticket.masked_text
    assert set(ticket.pii_kinds) >= {"nik", "phone"}
    assert "3578014501900003" not in json.dumps(ticket.routing)


def test_processing_twice_changes_nothing(seeded, session):
    ticket = processed_ticket(seeded, session, "sampah menumpuk di tps pasar, bau dan banyak lalat")
    from sms_gateway.processing import process_inbound

    inbound = session.execute(select(InboundMessage.id)).scalar_one()
    assert process_inbound(session, inbound) is None
    events = session.execute(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)).all()
    assert len(events) == len({e.TicketEvent.id for e in events})


def test_leading_region_word_is_a_region_hint(seeded, session):
    ticket = processed_ticket(
        seeded, session, "BANJARBARU lampu penerangan jalan mati sepanjang jalan utama sdh sebulan"
    )
    assert ticket.region_code and ticket.region_code.startswith("63.72")


def test_operator_correction_routes_and_becomes_training_data(seeded, session, tmp_path):
    import json as jsonlib

    from sms_gateway import triage

    ticket = processed_ticket(
        seeded, session, "zxqv blorp nnnggg wkwkwk qwerty, kelurahan tegalsari surabaya"
    )
    agency = triage.reclassify(session, ticket, "SOSIAL DAN KESEJAHTERAAN", "operator:ani")
    session.commit()
    assert agency == ticket.agency_code and ticket.status == "verified"
    out = tmp_path / "corrections.jsonl"
    result = seeded.test_cli_runner().invoke(args=["classifier", "export-corrections", str(out)])
    assert result.exit_code == 0, result.output
    rows = [jsonlib.loads(line) for line in out.read_text().splitlines()]
    assert rows == [{"text": ticket.masked_text, "category": "SOSIAL DAN KESEJAHTERAAN"}]
    import pytest

    with pytest.raises(triage.TriageError):
        triage.reclassify(session, ticket, "KATEGORI KARANGAN", "operator:ani")


def test_a_regional_channel_gives_its_region_as_hint(settings, session):
    from tests.conftest import running_app

    regional = settings.with_overrides(channel_regions={"+6281100001708": "33.03"})
    with running_app(regional, clean=False) as app:
        phone = Phone(app.test_client(), "test-twilio-auth-token", "+6281377788899")
        from tests.support.twilio_client import sms_form

        form = sms_form(
            "jalan di kecamatan kalimanah berlubang dalam", sender=phone.number, To="+6281100001708"
        )
        number = number_in(reply_of(phone.post(form)))
        from tests.conftest import drain_queues

        drain_queues(app.extensions["redis"])
        session.expire_all()
        ticket = session.execute(
            select(Ticket).where(Ticket.tracking_number == number)
        ).scalar_one()
        assert ticket.region_hint == "33.03"
        assert ticket.region_code.startswith("33.03")


def test_channel_regions_setting_is_read_and_checked():
    import pytest

    from config import ConfigError, from_env

    assert from_env({"CHANNEL_REGIONS": "+628110001=35.78, 1708=33"}).channel_regions == {
        "+628110001": "35.78",
        "1708": "33",
    }
    with pytest.raises(ConfigError, match="CHANNEL_REGIONS"):
        from_env({"CHANNEL_REGIONS": "surabaya"})


def test_classifier_predict_answers_the_public_contract_with_region_and_agency(app):
    lines = "\n".join(
        [
            json.dumps(
                {"text": "bansos pkh ibu sy blm cair 3 bulan di kelurahan tegalsari surabaya"}
            ),
            json.dumps(
                {
                    "text": "jalan rusak parah berlubang di kecamatan kalimanah",
                    "region_hint": "33.03",
                }
            ),
            json.dumps({"text": "zxqv blorp wkwk"}),
        ]
    )
    result = app.test_cli_runner().invoke(args=["classifier", "predict"], input=lines + "\n")
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert len(answers) == 3
    for answer in answers:
        assert set(answer) == {"category", "confidence", "abstain", "region", "agency"}
        assert 0.0 <= answer["confidence"] <= 1.0
    bansos, road, noise = answers
    assert bansos["region"] == {"code": "35.78.05.1001", "name": "Tegalsari", "level": "kelurahan"}
    assert bansos["agency"]["code"] == "35.78-DINSOS"
    assert road["region"]["code"].startswith("33.03")
    assert noise["abstain"] is True and noise["agency"] is None


def test_citizen_reply_after_the_agency_answers_threads_and_an_objection_reopens(
    seeded, session, client
):
    from sms_gateway import apikeys

    ticket = processed_ticket(
        seeded, session, "bansos pkh ibu sy blm cair 3 bulan di kelurahan tegalsari surabaya"
    )
    assert ticket.status == "dispatched"
    key = apikeys.create(session, ticket.agency_code)
    session.commit()
    answered = client.post(
        f"/api/v1/tickets/{ticket.tracking_number}/responses",
        json={"text": "Sudah kami cek, pencairan tahap berikut minggu depan."},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert answered.status_code in (200, 201), answered.get_data(as_text=True)
    phone = Phone(client, "test-twilio-auth-token")
    reply = reply_of(phone.text("sampai skrg masih blm cair pak, tolong dicek lagi"))
    assert ticket.tracking_number[:5] in reply
    session.expire_all()
    ticket = session.get(Ticket, ticket.id)
    assert ticket.status == "dispatched"  # reopened to the agency
    kinds = (
        session.execute(select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket.id))
        .scalars()
        .all()
    )
    assert "citizen_reply" in kinds
    assert session.execute(select(Ticket)).scalars().all() == [ticket]  # no second ticket


def test_rejection_needs_a_reason_and_the_citizen_is_told_it(seeded, session):
    ticket = processed_ticket(seeded, session, "zxqv blorp nnnggg wkwkwk qwerty asdf")
    runner = seeded.test_cli_runner()
    missing = runner.invoke(args=["tickets", "reject", ticket.tracking_number, "--reason", " "])
    assert missing.exit_code != 0 and "reason" in missing.output
    done = runner.invoke(
        args=[
            "tickets",
            "reject",
            ticket.tracking_number,
            "--reason",
            "isi pesan tidak bisa dipahami, mohon kirim ulang keluhannya",
        ]
    )
    assert done.exit_code == 0, done.output
    session.expire_all()
    ticket = session.get(Ticket, ticket.id)
    assert ticket.status == "rejected"
    from sms_gateway.models import OutboundMessage

    [sms] = (
        session.execute(select(OutboundMessage).where(OutboundMessage.ticket_id == ticket.id))
        .scalars()
        .all()
    )
    assert "mohon kirim ulang" in sms.body
    again = runner.invoke(args=["tickets", "reject", ticket.tracking_number, "--reason", "dobel"])
    assert again.exit_code != 0  # a rejected ticket cannot be rejected again
