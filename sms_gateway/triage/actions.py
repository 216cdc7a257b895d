"""What an operator does on a ticket page: verify, reroute, merge, reply, protect, flag.

Each action records an event with the operator as actor and refuses what the lifecycle forbids
with a :class:`TriageError` an operator can read. The caller commits, then enqueues what the
result names (a dispatch, an SMS), like the workers do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import dispatch, lifecycle, outbound
from ..dispatch.citizen import Notice, quiet_until
from ..models import Agency, Citizen, InboundMessage, Ticket, TicketEvent, utcnow
from ..sms.encoding import Encoded, measure, to_gsm7
from ..sms.templates import render
from ..tracking import display
from .core import TriageError, reclassify

MAX_REPLY_SEGMENTS = 3  # an operator's reply costs the citizen nothing, but the service pays
PRIVACY_FLAGS = ("rahasia", "anonim")
FLAGS = ("abuse", "emergency", "attention")
MERGE_TARGET_CLOSED = frozenset({"closed", "rejected", "withdrawn"})
_NONCE = re.compile(r"^[A-Za-z0-9-]{8,40}$")
# Where an operator's question may leave a ticket waiting for the citizen's answer: with the
# operators still, not yet verified towards an agency (whose forwarding may be under way).
AWAITABLE = frozenset({"received", "needs_info", "transferred"})
ASKED_REASON = "Operator menanyakan keterangan ke pelapor lewat SMS."


@dataclass(frozen=True)
class Reply:
    """An operator's SMS to the citizen: its row, whether it is new, and how it travels."""

    outbound_id: int
    to_send: bool
    status: str
    encoded: Encoded
    awaiting: bool = False  # the ticket waits for the citizen's answer (needs_info)


def _event_id(session: Session, ticket_id: int, kind: str) -> int:
    return session.scalar(
        select(TicketEvent.id)
        .where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind == kind)
        .order_by(TicketEvent.id.desc())
        .limit(1)
    )


def agency(session: Session, code: str | None) -> Agency:
    """The active agency with ``code``, or a TriageError."""
    row = session.get(Agency, code.strip()) if code and code.strip() else None
    if row is None or not row.active:
        raise TriageError("Instansi {code} tidak ada di direktori.", code=code or "-")
    return row


def verify(
    session: Session, ticket: Ticket, actor: str, agency_code: str | None = None
) -> int | None:
    """Verify the ticket towards an agency (chosen, routed or suggested); the dispatch id."""
    suggested = (ticket.routing or {}).get("suggested_agency")
    code = (agency_code or "").strip() or ticket.agency_code or suggested
    if not code:
        raise TriageError("Pilih instansi tujuan sebelum memverifikasi.")
    target = agency(session, code)
    if not lifecycle.can_move(ticket.status, "verified"):
        raise TriageError(
            "Tiket berstatus {status} tidak dapat diverifikasi.", status=ticket.status
        )
    ticket.agency_code = target.code
    ticket.needs_triage, ticket.triage_reason = False, None
    ticket.routing = {**(ticket.routing or {}), "by": actor, "agency": target.code}
    lifecycle.move(
        session,
        ticket,
        "verified",
        actor=actor,
        reason=f"diverifikasi operator: diteruskan ke {target.name}",
        kind="verified",
        data={"agency": target.code},
    )
    return dispatch.request_for_ticket(session, ticket.id)


def reclassify_and_route(session: Session, ticket: Ticket, category: str, actor: str) -> int | None:
    """Correct the category (kept as training data), route again; the dispatch id if verified."""
    if not lifecycle.can_move(ticket.status, "verified"):
        raise TriageError(
            "Tiket berstatus {status} tidak dapat diklasifikasi ulang; alihkan instansinya.",
            status=ticket.status,
        )
    reclassify(session, ticket, category, actor)
    return dispatch.request_for_ticket(session, ticket.id)


