"""Every operator action on a ticket page: each an event, each refusing what it may not do."""

from __future__ import annotations

from sqlalchemy import func, select

from sms_gateway import tracking
from sms_gateway.models import (
    Dispatch,
    LabelledExample,
    OutboundMessage,
    Ticket,
    TicketEvent,
)
from tests.support.twilio_client import Phone
from tests.test_intake_webhook import reply_of

from .test_triage import UNSURE, act, stored_ticket, texted_ticket


def events_of(session, ticket: Ticket) -> list[TicketEvent]:  # noqa: ANN001
    session.expire_all()
    return list(
        session.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id)
        )
    )


def sms_to(session, phone: str) -> list[OutboundMessage]:  # noqa: ANN001
    session.expire_all()
    return list(
        session.scalars(
            select(OutboundMessage).where(OutboundMessage.to == phone).order_by(OutboundMessage.id)
        )
    )


def flashed(client, response) -> str:  # noqa: ANN001
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).text


def test_reclassify_stores_a_labelled_example_and_routes_again(
    operator_client,  # noqa: ANN001
    seeded,  # noqa: ANN001
    session,  # noqa: ANN001
    run_worker,  # noqa: ANN001
) -> None:
    words = "halo admin mohon ditindaklanjuti keluhan kami yang kemarin di kelurahan tegalsari surabaya ya"
    ticket = texted_ticket(seeded, session, words, sender="+6281299900041")
    assert ticket.needs_triage and ticket.region_code.startswith("35.78")
    unknown = act(operator_client, ticket, "reclassify", category="KATEGORI KARANGAN")
    assert "tidak dikenal" in flashed(operator_client, unknown)
    page = flashed(
        operator_client,
        act(operator_client, ticket, "reclassify", category="SOSIAL DAN KESEJAHTERAAN"),
    )
    assert "Kategori diganti; tiket diteruskan." in page
    example = session.scalars(
        select(LabelledExample).where(LabelledExample.ticket_id == ticket.id)
    ).one()
    assert example.category == "SOSIAL DAN KESEJAHTERAAN"
    assert example.labelled_by == "operator:ratna"
    run_worker()
    session.expire_all()
    moved = session.get(Ticket, ticket.id)
    assert moved.status == "dispatched" and moved.agency_code == "35.78-DINSOS"
    kinds = [(e.kind, e.actor) for e in events_of(session, ticket)][-3:]
    assert kinds == [
        ("reclassified", "operator:ratna"),
        ("routed", "operator:ratna"),
        ("dispatched", "system"),
    ]


def test_merge_rejects_the_duplicate_links_it_and_texts_its_citizen_once(
    operator_client,  # noqa: ANN001
    seeded,  # noqa: ANN001
    session,  # noqa: ANN001
    run_worker,  # noqa: ANN001
) -> None:
    first = texted_ticket(seeded, session, UNSURE, sender="+6281299900011")
    duplicate = texted_ticket(
        seeded, session, "mohon ditindaklanjuti keluhan warga yang kemarin ya", "+6281299900012"
    )
    before = len(sms_to(session, "+6281299900012"))
    into = tracking.display(first.tracking_number)
    page = flashed(operator_client, act(operator_client, duplicate, "merge", into=into))
    assert f"digabung ke {into}" in page
    again = act(operator_client, duplicate, "merge", into=into)
    assert "tidak dapat digabung" in flashed(operator_client, again)
    run_worker()
    session.expire_all()
    merged = session.get(Ticket, duplicate.id)
    assert merged.status == "rejected" and merged.merged_into_id == first.id
    assert into in events_of(session, merged)[-1].reason
    assert events_of(session, merged)[-1].actor == "operator:ratna"
    assert events_of(session, first)[-1].kind == "merged_in"
    notices = sms_to(session, "+6281299900012")[before:]
    assert len(notices) == 1 and into in notices[0].body
    assert notices[0].segments == 1 and notices[0].encoding == "GSM-7"
    assert session.get(Ticket, first.id).status == "received"


