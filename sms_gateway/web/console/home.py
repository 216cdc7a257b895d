"""The console's first page: the day at a glance, each figure a link to where to act on it."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template
from sqlalchemy import func, select

from ...db import db
from ...lifecycle import OPEN
from ...models import InboundMessage, Ticket, utcnow

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    """Open tickets by status, what waits for an operator, what is late, today's SMS."""
    session = db.session
    now = utcnow()
    by_status = dict(
        session.execute(
            select(Ticket.status, func.count())
            .where(Ticket.status.in_(OPEN))
            .group_by(Ticket.status)
        ).all()
    )
    waiting = session.scalar(
        select(func.count())
        .select_from(Ticket)
        .where(Ticket.status.in_(OPEN), Ticket.needs_triage)  # not IS TRUE: see ix_tickets_triage
    )
    overdue = session.scalar(
        select(func.count())
        .select_from(Ticket)
        .where(Ticket.status.in_(OPEN), Ticket.overdue_since.is_not(None))
    )
    last_day = session.scalar(
        select(func.count())
        .select_from(InboundMessage)
        .where(InboundMessage.received_at >= now - timedelta(hours=24))
    )
    return render_template(
        "console/home.html",
        by_status=by_status,
        open_total=sum(by_status.values()),
        waiting=waiting,
        overdue=overdue,
        last_day=last_day,
    )
