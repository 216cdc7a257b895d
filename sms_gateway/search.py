"""Finding tickets for operators, and the CSV export of what they found.

Every filter is index-friendly: exact tracking number (or a prefix range), exact phone through
the citizen row, category/agency/status equality, a region code prefix as a range, a date range,
and the text as a case-insensitive substring (a pg_trgm index serves it on PostgreSQL when the
extension exists; elsewhere it is a scan bounded by the page's LIMIT). Pages are keyset pages on
(created_at, id), newest first. The export masks in every case: the text with personal data
masked, the reporter's phone masked, and "Anonim" for an anonim ticket; originals are on screen only.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, or_, select, tuple_
from sqlalchemy.orm import Session

from . import disclosure, tracking
from .intake.model import normalise_sender
from .lifecycle import OPEN
from .models import STATUSES, Citizen, Ticket

PAGE_SIZE = 50
EXPORT_CAP = 5000
MAX_TEXT = 100  # characters of a text query
WIB = ZoneInfo("Asia/Jakarta")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_DIGITS = re.compile(r"\D+")
_REGION = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


@dataclass(frozen=True)
class Filters:
    """What an operator asked for; empty strings mean "any"."""

    number: str = ""
    phone: str = ""
    text: str = ""
    category: str = ""
    region: str = ""
    agency: str = ""
    status: str = ""  # one of STATUSES, or "open"
    date_from: str = ""  # YYYY-MM-DD, WIB
    date_to: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        """Filters from a query string, trimmed and bounded; unknown or malformed values dropped."""
        values = {f.name: (args.get(f.name) or "").strip()[:MAX_TEXT] for f in fields(cls)}
        if values["status"] not in (*STATUSES, "open"):
            values["status"] = ""
        if not _REGION.match(values["region"]):
            values["region"] = ""
        for name in ("date_from", "date_to"):
            if _day(values[name]) is None:
                values[name] = ""
        return cls(**values)

    def as_args(self) -> dict[str, str]:
        """The filters that are set, for links that keep the current view."""
        return {name: value for name, value in asdict(self).items() if value}


@dataclass(frozen=True)
class Page:
    """One page of results and the cursor of the next one (None on the last page)."""

    rows: list
    after: str | None


def _day(value: str) -> date | None:
    """A YYYY-MM-DD date, or None."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _wib_midnight(day: date) -> datetime:
    """The instant a WIB date begins."""
    return datetime.combine(day, time(0), tzinfo=WIB)


def _range(column, prefix: str):  # noqa: ANN001, ANN202
    """``column`` starts with ``prefix``, as a range an index can serve."""
    return (column >= prefix) & (column < prefix[:-1] + chr(ord(prefix[-1]) + 1))