def test_merge_refuses_itself_and_a_closed_or_rejected_ticket(operator_client, session) -> None:  # noqa: ANN001
    ticket = stored_ticket(session, needs_triage=True)
    closed = stored_ticket(session, status="closed")
    rejected = stored_ticket(session, status="rejected")
    for target in (ticket, closed, rejected):
        page = flashed(
            operator_client, act(operator_client, ticket, "merge", into=target.tracking_number)
        )
        assert "flash error" in page
    missing = act(operator_client, ticket, "merge", into="1234567890")
    assert "tidak ditemukan" in flashed(operator_client, missing)
    session.expire_all()
    assert session.get(Ticket, ticket.id).status == "received"
    assert session.get(Ticket, ticket.id).merged_into_id is None


def test_reject_needs_a_reason_and_then_tells_the_citizen(
    operator_client,  # noqa: ANN001
    seeded,  # noqa: ANN001
    session,  # noqa: ANN001
    run_worker,  # noqa: ANN001
) -> None:
    ticket = texted_ticket(seeded, session, UNSURE, sender="+6281299900021")
    before = len(sms_to(session, "+6281299900021"))
    empty = act(operator_client, ticket, "reject", reason="   ")
    assert "perlu alasan" in flashed(operator_client, empty)
    session.expire_all()
    assert session.get(Ticket, ticket.id).status == "received"
    reason = "bukan keluhan pelayanan publik"
    assert act(operator_client, ticket, "reject", reason=reason).status_code == 302
    run_worker()
    session.expire_all()
    assert session.get(Ticket, ticket.id).status == "rejected"
    told = sms_to(session, "+6281299900021")[before:]
    assert len(told) == 1 and reason in told[0].body
    assert events_of(session, ticket)[-1].actor == "operator:ratna"


def test_reply_queues_an_sms_measured_as_gsm7_or_ucs2(
    operator_client,  # noqa: ANN001
    seeded,  # noqa: ANN001
    session,  # noqa: ANN001
    run_worker,  # noqa: ANN001
) -> None:
    ticket = texted_ticket(seeded, session, UNSURE, sender="+6281299900031")
    page = operator_client.get(f"/console/tickets/{ticket.tracking_number}").text
    assert 'id="segments"' in page and "js/ticket.js" in page
    before = len(sms_to(session, "+6281299900031"))
    plain = (
        "Selamat siang, mohon sebutkan lokasi lengkapnya: nama jalan, RT/RW, kelurahan dan "
        "kecamatan, supaya laporan Anda bisa kami teruskan ke instansi yang tepat. Terima kasih."
    )
    shown = flashed(operator_client, act(operator_client, ticket, "reply", text=plain))
    assert "2 SMS, GSM-7" in shown
    emoji = "Terima kasih atas laporannya 🙏 kami bantu teruskan ya"
    nonce = "ulang-kirim-0001"
    shown = flashed(operator_client, act(operator_client, ticket, "reply", text=emoji, nonce=nonce))
    assert "1 SMS, UCS-2" in shown
    act(operator_client, ticket, "reply", text=emoji, nonce=nonce)  # a double submit
    run_worker()
    sent = sms_to(session, "+6281299900031")[before:]
    assert [(m.segments, m.encoding, m.kind) for m in sent] == [
        (2, "GSM-7", "reply"),
        (1, "UCS-2", "reply"),
    ]
    assert all(m.ticket_id == ticket.id for m in sent)
    assert [e.actor for e in events_of(session, ticket) if e.kind == "operator_reply"] == [
        "operator:ratna"
    ] * 2
    too_long = act(operator_client, ticket, "reply", text="jalan rusak parah " * 40)
    assert "terlalu panjang" in flashed(operator_client, too_long)
    thread = operator_client.get(f"/console/tickets/{ticket.tracking_number}").text
    assert "kami bantu teruskan" in thread


