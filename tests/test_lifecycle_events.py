"""A ticket's history: events appended together keep their order and answer their own ids."""

from __future__ import annotations

from sqlalchemy import bindparam, event, select, update

from sms_gateway import lifecycle
from sms_gateway.models import Citizen, Ticket, TicketEvent


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


def test_a_move_writes_the_columns_it_carries_with_its_events(phone, session, app):
    phone.text("jembatan kayu di dusun krajan ambruk, anak sekolah tdk bisa lewat")
    ticket = session.execute(select(Ticket)).scalar_one()
    sent: list[str] = []
    engine = session.get_bind()

    def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001, ANN002
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        change = lifecycle.move(
            session,
            ticket,
            "verified",
            actor="system",
            kind="routed",
            preceded_by=(lifecycle.event(ticket.id, "analysed", actor="system"),),
            also={"category": "infrastruktur", "needs_triage": False, "routing": {"rule": "t"}},
        )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # The ticket in memory is what was written: nothing left for the ORM to flush.
    assert not session.is_modified(ticket)
    assert (ticket.status, ticket.category, ticket.routing) == (
        "verified",
        "infrastruktur",
        {"rule": "t"},
    )
    # One statement on PostgreSQL (the update and the events together); elsewhere the ticket's
    # one UPDATE, then the events.
    if engine.dialect.name == "postgresql":
        assert len(sent) == 1
    else:
        assert [s.startswith("UPDATE tickets") for s in sent] == [True] + [False] * (len(sent) - 1)
    session.commit()
    session.expire_all()
    stored = session.get(Ticket, ticket.id)
    assert (stored.status, stored.category, stored.routing) == (
        "verified",
        "infrastruktur",
        {"rule": "t"},
    )
    assert stored.verified_at is not None
    last = (
        session.execute(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket.id)
            .order_by(TicketEvent.id.desc())
        )
        .scalars()
        .first()
    )
    assert (last.id, last.kind, last.from_status) == (change.event_id, "routed", "received")


# A move guarded by another row's change: the flag of the ticket's citizen, set only once.
_FLAG_ONCE = (
    update(Citizen.__table__)
    .where(Citizen.__table__.c.id == bindparam("who"), Citizen.__table__.c.flagged.is_(False))
    .values(flagged=True, flagged_reason="uji")
    .returning(Citizen.__table__.c.id)
)


def test_a_guarded_move_happens_only_with_its_guard_and_all_of_it_or_nothing(phone, session):
    phone.text("saluran air depan sdn 2 mampet, tiap hujan banjir sampai ke kelas")
    ticket = session.execute(select(Ticket)).scalar_one()
    guard = (_FLAG_ONCE, {"who": ticket.citizen_id})
    first = lifecycle.move(session, ticket, "verified", actor="system", kind="routed", guard=guard)
    session.commit()
    assert first is not None and ticket.status == "verified"
    # The guard matches no row now: the ticket stays, no event is written, None says so.
    second = lifecycle.move(session, ticket, "rejected", actor="op", reason="uji", guard=guard)
    session.commit()
    assert second is None
    session.expire_all()
    stored = session.get(Ticket, ticket.id)
    history = session.execute(
        select(TicketEvent.kind, TicketEvent.to_status).where(TicketEvent.ticket_id == ticket.id)
    ).all()
    assert stored.status == "verified"
    assert ("routed", "verified") in history
    assert all(to != "rejected" for _, to in history)
    assert session.get(Citizen, ticket.citizen_id).flagged is True
