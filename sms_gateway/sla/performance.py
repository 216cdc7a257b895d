"""Agency performance from the ticket history: speed and punctuality of the first response.

An episode starts at each event that makes a ticket ``dispatched`` (first dispatch or reopening)
and is answered by the next ``responded`` or ``resolved`` event; a transfer or withdrawal ends it
unanswered and uncounted. On time means answered by the 5-working-day deadline; an episode still
open past its deadline counts as late. Activity is any event whose actor is ``agency:<code>``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Agency, Ticket, TicketEvent
from .calendar import add_working_days, working_days_between
from .clock import RESPONSE_DAYS, ticket_tz

ANSWERS = frozenset({"responded", "resolved"})
ENDS = frozenset({"transferred", "withdrawn"})
IDLE_AFTER = timedelta(days=30)


def _episodes(session: Session, now: datetime) -> dict[str, dict[str, Any]]:
    """Per agency: working days to each answer, answers on time, episodes counted."""
    rows = session.execute(
        select(
            TicketEvent.ticket_id,
            TicketEvent.at,
            TicketEvent.to_status,
            TicketEvent.data,
            Ticket.agency_code,
            Ticket.region_code,
        )
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(TicketEvent.to_status.in_({"dispatched", *ANSWERS, *ENDS}))
        .order_by(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.id)
    ).all()
    stats: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"dispatched": 0, "days": [], "on_time": 0, "late": 0}
    )
    open_: dict[int, tuple[str, datetime, str]] = {}  # ticket → (agency, start, tz)
    for row in rows:
        if row.to_status == "dispatched":
            agency = (row.data or {}).get("agency") or row.agency_code
            if agency:
                open_[row.ticket_id] = (agency, row.at, ticket_tz(row.region_code))
                stats[agency]["dispatched"] += 1
            continue
        episode = open_.pop(row.ticket_id, None)
        if episode is None or row.to_status in ENDS:
            continue
        agency, start, tz = episode
        stats[agency]["days"].append(working_days_between(start, row.at, tz))
        on_time = row.at <= add_working_days(start, RESPONSE_DAYS, tz)
        stats[agency]["on_time" if on_time else "late"] += 1
    for agency, start, tz in open_.values():
        if now >= add_working_days(start, RESPONSE_DAYS, tz):
            stats[agency]["late"] += 1
    return stats


def agency_performance(session: Session, now: datetime) -> list[dict[str, Any]]:
    """One plain dict per agency that has received tickets, sorted by agency code."""
    stats = _episodes(session, now)
    overdue = dict(
        session.execute(
            select(Ticket.agency_code, func.count())
            .where(Ticket.sla_clock == "response", Ticket.overdue_since.is_not(None))
            .group_by(Ticket.agency_code)
        ).all()
    )
    last = dict(
        session.execute(
            select(TicketEvent.actor, func.max(TicketEvent.at))
            .where(TicketEvent.actor.like("agency:%"))
            .group_by(TicketEvent.actor)
        ).all()
    )
    codes = sorted({*stats, *(code for code in overdue if code)})
    names = dict(
        session.execute(select(Agency.code, Agency.name).where(Agency.code.in_(codes))).all()
    )
    report = []
    for code in codes:
        s = stats.get(code, {"dispatched": 0, "days": [], "on_time": 0, "late": 0})
        judged = s["on_time"] + s["late"]
        active = last.get(f"agency:{code}")
        if active is not None and active.tzinfo is None:
            active = active.replace(tzinfo=now.tzinfo)  # SQLite's MAX() loses the type
        report.append(
            {
                "agency": code,
                "name": names.get(code, ""),
                "dispatched": s["dispatched"],
                "answered": len(s["days"]),
                "median_days": round(median(s["days"]), 2) if s["days"] else None,
                "on_time_share": round(s["on_time"] / judged, 3) if judged else None,
                "open_overdue": overdue.get(code, 0),
                "last_activity": active,
                "idle": active is None or now - active > IDLE_AFTER,
            }
        )
    return report


def idle_agencies(report: list[dict[str, Any]]) -> list[str]:
    """Codes of the agencies in ``report`` with no activity of their own in 30 days."""
    return [row["agency"] for row in report if row["idle"]]
