"""Console part: triage, the tickets that wait for an operator (oldest first, in tabs)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from ... import locks, triage
from ...db import db
from ...models import utcnow
from ..i18n import translate

bp = Blueprint("triage", __name__, url_prefix="/triage")

TAB_LABELS = {
    "unsure": "Mesin ragu",
    "needs_info": "Perlu keterangan",
    "transferred": "Dialihkan instansi",
    "flagged": "Ditandai",
}


@bp.get("/")
def index() -> str:
    """One tab of the triage queue, with the count of every tab and who works on what."""
    tab = request.args.get("tab", "unsure")
    if tab not in triage.TABS:
        abort(404)
    after = request.args.get("after", type=int)
    rows, next_after = triage.page(db.session, tab, after=after)
    working = locks.holders(current_app.extensions["redis"], [row.id for row in rows])
    return render_template(
        "console/triage.html",
        tab=tab,
        tabs=TAB_LABELS,
        counts=triage.counts(db.session),
        rows=rows,
        working=working,
        after=after,
        next_after=next_after,
        now=utcnow(),
    )


@bp.app_template_filter("ticket_age")
def ticket_age(moment) -> str:  # noqa: ANN001
    """How long ago ``moment`` was, in a few words (e.g. "2 hari 3 jam")."""
    if moment is None:
        return ""
    minutes = max(0, int((utcnow() - moment).total_seconds() // 60))
    days, hours = minutes // 1440, minutes // 60 % 24
    if days:
        return translate("{days} hari {hours} jam", days=days, hours=hours)
    if minutes >= 60:
        return translate("{hours} jam {minutes} mnt", hours=hours, minutes=minutes % 60)
    return translate("{minutes} mnt", minutes=minutes)
