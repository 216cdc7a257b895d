"""The agency's tickets most urgent first: the same order and pages as a plain sort of them.

Open tickets come first, by earliest due date, then open ones without a due date, then done
ones (the same way); ties go to urgent tickets, then to the newest. The query reads ordered
index ranges (one per status, with and without a due date); these tests hold it to a sort
written out in Python over the same tickets, page by page and tab by tab.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from sms_gateway import agency_tickets, tracking
from sms_gateway.models import Agency, Ticket, utcnow

NOW = utcnow()
TICKET = re.compile(r'<tr data-ticket="(\d+)"')


def _ticket(session, agency: str | None, status: str, **values) -> Ticket:  # noqa: ANN001, ANN003
    values.setdefault("text", "Lampu jalan di gang mawar mati sejak minggu lalu")
    ticket = Ticket(
        tracking_number=tracking.generate(), agency_code=agency, status=status, **values
    )
    session.add(ticket)
    return ticket


def _due(hours: float) -> dict:
    """A running response clock due ``hours`` from now (negative: already late)."""
    return {"sla_clock": "response", "sla_due_at": NOW + timedelta(hours=hours)}


def _other_agency(session, agency: str) -> str:  # noqa: ANN001
    return session.scalars(
        select(Agency.code).where(Agency.code != agency).order_by(Agency.code).limit(1)
    ).one()


def _most_urgent_first(tickets: list[Ticket]) -> list[int]:
    """The urgent order, written out: the reference the query must match."""
    earliest = datetime.min.replace(tzinfo=UTC)
    return [
        t.id
        for t in sorted(
            tickets,
            key=lambda t: (
                t.status in agency_tickets.DONE,
                t.sla_due_at is None,
                t.sla_due_at or earliest,
                not t.is_urgent,
                -t.id,
            ),
        )
    ]


@pytest.fixture
def every_situation(seeded, session, agency_code: str) -> list[Ticket]:  # noqa: ANN001
    """The agency's visible tickets in every situation, among tickets it must not see."""
    mine = [
        # open, with due dates: late ones first; three due at the same moment (urgent first,
        # then the newest), one more urgent tie a day later
        _ticket(session, agency_code, "dispatched", **_due(-30)),
        _ticket(session, agency_code, "dispatched", **_due(5)),
        _ticket(session, agency_code, "dispatched", is_urgent=True, **_due(5)),
        _ticket(session, agency_code, "dispatched", **_due(5)),
        _ticket(session, agency_code, "dispatched", is_urgent=True, **_due(29)),
        _ticket(session, agency_code, "dispatched", is_urgent=True, **_due(29)),
        _ticket(session, agency_code, "dispatched", **_due(70)),
        # responded before the sweep stopped its clock: still dated, among the dispatched
        _ticket(session, agency_code, "responded", **_due(2)),
        _ticket(session, agency_code, "responded", is_urgent=True, **_due(29)),
        # a due date but no clock (set by hand): ordered by the date all the same
        _ticket(session, agency_code, "dispatched", sla_due_at=NOW + timedelta(hours=3)),
        # open without a due date: responded ones, one dispatched before its clock started
        _ticket(session, agency_code, "responded"),
        _ticket(session, agency_code, "responded", is_urgent=True),
        _ticket(session, agency_code, "responded"),
        _ticket(session, agency_code, "dispatched"),
        _ticket(session, agency_code, "dispatched", is_urgent=True),
        # done: resolved before the sweep stopped its clock (dated), then the rest
        _ticket(session, agency_code, "resolved", **_due(-50)),
        _ticket(session, agency_code, "closed", is_urgent=True, **_due(1)),
        _ticket(session, agency_code, "resolved"),
        _ticket(session, agency_code, "closed"),
        _ticket(session, agency_code, "resolved", is_urgent=True),
        _ticket(session, agency_code, "closed", is_urgent=True),
        _ticket(session, agency_code, "resolved"),
        _ticket(session, agency_code, "closed"),
    ]
    other = _other_agency(session, agency_code)
    # none of these is the agency's to see, however urgent
    _ticket(session, other, "dispatched", is_urgent=True, **_due(-100))
    _ticket(session, other, "responded", is_urgent=True)
    _ticket(session, other, "closed")
    _ticket(session, None, "transferred", is_urgent=True)
    for status in ("received", "needs_info", "verified", "rejected", "withdrawn", "transferred"):
        _ticket(session, agency_code, status, is_urgent=True, **_due(-200))
    session.commit()
    return mine


