"""A ticket as an agency may see it: one shape for the webhook, the e-mail and the API."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import disclosure, places, tracking
from ..models import Agency, Citizen, Ticket, TicketEvent
from ..understand import mask_pii

# Events an agency sees in a ticket's history (never operators' internal notes).
AGENCY_EVENTS = frozenset(
    {
        "created",
        "routed",
        "dispatched",
        "responded",
        "agency_response",
        "resolved",
        "transferred",
        "reopened",
        "citizen_reply",
        "citizen_info",
        "rated",
        "closed",
        "status",
    }
)


def iso(moment: datetime | None) -> str | None:
    """A UTC timestamp as ISO 8601 with seconds, or None."""
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


def public_url(ticket: Ticket, base_url: str) -> str | None:
    """The ticket's public page, or None for rahasia tickets (they have none)."""
    if not disclosure.visible_to(ticket, disclosure.PUBLIC):
        return None
    return f"{base_url.rstrip('/')}/t/{ticket.tracking_number}"


def region_of(code: str | None) -> dict[str, str] | None:
    """The region's code and Kemendagri name."""
    region = places.get(code) if code else None
    return {"code": code, "name": region.name} if region else None


def agency_view(session: Session, ticket: Ticket, base_url: str = "") -> dict:
    """The ticket through disclosure.AGENCY: masked text, no identity for anonim tickets."""
    audience = disclosure.AGENCY
    # The whole row (not just the phone): the citizen's SMS that follows reads it from the session.
    reporter = session.get(Citizen, ticket.citizen_id) if ticket.citizen_id is not None else None
    phone = reporter.phone if reporter else None
    agency = session.get(Agency, ticket.agency_code) if ticket.agency_code else None
    return {
        "tracking_number": ticket.tracking_number,
        "number": tracking.display(ticket.tracking_number),
        "status": ticket.status,
        "report_type": ticket.report_type,
        "category": ticket.category,
        "subcategory": ticket.subcategory,
        "text": disclosure.text_for(ticket, audience),
        "region": region_of(ticket.region_code),
        "reporter": disclosure.reporter_for(ticket, phone, audience),
        "anonim": ticket.is_anonim,
        "rahasia": ticket.is_rahasia,
        "urgent": ticket.is_urgent,
        "agency": {"code": agency.code, "name": agency.name} if agency else None,
        "rating": ticket.rating,
        "created_at": iso(ticket.created_at),
        "verified_at": iso(ticket.verified_at),
        "dispatched_at": iso(ticket.dispatched_at),
        "responded_at": iso(ticket.responded_at),
        "resolved_at": iso(ticket.resolved_at),
        "closed_at": iso(ticket.closed_at),
        "public_url": public_url(ticket, base_url) if base_url else None,
    }


def agency_history(session: Session, ticket: Ticket) -> list[dict]:
    """The ticket's events an agency may read; texts are the agency's and citizen's own words."""
    rows = session.execute(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind.in_(AGENCY_EVENTS))
        .order_by(TicketEvent.at, TicketEvent.id)
    ).scalars()
    history = []
    for event in rows:
        data = event.data or {}
        text = data.get("text") if event.kind != "created" else None
        if text and event.actor == "citizen":
            text = mask_pii(text).text
        history.append(
            {
                "at": iso(event.at),
                "kind": event.kind,
                "actor": "citizen" if event.actor == "citizen" else event.actor.split(":")[0],
                "status": event.to_status,
                "reason": event.reason,
                "text": text,
            }
        )
    return history