def reroute(
    session: Session, ticket: Ticket, agency_code: str, reason: str, actor: str
) -> int | None:
    """Send the ticket to another agency (forwarded ones go back through verification)."""
    target = agency(session, agency_code)
    why = (reason or "").strip()[:500]
    previous = ticket.agency_code
    if target.code == previous and ticket.status not in ("received", "needs_info", "transferred"):
        raise TriageError("Tiket sudah ditujukan ke {agency}.", agency=target.name)
    moved = {"from": previous, "to": target.code}
    if ticket.status in ("dispatched", "responded"):
        if not why:
            raise TriageError("Mengalihkan tiket yang sudah diteruskan perlu alasan.")
        lifecycle.move(
            session, ticket, "transferred", actor=actor, reason=why, kind="rerouted", data=moved
        )
        return verify(session, ticket, actor, target.code)
    if ticket.status == "verified":
        ticket.agency_code = target.code
        ticket.routing = {**(ticket.routing or {}), "by": actor, "agency": target.code}
        lifecycle.record(
            session, ticket.id, "rerouted", actor=actor, reason=why or None, data=moved
        )
        # A new dispatch keyed by this event; the one to the old agency is cancelled unsent.
        event_id = _event_id(session, ticket.id, "rerouted")
        return dispatch.request(session, ticket, dispatch.DISPATCHED, event_id)
    if not lifecycle.can_move(ticket.status, "verified"):
        raise TriageError("Tiket berstatus {status} tidak dapat dialihkan.", status=ticket.status)
    lifecycle.record(session, ticket.id, "rerouted", actor=actor, reason=why or None, data=moved)
    return verify(session, ticket, actor, target.code)


def merge(
    session: Session,
    duplicate: Ticket,
    target: Ticket,
    actor: str,
    *,
    provider: str,
    now: datetime,
) -> Notice | None:
    """Merge a duplicate into ``target``: rejected with a reason naming it, its citizen told once."""
    if duplicate.id == target.id:
        raise TriageError("Tiket tidak dapat digabung ke dirinya sendiri.")
    if target.status in MERGE_TARGET_CLOSED or target.merged_into_id is not None:
        raise TriageError(
            "Tiket {number} sudah {status}: pilih tiket yang masih terbuka.",
            number=display(target.tracking_number),
            status=target.status,
        )
    if not lifecycle.can_move(duplicate.status, "rejected"):
        raise TriageError("Tiket berstatus {status} tidak dapat digabung.", status=duplicate.status)
    if target.is_rahasia and target.citizen_id != duplicate.citizen_id:
        # Naming a confidential report to another citizen would tell them it exists.
        raise TriageError(
            "Tiket {number} rahasia: tolak duplikat ini dengan alasan saja.",
            number=display(target.tracking_number),
        )
    number = display(target.tracking_number)
    lifecycle.move(
        session,
        duplicate,
        "rejected",
        actor=actor,
        reason=f"duplikat dari laporan {number}",
        kind="merged",
        data={"into": target.tracking_number},
    )
    duplicate.merged_into_id, duplicate.needs_triage = target.id, False
    lifecycle.record(
        session,
        target.id,
        "merged_in",
        actor=actor,
        reason=f"laporan {display(duplicate.tracking_number)} digabung ke sini",
        data={"from": duplicate.tracking_number},
    )
    citizen = session.get(Citizen, duplicate.citizen_id) if duplicate.citizen_id else None
    if citizen is None or not citizen.phone_valid:
        return None
    queued = outbound.queue_sms(
        session,
        to=citizen.phone,
        body=render("merged", citizen.language, digits=target.tracking_number),
        kind="status",
        key=f"merged-{duplicate.id}",
        provider=provider,
        citizen_id=citizen.id,
        ticket_id=duplicate.id,
    )
    send_at = None if duplicate.is_urgent else quiet_until(duplicate.region_code, now)
    return Notice(queued.id, queued.to_send, send_at)


