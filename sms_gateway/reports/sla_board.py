"""The SLA board (what is late or due soon, by agency) and the agency league (how each answers).

The league keeps the definitions of ``sla.performance`` (an episode runs from a ``dispatched``
event to the next ``responded``/``resolved``; a transfer or withdrawal ends it uncounted; on time
means by the end of the 5th working day; activity is any event by ``agency:<code>``) but counts
only episodes that started in the last ``days`` days, and measures working time with a day table
built once per call, so a page over 100,000 tickets stays a few bounded queries.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import CompoundSelect, case, func, select, text, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ..lifecycle import OPEN
from ..models import Agency, Ticket, TicketEvent
from ..places.regions import _WIT, _WITA  # noqa: PLC2701  the provinces of WIT and WITA
from ..sla.calendar import DEFAULT_TZ, add_working_days, is_working_day
from ..sla.clock import RESPONSE_DAYS, ticket_tz
from ..sla.performance import ANSWERS, ENDS, IDLE_AFTER

AGENCIES_SHOWN = 30  # agency groups on the board, worst first
PER_AGENCY = 8  # tickets listed under each agency
LEAGUE_WINDOWS = (7, 30, 90)  # days of episodes the league may cover
LEAGUE_COLUMNS = (
    "agency",
    "dispatched",
    "answered",
    "median_days",
    "on_time_share",
    "open_overdue",
    "last_activity",
)
DAY = 86400.0
_ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")  # WIB, WITA, WIT: no DST


@dataclass(frozen=True)
class BoardTicket:
    """One late or nearly late ticket as the board lists it."""

    tracking_number: str
    status: str
    category: str | None
    region_code: str | None
    due_at: datetime
    overdue_since: datetime | None


@dataclass
class AgencyGroup:
    """An agency's late and nearly late tickets (agency None: not yet routed, the admin's own)."""

    agency: str | None
    name: str
    overdue: int
    due_soon: int
    oldest_due: datetime
    tickets: list[BoardTicket] = field(default_factory=list)


def due_soon_until(now: datetime) -> datetime:
    """The end of the next working day (WIB): a deadline before it is due soon."""
    return add_working_days(now, 1, DEFAULT_TZ)


def board(session: Session, now: datetime) -> list[AgencyGroup]:
    """Agencies with overdue or soon-due tickets, most overdue first, a few tickets each."""
    until = due_soon_until(now)
    late = Ticket.overdue_since.is_not(None)
    running = (
        Ticket.sla_clock.is_not(None),
        Ticket.sla_due_at <= until,
        Ticket.status.in_(OPEN),
    )
    overdue = func.sum(case((late, 1), else_=0))
    counts = session.execute(
        select(Ticket.agency_code, overdue, func.count(), func.min(Ticket.sla_due_at))
        .where(*running)
        .group_by(Ticket.agency_code)
        .order_by(overdue.desc(), func.min(Ticket.sla_due_at), Ticket.agency_code)
        .limit(AGENCIES_SHOWN)
    ).all()
    if not counts:
        return []
    codes = [code for code, *_ in counts if code is not None]
    names = dict(
        session.execute(select(Agency.code, Agency.name).where(Agency.code.in_(codes))).all()
    )
    groups = {
        code: AgencyGroup(code, names.get(code, ""), int(late_n), n - int(late_n), _aware(oldest))
        for code, late_n, n, oldest in counts
    }
    listed = _listed(counts, running, late)
    rows = session.execute(
        select(
            Ticket.id,
            Ticket.agency_code,
            Ticket.tracking_number,
            Ticket.status,
            Ticket.category,
            Ticket.region_code,
            Ticket.sla_due_at,
            Ticket.overdue_since,
        ).where(Ticket.id.in_(listed))
    ).all()
    # within an agency: late first, then by deadline (the order each arm read them in)
    rows.sort(key=lambda row: (row.overdue_since is None, _aware(row.sla_due_at), row.id))
    for row in rows:
        groups[row.agency_code].tickets.append(
            BoardTicket(
                row.tracking_number,
                row.status,
                row.category,
                row.region_code,
                _aware(row.sla_due_at),
                _aware(row.overdue_since),
            )
        )
    return list(groups.values())


def _listed(counts: list, running: tuple, late: ColumnElement[bool]) -> CompoundSelect:
    """The ids of the first PER_AGENCY tickets of each agency: late ones, then due soon.

    Each agency's late tickets come first, so its list is its first min(late, PER_AGENCY) late
    tickets and, when those are fewer, its first due-soon ones; each arm is a short ordered read
    of ix_tickets_sla_agency (ordering by agency_code too lets the unrouted group, agency NULL,
    use the index order). This replaces ranking every due ticket of the listed agencies.
    """
    arms = []
    for code, late_n, n, _ in counts:
        agency = Ticket.agency_code.is_(None) if code is None else Ticket.agency_code == code
        first_late = min(int(late_n), PER_AGENCY)
        first_soon = min(n - int(late_n), PER_AGENCY - first_late)
        for condition, limit in ((late, first_late), (~late, first_soon)):
            if limit:
                arm = (
                    select(Ticket.id)
                    .where(agency, *running, condition)
                    .order_by(Ticket.agency_code, Ticket.sla_due_at, Ticket.id)
                    .limit(limit)
                    .subquery()
                )
                arms.append(select(arm.c.id))
    return union_all(*arms)


class _WorkingTime:
    """Working days of local dates from ``first`` to ``last``, as prefix sums: O(1) per question."""

    def __init__(self, first: date, last: date) -> None:
        self.base = first.toordinal()
        days = last.toordinal() - self.base + 1
        self.working = [is_working_day(date.fromordinal(self.base + i)) for i in range(days)]
        self.before = [0] * (days + 1)  # working days strictly before day i
        for i, working in enumerate(self.working):
            self.before[i + 1] = self.before[i] + working
        self.workdays = [i for i, working in enumerate(self.working) if working]

    def at(self, local_seconds: float) -> float:
        """Working days elapsed from the first date's midnight to a local instant."""
        index = int(local_seconds // DAY)
        index = min(max(index, 0), len(self.working) - 1)
        part = local_seconds / DAY - index if self.working[index] else 0.0
        return self.before[index] + min(max(part, 0.0), 1.0)

    def deadline(self, local_seconds: float, days: int) -> float:
        """The local instant (seconds) the ``days``-th working day after this one ends."""
        index = int(local_seconds // DAY)
        position = bisect_right(self.workdays, index) + days - 1
        if position >= len(self.workdays):
            return float("inf")
        return (self.workdays[position] + 1) * DAY


def _local(at: datetime, offsets: dict[str, float], zone: str, base_ordinal: int) -> float:
    """Seconds since local midnight of the base date (Indonesia keeps no daylight saving)."""
    return at.timestamp() + offsets[zone] - (base_ordinal - 719163) * DAY


def _episodes(session: Session, since: datetime) -> list:
    """Each dispatch in the window with the ticket's next status change after it (SQL LEAD)."""
    order = (TicketEvent.at, TicketEvent.id)
    steps = (
        select(
            TicketEvent.ticket_id,
            TicketEvent.at,
            TicketEvent.to_status,
            TicketEvent.data["agency"].as_string().label("sent_to"),
            func.lead(TicketEvent.to_status)
            .over(partition_by=TicketEvent.ticket_id, order_by=order)
            .label("next_status"),
            func.lead(TicketEvent.at)
            .over(partition_by=TicketEvent.ticket_id, order_by=order)
            .label("next_at"),
        )
        .where(TicketEvent.at >= since, TicketEvent.to_status.in_({"dispatched", *ANSWERS, *ENDS}))
        .subquery()
    )
    query = (
        select(
            steps.c.at,
            steps.c.next_status,
            steps.c.next_at,
            func.coalesce(steps.c.sent_to, Ticket.agency_code),
            Ticket.region_code,
        )
        .join(Ticket, Ticket.id == steps.c.ticket_id)
        .where(steps.c.to_status == "dispatched")
    )
    # Core rows, no ORM loading: tens of thousands of episodes on a busy day
    return session.connection().execute(query).all()


def league(session: Session, now: datetime, days: int = 30) -> list[dict[str, Any]]:
    """One dict per agency with tickets in the window, as ``sla.performance`` reports them."""
    since = now - timedelta(days=days)
    calendar = _WorkingTime(since.date() - timedelta(days=2), now.date() + timedelta(days=90))
    if session.get_bind().dialect.name == "postgresql":
        return _report(session, now, _league_in_sql(session, now, since, calendar))
    offsets = {z: ZoneInfo(z).utcoffset(now).total_seconds() for z in _ZONES}
    now_local = {z: _local(now, offsets, z, calendar.base) for z in _ZONES}
    zones: dict[str | None, str] = {}
    stats: dict[str, dict[str, Any]] = {}
    for at, next_status, next_at, agency, region in _episodes(session, since):
        if not agency:
            continue
        s = _stats(stats, agency)
        s["dispatched"] += 1
        if next_status == "dispatched" or next_status in ENDS:
            continue  # dispatched again before any answer, or transferred/withdrawn: uncounted
        zone = zones.get(region) or zones.setdefault(region, ticket_tz(region))
        start = _local(_aware(at), offsets, zone, calendar.base)
        due = calendar.deadline(start, RESPONSE_DAYS)
        if next_status is None:  # still waiting for the answer
            s["late"] += now_local[zone] >= due
            continue
        answer = _local(_aware(next_at), offsets, zone, calendar.base)
        s["days"].append(calendar.at(answer) - calendar.at(start))
        s["on_time" if answer <= due else "late"] += 1
    for s in stats.values():
        s["answered"], s["median"] = len(s["days"]), median(s["days"]) if s["days"] else None
    return _report(session, now, stats)


def _league_in_sql(
    session: Session, now: datetime, since: datetime, calendar: _WorkingTime
) -> dict[str, dict[str, Any]]:
    """The same figures aggregated by PostgreSQL, the day table passed in as arrays."""
    base = (calendar.base - 719163) * DAY
    ends = [calendar.deadline(i * DAY, RESPONSE_DAYS) for i in range(len(calendar.working))]
    # the window's sort of ~40,000 events spills to disk with the default 4 MB
    session.execute(text("SET LOCAL work_mem = '32MB'"))
    rows = session.execute(
        text(_LEAGUE_SQL),
        {
            "since": since,
            "now": now,
            "base": base,
            "before": calendar.before,
            "working": [int(w) for w in calendar.working],
            "ends": [min(e, 1e12) for e in ends],
            "wit": [f"{p:02d}" for p in sorted(_WIT)],
            "wita": [f"{p:02d}" for p in sorted(_WITA)],
            "days": RESPONSE_DAYS,
        },
    ).all()
    return {
        agency: {
            "dispatched": n,
            "answered": answered,
            "median": med,
            "on_time": on_time,
            "late": late,
        }
        for agency, n, answered, med, on_time, late in rows
    }


# Working days W(x) = days before x's local date + the elapsed part of it if it is a working day;
# an episode is dispatched → next status (LEAD), as in sla.performance.
_LEAGUE_SQL = """
WITH steps AS (
  SELECT e.ticket_id, e.at, e.to_status, e.data ->> 'agency' AS sent_to,
         lead(e.to_status) OVER w AS next_status, lead(e.at) OVER w AS next_at
  FROM ticket_events e
  WHERE e.at >= :since
    AND e.to_status IN ('dispatched', 'responded', 'resolved', 'transferred', 'withdrawn')
  WINDOW w AS (PARTITION BY e.ticket_id ORDER BY e.at, e.id)
), episodes AS (
  SELECT coalesce(s.sent_to, t.agency_code) AS agency, s.next_status,
         extract(epoch FROM s.at) + z.off - :base AS ls,
         extract(epoch FROM s.next_at) + z.off - :base AS la,
         extract(epoch FROM CAST(:now AS timestamptz)) + z.off - :base AS ln
  FROM steps s JOIN tickets t ON t.id = s.ticket_id
  CROSS JOIN LATERAL (SELECT CASE
      WHEN left(t.region_code, 2) = ANY(CAST(:wit AS text[])) THEN 32400
      WHEN left(t.region_code, 2) = ANY(CAST(:wita AS text[])) THEN 28800
      ELSE 25200 END AS off) z
  WHERE s.to_status = 'dispatched'
), judged AS (
  SELECT agency, next_status, la, ln,
         (CAST(:ends AS float8[]))[floor(ls / 86400)::int + 1] AS due,
         CASE WHEN next_status IN ('responded', 'resolved') THEN
           (CAST(:before AS int[]))[floor(la / 86400)::int + 1]
           + (CAST(:working AS int[]))[floor(la / 86400)::int + 1]
             * least(greatest(la / 86400 - floor(la / 86400), 0), 1)
           - (CAST(:before AS int[]))[floor(ls / 86400)::int + 1]
           - (CAST(:working AS int[]))[floor(ls / 86400)::int + 1]
             * least(greatest(ls / 86400 - floor(ls / 86400), 0), 1)
         END AS took
  FROM episodes WHERE agency IS NOT NULL
)
SELECT agency, count(*),
       count(took),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY took),
       count(*) FILTER (WHERE took IS NOT NULL AND la <= due),
       count(*) FILTER (WHERE (took IS NOT NULL AND la > due)
                          OR (next_status IS NULL AND ln >= due))
FROM judged GROUP BY agency
"""


def _stats(stats: dict[str, dict[str, Any]], agency: str) -> dict[str, Any]:
    """The running figures of one agency."""
    return stats.setdefault(agency, {"dispatched": 0, "days": [], "on_time": 0, "late": 0})


def _report(session: Session, now: datetime, stats: dict[str, dict[str, Any]]) -> list[dict]:
    """Add open overdue counts, names and last activity to the episode figures."""
    overdue = dict(
        session.execute(
            select(Ticket.agency_code, func.count())
            .where(
                Ticket.overdue_since.is_not(None),
                Ticket.sla_clock == "response",
                Ticket.status.in_(OPEN),
            )
            .group_by(Ticket.agency_code)
        ).all()
    )
    last = dict(
        session.execute(
            select(TicketEvent.actor, func.max(TicketEvent.at))
            .where(
                TicketEvent.at >= now - IDLE_AFTER,
                TicketEvent.actor >= "agency:",
                TicketEvent.actor < "agency;",  # every "agency:<code>", index-friendly
            )
            .group_by(TicketEvent.actor)
        ).all()
    )
    codes = sorted({*stats, *(code for code in overdue if code)})
    names = dict(
        session.execute(select(Agency.code, Agency.name).where(Agency.code.in_(codes))).all()
    )
    report = []
    for code in codes:
        s = stats.get(code) or {"dispatched": 0, "answered": 0, "median": None}
        s.setdefault("on_time", 0), s.setdefault("late", 0)
        judged = s["on_time"] + s["late"]
        active = _aware(last.get(f"agency:{code}"))
        report.append(
            {
                "agency": code,
                "name": names.get(code, ""),
                "dispatched": s["dispatched"],
                "answered": s["answered"],
                "median_days": round(s["median"], 2) if s["median"] is not None else None,
                "on_time_share": round(s["on_time"] / judged, 3) if judged else None,
                "open_overdue": overdue.get(code, 0),
                "last_activity": active,  # None: nothing in the last 30 days
                "idle": active is None,
            }
        )
    return report


def sort_league(rows: list[dict], column: str, descending: bool) -> list[dict]:
    """The league ordered by one column; empty figures always last."""
    if column not in LEAGUE_COLUMNS:
        column = "open_overdue"
    present = [row for row in rows if row[column] is not None]
    missing = [row for row in rows if row[column] is None]
    present.sort(key=lambda row: row["agency"])
    present.sort(key=lambda row: row[column], reverse=descending)
    return present + missing


def _aware(at: Any) -> Any:
    """SQLite's MIN()/MAX() hand back strings or naive values: make them aware UTC datetimes."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    if isinstance(at, datetime) and at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at
