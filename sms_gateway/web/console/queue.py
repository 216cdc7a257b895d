"""/console/queue: the SMS queue live — in, out, failed jobs, depths, workers, throughput.

The page polls three partials every 3 seconds (htmx); each partial carries the newest id it
showed, so the next answer marks the rows that arrived since.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from workers import monitor

from ... import spool, tracking
from ...db import db
from ...models import utcnow
from ...reports import traffic
from .. import access
from ..i18n import translate

bp = Blueprint("queue", __name__, url_prefix="/queue")

WIB = timedelta(hours=7)
GOOD, WARN, BAD = "good", "warn", "bad"
STATUS_BADGE = {
    "delivered": GOOD,
    "sent": GOOD,
    "queued": WARN,
    "sending": WARN,
    "held": WARN,
    "undelivered": BAD,
    "failed": BAD,
}


def clock(moment: datetime | None) -> str:
    """A time of day in WIB, as operators read the queue."""
    return (moment.astimezone(UTC) + WIB).strftime("%H:%M:%S") if moment else ""


def age(seconds: float | None) -> str:
    """Seconds ago, short."""
    return "–" if seconds is None else f"{seconds:.0f} s"


def rate(per_minute: float) -> str:
    """Messages per minute: two decimals below one a minute, so a trickle does not read 0."""
    return f"{per_minute:.2f}" if per_minute < 1 else f"{per_minute:.1f}"


@bp.context_processor
def _helpers() -> dict:
    return {
        "clock": clock,
        "age": age,
        "rate": rate,
        "ticket_page": _ticket_page(),
        "display_number": tracking.display,
        "status_badge": STATUS_BADGE,
    }


def _since() -> int | None:
    raw = request.args.get("since", "")
    return int(raw) if raw.isdigit() else None


def _ticket_page() -> bool:
    return "console.tickets.show" in current_app.view_functions


def _inbound() -> dict:
    rows = traffic.latest_inbound(db.session)
    return {
        "inbound": rows,
        "inbound_since": _since(),
        "inbound_top": rows[0].id if rows else 0,
    }


def _outbound() -> dict:
    rows = traffic.latest_outbound(db.session)
    return {
        "outbound": rows,
        "outbound_since": _since(),
        "outbound_top": rows[0].id if rows else 0,
    }


def _status() -> dict:
    connection = current_app.extensions["redis"]
    now = utcnow()
    return {
        "failed": monitor.failed_jobs(connection),
        "depths": monitor.depths(connection),
        "workers": monitor.workers(connection, now),
        "throughput": traffic.throughput(db.session, now),
        "spooled": spool.pending(access.settings().spool_path),
        "dead": traffic.dead_letters(db.session),
    }


@bp.get("/")
def index() -> str:
    """The whole page; nothing is marked new on first sight."""
    return render_template("console/queue.html", **_inbound(), **_outbound(), **_status())


@bp.get("/live/inbound")
def live_inbound() -> str:
    """The inbound table, rows newer than ``since`` marked."""
    return render_template("console/queue_inbound.html", **_inbound())


@bp.get("/live/outbound")
def live_outbound() -> str:
    """The outbound table, rows newer than ``since`` marked."""
    return render_template("console/queue_outbound.html", **_outbound())


@bp.get("/live/status")
def live_status() -> str:
    """Depths, workers, throughput, spool, dead letters and failed jobs."""
    return render_template("console/queue_status.html", **_status())


@bp.post("/jobs/<job_id>/retry")
def retry(job_id: str) -> Response:
    """Put a failed job back on its queue."""
    connection = current_app.extensions["redis"]
    if monitor.retry(connection, job_id, current_user.actor):
        flash(translate("Tugas {job} dijalankan ulang.", job=job_id))
    else:
        flash(translate("Tugas {job} tidak lagi ada di daftar gagal.", job=job_id), "error")
    return redirect(url_for(".index"))


@bp.post("/jobs/<job_id>/discard")
def discard(job_id: str) -> Response:
    """Delete a failed job for good."""
    connection = current_app.extensions["redis"]
    if monitor.discard(connection, job_id, current_user.actor):
        flash(translate("Tugas {job} dibuang.", job=job_id))
    else:
        flash(translate("Tugas {job} tidak lagi ada di daftar gagal.", job=job_id), "error")
    return redirect(url_for(".index"))
