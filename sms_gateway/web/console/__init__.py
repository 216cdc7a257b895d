"""/console/: the national admin's operator console (one blueprint, one part per page)."""

from __future__ import annotations

from flask import Blueprint, current_app

from ...models import STAFF
from .. import access
from . import boards, charts, home, queue, search, simulator, tickets, triage

bp = Blueprint("console", __name__, url_prefix="/console")
bp.before_request(access.guard(STAFF))
bp.after_request(access.secure_headers)
for part in (home, queue, triage, tickets, boards, charts, search, simulator):
    bp.register_blueprint(part.bp)

# The menu, in the order an operator's day goes; a page that does not exist here is left out.
NAV = (
    ("console.home.index", "Ringkasan"),
    ("console.queue.index", "Antrean SMS"),
    ("console.triage.index", "Triase"),
    ("console.boards.sla", "Papan SLA"),
    ("console.charts.index", "Grafik"),
    ("console.search.index", "Cari"),
    ("console.simulator.index", "Simulator HP"),
)


@bp.context_processor
def _menu() -> dict:
    views = current_app.view_functions
    settings = access.settings()
    shown = [
        (endpoint, label)
        for endpoint, label in NAV
        if endpoint in views
        and (endpoint != "console.simulator.index" or simulator.enabled(settings))
    ]
    return {"nav": shown}