def reply(
    session: Session,
    ticket: Ticket,
    text: str,
    actor: str,
    *,
    provider: str,
    nonce: str = "",
    await_answer: bool = False,
) -> Reply:
    """Queue an operator's SMS to the ticket's citizen (the same form sent twice queues once).

    ``await_answer``: the SMS asks the citizen something, so the ticket waits for the answer
    (``needs_info``): a plain SMS from that number in the next 3 days is added to it and the
    ticket is analysed again, as an INFO would be (activity.py).
    """
    words = to_gsm7((text or "").replace("\r\n", "\n").strip())
    if not words:
        raise TriageError("Tulis balasannya dulu.")
    if await_answer and ticket.status not in AWAITABLE:
        raise TriageError(
            "Tiket berstatus {status} tidak menunggu keterangan: kirim balasan tanpa pilihan itu.",
            status=ticket.status,
        )
    encoded = measure(words)
    if encoded.segments > MAX_REPLY_SEGMENTS:
        raise TriageError(
            "Balasan terlalu panjang: {segments} SMS ({encoding}); paling banyak {most}.",
            segments=encoded.segments,
            encoding=encoded.encoding,
            most=MAX_REPLY_SEGMENTS,
        )
    citizen = session.get(Citizen, ticket.citizen_id) if ticket.citizen_id else None
    if citizen is None or not citizen.phone_valid:
        raise TriageError("Nomor pelapor tidak dapat dikirimi SMS.")
    latest = session.scalar(
        select(InboundMessage.id)
        .where(InboundMessage.ticket_id == ticket.id)
        .order_by(InboundMessage.id.desc())
        .limit(1)
    )
    # The form's nonce makes a double submit one SMS; without one every call is a new SMS.
    nonce = nonce if _NONCE.match(nonce or "") else uuid4().hex
    queued = outbound.queue_sms(
        session,
        to=citizen.phone,
        body=words,
        kind="reply",
        key=f"operator-reply-{ticket.id}-{nonce}",
        provider=provider,
        citizen_id=citizen.id,
        ticket_id=ticket.id,
        in_reply_to_id=latest or ticket.source_message_id,
    )
    if queued.created:
        lifecycle.record(
            session,
            ticket.id,
            "operator_reply",
            actor=actor,
            data={
                "outbound": queued.id,
                "segments": encoded.segments,
                "encoding": encoded.encoding,
            },
        )
    if await_answer:
        _await_answer(session, ticket, actor)
    return Reply(queued.id, queued.to_send, queued.status, encoded, await_answer)


def _await_answer(session: Session, ticket: Ticket, actor: str) -> None:
    """Leave the ticket waiting for the citizen; asked again, the 3 days run from now."""
    if ticket.status == "needs_info":
        ticket.updated_at = utcnow()
        return
    lifecycle.move(
        session,
        ticket,
        "needs_info",
        actor=actor,
        reason=ASKED_REASON,
        kind="asked_details",
        also={"needs_triage": True, "triage_reason": ASKED_REASON},
    )


def protect(session: Session, ticket: Ticket, kind: str, actor: str) -> bool:
    """Mark the ticket rahasia or anonim (only ever adds protection); False if already so."""
    if kind not in PRIVACY_FLAGS:
        raise TriageError("Tanda privasi tidak dikenal: {kind}.", kind=kind)
    attribute = f"is_{kind}"
    if getattr(ticket, attribute):
        return False
    setattr(ticket, attribute, True)
    lifecycle.record(
        session,
        ticket.id,
        "privacy",
        actor=actor,
        reason=f"ditandai {kind} oleh operator",
        data={"flag": kind},
    )
    return True


def set_flag(
    session: Session, ticket: Ticket, flag: str | None, actor: str, note: str = ""
) -> None:
    """Raise a flag for attention (abuse, emergency, attention) or clear it (``None``)."""
    if flag is not None and flag not in FLAGS:
        raise TriageError("Tanda tidak dikenal: {flag}.", flag=flag)
    if flag == ticket.flag:
        return
    previous, ticket.flag = ticket.flag, flag
    lifecycle.record(
        session,
        ticket.id,
        "flagged" if flag else "unflagged",
        actor=actor,
        reason=(note or "").strip()[:500] or None,
        data={"flag": flag, "previous": previous},
    )
