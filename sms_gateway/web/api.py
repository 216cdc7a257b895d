"""/api/v1: the agency API (a bearer key per agency). An agency sees only its own tickets."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, jsonify, request

from .. import agency_tickets, apikeys, followup
from ..db import db
from ..dispatch import agency_history, agency_view
from ..models import Ticket, utcnow

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# What an agency can see: tickets forwarded to it, from dispatch on (agency_tickets decides).
AGENCY_STATUSES = agency_tickets.VISIBLE
MAX_PER_PAGE = 200


def _error(status: int, message: str, **headers: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    response.headers.update(headers)
    return response


@bp.before_request
def _authenticate() -> Response | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    agency = None
    if scheme.lower() == "bearer" and token.strip():
        agency = apikeys.authenticate(db.session, token.strip())
    if agency is None:
        return _error(401, "a valid bearer key is required", **{"WWW-Authenticate": "Bearer"})
    g.agency_code = agency
    return None


def _settings():  # noqa: ANN202
    return current_app.config["SETTINGS"]


def _own_ticket(number: str) -> Ticket | None:
    return agency_tickets.own_ticket(db.session, g.agency_code, number)


def _int_arg(name: str, default: int, low: int, high: int) -> int | None:
    try:
        value = int(request.args.get(name, default))
    except ValueError:
        return None
    return value if low <= value <= high else None


@bp.get("/tickets")
def list_tickets() -> Response:
    """The agency's tickets, newest first; ?status=, ?page=, ?per_page=."""
    page = _int_arg("page", 1, 1, 10**6)
    per_page = _int_arg("per_page", 50, 1, MAX_PER_PAGE)
    status = request.args.get("status")
    if page is None or per_page is None or (status and status not in AGENCY_STATUSES):
        return _error(400, f"page ≥ 1, per_page 1-{MAX_PER_PAGE}, status one of {AGENCY_STATUSES}")
    counts = agency_tickets.counts(db.session, g.agency_code)
    total = counts.get(status, 0) if status else sum(counts.values())
    rows = agency_tickets.page_of(
        db.session, g.agency_code, status=status, page=page, per_page=per_page
    )
    base = _settings().public_base_url
    tickets = [agency_view(db.session, t, base) for t in rows]
    return jsonify({"tickets": tickets, "page": page, "per_page": per_page, "total": total})


@bp.get("/tickets/<number>")
def read_ticket(number: str) -> Response:
    """One of the agency's tickets with its history."""
    ticket = _own_ticket(number)
    if ticket is None:
        return _error(404, "no such ticket for your agency")
    body = agency_view(db.session, ticket, _settings().public_base_url)
    body["history"] = agency_history(db.session, ticket)
    return jsonify(body)


def _field(name: str, required: bool) -> tuple[str | None, Response | None]:
    try:
        data = request.get_json(silent=True)  # silences ValueError only
    except RecursionError:  # nested deeper than the parser goes: not a body we take
        return None, _error(400, "send a JSON object (this one is nested too deep)")
    if not isinstance(data, dict):
        return None, _error(400, "send a JSON object")
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        return None, _error(422, f"{name} must be a string")
    if required and not (value or "").strip():
        return None, _error(422, f"{name} is required")
    return value, None


def _act(number: str, field: str, required: bool, action) -> Response:  # noqa: ANN001
    ticket = _own_ticket(number)
    if ticket is None:
        return _error(404, "no such ticket for your agency")
    value, problem = _field(field, required)
    if problem is not None:
        return problem
    settings = _settings()
    try:
        step = action(ticket, value, settings)
    except followup.NotAllowed as exc:
        db.session.rollback()
        return _error(409, str(exc))
    db.session.commit()
    notice = step.notice
    if notice is not None and notice.to_send:
        current_app.extensions["enqueuer"].outbound_at(notice.outbound_id, notice.send_at)
    return jsonify(agency_view(db.session, ticket, settings.public_base_url))


@bp.post("/tickets/<number>/responses")
def respond(number: str) -> Response:
    """Tindak lanjut: the agency's response, texted to the citizen (the first one)."""
    response = _act(
        number,
        "text",
        True,
        lambda t, text, s: followup.respond(
            db.session,
            t,
            g.agency_code,
            text,
            provider=s.sms_provider,
            base_url=s.public_base_url,
            now=utcnow(),
        ),
    )
    if response.status_code == 200:
        response.status_code = 201
    return response


@bp.post("/tickets/<number>/resolve")
def resolve(number: str) -> Response:
    """Mark the ticket resolved; the citizen is asked to rate it."""
    return _act(
        number,
        "note",
        False,
        lambda t, note, s: followup.resolve(
            db.session, t, g.agency_code, note, provider=s.sms_provider, now=utcnow()
        ),
    )


@bp.post("/tickets/<number>/transfer")
def transfer(number: str) -> Response:
    """ "Bukan wewenang": hand the ticket back to triage, with the reason."""
    return _act(
        number,
        "reason",
        True,
        lambda t, reason, s: followup.transfer(
            db.session, t, g.agency_code, reason, provider=s.sms_provider, now=utcnow()
        ),
    )
