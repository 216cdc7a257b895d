"""Console part: the SLA board (late and soon-due tickets by agency) and the agency league."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for

from ...db import db
from ...models import utcnow
from ...reports import league_cache, sla_board
from ...search import WIB
from ...tracking import display

bp = Blueprint("boards", __name__)


def ticket_link(number: str) -> str | None:
    """The console page of a ticket, when that page exists."""
    if "console.tickets.show" not in current_app.view_functions:
        return None
    return url_for("console.tickets.show", number=number)


@bp.get("/sla")
def sla() -> str:
    """What is late or due by the next working day, by agency; the league under it."""
    now = utcnow()
    days = request.args.get("days", type=int)
    days = days if days in sla_board.LEAGUE_WINDOWS else 30
    sort = request.args.get("sort", "open_overdue")
    sort = sort if sort in sla_board.LEAGUE_COLUMNS else "open_overdue"
    descending = request.args.get("dir", "desc") != "asc"
    computed_at, rows = league_cache.league(db.session, current_app.extensions["redis"], now, days)
    return render_template(
        "console/sla.html",
        groups=sla_board.board(db.session, now),
        due_until=sla_board.due_soon_until(now),
        league=sla_board.sort_league(rows, sort, descending),
        idle=[row for row in rows if row["idle"]],
        days=days,
        computed_at=computed_at,
        windows=sla_board.LEAGUE_WINDOWS,
        sort=sort,
        descending=descending,
        ticket_link=ticket_link,
        display=display,
        wib=WIB,
    )
