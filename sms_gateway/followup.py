"""Tindak lanjut (follow-up): what agencies do with a forwarded ticket, and the citizen's answer.

Agency side: :func:`respond` (the first response moves dispatched → responded), :func:`resolve`,
:func:`transfer` ("bukan wewenang": back to triage, that agency excluded from the next route).
Citizen side: within 10 days of the agency's last step a plain reply threads to the ticket
(:func:`thread_reply`); an objection or a rating of 1-2 reopens it to the agency
(:func:`reopen`); with no answer, :func:`close_unanswered` closes it. Each public step queues the
citizen's status SMS (:mod:`sms_gateway.dispatch.citizen`); the caller commits, then enqueues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from . import lifecycle
from .dispatch import citizen, core
from .dispatch.view import public_url
from .models import Ticket, TicketEvent

ANSWER_WINDOW = timedelta(days=10)
ANSWERABLE = ("responded", "resolved")
MAX_TEXT = 5000
_OBJECTION = re.compile(
    r"\b(belum|blm|blum|blom|keberatan|bohong|masih|msh|(tidak|tdk|gak|ga|nggak|g) "
    r"(benar|bener|puas|sesuai|beres|selesai))\b",
    re.IGNORECASE,
)


class NotAllowed(ValueError):
    """An action the ticket's state or the acting agency does not allow."""


@dataclass(frozen=True)
class Step:
    """What an action did: its event, and the citizen SMS queued for it (if any)."""

    event_id: int
    notice: citizen.Notice | None = None
    dispatch_id: int | None = None


def _event_id(session: Session, ticket_id: int, kind: str) -> int:
    return session.scalar(
        select(func.max(TicketEvent.id)).where(
            TicketEvent.ticket_id == ticket_id, TicketEvent.kind == kind
        )
    )


def _own(ticket: Ticket, agency_code: str) -> None:
    if ticket.agency_code != agency_code:
        raise NotAllowed("this ticket is not with your agency")


def _actor(agency_code: str, officer: str | None) -> str:
    # The API acts as the agency; the portal names its officer (agency:<code>:<username>).
    if officer is None:
        return f"agency:{agency_code}"
    if not officer.startswith(f"agency:{agency_code}:"):
        raise NotAllowed("the officer is not of this agency")
    return officer[:80]  # the events table keeps 80 characters of an actor


