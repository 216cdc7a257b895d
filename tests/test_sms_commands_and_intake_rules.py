"""What citizens really text, through the signed webhook: commands, privacy, emergencies, splits."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import redis
from sqlalchemy import func, select, update

from sms_gateway import activity, intake, lifecycle
from sms_gateway.activity import Limits
from sms_gateway.intake import IncomingSms
from sms_gateway.models import Citizen, InboundMessage, Ticket, TicketEvent
from sms_gateway.sms.encoding import measure
from tests.support.twilio_client import Phone, new_sid, sms_form
from tests.test_intake_webhook import number_in, reply_of
from workers.queues import INTAKE_LISTS, Enqueuer

OTHER = "+6285611122233"
LIMITS = Limits(per_minute=2, per_hour=4)


def fits(reply: str, segments: int = 1) -> None:
    encoded = measure(reply)
    assert encoded.encoding == "GSM-7" and encoded.segments <= segments, (reply, encoded)


def ticket_of(session, number: str) -> Ticket:  # noqa: ANN001
    session.expire_all()
    return session.execute(select(Ticket).where(Ticket.tracking_number == number)).scalar_one()


def test_help_lists_the_commands_in_two_segments_at_most(phone):
    for word in ("BANTUAN", "help", "Bantuan dong"):
        reply = reply_of(phone.text(word))
        assert "CEK" in reply and "BATAL" in reply and "RAHASIA" in reply
        fits(reply, 2)


def test_command_word_inside_a_complaint_opens_a_ticket(phone, session):
    for body in (
        "statusnya belum jelas sampai skrg, jalan tetap rusak",
        "cek jalan di depan rumah rusak parah bnyk lubang",
    ):
        phone.number = f"+62812555{len(body):04d}"
        number_in(reply_of(phone.text(body)))
    assert session.scalar(select(func.count()).select_from(Ticket)) == 2


def test_info_adds_detail_only_from_the_number_that_filed_it(phone, client, session):
    number = number_in(reply_of(phone.text("saluran air depan sdn 4 mampet")))
    reply = reply_of(phone.text(f"INFO {number} lokasinya samping masjid al ikhlas"))
    assert "tambahan" in reply.lower()
    fits(reply)
    ticket = ticket_of(session, number)
    assert "samping masjid" in ticket.text
    assert (
        session.scalar(
            select(func.count()).select_from(TicketEvent).where(TicketEvent.kind == "citizen_info")
        )
        == 1
    )
    stranger = Phone(client, phone.token, OTHER)
    assert "tidak ditemukan" in reply_of(stranger.text(f"INFO {number} ini laporan palsu"))
    assert "palsu" not in ticket_of(session, number).text


def test_batal_withdraws_once_and_is_recorded(phone, session):
    number = number_in(reply_of(phone.text("parkir liar di trotoar pasar baru tiap sore")))
    assert "dibatalkan" in reply_of(phone.text(f"batal {number}"))
    ticket = ticket_of(session, number)
    assert ticket.status == "withdrawn"
    assert "tidak bisa dibatalkan" in reply_of(phone.text(f"BATAL {number}"))
    kinds = (
        session.execute(select(TicketEvent.to_status).where(TicketEvent.ticket_id == ticket.id))
        .scalars()
        .all()
    )
    assert kinds == ["received", "withdrawn"]


def test_nilai_only_after_resolution(phone, session):
    number = number_in(reply_of(phone.text("puskesmas tutup jam 10 padahal jadwal sampai 14")))
    assert "belum bisa dinilai" in reply_of(phone.text(f"NILAI {number} 5"))
    ticket = ticket_of(session, number)
    for status in ("verified", "dispatched", "responded", "resolved"):
        lifecycle.move(session, ticket, status, actor="operator:test")
    session.commit()
    reply = reply_of(phone.text(f"nilai {number} 4 cepat ditangani makasih"))
    assert "nilai 4" in reply
    ticket = ticket_of(session, number)
    assert (ticket.rating, ticket.rating_comment) == (4, "cepat ditangani makasih")


def test_stop_and_mulai_switch_status_sms_and_bahasa_switches_language(phone, session):
    assert "tidak akan mengirim" in reply_of(phone.text("STOP"))
    assert session.execute(select(Citizen.opted_out)).scalar_one() is True
    assert "aktif kembali" in reply_of(phone.text("mulai"))
    assert session.execute(select(Citizen.opted_out)).scalar_one() is False
    assert "English" in reply_of(phone.text("BAHASA EN"))
    reply = reply_of(phone.text("jalan rusak di depan balai desa"))
    assert reply.startswith("LAPOR! 1708: Your report is received")


def test_english_complaint_gets_english_reply(phone):
    reply = reply_of(phone.text("the street light in front of my house has been broken for weeks"))
    assert "Your report is received" in reply


def test_rahasia_and_anonim_are_set_at_intake_and_removed_from_the_text(phone, client, session):
    number = number_in(
        reply_of(phone.text("RAHASIA: kepala desa minta uang 500rb utk tanda tangan"))
    )
    ticket = ticket_of(session, number)
    assert (ticket.is_rahasia, ticket.is_anonim) == (True, False)
    assert ticket.text.startswith("kepala desa minta uang")
    second = Phone(client, phone.token, OTHER)
    number = number_in(reply_of(second.text("anonim rahasia guru honorer dipotong gajinya")))
    ticket = ticket_of(session, number)
    assert (ticket.is_rahasia, ticket.is_anonim) == (True, True)
    assert ticket.text == "guru honorer dipotong gajinya"


def test_privacy_word_in_the_middle_sets_nothing(phone, session):
    number = number_in(reply_of(phone.text("data rahasia warga bocor dr kantor kelurahan")))
    ticket = ticket_of(session, number)
    assert not ticket.is_rahasia and not ticket.is_anonim


def test_emergency_points_to_112_and_is_urgent(phone, app, session):
    response = phone.text("tolong ada kebakaran rumah warga sekarang di gang 5 rt 2, api besar")
    reply = reply_of(response)
    assert "112" in reply
    fits(reply)
    ticket = ticket_of(session, number_in(reply))
    assert ticket.is_urgent and ticket.emergency_kind == "fire"
    assert app.extensions["redis"].llen(INTAKE_LISTS[0]) == 1  # the urgent list


def test_split_message_is_appended_and_gets_no_second_number(phone, session):
    first = reply_of(phone.text("jalan desa sumberrejo rusak parah sejak musim hujan, lubang"))
    second = reply_of(phone.text("sebesar ban truk dan sdh ada 2 motor jatuh minggu ini"))
    number = number_in(first)
    assert "gabungkan ke laporan" in second and number_in(second) == number_in(first)
    assert session.scalar(select(func.count()).select_from(Ticket)) == 1
    assert ticket_of(session, number).text.endswith("2 motor jatuh minggu ini")
    kinds = session.execute(select(InboundMessage.kind).order_by(InboundMessage.id)).scalars()
    assert list(kinds) == ["complaint", "continuation"]


def test_same_complaint_twice_in_a_day_answers_the_same_number(phone, session):
    text = "air pdam tidak mengalir 3 hari di perumahan griya asri blok c"
    first = number_in(reply_of(phone.text(text)))
    again = reply_of(phone.text("Air PDAM tidak mengalir 3 hari di perumahan griya asri blok C!"))
    assert number_in(again) == first and "sudah tercatat" in again
    assert session.scalar(select(func.count()).select_from(Ticket)) == 1


def test_flooding_number_is_stored_but_not_answered_and_flagged(phone, session):
    replies = [
        phone.text(f"tes {i} halo halo apakah ini robot").get_data(as_text=True) for i in range(9)
    ]
    assert "<Message>" in replies[0]
    assert all("<Message>" not in r for r in replies[6:])
    assert session.scalar(select(func.count()).select_from(InboundMessage)) == 9
    citizen = session.execute(select(Citizen)).scalar_one()
    assert citizen.flagged and "too many" in citizen.flagged_reason


def test_merging_and_throttling_need_no_redis(phone, app, session, monkeypatch):
    dead = Enqueuer(redis.Redis(port=1, socket_connect_timeout=0.2), pause_after_failure=60)
    monkeypatch.setitem(app.extensions, "enqueuer", dead)
    first = reply_of(phone.text("banjir setinggi lutut di jl kenanga belum surut"))
    second = reply_of(phone.text("sdh 2 hari, warga mengungsi ke balai desa"))
    assert "gabungkan ke laporan" in second and number_in(second) == number_in(first)
    assert session.scalar(select(func.count()).select_from(Ticket)) == 1


def test_retried_webhook_is_not_counted_again(phone, session):
    form = sms_form("lampu jalan mati di gang melati", sender=phone.number)
    for _ in range(3):
        phone.post(form)
    citizen = session.execute(select(Citizen)).scalar_one()
    assert (citizen.sms_in_minute, citizen.sms_in_hour) == (1, 1)


def receive_at(session, body: str, at: datetime, limits: Limits = LIMITS):  # noqa: ANN001, ANN201
    sms = IncomingSms("twilio", new_sid(), "+6281234567890", "1708", body, at)
    result = intake.receive(session, sms, limits=limits)
    session.commit()
    return result


def test_throttle_counts_each_minute_and_hour_on_its_own(session):
    start = datetime(2026, 3, 2, 8, 0, 5, tzinfo=UTC)
    kinds = [receive_at(session, f"STATUS {i}", start).kind for i in range(3)]
    assert kinds == ["command", "command", "throttled"]
    assert receive_at(session, "STATUS 4", start + timedelta(minutes=1)).kind == "command"
    for i in range(2):
        receive_at(session, f"STATUS {i}", start + timedelta(minutes=2 + i))
    assert receive_at(session, "STATUS 9", start + timedelta(minutes=5)).kind == "throttled"
    assert receive_at(session, "STATUS 9", start + timedelta(hours=1)).kind == "command"
    citizen = session.execute(select(Citizen)).scalar_one()
    assert citizen.flagged and citizen.flagged_reason == activity.FLAG_REASON


def test_a_complaint_after_the_continuation_window_opens_its_own_ticket(session):
    start = datetime(2026, 3, 2, 8, 0, 5, tzinfo=UTC)
    first = receive_at(session, "jalan rusak di desa sukamaju", start)
    later = start + timedelta(seconds=LIMITS.continuation_seconds + 1)
    second = receive_at(session, "lampu jalan mati di desa sukamaju", later)
    assert first.opened and second.opened and first.tracking_number != second.tracking_number
    again = receive_at(session, "Lampu jalan mati di desa Sukamaju!", later + timedelta(hours=2))
    assert again.kind == "duplicate" and again.tracking_number == second.tracking_number
    citizen = session.execute(select(Citizen)).scalar_one()
    assert citizen.last_complaint_number == second.tracking_number


def _waits_for_its_place(session, number: str, since: datetime) -> None:  # noqa: ANN001
    """As the worker leaves a ticket whose place it asked the citizen for."""
    session.execute(
        update(Ticket)
        .where(Ticket.tracking_number == number)
        .values(status="needs_info", updated_at=since)
    )
    session.commit()


def test_a_plain_answer_to_the_question_where_is_added_to_the_ticket_that_asked(session):
    start = datetime(2026, 3, 2, 8, 0, 5, tzinfo=UTC)
    first = receive_at(session, "jln depan sd berlubang gede, motor sering jatuh", start)
    _waits_for_its_place(session, first.tracking_number, start + timedelta(seconds=1))
    answer = receive_at(session, "di desa karangsari kec kalimanah", start + timedelta(hours=9))
    assert answer.kind == "info" and not answer.opened
    assert answer.tracking_number == first.tracking_number
    assert "Keterangan tambahan" in answer.reply
    fits(answer.reply)
    ticket = ticket_of(session, first.tracking_number)
    assert ticket.text.endswith("\n[INFO] di desa karangsari kec kalimanah")
    message = session.get(InboundMessage, answer.inbound_id)
    assert (message.kind, message.ticket_id) == ("info", ticket.id)  # the worker reads it again
    assert session.scalar(select(func.count()).select_from(Ticket)) == 1


def test_a_ticket_that_waited_days_an_emergency_or_the_same_complaint_again_is_no_answer(session):
    start = datetime(2026, 3, 2, 8, 0, 5, tzinfo=UTC)
    first = receive_at(session, "jln depan sd berlubang gede, motor sering jatuh", start)
    _waits_for_its_place(session, first.tracking_number, start)
    again = receive_at(
        session, "Jln depan SD berlubang gede, motor sering jatuh!", start + timedelta(hours=1)
    )
    assert again.kind == "duplicate" and again.tracking_number == first.tracking_number
    fire = receive_at(
        session, "tolong ada kebakaran rumah di gg melati", start + timedelta(hours=2)
    )
    assert fire.opened and fire.urgent and fire.tracking_number != first.tracking_number
    _waits_for_its_place(session, first.tracking_number, start)  # the emergency was the last one
    late = start + timedelta(seconds=activity.DETAILS_WINDOW_SECONDS + 1)
    other = receive_at(session, "lampu jalan mati di desa sukamaju", late)
    assert other.kind == "complaint" and other.opened
    assert ticket_of(session, first.tracking_number).text.count("[INFO]") == 0


def test_a_replayed_spool_is_neither_counted_nor_merged(session):
    start = datetime(2026, 3, 2, 8, 0, 5, tzinfo=UTC)
    receive_at(session, "jalan rusak di desa sukamaju", start)
    replayed = receive_at(session, "lubangnya dalam sekali", start, limits=None)
    assert replayed.kind == "complaint" and replayed.opened
    citizen = session.execute(select(Citizen)).scalar_one()
    assert (citizen.sms_in_minute, citizen.sms_in_hour) == (1, 1)


def test_two_parts_arriving_together_are_decided_in_turn(app, session):
    start = datetime(2026, 3, 2, 8, 0, 5, tzinfo=UTC)
    receive_at(session, "BANTUAN", start - timedelta(hours=2))  # the number is known
    db = app.extensions["db"]
    done: list = []

    def second_part() -> None:
        with db.scope() as other:
            sms = IncomingSms(
                "twilio", new_sid(), "+6281234567890", "1708", "lubangnya sebesar ban truk", start
            )
            done.append(intake.take(other, sms, limits=LIMITS))

    first = intake.receive(
        session,
        IncomingSms("twilio", new_sid(), "+6281234567890", "1708", "jalan desa rusak parah", start),
        limits=LIMITS,
    )
    waiting = threading.Thread(target=second_part)
    waiting.start()
    waiting.join(0.5)
    assert waiting.is_alive() and not done  # the number's row is held by the first part
    session.commit()
    waiting.join(10)
    assert done[0].kind == "continuation" and done[0].tracking_number == first.tracking_number
    assert session.scalar(select(func.count()).select_from(Ticket)) == 1
