"""The SLA board and the agency league: late and soon-due tickets by agency, league figures."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from sms_gateway import tracking
from sms_gateway.models import Agency, Ticket, TicketEvent, utcnow
from sms_gateway.reports import sla_board
from sms_gateway.sla import performance

WIB = ZoneInfo("Asia/Jakarta")
SURABAYA = "35.78"


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def _agencies(session, n: int) -> list[Agency]:
    query = select(Agency).where(Agency.parent_code.is_not(None)).order_by(Agency.code)
    return list(session.scalars(query.limit(n)))


def _ticket(session, agency: str | None, status: str = "dispatched", **values) -> Ticket:
    ticket = Ticket(
        tracking_number=tracking.generate(),
        status=status,
        region_code=SURABAYA,
        agency_code=agency,
        category="Infrastruktur",
        text="Jalan di depan pasar berlubang dan tergenang setiap hujan",
        **values,
    )
    session.add(ticket)
    session.commit()
    return ticket


def _history(session, ticket: Ticket, *events: tuple[datetime, str, str]) -> None:
    for at, actor, to_status in events:
        data = {"agency": ticket.agency_code} if to_status == "dispatched" else None
        session.add(
            TicketEvent(
                ticket_id=ticket.id,
                at=at,
                actor=actor,
                kind="status",
                to_status=to_status,
                data=data,
            )
        )
    session.commit()


def test_board_shows_an_overdue_ticket_under_its_agency_and_a_due_soon_one(
    seeded, session, operator_client
):
    late_agency, busy_agency = _agencies(session, 2)
    now = utcnow()
    overdue = _ticket(
        session,
        late_agency.code,
        sla_clock="response",
        sla_due_at=now - timedelta(days=3),
        overdue_since=now - timedelta(days=2),
        dispatched_at=now - timedelta(days=10),
    )
    soon = _ticket(
        session,
        busy_agency.code,
        sla_clock="response",
        sla_due_at=now + timedelta(hours=2),
        dispatched_at=now - timedelta(days=6),
    )
    later = _ticket(
        session, busy_agency.code, sla_clock="response", sla_due_at=now + timedelta(days=20)
    )
    finished = _ticket(session, late_agency.code, status="resolved")

    page = operator_client.get("/console/sla")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    groups = re.findall(r'data-agency="([^"]*)"', html.split('id="liga"')[0])
    assert groups == [late_agency.code, busy_agency.code]  # the agency with a late ticket first
    late_part, soon_part = html.split(f'data-agency="{busy_agency.code}"', 1)
    assert f'data-ticket="{overdue.tracking_number}" class="overdue"' in late_part
    assert f'data-ticket="{soon.tracking_number}" class="due-soon"' in soon_part
    assert later.tracking_number not in html and finished.tracking_number not in html
    assert late_agency.name in html


def test_an_unrouted_ticket_late_for_verification_is_the_admins_own(seeded, session):
    now = utcnow()
    ticket = _ticket(
        session,
        None,
        status="received",
        sla_clock="verification",
        sla_due_at=now - timedelta(hours=5),
        overdue_since=now - timedelta(hours=4),
    )
    [group] = sla_board.board(session, now)
    assert group.agency is None and group.overdue == 1 and group.due_soon == 0
    assert [t.tracking_number for t in group.tickets] == [ticket.tracking_number]


def _small_history(session) -> tuple[str, str, datetime]:
    fast, slow = (a.code for a in _agencies(session, 2))
    answer = f"agency:{fast}"
    t1 = _ticket(session, fast, status="responded")
    _history(session, t1, (wib(2025, 9, 1, 9), "system", "dispatched"))
    _history(session, t1, (wib(2025, 9, 3, 9), answer, "responded"))  # 2 working days
    t2 = _ticket(session, fast, status="resolved")
    _history(session, t2, (wib(2025, 9, 1, 9), "system", "dispatched"))
    _history(session, t2, (wib(2025, 9, 15, 9), answer, "resolved"))  # 9 (5 Sep is a holiday)
    t3 = _ticket(session, fast, status="transferred")
    _history(session, t3, (wib(2025, 9, 2, 9), "system", "dispatched"))
    _history(session, t3, (wib(2025, 9, 4, 9), answer, "transferred"))  # ends uncounted
    t4 = _ticket(
        session,
        slow,
        sla_clock="response",
        sla_due_at=wib(2025, 9, 9),
        overdue_since=wib(2025, 9, 9, 0, 5),
    )
    _history(session, t4, (wib(2025, 9, 1, 9), "system", "dispatched"))  # never answered
    return fast, slow, wib(2025, 10, 1, 10)


def test_league_figures_on_a_small_history_are_the_known_answers(seeded, session):
    fast, slow, now = _small_history(session)
    report = {row["agency"]: row for row in sla_board.league(session, now, days=90)}
    assert set(report) == {fast, slow}
    assert report[fast]["dispatched"] == 3 and report[fast]["answered"] == 2
    assert report[fast]["median_days"] == pytest.approx(5.5)  # 2 and 9 working days
    assert report[fast]["on_time_share"] == 0.5
    assert report[fast]["open_overdue"] == 0 and not report[fast]["idle"]
    assert report[slow]["answered"] == 0 and report[slow]["median_days"] is None
    assert report[slow]["on_time_share"] == 0.0  # still open past its deadline: late
    assert report[slow]["open_overdue"] == 1 and report[slow]["idle"]
    reference = {row["agency"]: row for row in performance.agency_performance(session, now)}
    for code in (fast, slow):
        for figure in ("dispatched", "answered", "median_days", "on_time_share", "open_overdue"):
            assert report[code][figure] == reference[code][figure]
    assert sla_board.league(session, now, days=7) == [
        {**report[slow], "dispatched": 0, "on_time_share": None}
    ]  # the window only counts episodes that started in it; the overdue ticket stays listed


def test_league_working_days_match_the_calendar_across_time_zones(seeded, session):
    [agency] = (a.code for a in _agencies(session, 1))
    start = datetime(2025, 9, 12, 8, tzinfo=UTC)  # Friday 16:00 in Makassar (WITA)
    ticket = _ticket(session, agency, status="responded")
    ticket.region_code = "51.71"
    session.commit()
    _history(
        session,
        ticket,
        (start, "system", "dispatched"),
        (start + timedelta(days=3), f"agency:{agency}", "responded"),
    )
    [row] = sla_board.league(session, start + timedelta(days=10), days=30)
    # Friday 16:00-24:00 WITA (1/3 day), weekend free, Monday 00:00-16:00 WITA (2/3 day)
    assert row["median_days"] == pytest.approx(1.0)
    assert row["on_time_share"] == 1.0


def test_league_sorts_by_the_column_asked_with_empty_figures_last(seeded, session):
    fast, slow, now = _small_history(session)
    rows = sla_board.league(session, now, days=90)
    by_median = sla_board.sort_league(rows, "median_days", descending=False)
    assert [r["agency"] for r in by_median] == [fast, slow]  # slow has no median: last
    by_overdue = sla_board.sort_league(rows, "open_overdue", descending=True)
    assert [r["agency"] for r in by_overdue] == [slow, fast]
    assert sla_board.sort_league(rows, "no_such_column", True) == by_overdue


def test_league_on_the_page_is_bounded_to_agencies_with_tickets_and_sortable(
    seeded, session, operator_client
):
    active, idle = (a.code for a in _agencies(session, 2))
    now = utcnow()
    t1 = _ticket(session, active, status="responded")
    _history(
        session,
        t1,
        (now - timedelta(days=3), "system", "dispatched"),
        (now - timedelta(days=2), f"agency:{active}", "responded"),
    )
    t2 = _ticket(session, idle)
    _history(session, t2, (now - timedelta(days=20), "system", "dispatched"))
    page = operator_client.get("/console/sla?sort=dispatched&dir=asc")
    html = page.get_data(as_text=True)
    league = html.split('id="liga"', 1)[1]
    rows = re.findall(r'<tr data-agency="([^"]+)"', league)
    assert sorted(rows) == sorted([active, idle])  # 2 of 13,007 agencies: only those with tickets
    assert 'aria-sort="ascending"' in league
    idle_list = league.split('class="idle-agencies"', 1)[1]
    assert f'data-agency="{idle}"' in idle_list and f'data-agency="{active}"' not in idle_list


def test_an_agency_officer_may_not_open_the_board(officer_client):
    assert officer_client.get("/console/sla").status_code == 403