def _text(text: str | None, what: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise NotAllowed(f"{what} is required")
    return cleaned[:MAX_TEXT]


def respond(
    session: Session,
    ticket: Ticket,
    agency_code: str,
    text: str,
    *,
    provider: str,
    base_url: str,
    now: datetime,
    actor: str | None = None,
) -> Step:
    """Record the agency's response; the first one moves the ticket to responded and is texted."""
    _own(ticket, agency_code)
    words = _text(text, "text")
    actor = _actor(agency_code, actor)
    if ticket.status == "responded":
        lifecycle.record(session, ticket.id, "agency_response", actor=actor, data={"text": words})
        return Step(_event_id(session, ticket.id, "agency_response"))
    if not lifecycle.can_move(ticket.status, "responded"):
        raise NotAllowed(f"a {ticket.status} ticket cannot take a response")
    lifecycle.move(
        session, ticket, "responded", actor=actor, kind="responded", data={"text": words}
    )
    event_id = _event_id(session, ticket.id, "responded")
    link = (public_url(ticket, base_url) if base_url else None) or "CEK ke 1708"  # rahasia: none
    notice = citizen.status_update(
        session,
        ticket,
        event_id,
        "responded",
        provider=provider,
        now=now,
        agency=citizen.agency_name(session, agency_code),
        text=words,
        link=link,
    )
    return Step(event_id, notice)


def resolve(
    session: Session,
    ticket: Ticket,
    agency_code: str,
    note: str | None,
    *,
    provider: str,
    now: datetime,
    actor: str | None = None,
) -> Step:
    """The agency marks the ticket resolved; the citizen is asked for a NILAI."""
    _own(ticket, agency_code)
    if not lifecycle.can_move(ticket.status, "resolved"):
        raise NotAllowed(f"a {ticket.status} ticket cannot be resolved")
    data = {"text": note.strip()[:MAX_TEXT]} if note and note.strip() else None
    lifecycle.move(
        session, ticket, "resolved", actor=_actor(agency_code, actor), kind="resolved", data=data
    )
    event_id = _event_id(session, ticket.id, "resolved")
    notice = citizen.status_update(
        session,
        ticket,
        event_id,
        "resolved",
        provider=provider,
        now=now,
        agency=citizen.agency_name(session, agency_code),
    )
    return Step(event_id, notice)


def transfer(
    session: Session,
    ticket: Ticket,
    agency_code: str,
    reason: str,
    *,
    provider: str,
    now: datetime,
    actor: str | None = None,
) -> Step:
    """ "Bukan wewenang": back to triage with the reason; that agency is not routed to again."""
    _own(ticket, agency_code)
    why = _text(reason, "reason")[:500]
    if not lifecycle.can_move(ticket.status, "transferred"):
        raise NotAllowed(f"a {ticket.status} ticket cannot be transferred")
    routing = dict(ticket.routing or {})
    routing["declined_by"] = sorted({*routing.get("declined_by", []), agency_code})
    lifecycle.move(
        session,
        ticket,
        "transferred",
        actor=_actor(agency_code, actor),
        reason=why,
        kind="transferred",
        data={"agency": agency_code},
    )
    ticket.routing, ticket.agency_code = routing, None
    ticket.needs_triage, ticket.triage_reason = True, f"bukan wewenang {agency_code}: {why}"[:200]
    event_id = _event_id(session, ticket.id, "transferred")
    notice = citizen.status_update(
        session,
        ticket,
        event_id,
        "transferred",
        provider=provider,
        now=now,
        agency=citizen.agency_name(session, agency_code),
        reason=why,
    )
    return Step(event_id, notice)


def rejection_notice(
    session: Session, ticket: Ticket, event_id: int, reason: str, *, provider: str, now: datetime
) -> citizen.Notice | None:
    """The citizen's SMS saying why their ticket was rejected (operators call this)."""
    return citizen.status_update(
        session, ticket, event_id, "rejected", provider=provider, now=now, reason=reason
    )


def is_objection(text: str) -> bool:
    """True when a reply says the problem is not solved ("blm beres", "masih rusak")."""
    return bool(_OBJECTION.search(text))


def _last_step_at(session: Session, ticket: Ticket) -> datetime | None:
    step = ticket.resolved_at if ticket.status == "resolved" else ticket.responded_at
    said = session.scalar(
        select(func.max(TicketEvent.at)).where(
            TicketEvent.ticket_id == ticket.id, TicketEvent.actor == "citizen"
        )
    )
    return max((m for m in (step, said) if m is not None), default=None)


def answerable_ticket(session: Session, citizen_id: int, now: datetime) -> Ticket | None:
    """The citizen's ticket awaiting their answer (responded or resolved within 10 days)."""
    since = now - ANSWER_WINDOW
    return session.execute(
        select(Ticket)
        .where(
            Ticket.citizen_id == citizen_id,
            or_(
                (Ticket.status == "responded") & (Ticket.responded_at >= since),
                (Ticket.status == "resolved") & (Ticket.resolved_at >= since),
            ),
        )
        .order_by(func.coalesce(Ticket.resolved_at, Ticket.responded_at).desc(), Ticket.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def reopen(session: Session, ticket: Ticket, *, actor: str, reason: str) -> int | None:
    """Send the ticket back to its agency (resolved/responded → dispatched); the dispatch id."""
    if not lifecycle.can_move(ticket.status, "dispatched") or ticket.status == "verified":
        return None
    lifecycle.move(session, ticket, "dispatched", actor=actor, reason=reason, kind="reopened")
    return core.request(session, ticket, core.REOPENED, _event_id(session, ticket.id, "reopened"))


def thread_reply(
    session: Session, citizen_id: int, text: str, inbound_id: int, now: datetime
) -> tuple[Ticket, bool] | None:
    """Thread a plain reply to the citizen's answerable ticket; (ticket, reopened) or None."""
    ticket = answerable_ticket(session, citizen_id, now)
    if ticket is None:
        return None
    words = text.strip()[:MAX_TEXT]
    lifecycle.record(
        session,
        ticket.id,
        "citizen_reply",
        actor="citizen",
        data={"text": words, "inbound_id": inbound_id},
    )
    reopened = (
        is_objection(words)
        and reopen(session, ticket, actor="citizen", reason="keberatan pelapor") is not None
    )
    return ticket, reopened


def after_rating(session: Session, ticket: Ticket, score: int) -> str | None:
    """A rating of 1-2 reopens the ticket; 3-5 on a resolved ticket closes it."""
    if score <= 2:
        dispatch_id = reopen(session, ticket, actor="citizen", reason=f"nilai {score}")
        return "reopened" if dispatch_id is not None else None
    if ticket.status == "resolved":
        lifecycle.move(session, ticket, "closed", actor="citizen", reason=f"nilai {score}")
        return "closed"
    return None


def close_unanswered(session: Session, now: datetime, limit: int = 500) -> list[int]:
    """Close responded/resolved tickets with no exchange for 10 days (idempotent; caller commits)."""
    cutoff = now - ANSWER_WINDOW
    candidates = (
        session.execute(
            select(Ticket)
            .where(
                or_(
                    (Ticket.status == "responded") & (Ticket.responded_at < cutoff),
                    (Ticket.status == "resolved") & (Ticket.resolved_at < cutoff),
                )
            )
            .order_by(Ticket.id)
            .limit(limit)
        )
        .scalars()
        .all()
    )
    closed = []
    for ticket in candidates:
        last = _last_step_at(session, ticket)
        if last is not None and last >= cutoff:
            continue
        lifecycle.move(
            session,
            ticket,
            "closed",
            actor="system",
            kind="closed",
            reason="tidak ada tanggapan pelapor dalam 10 hari",
        )
        closed.append(ticket.id)
    return closed