def test_a_question_to_the_citizen_waits_for_the_plain_answer_which_joins_the_ticket(
    operator_client,  # noqa: ANN001
    seeded,  # noqa: ANN001
    session,  # noqa: ANN001
    run_worker,  # noqa: ANN001
) -> None:
    sender = "+6281299900051"
    ticket = texted_ticket(seeded, session, UNSURE, sender=sender)
    assert ticket.status == "received" and ticket.needs_triage
    assert 'name="await"' in operator_client.get(f"/console/tickets/{ticket.tracking_number}").text
    question = "Keluhan apa dan di mana? Balas dgn kelurahan dan kecamatannya."
    shown = flashed(
        operator_client, act(operator_client, ticket, "reply", text=question, **{"await": "1"})
    )
    assert "Tiket menunggu keterangan pelapor." in shown
    session.expire_all()
    waiting = session.get(Ticket, ticket.id)
    assert waiting.status == "needs_info" and waiting.triage_reason.startswith(
        "Operator menanyakan"
    )
    run_worker()
    assert sms_to(session, sender)[-1].body.startswith("Keluhan apa dan di mana?")

    answer = "lampu jalan di gg melati kelurahan tegalsari surabaya mati sdh seminggu"
    phone = Phone(seeded.test_client(), "test-twilio-auth-token", sender)
    assert "Keterangan tambahan" in reply_of(phone.text(answer))
    run_worker()
    session.expire_all()
    answered = session.get(Ticket, ticket.id)
    assert answered.text.endswith(f"[INFO] {answer}")
    assert session.scalar(select(func.count()).select_from(Ticket)) == 1  # no second ticket
    kinds = [e.kind for e in events_of(session, answered)]
    assert kinds[kinds.index("asked_details") :][:3] == [
        "asked_details",
        "citizen_info",
        "analysed",
    ]
    assert answered.category == "PERHUBUNGAN" and answered.region_code.startswith("35.78")


def test_a_ticket_on_its_way_to_an_agency_does_not_wait_for_an_answer(
    operator_client,  # noqa: ANN001
    session,  # noqa: ANN001
) -> None:
    ticket = stored_ticket(session, status="verified")
    assert (
        'name="await"' not in operator_client.get(f"/console/tickets/{ticket.tracking_number}").text
    )
    refused = act(operator_client, ticket, "reply", text="Mohon ditunggu ya", **{"await": "1"})
    assert "tidak menunggu keterangan" in flashed(operator_client, refused)
    session.expire_all()
    assert session.get(Ticket, ticket.id).status == "verified"
    assert [e for e in events_of(session, ticket) if e.kind == "operator_reply"] == []


def test_rahasia_and_anonim_are_only_ever_added(operator_client, session) -> None:  # noqa: ANN001
    ticket = stored_ticket(session, is_anonim=True)
    page = operator_client.get(f"/console/tickets/{ticket.tracking_number}").text
    assert "tidak pernah dapat dicabut" in page and 'data-action="rahasia"' in page
    removing = act(operator_client, ticket, "privacy", flag="anonim", set="0")
    assert "tidak dapat dicabut" in flashed(operator_client, removing)
    act(operator_client, ticket, "privacy", flag="rahasia", set="1")
    session.expire_all()
    marked = session.get(Ticket, ticket.id)
    assert marked.is_rahasia and marked.is_anonim
    assert act(operator_client, ticket, "privacy", flag="rahasia", set="0").status_code == 302
    session.expire_all()
    assert session.get(Ticket, ticket.id).is_rahasia
    privacy = [e for e in events_of(session, ticket) if e.kind == "privacy"]
    assert [(e.actor, e.data["flag"]) for e in privacy] == [("operator:ratna", "rahasia")]


def test_flag_and_unflag_for_attention_are_events(operator_client, session) -> None:  # noqa: ANN001
    ticket = stored_ticket(session, status="verified")
    act(operator_client, ticket, "flag", flag="abuse", note="kata-kata kasar")
    session.expire_all()
    assert session.get(Ticket, ticket.id).flag == "abuse"
    assert "flash error" in flashed(operator_client, act(operator_client, ticket, "flag", flag="x"))
    act(operator_client, ticket, "flag", flag="")
    session.expire_all()
    assert session.get(Ticket, ticket.id).flag is None
    kinds = [(e.kind, e.actor) for e in events_of(session, ticket)]
    assert kinds == [("flagged", "operator:ratna"), ("unflagged", "operator:ratna")]


