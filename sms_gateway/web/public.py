"""The public status page of a ticket: nothing personal, and nothing at all for rahasia tickets."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from .. import disclosure, tracking
from ..db import db
from ..models import Agency, Ticket, TicketEvent
from ..sms.templates import status_name

bp = Blueprint("public", __name__)

PUBLIC_EVENTS = {"created", "routed", "status", "dispatched", "responded", "resolved", "closed"}


@bp.get("/t/<path:number>")
def ticket_page(number: str):  # noqa: ANN201
    """``/t/48271-93056``: status, category, region and agency, with dated steps."""
    digits = tracking.normalise(number)
    ticket = None
    if digits:
        ticket = db.session.execute(
            select(Ticket).where(Ticket.tracking_number == digits)
        ).scalar_one_or_none()
    if ticket is None or not disclosure.visible_to(ticket, disclosure.PUBLIC):
        # A rahasia ticket looks exactly like an unknown number: its existence is not public.
        return render_template("public/not_found.html", number=number[:24]), 404
    agency = db.session.get(Agency, ticket.agency_code) if ticket.agency_code else None
    # The region's name as the worker found it (the web process never loads the gazetteer).
    region = (ticket.routing or {}).get("region") or {}
    steps = db.session.execute(
        select(TicketEvent.at, TicketEvent.to_status)
        .where(TicketEvent.ticket_id == ticket.id, TicketEvent.to_status.is_not(None))
        .order_by(TicketEvent.at, TicketEvent.id)
    ).all()
    return render_template(
        "public/ticket.html",
        number=tracking.display(ticket.tracking_number),
        status=status_name(ticket.status, "id"),
        category=ticket.category if not ticket.needs_triage else None,
        region=region.get("name"),
        agency=agency.name if agency else None,
        text=disclosure.text_for(ticket, disclosure.PUBLIC),
        created=ticket.created_at,
        steps=[(step.at, status_name(step.to_status, "id")) for step in steps],
    )
