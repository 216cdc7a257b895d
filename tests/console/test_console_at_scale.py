"""The console's queries rewritten for 1,000,000 tickets give the same answers, and use their indexes.

The plan checks run on PostgreSQL only: with sequential scans switched off, a query whose
condition does not match its partial index falls back to another index or a scan of tickets.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from sms_gateway import search, tracking, triage
from sms_gateway.models import Agency, Ticket, utcnow
from sms_gateway.reports import sla_board

STAT = re.compile(r'<div class="stat">(\d+)<small>([^<]+)</small>')


def _ticket(session, **values) -> Ticket:  # noqa: ANN001, ANN003
    values.setdefault("text", "Jalan di depan pasar berlubang dan tergenang setiap hujan")
    values.setdefault("created_at", utcnow())
    ticket = Ticket(tracking_number=tracking.generate(), **values)
    session.add(ticket)
    session.commit()
    return ticket


def _agencies(session, n: int) -> list[str]:  # noqa: ANN001
    query = select(Agency.code).where(Agency.parent_code.is_not(None)).order_by(Agency.code)
    return list(session.scalars(query.limit(n)))


def test_overview_counts_open_tickets_waiting_for_triage_and_overdue_ones(
    seeded, session, operator_client
):
    now = utcnow()
    _ticket(session, status="received", needs_triage=True)
    _ticket(session, status="transferred", needs_triage=True)
    _ticket(session, status="closed", needs_triage=True)  # done: waits for no one
    _ticket(session, status="received", needs_triage=False)
    _ticket(session, status="dispatched", overdue_since=now - timedelta(days=1))
    _ticket(session, status="resolved", overdue_since=now - timedelta(days=2))  # done

    page = operator_client.get("/console/")
    assert page.status_code == 200
    stats = {label: int(n) for n, label in STAT.findall(page.get_data(as_text=True))}
    assert stats["menunggu triase"] == 2
    assert stats["terlambat (lewat SLA)"] == 1
    assert stats["tiket terbuka"] == 4


def test_sla_board_lists_late_tickets_first_then_due_soon_ones_at_most_eight_an_agency(
    seeded, session
):
    busy, quiet = _agencies(session, 2)
    now = utcnow()
    late, soon = {}, {}

    def clocked(agency: str | None, due_hours: float, overdue: bool, **values) -> str:  # noqa: ANN003
        due = now + timedelta(hours=due_hours)
        values.setdefault("status", "dispatched" if agency else "received")
        ticket = _ticket(
            session,
            agency_code=agency,
            sla_clock="response" if agency else "verification",
            sla_due_at=due,
            overdue_since=due + timedelta(minutes=5) if overdue else None,
            **values,
        )
        return ticket.tracking_number

    # busy: ten late tickets (only the eight oldest deadlines are listed) and one due soon
    late[busy] = [clocked(busy, -100 + i, overdue=True) for i in range(10)]
    soon[busy] = [clocked(busy, 3, overdue=False)]
    # quiet: two late, then due-soon ones; one is past its deadline but not flagged yet
    # (no teguran on a weekend): it still comes after the late ones
    late[quiet] = [clocked(quiet, -50, overdue=True), clocked(quiet, -2, overdue=True)]
    soon[quiet] = [clocked(quiet, h, overdue=False) for h in (-60, 1, 2, 4, 5, 6, 7)]
    # unrouted (the admin's own): one late, two due soon
    late[None] = [clocked(None, -10, overdue=True)]
    soon[None] = [clocked(None, 2, overdue=False), clocked(None, 1, overdue=False)]
    clocked(quiet, 24 * 30, overdue=False)  # due in a month: not on the board
    clocked(busy, -30, overdue=True, status="resolved")  # done: not on the board

    groups = {group.agency: group for group in sla_board.board(session, now)}
    assert list(groups) == [busy, quiet, None]  # most overdue first
    assert [t.tracking_number for t in groups[busy].tickets] == late[busy][:8]
    assert (groups[busy].overdue, groups[busy].due_soon) == (10, 1)
    assert (
        [t.tracking_number for t in groups[quiet].tickets]
        == [
            *late[quiet],
            soon[quiet][0],  # past due, not yet flagged: after the late ones, first of the rest
            *soon[quiet][1:6],
        ]
    )
    assert [t.tracking_number for t in groups[None].tickets] == [
        late[None][0],
        soon[None][1],
        soon[None][0],
    ]
    shown = groups[quiet].tickets
    assert all(t.overdue_since is not None for t in shown[:2])
    assert all(t.overdue_since is None for t in shown[2:])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lubang", {"berlubang"}),  # a substring, any case
        ("JALAN RAYA", {"berlubang"}),
        ("ab", {"50%"}),  # shorter than a trigram
        ("50%", {"50%"}),  # LIKE's wildcards are taken literally
        ("a_b", {"a_b"}),
        ("tidak ada kata ini", set()),
    ],
)
def test_text_search_finds_substrings_in_any_case(seeded, session, query, expected):
    texts = {
        "berlubang": "Jalan Raya Darmo BERLUBANG besar",
        "50%": "Harga naik 50% di pasar Kabupaten, tolong ab",
        "a_b": "kode a_b di formulir salah",
        "axb": "kode axb tidak dicari",
    }
    numbers = {_ticket(session, text=text).tracking_number: key for key, text in texts.items()}

    page = search.find(session, search.Filters(text=query))
    assert {numbers[row.tracking_number] for row in page.rows} == expected


def _plans(session, run, off: tuple[str, ...] = ("seqscan",)) -> list[tuple[str, str]]:  # noqa: ANN001
    """(statement, EXPLAIN) of every SELECT ``run`` makes, with these plan kinds switched off."""
    engine = session.get_bind()
    captured = []

    def keep(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT") and "tickets" in statement:
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    session.rollback()
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for kind in off:
            cursor.execute(f"SET LOCAL enable_{kind} = off")
        plans = []
        for statement, parameters in captured:
            cursor.execute("EXPLAIN " + statement, parameters)
            plans.append((statement, "\n".join(row[0] for row in cursor.fetchall())))
        raw.rollback()
    finally:
        raw.close()
    return plans


def _plan_of(plans: list[tuple[str, str]], *words: str) -> str:
    """The plan of the one statement containing all ``words``."""
    found = [plan for statement, plan in plans if all(w in statement for w in words)]
    assert len(found) == 1, f"{len(found)} statements with {words} in {[s for s, _ in plans]}"
    return found[0]


def test_console_queries_read_their_indexes_on_postgresql(seeded, session, operator_client):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL")
    busy = _agencies(session, 1)[0]
    now = utcnow()
    for i in range(30):
        clocked = i % 3 == 1
        _ticket(
            session,
            status=("received", "dispatched", "closed")[i % 3],
            needs_triage=i % 2 == 0,
            is_urgent=i % 5 == 0,
            agency_code=busy if clocked else None,
            sla_clock="response" if clocked else None,
            sla_due_at=now + timedelta(hours=i - 15) if clocked else None,
            overdue_since=now - timedelta(hours=1) if clocked and i < 15 else None,
        )
    session.connection().exec_driver_sql("ANALYZE tickets")
    session.commit()

    overview = _plans(session, lambda: operator_client.get("/console/"))
    assert "ix_tickets_triage" in _plan_of(overview, "count(*)", "needs_triage")
    assert "ix_tickets_overdue_status" in _plan_of(overview, "count(*)", "overdue_since")
    queues = _plans(session, lambda: (triage.counts(session), triage.page(session, "unsure")))
    assert "ix_tickets_triage" in _plan_of(queues, "count(*)", "needs_triage")
    assert "ix_tickets_triage" in _plan_of(queues, "LIMIT", "needs_triage")
    assert "ix_tickets_urgent_status" in _plan_of(queues, "count(*)", "is_urgent")
    board = _plans(session, lambda: sla_board.board(session, now))
    assert "ix_tickets_sla_agency" in _plan_of(board, "GROUP BY tickets.agency_code")
    listed = _plan_of(board, "UNION ALL")
    assert listed.count("Index Only Scan using ix_tickets_sla_agency") == 2  # late, due soon
    # a handful of rows: reading newest first and filtering is cheaper, so plain index scans
    # are switched off too; what matters is that the ILIKE can be answered from the index
    text = search.Filters(text="tidak ada")
    found = _plans(session, lambda: search.find(session, text), off=("seqscan", "indexscan"))
    assert "ix_tickets_text_trgm" in _plan_of(found, "ILIKE")
    for _, plan in overview + queues + board + found:
        assert not re.search(r"Seq Scan on tickets\b", plan), plan
