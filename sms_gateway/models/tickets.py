"""Tickets (laporan) and their append-only history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy import text as sql
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UTCDateTime, partial, utcnow

STATUSES = (
    "received",
    "needs_info",
    "verified",
    "dispatched",
    "responded",
    "resolved",
    "closed",
    "rejected",
    "withdrawn",
    "transferred",
)


class Ticket(Base):
    """One complaint, as the citizen and the agencies know it by its tracking number."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_status_created", "status", "created_at"),
        Index("ix_tickets_citizen_created", "citizen_id", "created_at"),
        Index("ix_tickets_agency_status", "agency_code", "status"),
        Index("ix_tickets_created_id", "created_at", "id"),
        Index("ix_tickets_created_category", "created_at", "category", "region_code"),
        # Partial: most tickets are in none of these (or not yet), so intake pays little for them.
        partial(
            "ix_tickets_triage",
            "needs_triage",
            "status",
            "created_at",
            "id",
            sqlite="needs_triage = 1",
        ),
        partial(
            "ix_tickets_overdue_status", "overdue_since IS NOT NULL", "status", "overdue_since"
        ),
        # The SLA board: counts per agency and a few tickets each, from the index alone.
        Index(
            "ix_tickets_sla_agency",
            "agency_code",
            "sla_due_at",
            "id",
            postgresql_include=["status", "overdue_since"],
            postgresql_where=sql("sla_clock IS NOT NULL"),
            sqlite_where=sql("sla_clock IS NOT NULL"),
        ),
        partial("ix_tickets_category", "category IS NOT NULL", "category", "created_at"),
        partial("ix_tickets_region", "region_code IS NOT NULL", "region_code"),
        partial(
            "ix_tickets_agency_created", "agency_code IS NOT NULL", "agency_code", "created_at"
        ),
        partial("ix_tickets_flag", "flag IS NOT NULL", "flag"),
        partial("ix_tickets_emergency", "emergency_kind IS NOT NULL", "emergency_kind"),
        partial(
            "ix_tickets_urgent_status", "is_urgent = true", "status", "id", sqlite="is_urgent = 1"
        ),
        # Substring search (ILIKE '%…%') on PostgreSQL with pg_trgm, for tickets past `received`:
        # intake never writes it (it costed the webhook a tenth of its throughput), the worker
        # does when it moves the ticket on; search reads received tickets by their status.
        # SQLite has no trigram index: there it is an empty index (WHERE 0) of the same name, so
        # schema and models compare equal.
        Index(
            "ix_tickets_text_trgm",
            "text",
            postgresql_using="gin",
            postgresql_ops={"text": "gin_trgm_ops"},
            postgresql_where=sql("status <> 'received'"),
            sqlite_where=sql("0"),
        ),
        # The agency portal's urgent order: one ordered range per status, with and without a
        # due date (agency_tickets). Only tickets an agency sees: intake never writes it.
        partial(
            "ix_tickets_agency_order",
            "status IN ('dispatched', 'responded', 'resolved', 'closed')",
            "agency_code",
            "status",
            "sla_due_at",
            "is_urgent",
            "id",
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(10), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="received")
    channel: Mapped[str] = mapped_column(String(16), default="sms")
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"))
    source_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbound_messages.id", use_alter=True), unique=True
    )  # the SMS that opened it
    text: Mapped[str] = mapped_column(
        Text, default=""
    )  # the citizen's words, privacy words removed
    language: Mapped[str] = mapped_column(String(2), default="id")
    # rahasia: the whole report is never public; anonim: the reporter is never named to anyone.
    is_rahasia: Mapped[bool] = mapped_column(Boolean, default=False)
    is_anonim: Mapped[bool] = mapped_column(Boolean, default=False)
    is_urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    emergency_kind: Mapped[str | None] = mapped_column(String(24))
    report_type: Mapped[str] = mapped_column(String(24), default="pengaduan")
    category: Mapped[str | None] = mapped_column(String(200))
    subcategory: Mapped[str | None] = mapped_column(String(200))
    confidence: Mapped[float | None] = mapped_column(Float)
    region_code: Mapped[str | None] = mapped_column(String(16))
    region_hint: Mapped[str | None] = mapped_column(String(16))
    agency_code: Mapped[str | None] = mapped_column(String(40))
    needs_triage: Mapped[bool] = mapped_column(Boolean, default=False)
    triage_reason: Mapped[str | None] = mapped_column(String(200))
    routing: Mapped[dict | None] = mapped_column(JSON)  # which rule, which confidence, why
    # The text with personal data (NIK, phone, e-mail, bank account) masked: what leaves the system.
    masked_text: Mapped[str | None] = mapped_column(Text)
    pii_kinds: Mapped[list | None] = mapped_column(JSON)  # which kinds were found, never values
    rating: Mapped[int | None] = mapped_column(Integer)  # the citizen's NILAI, 1-5
    rating_comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # SLA (sms_gateway.sla): the running clock (verification | response) and its deadline;
    # reminded/overdue refer to that deadline; overdue_since is the teguran flag.
    sla_clock: Mapped[str | None] = mapped_column(String(16))
    sla_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sla_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overdue_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ombudsman_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # 60 days, not completed
    # A duplicate an operator merged into another ticket (it is then rejected as a duplicate).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    # Flags an operator raised (abuse, emergency…) for the triage queue; cleared when handled.
    flag: Mapped[str | None] = mapped_column(String(24))


class TicketEvent(Base):
    """Something that happened to a ticket: who, when, what, why. Never updated, never deleted."""

    __tablename__ = "ticket_events"
    __table_args__ = (
        Index("ix_ticket_events_ticket_at", "ticket_id", "at"),
        Index("ix_ticket_events_status_at", "to_status", "at", "actor"),
        Index("ix_ticket_events_actor_at", "actor", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(
        String(80)
    )  # citizen, system, operator:<name>, agency:<code>
    kind: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)
