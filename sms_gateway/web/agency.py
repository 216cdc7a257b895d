"""/agency/: the agency portal, where an officer (petugas instansi) answers the agency's tickets.

An officer sees what the agency API shows (sms_gateway.agency_tickets decides which tickets,
sms_gateway.dispatch.view what of them) and acts as the API does, with the officer named on
every event. Another agency's ticket does not exist here: 404, never 403.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import agency_tickets, disclosure, followup, lifecycle
from ..db import db
from ..dispatch import agency_history, agency_view
from ..models import Agency, Ticket, utcnow
from . import access
from .i18n import status_label
from .i18n import translate as _

bp = Blueprint("agency", __name__, url_prefix="/agency")
bp.before_request(access.guard({"agency"}))
bp.after_request(access.secure_headers)

PER_PAGE = 50
MAX_PAGE = 200  # 10,000 tickets back: further than that, filter by status
SNIPPET = 140
WIB = ZoneInfo("Asia/Jakarta")
TABS = ("", *agency_tickets.VISIBLE)  # "" is every ticket of the agency
# The history's events in words (dispatch.view.AGENCY_EVENTS); English in translations/agency.py.
EVENTS = {
    "created": "Laporan masuk",
    "routed": "Diarahkan ke instansi",
    "dispatched": "Diteruskan ke instansi",
    "responded": "Ditanggapi",
    "agency_response": "Tanggapan tambahan",
    "resolved": "Diselesaikan",
    "transferred": "Dialihkan (bukan wewenang)",
    "reopened": "Dibuka kembali",
    "citizen_reply": "Balasan pelapor",
    "citizen_info": "Keterangan tambahan pelapor",
    "rated": "Dinilai pelapor",
    "closed": "Ditutup",
    "status": "Status berubah",
}


@bp.context_processor
def _menu() -> dict:
    return {"nav": [("agency.index", "Tiket")], "when": when, "event_label": EVENTS.get}


def when(moment: datetime | None) -> str:
    """A timestamp as officers read it: Jakarta time (WIB)."""
    return moment.astimezone(WIB).strftime("%d-%m-%Y %H:%M WIB") if moment else "–"


def _is_overdue(ticket: Ticket, now: datetime) -> bool:
    return (
        ticket.sla_due_at is not None
        and ticket.status not in agency_tickets.DONE
        and ticket.sla_due_at.astimezone(UTC) < now
    )


def _arg(name: str, allowed: tuple[str, ...]) -> str:
    value = request.args.get(name, allowed[0])
    return value if value in allowed else allowed[0]


@bp.get("/")
def index() -> str:
    """The agency's tickets: a tab per status, newest or most urgent first, 50 a page."""
    code = current_user.agency_code
    status = _arg("status", TABS)
    order = _arg("order", agency_tickets.ORDERS)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    counts = agency_tickets.counts(db.session, code)
    counts[""] = sum(counts.values())
    found = agency_tickets.page_of(
        db.session, code, status=status or None, order=order, page=page, per_page=PER_PAGE
    )
    now = utcnow()
    rows = [
        {
            "ticket": t,
            "text": disclosure.text_for(t, disclosure.AGENCY)[:SNIPPET],
            "overdue": _is_overdue(t, now),
        }
        for t in found
    ]
    pages = min(MAX_PAGE, max(1, -(-counts.get(status, 0) // PER_PAGE)))
    return render_template(
        "agency/index.html",
        agency=db.session.get(Agency, code),
        rows=rows,
        counts=counts,
        tabs=TABS,
        status=status,
        order=order,
        page=page,
        pages=pages,
    )


def _own(number: str) -> Ticket:
    ticket = agency_tickets.own_ticket(db.session, current_user.agency_code, number)
    if ticket is None:
        abort(404)
    return ticket


@bp.get("/tickets/<number>")
def ticket(number: str) -> str:
    """One ticket as the agency may see it, its history, and what the officer can do."""
    found = _own(number)
    view = agency_view(db.session, found, access.settings().public_base_url)
    status = found.status
    return render_template(
        "agency/ticket.html",
        ticket=found,
        view=view,
        history=[
            {**event, "when": when(datetime.fromisoformat(event["at"]))}
            for event in agency_history(db.session, found)
        ],
        overdue=_is_overdue(found, utcnow()),
        can_respond=status == "responded" or lifecycle.can_move(status, "responded"),
        can_resolve=lifecycle.can_move(status, "resolved"),
        can_transfer=lifecycle.can_move(status, "transferred"),
    )


def _act(number: str, field: str, required: bool, action: Callable, done: str) -> Response:
    """Run a follow-up step as the officer; commit, then tell the citizen (as the API does)."""
    found = _own(number)
    value = request.form.get(field, "")
    back = redirect(url_for(".ticket", number=found.tracking_number))
    if required and not value.strip():
        flash(_("Isi teksnya dulu."), "error")
        return back
    try:
        step = action(found, value, access.settings())
    except followup.NotAllowed:
        db.session.rollback()
        flash(
            _(
                "Tiket berstatus {status} tidak bisa diberi tindakan ini.",
                status=status_label(found.status),
            ),
            "error",
        )
        return back
    db.session.commit()
    notice = step.notice
    if notice is not None and notice.to_send:
        current_app.extensions["enqueuer"].outbound_at(notice.outbound_id, notice.send_at)
    flash(_(done), "ok")
    if found.agency_code != current_user.agency_code:  # transferred: no longer ours to see
        return redirect(url_for(".index"))
    return back


@bp.post("/tickets/<number>/respond")
def respond(number: str) -> Response:
    """Tindak lanjut: the agency's response, texted to the citizen (the first one)."""
    return _act(
        number,
        "text",
        True,
        lambda t, text, s: followup.respond(
            db.session,
            t,
            current_user.agency_code,
            text,
            provider=s.sms_provider,
            base_url=s.public_base_url,
            now=utcnow(),
            actor=current_user.actor,
        ),
        "Tanggapan tersimpan dan dikirim ke pelapor.",
    )


@bp.post("/tickets/<number>/resolve")
def resolve(number: str) -> Response:
    """Mark the ticket resolved; the citizen is asked to rate it."""
    return _act(
        number,
        "note",
        False,
        lambda t, note, s: followup.resolve(
            db.session,
            t,
            current_user.agency_code,
            note,
            provider=s.sms_provider,
            now=utcnow(),
            actor=current_user.actor,
        ),
        "Tiket ditandai selesai; pelapor diminta memberi nilai.",
    )


@bp.post("/tickets/<number>/transfer")
def transfer(number: str) -> Response:
    """ "Bukan wewenang": hand the ticket back to the national admin's triage, with the reason."""
    return _act(
        number,
        "reason",
        True,
        lambda t, reason, s: followup.transfer(
            db.session,
            t,
            current_user.agency_code,
            reason,
            provider=s.sms_provider,
            now=utcnow(),
            actor=current_user.actor,
        ),
        "Tiket dikembalikan ke admin nasional untuk dialihkan.",
    )
