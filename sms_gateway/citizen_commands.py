"""What each SMS command does: STATUS/CEK, INFO, BATAL, NILAI, BANTUAN, STOP, MULAI, BAHASA.

Commands that touch a ticket (INFO, BATAL, NILAI) act only on a ticket filed from the same phone
number; for any other number the ticket "is not found", so nobody learns about another's report.
STATUS answers any number: it shows nothing but the status.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from . import lifecycle
from .models import Citizen, Ticket, utcnow
from .sms.templates import render, status_name
from .understand.commands import (
    Cancel,
    Command,
    Help,
    Info,
    Rate,
    SetLanguage,
    Start,
    Status,
    Stop,
    TicketNumber,
)

RATEABLE = frozenset({"resolved", "closed"})

# Where the citizen's details begin in a ticket's text (the triage queue looks for it).
INFO_MARK = "\n[INFO] "


@dataclass(frozen=True)
class Outcome:
    """The reply to a command, the ticket it concerned, and the language to answer in."""

    reply: str
    ticket_id: int | None = None
    # The command answered a ticket waiting for details: the worker analyses it again.
    reanalyse: bool = False


def _number_problem(number: TicketNumber, keyword: str, language: str) -> str | None:
    if number.state == "missing":
        return render("number_missing", language, command=keyword)
    if number.state == "invalid":
        return render("status_invalid", language, given=number.typed)
    return None


def _own_ticket(session: Session, digits: str, citizen_id: int) -> Ticket | None:
    return session.execute(
        select(Ticket).where(Ticket.tracking_number == digits, Ticket.citizen_id == citizen_id)
    ).scalar_one_or_none()


def execute(session: Session, command: Command, citizen_id: int, language: str) -> Outcome:
    """Carry out ``command`` for the citizen and say what to answer (caller commits)."""
    if isinstance(command, Help):
        return Outcome(render("help", language))
    if isinstance(command, Stop | Start):
        opted_out = isinstance(command, Stop)
        session.execute(
            update(Citizen)
            .where(Citizen.id == citizen_id)
            .values(opted_out=opted_out, opted_out_at=utcnow() if opted_out else None)
        )
        return Outcome(render("stopped" if opted_out else "started", language))
    if isinstance(command, SetLanguage):
        if command.language is None:
            return Outcome(render("language_ask", language))
        session.execute(
            update(Citizen).where(Citizen.id == citizen_id).values(language=command.language)
        )
        return Outcome(render("language_set", command.language))
    if isinstance(command, Status):
        return _status(session, command.number, language)
    if isinstance(command, Info | Cancel | Rate):
        return _on_ticket(session, command, citizen_id, language)
    raise ValueError(f"unknown command {command!r}")


def _status(session: Session, number: TicketNumber, language: str) -> Outcome:
    problem = _number_problem(number, "CEK", language)
    if problem:
        return Outcome(problem)
    row = session.execute(
        select(Ticket.id, Ticket.status).where(Ticket.tracking_number == number.digits)
    ).first()
    if row is None:
        return Outcome(render("status_unknown", language, digits=number.digits))
    status = status_name(row.status, language)
    return Outcome(render("status", language, digits=number.digits, status=status), row.id)


def _on_ticket(
    session: Session, command: Info | Cancel | Rate, citizen_id: int, language: str
) -> Outcome:
    problem = _number_problem(command.number, command.keyword, language)
    if problem:
        return Outcome(problem)
    digits = command.number.digits
    ticket = _own_ticket(session, digits, citizen_id)
    if ticket is None:
        return Outcome(render("not_yours", language, digits=digits))
    if isinstance(command, Info):
        return add_info(session, ticket, command.text, language)
    if isinstance(command, Cancel):
        return _cancel(session, ticket, language)
    return _rate(session, ticket, command, language)


def add_info(session: Session, ticket: Ticket, text: str, language: str) -> Outcome:
    """Add the citizen's details to their ticket; one waiting for them is analysed again."""
    detail = text.strip()
    if not detail:
        return Outcome(render("info_empty", language), ticket.id)
    ticket.text = f"{ticket.text}{INFO_MARK}{detail}"
    ticket.updated_at = utcnow()
    lifecycle.record(session, ticket.id, "citizen_info", actor="citizen", data={"text": detail})
    reply = render("info_added", language, digits=ticket.tracking_number)
    return Outcome(reply, ticket.id, reanalyse=ticket.status == "needs_info")


def _cancel(session: Session, ticket: Ticket, language: str) -> Outcome:
    if not lifecycle.can_move(ticket.status, "withdrawn"):
        status = status_name(ticket.status, language)
        reply = render("cannot_withdraw", language, digits=ticket.tracking_number, status=status)
        return Outcome(reply, ticket.id)
    lifecycle.move(session, ticket, "withdrawn", actor="citizen", reason="BATAL via SMS")
    return Outcome(render("withdrawn", language, digits=ticket.tracking_number), ticket.id)


def _rate(session: Session, ticket: Ticket, command: Rate, language: str) -> Outcome:
    if command.score is None:
        return Outcome(render("rate_needs_score", language), ticket.id)
    if ticket.status not in RATEABLE:
        return Outcome(render("rate_not_yet", language, digits=ticket.tracking_number), ticket.id)
    ticket.rating, ticket.rating_comment = command.score, command.comment.strip() or None
    ticket.updated_at = utcnow()
    lifecycle.record(
        session,
        ticket.id,
        "rated",
        actor="citizen",
        data={"score": command.score, "comment": ticket.rating_comment},
    )
    from . import followup  # imported here: followup → outbound → intake imports this module

    followup.after_rating(session, ticket, command.score)  # 1-2 reopen, 3-5 close when resolved
    reply = render("rated", language, digits=ticket.tracking_number, score=str(command.score))
    return Outcome(reply, ticket.id)
