"""The figures behind the console's charts: what people complain about, where, how it flows.

Days are counted in WIB (UTC+7, where most reports come from), the last ``days`` days including
today. Each query covers one bounded time range and groups in the database; Python only folds
the few grouped rows into series.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..directory.regions import region as kabupaten_or_province
from ..models import OutboundMessage, Ticket, TicketEvent

OFFSET = timedelta(hours=7)  # WIB
OTHERS = "lainnya"
SYSTEM = "system"  # the actor of everything the machine does by itself
FINAL_OK = ("sent", "delivered")  # accepted by the network (no receipt yet) or delivered
FINAL_BAD = ("undelivered", "failed")


@dataclass(frozen=True)
class Window:
    """The days a chart covers and the UTC instant the first one starts."""

    days: tuple[date, ...]
    since: datetime


@dataclass(frozen=True)
class Series:
    """Counts per day for a few named series (stacked in this order)."""

    days: tuple[date, ...]
    names: tuple[str, ...]
    values: dict[str, list[int]]

    def total(self, name: str) -> int:
        return sum(self.values[name])


@dataclass(frozen=True)
class RegionCount:
    code: str
    name: str
    count: int


@dataclass(frozen=True)
class Delivery:
    """Outbound SMS of one day by outcome."""

    day: date
    delivered: int
    sent: int
    undelivered: int
    failed: int
    waiting: int  # queued, sending, held…

    @property
    def finished(self) -> int:
        return self.delivered + self.sent + self.undelivered + self.failed

    @property
    def success(self) -> float | None:
        """Share of finished SMS the network took (sent or delivered); None if none finished."""
        return (self.delivered + self.sent) / self.finished if self.finished else None


def window(now: datetime, days: int) -> Window:
    """The last ``days`` WIB days up to ``now``."""
    today = (now.astimezone(UTC) + OFFSET).date()
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=UTC) - OFFSET
    return Window(tuple(first + timedelta(days=n) for n in range(days)), since)


def _day(session: Session, column):  # noqa: ANN001, ANN202
    """SQL for the WIB calendar day of a UTC timestamp column."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("Asia/Jakarta", column))
    return func.date(column, "+7 hours")


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def complaints_by_category(session: Session, span: Window, top: int = 5) -> Series:
    """Tickets opened per day by category: the ``top`` categories of the range, the rest lainnya."""
    day = _day(session, Ticket.created_at)
    rows = session.execute(
        select(day, Ticket.category, func.count())
        .where(Ticket.created_at >= span.since)
        .group_by(day, Ticket.category)
    ).all()
    totals: Counter[str] = Counter()
    for _, category, count in rows:
        if category:
            totals[category] += count
    names = [name for name, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    index = {d: n for n, d in enumerate(span.days)}
    values = {name: [0] * len(span.days) for name in [*names, OTHERS]}
    for raw_day, category, count in rows:
        n = index.get(_as_date(raw_day))
        if n is not None:
            values[category if category in names else OTHERS][n] += count
    if not any(values[OTHERS]):
        del values[OTHERS]
    return Series(span.days, tuple(values), values)


def top_regions(session: Session, span: Window, limit: int = 10) -> list[RegionCount]:
    """The kabupaten/kota (or province) with the most tickets opened in the range.

    Tickets keep the most precise region found (down to the kelurahan); grouping on the first
    five characters of the code ("35.78") counts them per kabupaten/kota, and the names come from
    the Kemendagri table in memory rather than from each ticket's routing JSON.
    """
    area = func.substr(Ticket.region_code, 1, 5)
    rows = session.execute(
        select(area, func.count().label("n"))
        .where(Ticket.created_at >= span.since, Ticket.region_code.is_not(None))
        .group_by(area)
        .order_by(func.count().desc(), area)
        .limit(limit)
    ).all()
    found = []
    for code, count in rows:
        region = kabupaten_or_province(code)
        found.append(RegionCount(code, region.name if region else code, count))
    return found


def routing_share(session: Session, span: Window) -> Series:
    """Tickets verified per day: routed by the machine itself, or by an operator (triage)."""
    day = _day(session, TicketEvent.at)
    by_machine = case((TicketEvent.actor == SYSTEM, 1), else_=0)
    rows = session.execute(
        select(day, by_machine, func.count())
        .where(TicketEvent.to_status == "verified", TicketEvent.at >= span.since)
        .group_by(day, by_machine)
    ).all()
    index = {d: n for n, d in enumerate(span.days)}
    values = {"otomatis": [0] * len(span.days), "operator": [0] * len(span.days)}
    for raw_day, machine, count in rows:
        n = index.get(_as_date(raw_day))
        if n is not None:
            values["otomatis" if machine else "operator"][n] += count
    return Series(span.days, tuple(values), values)


def delivery_per_day(session: Session, span: Window) -> list[Delivery]:
    """Outbound SMS created per day, by what became of them."""
    day = _day(session, OutboundMessage.created_at)
    rows = session.execute(
        select(day, OutboundMessage.status, func.count())
        .where(OutboundMessage.created_at >= span.since)
        .group_by(day, OutboundMessage.status)
    ).all()
    counts: dict[date, Counter[str]] = defaultdict(Counter)
    for raw_day, status, count in rows:
        counts[_as_date(raw_day)][status] += count
    result = []
    for d in span.days:
        c = counts.get(d, Counter())
        known = c["delivered"] + c["sent"] + c["undelivered"] + c["failed"]
        result.append(
            Delivery(
                d,
                c["delivered"],
                c["sent"],
                c["undelivered"],
                c["failed"],
                sum(c.values()) - known,
            )
        )
    return result
