"""Console part: search tickets by any filter, and export the current view as CSV."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request, stream_with_context
from sqlalchemy import select

from ... import search
from ...db import db
from ...models import STATUSES, Category, utcnow
from ...tracking import display
from .boards import ticket_link

bp = Blueprint("search", __name__)


@bp.get("/search")
def index() -> str:
    """The search form and one keyset page of results."""
    filters = search.Filters.from_args(request.args)
    page = search.find(db.session, filters, after=request.args.get("after"))
    categories = db.session.scalars(
        select(Category.name).where(Category.is_top.is_(True)).order_by(Category.name)
    ).all()
    return render_template(
        "console/search.html",
        filters=filters,
        page=page,
        first_page=not request.args.get("after"),
        categories=categories,
        statuses=STATUSES,
        ticket_link=ticket_link,
        display=display,
        wib=search.WIB,
    )


@bp.get("/search.csv")
def export() -> Response:
    """The current view's tickets as CSV, personal data masked, at most EXPORT_CAP rows."""
    filters = search.Filters.from_args(request.args)
    name = f"laporan-{utcnow().astimezone(search.WIB):%Y%m%d-%H%M}-maks{search.EXPORT_CAP}.csv"
    lines = search.export_lines(db.session, filters)
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
