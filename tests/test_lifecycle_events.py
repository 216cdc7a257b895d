"""A ticket's history: events appended together keep their order and answer their own ids."""

from __future__ import annotations

from sqlalchemy import select

from sms_gateway import lifecycle
from sms_gateway.models import Ticket, TicketEvent


def test_events_appended_together_keep_their_order_and_ids(phone, session):
    phone.text("sampah di pinggir jln raya menumpuk sdh 2 minggu, bau sekali")
    ticket = session.execute(select(Ticket)).scalar_one()
    kinds = ["note", "analysed", "note", "reminder", "note"]
    rows = [
        lifecycle.event(ticket.id, kind, actor="system", data={"n": n})
        for n, kind in enumerate(kinds)
    ]
    ids = lifecycle.record_all(session, rows)
    session.commit()
    stored = {
        e.id: (e.kind, e.data["n"])
        for e in session.execute(select(TicketEvent).where(TicketEvent.id.in_(ids))).scalars()
    }
    assert [stored[i] for i in ids] == [(kind, n) for n, kind in enumerate(kinds)]
    assert ids == sorted(ids)


def test_a_move_appends_what_precedes_it_and_answers_its_own_event(phone, session):
    phone.text("lampu pju di gang kenari mati total, jalan gelap gulita")
    ticket = session.execute(select(Ticket)).scalar_one()
    before = lifecycle.event(ticket.id, "analysed", actor="system", reason="tes")
    change = lifecycle.move(
        session, ticket, "verified", actor="system", kind="routed", preceded_by=(before,)
    )
    session.commit()
    history = session.execute(
        select(TicketEvent.id, TicketEvent.kind, TicketEvent.to_status)
        .where(TicketEvent.ticket_id == ticket.id)
        .order_by(TicketEvent.id)
    ).all()
    assert [(e.kind, e.to_status) for e in history] == [
        ("created", "received"),
        ("analysed", None),
        ("routed", "verified"),
    ]
    assert change.event_id == history[-1].id
    assert ticket.status == "verified"
