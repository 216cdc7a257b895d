"""Forwarding a ticket to its agency, once, through the agency's channel.

A ticket that became ``verified`` (or was reopened) gets a :class:`Dispatch` row keyed by the
event that asked for it, so asking twice makes one row. :func:`deliver` claims the row
(pending/retrying → sending) and commits before calling the channel, so a re-run job never sends
twice. Transient failures go back to ``retrying`` for the job's next try; after
``max_attempts``, or on a refusal, the row is ``dead`` (a dead letter operators see in
:func:`dead_letters`) and the ticket gets a ``dispatch_failed`` event. On success a verified
ticket moves to ``dispatched`` and the citizen is told to whom.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import lifecycle, tracking
from ..db import dialect_insert
from ..models import Agency, Dispatch, InboundMessage, Ticket, TicketEvent, utcnow
from . import channels, citizen
from .view import agency_view

PENDING, SENDING, DELIVERED, RETRYING, DEAD, CANCELLED = (
    "pending",
    "sending",
    "delivered",
    "retrying",
    "dead",
    "cancelled",
)
DISPATCHED, REOPENED = "dispatched", "reopened"
# The SLA clock's messages: a reminder to the agency, a teguran to its supervisor.
SLA_REMINDER, SLA_ESCALATED = "sla_reminder", "sla_escalated"
_LEADS = {
    REOPENED: "Laporan dibuka kembali oleh pelapor.",
    SLA_REMINDER: "Pengingat: batas waktu tindak lanjut laporan ini segera berakhir.",
    SLA_ESCALATED: "Teguran: laporan ini melewati batas waktu tindak lanjut instansi {agency}.",
}


@dataclass(frozen=True)
class Transport:
    """What delivering needs from the settings."""

    smtp: channels.Smtp
    timeout: float = 10.0
    max_attempts: int = 8
    provider: str = "sandbox"  # for the citizen's SMS
    public_base_url: str = ""


@dataclass(frozen=True)
class Outcome:
    """What a delivery did: the row's status and the citizen SMS to enqueue after the commit."""

    status: str
    notices: list[citizen.Notice] = field(default_factory=list)


class RetryLater(Exception):
    """A transient failure; the job should be retried (the row is ``retrying``)."""


def _target(agency: Agency) -> str | None:
    return {"webhook": agency.webhook_url, "email": agency.email}.get(agency.channel)


