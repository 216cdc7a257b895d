"""Open311 GeoReport v2, read only: the public, non-rahasia tickets for civic tools.

Rahasia tickets are excluded entirely (not even their existence shows); texts are the public
ones from disclosure (personal data masked, no reporter). ``service_request_id`` is the
tracking number.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import func, select

from .. import disclosure, places, tracking
from ..db import db
from ..dispatch.view import iso
from ..models import Agency, Category, Ticket
from ..sms.templates import status_name

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")

OPEN = ("verified", "dispatched", "responded", "transferred")
CLOSED = ("resolved", "closed")
PUBLIC_STATUSES = OPEN + CLOSED  # not yet verified, rejected or withdrawn: not public
DEFAULT_DAYS = 90  # GeoReport v2: without dates, the last 90 days
MAX_PAGE_SIZE = 200
MAX_PAGE = 10**6  # bounds OFFSET (a 64-bit integer in the database)


def service_code(top: str) -> str:
    """A category's stable Open311 code: its name, lower case, words joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", top.lower()).strip("-")


def _error(status: int, description: str) -> Response:
    response = jsonify([{"code": status, "description": description}])
    response.status_code = status
    return response


@bp.get("/services.json")
def services() -> Response:
    """The SP4N-LAPOR! top-level categories as Open311 services."""
    rows = db.session.execute(select(Category.top, Category.name, Category.is_top)).all()
    subs: dict[str, list[str]] = {}
    for top, name, is_top in rows:
        subs.setdefault(top, [])
        if not is_top:
            subs[top].append(name)
    return jsonify(
        [
            {
                "service_code": service_code(top),
                "service_name": top,
                "description": "; ".join(sorted(subs[top])) or top,
                "metadata": False,
                "type": "realtime",
                "keywords": "",
                "group": "SP4N-LAPOR!",
            }
            for top in sorted(subs)
        ]
    )


def _record(ticket: Ticket, agencies: dict[str, str]) -> dict:
    region = places.get(ticket.region_code[:5]) if ticket.region_code else None
    return {
        "service_request_id": ticket.tracking_number,
        "status": "closed" if ticket.status in CLOSED else "open",
        "status_notes": status_name(ticket.status, "id"),
        "service_name": ticket.category,
        "service_code": service_code(ticket.category) if ticket.category else None,
        "description": disclosure.text_for(ticket, disclosure.PUBLIC),
        "agency_responsible": agencies.get(ticket.agency_code or ""),
        "service_notice": None,
        "requested_datetime": iso(ticket.created_at),
        "updated_datetime": iso(ticket.updated_at),
        "expected_datetime": None,
        "address": region.name if region else None,
        "address_id": ticket.region_code,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def _records(tickets: list[Ticket]) -> list[dict]:
    codes = {t.agency_code for t in tickets if t.agency_code}
    rows = db.session.execute(select(Agency.code, Agency.name).where(Agency.code.in_(codes)))
    names = {code: name for code, name in rows}
    return [_record(t, names) for t in tickets]


def _moment(name: str) -> datetime | None:
    value = request.args.get(name)
    if not value:
        return None
    moment = datetime.fromisoformat(value)  # raises ValueError
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@bp.get("/requests.json")
def requests() -> Response:
    """Public tickets: ?service_code=a,b ?status=open|closed ?start_date ?end_date ?page ?page_size."""
    try:
        start, end = _moment("start_date"), _moment("end_date")
        page = int(request.args.get("page", 1))
        size = int(request.args.get("page_size", 50))
    except ValueError:
        return _error(400, "start_date/end_date must be ISO 8601; page, page_size whole numbers")
    if not 1 <= page <= MAX_PAGE or not 1 <= size <= MAX_PAGE_SIZE:
        return _error(400, f"page 1-{MAX_PAGE} and page_size 1-{MAX_PAGE_SIZE}")
    if start is None and end is None:
        start = datetime.now(UTC) - timedelta(days=DEFAULT_DAYS)
    where = [Ticket.is_rahasia.is_(False), Ticket.status.in_(PUBLIC_STATUSES)]
    wanted = {s.strip() for s in request.args.get("status", "").split(",") if s.strip()}
    if wanted - {"open", "closed"}:
        return _error(400, "status is open, closed or both")
    if wanted and wanted != {"open", "closed"}:
        where.append(Ticket.status.in_(OPEN if "open" in wanted else CLOSED))
    codes = {c.strip() for c in request.args.get("service_code", "").split(",") if c.strip()}
    if codes:
        tops = db.session.execute(select(Category.top).where(Category.is_top)).scalars()
        where.append(Ticket.category.in_([t for t in tops if service_code(t) in codes]))
    if start is not None:
        where.append(Ticket.created_at >= start)
    if end is not None:
        where.append(Ticket.created_at <= end)
    tickets = (
        db.session.execute(
            select(Ticket)
            .where(*where)
            .order_by(Ticket.created_at.desc(), Ticket.id.desc())
            .offset((page - 1) * size)
            .limit(size)
        )
        .scalars()
        .all()
    )
    response = jsonify(_records(tickets))
    total = db.session.scalar(select(func.count()).select_from(Ticket).where(*where))
    response.headers["X-Total-Count"] = str(total)
    return response


@bp.get("/requests/<number>.json")
def one_request(number: str) -> Response:
    """One public ticket by tracking number, as a one-element list (GeoReport v2)."""
    digits = tracking.normalise(number)
    ticket = None
    if digits:
        ticket = db.session.execute(
            select(Ticket).where(
                Ticket.tracking_number == digits,
                Ticket.is_rahasia.is_(False),
                Ticket.status.in_(PUBLIC_STATUSES),
            )
        ).scalar_one_or_none()
    if ticket is None:
        return _error(404, f"no public service request {number[:24]}")
    return jsonify(_records([ticket]))