def _escape_like(text: str) -> str:
    """``text`` with LIKE's wildcards taken literally (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(query: Select, filters: Filters) -> Select:
    """Apply every filter that is set."""
    if filters.number:
        digits = _DIGITS.sub("", filters.number)
        exact = tracking.normalise(filters.number)
        if exact:
            query = query.where(Ticket.tracking_number == exact)
        elif digits:
            query = query.where(_range(Ticket.tracking_number, digits))
        else:
            query = query.where(Ticket.id.is_(None))  # no digits: nothing matches
    if filters.phone:
        number, _ = normalise_sender(filters.phone)
        citizen = select(Citizen.id).where(Citizen.phone == number).scalar_subquery()
        query = query.where(Ticket.citizen_id == citizen)
    if filters.text:
        found = Ticket.text.ilike(f"%{_escape_like(filters.text)}%", escape="\\")
        # Two halves of one condition: past `received` the trigram index answers the ILIKE (it
        # covers only those, so intake never writes it); received tickets are few, read by status.
        query = query.where(
            or_(
                and_(Ticket.status != "received", found),
                and_(Ticket.status == "received", found),
            )
        )
    if filters.category:
        query = query.where(Ticket.category == filters.category)
    if filters.region:
        prefix = filters.region
        query = query.where(
            (Ticket.region_code == prefix) | _range(Ticket.region_code, prefix + ".")
        )
    if filters.agency:
        query = query.where(Ticket.agency_code == filters.agency)
    if filters.status == "open":
        query = query.where(Ticket.status.in_(OPEN))
    elif filters.status:
        query = query.where(Ticket.status == filters.status)
    if start := _day(filters.date_from):
        query = query.where(Ticket.created_at >= _wib_midnight(start))
    if end := _day(filters.date_to):
        query = query.where(Ticket.created_at < _wib_midnight(end + timedelta(days=1)))
    return query


def _cursor(value: str | None) -> tuple[datetime, int] | None:
    """A keyset cursor "<iso time>_<id>" back into values, or None when malformed."""
    at, _, ticket_id = (value or "").rpartition("_")
    try:
        return datetime.fromisoformat(at), int(ticket_id)
    except ValueError:
        return None


def find(session: Session, filters: Filters, after: str | None = None) -> Page:
    """A page of matching tickets, newest first, with the reporter's phone for the screen."""
    query = _where(
        select(
            Ticket.id,
            Ticket.tracking_number,
            Ticket.created_at,
            Ticket.status,
            Ticket.category,
            Ticket.region_code,
            Ticket.agency_code,
            Ticket.text,
            Ticket.is_anonim,
            Ticket.is_rahasia,
            Citizen.phone,
        ).outerjoin(Citizen, Citizen.id == Ticket.citizen_id),
        filters,
    )
    if cursor := _cursor(after):
        query = query.where(tuple_(Ticket.created_at, Ticket.id) < cursor)
    rows = session.execute(
        query.order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(PAGE_SIZE + 1)
    ).all()
    if len(rows) <= PAGE_SIZE:
        return Page(rows, None)
    last = rows[PAGE_SIZE - 1]
    return Page(rows[:PAGE_SIZE], f"{last.created_at.isoformat()}_{last.id}")


EXPORT_HEADER = (
    "nomor",
    "dibuat (WIB)",
    "status",
    "kategori",
    "wilayah",
    "instansi",
    "pelapor",
    "rahasia",
    "anonim",
    "isi laporan",
)


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ (a formula) gets a quote first."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_lines(session: Session, filters: Filters, cap: int = EXPORT_CAP) -> Iterator[str]:
    """The filtered tickets as CSV text, masked, at most ``cap`` rows, then a note if cut."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")

    def flush() -> str:
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text

    writer.writerow(EXPORT_HEADER)
    yield "\ufeff" + flush()  # the byte-order mark lets spreadsheet programs read UTF-8
    query = _where(
        select(Ticket, Citizen.phone).outerjoin(Citizen, Citizen.id == Ticket.citizen_id),
        filters,
    ).order_by(Ticket.created_at.desc(), Ticket.id.desc())
    written = 0
    result = session.execute(query.limit(cap + 1).execution_options(yield_per=500))
    try:
        for ticket, phone in result:
            if written == cap:
                writer.writerow([f"# dipotong: lebih dari {cap} baris; persempit filter"])
                break
            writer.writerow(safe_cell(value) for value in _export_row(ticket, phone))
            written += 1
            if written % 200 == 0:
                yield flush()
    finally:
        result.close()  # a server-side cursor on PostgreSQL, also when the download is dropped
    yield flush()


def _export_row(ticket: Ticket, phone: str | None) -> tuple:
    """One ticket as the export shows it: masked text, masked phone, Anonim for anonim."""
    return (
        tracking.display(ticket.tracking_number),
        ticket.created_at.astimezone(WIB).strftime("%Y-%m-%d %H:%M"),
        ticket.status,
        ticket.category,
        ticket.region_code,
        ticket.agency_code,
        disclosure.reporter_for(ticket, disclosure.mask_phone(phone), disclosure.AGENCY),
        "ya" if ticket.is_rahasia else "tidak",
        "ya" if ticket.is_anonim else "tidak",
        disclosure.text_for(ticket, disclosure.AGENCY),
    )