def request(
    session: Session, ticket: Ticket, purpose: str, event_id: int, agency_code: str | None = None
) -> int | None:
    """The dispatch row for ``event_id`` (created once); None when the agency is unknown.

    It goes to the ticket's agency, or to ``agency_code`` (a supervisor receiving a teguran).
    """
    code = agency_code or ticket.agency_code
    agency = session.get(Agency, code) if code else None
    if agency is None:
        return None
    key = (
        f"dispatch-{ticket.id}-{event_id}-{agency.code}"
        if agency_code
        else f"dispatch-{ticket.id}-{event_id}"
    )
    now = utcnow()
    created = session.execute(
        dialect_insert(session, Dispatch)
        .values(
            key=key,
            ticket_id=ticket.id,
            event_id=event_id,
            purpose=purpose,
            agency_code=agency.code,
            channel=agency.channel,
            target=_target(agency),
            status=PENDING,
            attempts=0,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(Dispatch.id)
    ).scalar()
    return created or session.scalar(select(Dispatch.id).where(Dispatch.key == key))


def latest_event_id(session: Session, ticket_id: int, to_status: str) -> int | None:
    """The id of the newest event that moved the ticket to ``to_status``."""
    return session.scalar(
        select(TicketEvent.id)
        .where(TicketEvent.ticket_id == ticket_id, TicketEvent.to_status == to_status)
        .order_by(TicketEvent.id.desc())
        .limit(1)
    )


def request_for_ticket(session: Session, ticket_id: int) -> int | None:
    """A dispatch for a verified ticket's current verification; None if it awaits none."""
    ticket = session.get(Ticket, ticket_id)
    return request_for(session, ticket) if ticket is not None else None


def request_for(session: Session, ticket: Ticket) -> int | None:
    """``request_for_ticket`` for a ticket already loaded."""
    if ticket.status != "verified" or not ticket.agency_code:
        return None
    event_id = latest_event_id(session, ticket.id, "verified")
    return request(session, ticket, DISPATCHED, event_id or 0)


def request_for_message(session: Session, inbound_id: int) -> int | None:
    """After processing an SMS: the dispatch its ticket now needs, if it became verified."""
    ticket_id = session.scalar(
        select(InboundMessage.ticket_id).where(InboundMessage.id == inbound_id)
    )
    return request_for_ticket(session, ticket_id) if ticket_id else None


def _payload(session: Session, row: Dispatch, ticket: Ticket, base_url: str) -> bytes:
    body = {
        "event": f"ticket.{row.purpose}",
        "delivery_id": row.key,
        "ticket": agency_view(session, ticket, base_url),
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode()


def _email_text(view: dict, purpose: str) -> str:
    lead = _LEADS.get(purpose, "Laporan baru.").format(agency=view.get("agency") or "-")
    lines = [
        lead,
        "",
        f"No. laporan : {view['number']}",
        f"Kategori    : {view['category'] or '-'}",
        f"Wilayah     : {(view['region'] or {}).get('name', '-')}",
        f"Pelapor     : {view['reporter'] or '-'}",
        f"Rahasia     : {'ya, jangan dipublikasikan' if view['rahasia'] else 'tidak'}",
        "",
        view["text"],
        "",
        "Tanggapi lewat API /api/v1/ atau portal instansi. Data lengkap: lampiran JSON.",
    ]
    return "\n".join(lines)


def _send(session: Session, row: Dispatch, ticket: Ticket, agency: Agency, t: Transport) -> None:
    body = _payload(session, row, ticket, t.public_base_url)
    if row.channel == "webhook":
        event = f"ticket.{row.purpose}"
        channels.post_webhook(
            row.target or "",
            agency.webhook_secret or "",
            body,
            delivery_id=row.key,
            event=event,
            timeout=t.timeout,
        )
    elif row.channel == "email":
        view = json.loads(body)["ticket"]
        number = tracking.display(ticket.tracking_number)
        channels.send_email(
            t.smtp,
            row.target or "",
            f"[LAPOR! 1708] Laporan {number}: {view['category'] or 'perlu tindak lanjut'}",
            _email_text(view, row.purpose),
            message_id=f"<{row.key}@lapor1708>",
            attachment=(f"laporan-{ticket.tracking_number}.json", body),
            timeout=t.timeout,
        )


def _still_wanted(row: Dispatch, ticket: Ticket) -> bool:
    if row.purpose == SLA_ESCALATED:  # to the supervisor: wanted while the agency owes an answer
        return ticket.status == "dispatched"
    if ticket.agency_code != row.agency_code:
        return False
    return ticket.status == ("verified" if row.purpose == DISPATCHED else "dispatched")


def deliver(session: Session, dispatch_id: int, transport: Transport, now: datetime) -> Outcome:
    """Send one dispatch through its channel; raise RetryLater on a transient failure."""
    row = session.get(Dispatch, dispatch_id)
    if row is None or row.status not in (PENDING, RETRYING):
        return Outcome(row.status if row else "missing")
    ticket = session.get(Ticket, row.ticket_id)
    agency = session.get(Agency, row.agency_code)
    if agency is None or not _still_wanted(row, ticket):
        row.status, row.updated_at = CANCELLED, utcnow()
        row.last_error = "the ticket moved on before it was forwarded"
        session.commit()
        return Outcome(CANCELLED)
    claimed = session.execute(
        update(Dispatch)
        .where(Dispatch.id == dispatch_id, Dispatch.status.in_((PENDING, RETRYING)))
        .values(status=SENDING, attempts=Dispatch.attempts + 1, updated_at=utcnow())
    ).rowcount
    session.commit()
    if not claimed:  # another worker took it: report what it made of it
        session.refresh(row)
        return Outcome(row.status)
    try:
        _send(session, row, ticket, agency, transport)
    except channels.DispatchError as exc:
        final = isinstance(exc, channels.Permanent) or row.attempts >= transport.max_attempts
        row.status, row.updated_at = (DEAD if final else RETRYING), utcnow()
        row.last_error, row.response_code = str(exc)[:2000], exc.code
        if final:
            lifecycle.record(
                session,
                ticket.id,
                "dispatch_failed",
                actor="system",
                reason=f"{row.channel}: {exc}"[:500],
                data={"dispatch": row.id, "agency": row.agency_code, "attempts": row.attempts},
            )
        session.commit()
        if not final:
            raise RetryLater(str(exc)) from exc
        return Outcome(DEAD)
    return _delivered(session, row, ticket, agency, transport, now)


def _delivered(
    session: Session, row: Dispatch, ticket: Ticket, agency: Agency, t: Transport, now: datetime
) -> Outcome:
    row.status, row.delivered_at = DELIVERED, utcnow()
    row.updated_at, row.last_error = row.delivered_at, None
    data = {
        "agency": agency.code,
        "channel": row.channel,
        "dispatch": row.id,
        "purpose": row.purpose,
    }
    notices = []
    if row.purpose == DISPATCHED and lifecycle.can_move(ticket.status, "dispatched"):
        change = lifecycle.move(
            session, ticket, "dispatched", actor="system", kind="dispatched", data=data
        )
        notice = citizen.status_update(
            session,
            ticket,
            change.event_id,
            "dispatched",
            provider=t.provider,
            now=now,
            agency=agency.name,
        )
        notices = [notice] if notice else []
    else:
        lifecycle.record(session, ticket.id, "agency_notified", actor="system", data=data)
    session.commit()
    return Outcome(DELIVERED, notices)


def dead_letters(session: Session, limit: int = 100) -> list[Dispatch]:
    """Forwardings that failed for good, newest first: operators must act on these."""
    return list(
        session.execute(
            select(Dispatch)
            .where(Dispatch.status == DEAD)
            .order_by(Dispatch.updated_at.desc(), Dispatch.id.desc())
            .limit(limit)
        ).scalars()
    )


def retry_dead(session: Session, dispatch_id: int) -> bool:
    """Give a dead letter another round of tries (an operator's decision; caller commits)."""
    return bool(
        session.execute(
            update(Dispatch)
            .where(Dispatch.id == dispatch_id, Dispatch.status == DEAD)
            .values(status=RETRYING, attempts=0, updated_at=utcnow())
        ).rowcount
    )


def waiting(session: Session, older_than_seconds: int, limit: int = 500) -> list[int]:
    """Dispatches pending or retrying for a while (their job may be lost): the sweeper's list."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    return list(
        session.execute(
            select(Dispatch.id)
            .where(Dispatch.status.in_((PENDING, RETRYING)), Dispatch.updated_at < cutoff)
            .order_by(Dispatch.id)
            .limit(limit)
        ).scalars()
    )


def undispatched(session: Session, older_than_seconds: int, limit: int = 500) -> list[int]:
    """Verified tickets with an agency but no dispatch yet (verified by an operator, say)."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    asked = select(Dispatch.id).where(
        Dispatch.ticket_id == Ticket.id,
        Dispatch.agency_code == Ticket.agency_code,
        Dispatch.purpose == DISPATCHED,
    )
    return list(
        session.execute(
            select(Ticket.id)
            .where(
                Ticket.status == "verified",
                Ticket.agency_code.is_not(None),
                Ticket.updated_at < cutoff,
                ~asked.exists(),
            )
            .limit(limit)
        ).scalars()
    )
