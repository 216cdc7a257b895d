"""The triage queue's tabs: which open tickets wait for an operator, oldest first, in pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CompoundSelect, and_, func, select, tuple_, union
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ..citizen_commands import INFO_MARK
from ..lifecycle import OPEN
from ..models import Citizen, Ticket

TABS = ("unsure", "needs_info", "transferred", "flagged")
PAGE = 50
SNIPPET = 90  # characters of the citizen's text shown in a row


@dataclass(frozen=True)
class Row:
    """One ticket in a triage list."""

    id: int
    tracking_number: str
    status: str
    created_at: datetime
    reason: str | None
    snippet: str
    category: str | None
    confidence: float | None
    flag: str | None
    urgent: bool
    citizen_flagged: bool
    answered: bool = False  # the citizen has added details (INFO, or an answer to a question)


def _condition(tab: str) -> ColumnElement[bool]:
    if tab == "unsure":
        # plain ``needs_triage`` (not IS TRUE): PostgreSQL then matches ix_tickets_triage
        return and_(Ticket.status == "received", Ticket.needs_triage)
    if tab in ("needs_info", "transferred"):
        return Ticket.status == tab
    if tab == "flagged":
        return Ticket.id.in_(_flagged())
    raise ValueError(f"unknown triage tab: {tab}")


def _flagged() -> CompoundSelect:
    """Open tickets an operator should look at, one arm per reason.

    Each arm carries the status filter itself, so each is read from a small partial index (flag,
    emergency kind, urgent, flagged citizens) instead of checking the status of every open ticket.
    """
    still_open = Ticket.status.in_(OPEN)
    flagged_citizens = select(Citizen.id).where(Citizen.flagged == True)  # noqa: E712
    return union(
        select(Ticket.id).where(Ticket.flag.is_not(None), still_open),
        select(Ticket.id).where(Ticket.emergency_kind.is_not(None), still_open),
        select(Ticket.id).where(Ticket.is_urgent == True, still_open),  # noqa: E712
        select(Ticket.id).where(Ticket.citizen_id.in_(flagged_citizens), still_open),
    )


def counts(session: Session) -> dict[str, int]:
    """How many tickets wait in each tab."""
    found = {
        tab: session.scalar(select(func.count()).select_from(Ticket).where(_condition(tab)))
        for tab in TABS
        if tab != "flagged"
    }
    found["flagged"] = session.scalar(select(func.count()).select_from(_flagged().subquery()))
    return {tab: found[tab] for tab in TABS}


def page(
    session: Session, tab: str, after: int | None = None, limit: int = PAGE
) -> tuple[list[Row], int | None]:
    """A page of ``tab``, what waited longest first; and the id to continue after (or None)."""
    query = (
        select(
            Ticket.id,
            Ticket.tracking_number,
            Ticket.status,
            Ticket.created_at,
            Ticket.triage_reason,
            func.substr(Ticket.text, 1, SNIPPET + 1).label("text"),
            Ticket.category,
            Ticket.confidence,
            Ticket.flag,
            Ticket.is_urgent,
            Ticket.emergency_kind,
            Citizen.flagged.label("citizen_flagged"),
            Ticket.text.contains(INFO_MARK, autoescape=True).label("answered"),
        )
        .select_from(Ticket)
        .outerjoin(Citizen, Citizen.id == Ticket.citizen_id)
        .where(_condition(tab))
    )
    if after is not None:
        since = session.scalar(select(Ticket.created_at).where(Ticket.id == after))
        if since is not None:
            # a row comparison, which an index on (…, created_at, id) answers as a range
            query = query.where(tuple_(Ticket.created_at, Ticket.id) > (since, after))
    found = session.execute(query.order_by(Ticket.created_at, Ticket.id).limit(limit + 1)).all()
    rows = [
        Row(
            id=r.id,
            tracking_number=r.tracking_number,
            status=r.status,
            created_at=r.created_at,
            reason=r.triage_reason,
            snippet=_snippet(r.text or ""),
            category=r.category,
            confidence=r.confidence,
            flag=r.flag,
            urgent=bool(r.is_urgent or r.emergency_kind),
            citizen_flagged=bool(r.citizen_flagged),
            answered=bool(r.answered),
        )
        for r in found[:limit]
    ]
    return rows, (rows[-1].id if len(found) > limit else None)


def _snippet(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= SNIPPET else words[:SNIPPET].rsplit(" ", 1)[0] + "…"
