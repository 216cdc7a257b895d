"""What happens to an inbound SMS after the webhook answered: the worker's side of intake.

For a new complaint (or one that a later SMS continued): mask personal data, locate, classify,
route. A confident, routable ticket becomes ``verified`` towards its agency; anything else waits
in the operators' triage queue with the reason. Every step leaves an event.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from . import directory, lifecycle
from .analysis import Analysis, analyse
from .dispatch import citizen as citizen_sms
from .dispatch.agencies import cached as cached_agency
from .models import Agency, Citizen, DirectoryVersion, InboundMessage, RoutingRule, Ticket, utcnow

RULES_TTL_SECONDS = 60
_rules_cache: tuple[float, directory.RuleSet] | None = None


def routing_rules(session: Session) -> directory.RuleSet:
    """The routing table operators edit, cached for a minute per process."""
    global _rules_cache
    if _rules_cache and time.monotonic() - _rules_cache[0] < RULES_TTL_SECONDS:
        return _rules_cache[1]
    rows = session.execute(select(RoutingRule).where(RoutingRule.active)).scalars().all()
    if not rows:
        rules = directory.router.default_rules()
    else:
        rules = directory.RuleSet(
            directory.RoutingRule(
                id=r.id,
                category=r.category,
                level=r.level,
                target=r.target,
                priority=r.priority,
                note=r.note or "",
                subcategories=tuple(s for s in (r.subcategory or "").split("|") if s),
                keywords=tuple(k for k in (r.keywords or "").split("|") if k),
            )
            for r in rows
        )
    _rules_cache = (time.monotonic(), rules)
    return rules


def forget_rules() -> None:
    """Drop the cached routing table (after operators edit it)."""
    global _rules_cache
    _rules_cache = None


@dataclass(frozen=True)
class Processed:
    """An SMS the worker has just processed, and the ticket it analysed (if any).

    When the ticket was routed: its agency and its citizen (kept loaded for the forwarding that
    follows: its payload and the citizen's SMS read them) and the id of the event that made it
    ``verified`` (the forwarding's key).
    """

    inbound_id: int
    ticket: Ticket | None
    agency: Agency | None = None
    verified_event_id: int | None = None
    citizen: Citizen | None = None
    notice: citizen_sms.Notice | None = None  # an SMS to send the citizen (the place asked)


@dataclass(frozen=True)
class Applied:
    """What analysing a ticket decided, and what it left for forwarding."""

    analysis: Analysis
    agency: Agency | None
    verified_event_id: int | None
    notice: citizen_sms.Notice | None = None


# Claim a stored SMS (received → processed) and note the ticket it opened, on the table (it runs
# for every SMS; the service never reads the message row back), returning what processing needs.
_inbound = InboundMessage.__table__
_CLAIM = (
    update(_inbound)
    .where(_inbound.c.id == bindparam("inbound"), _inbound.c.state == "received")
    .values(
        state="processed",
        processed_at=bindparam("now"),
        attempts=_inbound.c.attempts + 1,
        ticket_id=func.coalesce(
            _inbound.c.ticket_id,
            select(Ticket.id)
            .where(Ticket.source_message_id == bindparam("inbound"))
            .scalar_subquery(),
        ),
    )
    .returning(_inbound.c.kind, _inbound.c.ticket_id)
)
# The directory's number (raised with every change to the agencies): the agencies this process
# keeps are good while it stays the same (dispatch.agencies.cached).
_DIRECTORY = select(DirectoryVersion.version).where(DirectoryVersion.id == 1).scalar_subquery()
# The ticket and its citizen, one query.
_TICKET = (
    select(Ticket, Citizen, _DIRECTORY)
    .outerjoin(Citizen, Citizen.id == Ticket.citizen_id)
    .where(Ticket.id == bindparam("ticket"))
)
# On PostgreSQL both at once: the claim as a data-modifying CTE, the ticket joined to what it
# returned (no row: the SMS was processed already).
_claimed = _CLAIM.cte("claimed")
_CLAIM_AND_LOAD = (
    select(_claimed.c.kind, _claimed.c.ticket_id, Ticket, Citizen, _DIRECTORY)
    .select_from(_claimed)
    .outerjoin(Ticket, Ticket.id == _claimed.c.ticket_id)
    .outerjoin(Citizen, Citizen.id == Ticket.citizen_id)
)


def _claim(session: Session, inbound_id: int) -> tuple | None:
    """(kind, ticket_id, ticket or None, citizen or None, the directory's number or None) of the
    SMS claimed; None if it was not ``received`` any more."""
    parameters = {"inbound": inbound_id, "now": utcnow()}
    if session.get_bind().dialect.name == "postgresql":
        return session.execute(_CLAIM_AND_LOAD, parameters).first()
    claimed = session.execute(_CLAIM, parameters).first()
    if claimed is None:
        return None
    found = (
        session.execute(_TICKET, {"ticket": claimed.ticket_id}).first()
        if claimed.ticket_id
        else None
    )
    return (*claimed, *(found or (None, None, None)))


def process_inbound(
    session: Session, inbound_id: int, provider: str | None = None
) -> Processed | None:
    """Process one stored SMS; None when it was already processed (a repeated job).

    A complaint, a message that continued one, or an INFO that answered a ticket waiting for
    details (kind ``info``) is analysed; ``provider`` lets the analysis ask the citizen for a
    missing place by SMS (the caller sends ``Processed.notice`` after the commit).
    """
    claimed = _claim(session, inbound_id)
    if claimed is None:
        return None
    kind, _, ticket, citizen, directory_version = claimed
    if (
        kind in ("complaint", "continuation", "info")
        and ticket is not None
        and ticket.status in ("received", "needs_info")
    ):
        applied = analyse_ticket(
            session, ticket, directory_version=directory_version, provider=provider
        )
        return Processed(
            inbound_id, ticket, applied.agency, applied.verified_event_id, citizen, applied.notice
        )
    return Processed(inbound_id, None)


def analyse_ticket(
    session: Session,
    ticket: Ticket,
    actor: str = "system",
    directory_version: int | None = None,
    provider: str | None = None,
) -> Applied:
    """Analyse a ticket's text and apply the result: verified towards an agency, or triage.

    ``directory_version``: the directory's number read in this transaction, when the caller has
    it (the agency is then this process's copy while it is current). ``provider``: given, a new
    ticket whose category is sure but whose place its rule cannot do without moves to
    ``needs_info`` and its citizen is asked by SMS, once (an INFO answer is analysed again).
    """
    exclude = frozenset((ticket.routing or {}).get("declined_by", []))
    result = analyse(ticket.text, ticket.region_hint, rules=routing_rules(session), exclude=exclude)
    agency_code = result.agency_code
    agency = cached_agency(session, agency_code, directory_version) if agency_code else None
    if agency_code and agency is None:
        agency_code = None  # the directory in the database does not (or no longer) have it
        result = _missing_agency(result)
    region_code = result.region.code if result.region else None
    analysis = {
        "category": result.category,
        "subcategory": result.subcategory,
        "confidence": result.confidence,
        "region_code": region_code,
        "masked_text": result.masked_text,
        "pii_kinds": result.pii_kinds,
        "routing": (
            {**result.routing, "declined_by": sorted(exclude)} if exclude else result.routing
        ),
    }
    analysed = lifecycle.event(
        ticket.id,
        "analysed",
        actor=actor,
        reason=result.reason,
        data={
            "category": result.category,
            "confidence": round(result.confidence, 4),
            "region": region_code,
            "agency": agency_code,
        },
    )
    routed = not result.needs_triage and agency_code is not None
    if routed and lifecycle.can_move(ticket.status, "verified"):
        # The ticket is written once: the analysis with its new status, in the statement that
        # appends "analysed" and "routed".
        change = lifecycle.move(
            session,
            ticket,
            "verified",
            actor=actor,
            reason=result.reason,
            kind="routed",
            data={"agency": agency_code, "rule": result.routing.get("rule")},
            preceded_by=(analysed,),
            also={
                **analysis,
                "needs_triage": False,
                "triage_reason": None,
                "agency_code": agency_code,
            },
        )
        return Applied(result, agency, change.event_id)
    if not routed and provider and _may_ask_place(session, ticket, result):
        reason = f"{result.reason} Lokasi ditanyakan ke pelapor lewat SMS."[:200]
        change = lifecycle.move(
            session,
            ticket,
            "needs_info",
            actor=actor,
            reason=reason,
            kind="asked_place",
            preceded_by=(analysed,),
            also={**analysis, "needs_triage": True, "triage_reason": reason, "agency_code": None},
        )
        notice = citizen_sms.status_update(
            session, ticket, change.event_id, "needs_info", provider=provider, now=utcnow()
        )
        return Applied(result, None, None, notice)
    for column, value in analysis.items():
        setattr(ticket, column, value)
    ticket.updated_at = utcnow()
    with session.no_autoflush:  # the ticket is written once, with what follows
        lifecycle.record_all(session, [analysed])
    if not routed:
        ticket.needs_triage, ticket.triage_reason = True, result.reason[:200]
        ticket.agency_code = None
        return Applied(result, None, None)
    ticket.needs_triage, ticket.triage_reason = False, None
    ticket.agency_code = agency_code
    return Applied(result, agency, None)


def _may_ask_place(session: Session, ticket: Ticket, result: Analysis) -> bool:
    """Ask the citizen where: only the place is missing, the ticket is new (so once), and the
    citizen can be texted (a valid number that has not sent STOP)."""
    if not result.needs_place or ticket.status != "received" or ticket.citizen_id is None:
        return False
    person = session.get(Citizen, ticket.citizen_id)
    return person is not None and person.phone_valid and not person.opted_out


def _missing_agency(result: Analysis) -> Analysis:
    from dataclasses import replace

    return replace(
        result,
        agency_code=None,
        needs_triage=True,
        reason=f"{result.reason} — instansi tidak ada di direktori: perlu diperiksa operator.",
    )