@pytest.mark.parametrize("status", [None, *agency_tickets.VISIBLE])
def test_urgent_order_pages_through_the_agencys_tickets_as_a_plain_sort_would(
    session, agency_code, every_situation, status
):
    shown = [t for t in every_situation if status in (None, t.status)]
    expected = _most_urgent_first(shown)
    per_page = 4
    pages = []
    for page in range(1, len(expected) // per_page + 3):  # and one or two pages past the end
        found = agency_tickets.page_of(
            session, agency_code, status=status, order="urgent", page=page, per_page=per_page
        )
        assert [t.id for t in found] == expected[(page - 1) * per_page : page * per_page], page
        pages.append([t.id for t in found])
    assert sum(pages, []) == expected
    one_page = agency_tickets.page_of(
        session, agency_code, status=status, order="urgent", per_page=len(expected) + 5
    )
    assert [t.id for t in one_page] == expected


def test_urgent_order_puts_late_and_urgent_tickets_before_the_rest(
    session, agency_code, every_situation
):
    found = agency_tickets.page_of(session, agency_code, order="urgent", per_page=100)
    late, *_ = found
    assert late.sla_due_at < NOW and late.status == "dispatched"
    tied = [t for t in found if t.sla_due_at == NOW + timedelta(hours=5)]
    assert [t.is_urgent for t in tied] == [True, False, False]
    assert tied[1].id > tied[2].id  # then the newest
    statuses = [t.status for t in found]
    first_done = min(statuses.index(s) for s in agency_tickets.DONE)
    assert not set(statuses[:first_done]) & set(agency_tickets.DONE)
    assert set(statuses[first_done:]) <= set(agency_tickets.DONE)


def test_a_status_an_agency_never_sees_has_no_urgent_page(session, agency_code, every_situation):
    for status in ("received", "transferred", "no-such-status"):
        assert agency_tickets.page_of(session, agency_code, status=status, order="urgent") == []


def test_portal_shows_the_urgent_order_fifty_a_page(seeded, session, agency_code, officer_client):
    statuses = agency_tickets.VISIBLE
    tickets = [
        _ticket(
            session,
            agency_code,
            statuses[i % 4],
            is_urgent=i % 7 == 0,
            **(_due(i % 5 * 10 - 20) if i % 3 else {}),  # a few due dates, shared: ties
        )
        for i in range(63)
    ]
    session.commit()
    numbers = {t.id: t.tracking_number for t in tickets}
    expected = [numbers[i] for i in _most_urgent_first(tickets)]

    def listed(query: str) -> list[str]:
        page = officer_client.get(f"/agency/?order=urgent{query}")
        assert page.status_code == 200
        return TICKET.findall(page.get_data(as_text=True))

    assert listed("") == expected[:50]
    assert listed("&page=2") == expected[50:]
    dispatched = [numbers[i] for i in _most_urgent_first(tickets[::4])]
    assert listed("&status=dispatched") == dispatched


def test_urgent_page_reads_ordered_index_ranges_on_postgresql(
    session, agency_code, every_situation
):
    engine = session.get_bind()
    if engine.dialect.name != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL")
    session.connection().exec_driver_sql("ANALYZE tickets")
    session.commit()
    captured = []

    def keep(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        agency_tickets.page_of(session, agency_code, order="urgent", page=2, per_page=4)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    session.rollback()
    ((statement, parameters),) = captured
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few dozen rows: a scan is cheaper
        cursor.execute("EXPLAIN " + statement, parameters)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        raw.rollback()
    finally:
        raw.close()
    # one ordered range per status, with and without a due date; the page's rows by primary key
    assert plan.count("Index Only Scan using ix_tickets_agency_order") == 4, plan
    assert plan.count("Index Only Scan Backward using ix_tickets_agency_order") == 4, plan
    assert "Index Scan using pk_tickets" in plan, plan
    assert not re.search(r"(Seq Scan|Bitmap Heap Scan) on tickets\b", plan), plan
