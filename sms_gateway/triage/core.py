"""Reclassify and reject: the first operator actions on what the machine was unsure of.

A correction of the category is stored as a labelled example (``labelled_examples``), so the next
``flask --app wsgi classifier train --corrections FILE`` learns from it (export the file with
``flask --app wsgi classifier export-corrections FILE``).
"""

from __future__ import annotations

import json
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import directory, lifecycle
from ..models import Agency, LabelledExample, Ticket, TicketEvent, utcnow
from ..processing import routing_rules
from ..seed import category_tree


class TriageError(ValueError):
    """An operator action that cannot be done, with the reason.

    ``text`` is the Indonesian message with ``{}`` fields (the console translates it);
    ``english``, when given, is what ``str()`` says (the command line speaks English).
    """

    def __init__(self, text: str, english: str | None = None, **values: object) -> None:
        super().__init__((english or text).format(**values) if values else (english or text))
        self.text, self.values = text, values


def reclassify(session: Session, ticket: Ticket, category: str, operator: str) -> str | None:
    """Set the category an operator chose, keep it as training data, and route again.

    Returns the agency code the ticket is now headed to (None: still needs an operator).
    """
    if category not in category_tree():
        raise TriageError(
            "Kategori SP4N-LAPOR! tidak dikenal: {category}",
            "unknown SP4N-LAPOR! category: {category!r}",
            category=category,
        )
    previous = ticket.category
    ticket.category, ticket.subcategory, ticket.confidence = category, None, 1.0
    session.add(
        LabelledExample(
            ticket_id=ticket.id,
            text=ticket.masked_text or ticket.text,
            category=category,
            labelled_by=operator,
        )
    )
    declined = frozenset((ticket.routing or {}).get("declined_by", []))
    decision = directory.route(
        category, ticket.region_code, ticket.text, exclude=declined, rules=routing_rules(session)
    )
    agency = decision.agency_code
    if agency and session.get(Agency, agency) is None:
        agency = None
    ticket.routing = {
        **(ticket.routing or {}),
        "rule": decision.rule_id,
        "explanation": decision.explanation,
        "by": operator,
    }
    ticket.updated_at = utcnow()
    lifecycle.record(
        session,
        ticket.id,
        "reclassified",
        actor=operator,
        reason=decision.explanation,
        data={"from": previous, "to": category},
    )
    if agency is None or decision.needs_triage:
        ticket.needs_triage, ticket.triage_reason = True, decision.explanation[:200]
        ticket.agency_code = None
        return None
    ticket.needs_triage, ticket.triage_reason, ticket.agency_code = False, None, agency
    if lifecycle.can_move(ticket.status, "verified"):
        lifecycle.move(
            session,
            ticket,
            "verified",
            actor=operator,
            reason=decision.explanation,
            kind="routed",
            data={"agency": agency, "rule": decision.rule_id},
        )
    return agency


def reject(
    session: Session, ticket: Ticket, reason: str, operator: str, *, provider: str
) -> tuple[int, str] | None:
    """Reject a ticket (not a public-service matter, spam…) and tell the citizen why.

    The reason is required and goes to the citizen in plain words. Returns the outbound SMS id
    and when to send it (held in quiet hours), or None when no SMS is due (e.g. STOP).
    """
    from .. import followup

    if not (reason and reason.strip()):
        raise TriageError(
            "Penolakan perlu alasan yang bisa dibaca pelapor.",
            "a rejection needs a reason the citizen can read",
        )
    try:
        lifecycle.move(session, ticket, "rejected", actor=operator, reason=reason.strip())
    except lifecycle.IllegalTransition as exc:
        raise TriageError(
            "Tiket berstatus {status} tidak dapat ditolak.", str(exc), status=ticket.status
        ) from exc
    ticket.needs_triage = False
    event_id = session.execute(
        select(TicketEvent.id)
        .where(TicketEvent.ticket_id == ticket.id, TicketEvent.to_status == "rejected")
        .order_by(TicketEvent.id.desc())
        .limit(1)
    ).scalar_one()
    notice = followup.rejection_notice(
        session, ticket, event_id, reason.strip(), provider=provider, now=utcnow()
    )
    if notice is None or not notice.to_send:
        return None
    return notice.outbound_id, notice.send_at


def export_corrections(session: Session, out: IO[str]) -> int:
    """Write the operators' labelled examples as JSON lines {"text", "category"}."""
    count = 0
    for text, category in session.execute(
        select(LabelledExample.text, LabelledExample.category).order_by(LabelledExample.id)
    ):
        out.write(json.dumps({"text": text, "category": category}, ensure_ascii=False) + "\n")
        count += 1
    return count