def test_reroute_sends_a_forwarded_ticket_to_another_agency_with_a_reason(
    operator_client,  # noqa: ANN001
    session,  # noqa: ANN001
    run_worker,  # noqa: ANN001
    agency_code: str,
) -> None:
    ticket = stored_ticket(session, status="dispatched", agency_code="35.78-DINSOS")
    missing = act(operator_client, ticket, "reroute", agency=agency_code)
    assert "perlu alasan" in flashed(operator_client, missing)
    unknown = act(operator_client, ticket, "reroute", agency="BUKAN-INSTANSI", reason="salah")
    assert "tidak ada di direktori" in flashed(operator_client, unknown)
    moved = act(operator_client, ticket, "reroute", agency=agency_code, reason="wewenang kota")
    assert moved.status_code == 302
    run_worker()
    session.expire_all()
    ticket = session.get(Ticket, ticket.id)
    assert ticket.agency_code == agency_code and ticket.status == "dispatched"
    assert session.scalars(
        select(Dispatch).where(Dispatch.ticket_id == ticket.id, Dispatch.agency_code == agency_code)
    ).one()
    steps = [e.to_status for e in events_of(session, ticket) if e.to_status]
    assert steps[-3:] == ["transferred", "verified", "dispatched"]


def test_actions_the_lifecycle_forbids_are_refused_with_a_message_not_a_500(
    operator_client,  # noqa: ANN001
    session,  # noqa: ANN001
    agency_code: str,
) -> None:
    closed = stored_ticket(session, status="closed", agency_code=agency_code)
    for action, form in (
        ("verify", {"agency": agency_code}),
        ("reclassify", {"category": "SOSIAL DAN KESEJAHTERAAN"}),
        ("reroute", {"agency": "35.78-DINSOS", "reason": "salah"}),
        ("reject", {"reason": "spam"}),
        ("reply", {"text": "halo"}),
    ):
        page = flashed(operator_client, act(operator_client, closed, action, **form))
        assert "flash error" in page, action
    assert operator_client.get("/console/tickets/1234567890").status_code == 404
    assert operator_client.get("/console/tickets/bukan-nomor").status_code == 404


def test_actions_without_csrf_token_are_refused(operator_client, session) -> None:  # noqa: ANN001
    ticket = stored_ticket(session, needs_triage=True)
    path = f"/console/tickets/{ticket.tracking_number}"
    for action, form in (
        ("reject", {"reason": "spam"}),
        ("flag", {"flag": "abuse"}),
        ("privacy", {"flag": "rahasia", "set": "1"}),
    ):
        assert operator_client.post(f"{path}/{action}", data=form).status_code == 400
    session.expire_all()
    unchanged = session.get(Ticket, ticket.id)
    assert unchanged.status == "received" and unchanged.flag is None and not unchanged.is_rahasia


def test_segment_counter_in_the_browser_counts_like_the_server() -> None:
    import json
    import shutil
    import subprocess
    from pathlib import Path

    import pytest

    from sms_gateway.sms.encoding import measure, to_gsm7

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = Path(__file__).parents[2] / "sms_gateway/static/js/ticket.js"
    harness = (
        "const fs = require('fs');"
        "let src = fs.readFileSync(process.argv[1], 'utf8').replace("
        '/document\\.addEventListener\\("DOMContentLoaded"[^\\n]*\\n/,'
        " 'globalThis.t = {toGsm7: toGsm7, measure: measure};\\n');"
        "eval(src);"
        "const texts = JSON.parse(fs.readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(texts.map(x => {"
        " const m = t.measure(t.toGsm7(x.trim())); return [m.encoding, m.units, m.segments]; })));"
    )
    texts = [
        "lampu jalan mati",
        "a" * 160,
        "a" * 161,
        "[kurung]{kurawal}" * 10,
        "“kutip” — ya…",
        "Terima kasih 🙏",
        "é" * 200,
        "ü" * 70 + "😀",
        "€" * 81,
        "\n".join(["baris"] * 40),
    ]
    ran = subprocess.run(
        [node, "-e", harness, str(script)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    expected = [list(measure(to_gsm7(t.strip())).__dict__.values()) for t in texts]
    assert json.loads(ran.stdout) == expected
