"""SMS traffic: the citizens who text, what they send, and what we send back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UTCDateTime, partial, utcnow


class Citizen(Base):
    """A phone number that has texted 1708, with its preferences."""

    __tablename__ = "citizens"
    __table_args__ = (
        partial("ix_citizens_flagged", "flagged = true", "flagged", sqlite="flagged = 1"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    phone: Mapped[str] = mapped_column(String(64), unique=True)  # E.164, or the raw sender
    phone_valid: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str] = mapped_column(String(2), default="id")
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)  # STOP / BERHENTI
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)  # abuse: too much, too fast
    flagged_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Recent activity, read and written by intake in the statement that stores each SMS
    # (sms_gateway/activity.py): SMS counted in the current minute and hour (throttling), and
    # the number's last new complaint (joining split SMS, answering a repeat with its number).
    activity_minute: Mapped[int | None] = mapped_column(Integer)  # minutes since the epoch
    sms_in_minute: Mapped[int | None] = mapped_column(Integer)
    activity_hour: Mapped[int | None] = mapped_column(Integer)  # hours since the epoch
    sms_in_hour: Mapped[int | None] = mapped_column(Integer)
    last_complaint_number: Mapped[str | None] = mapped_column(String(10))
    last_complaint_fingerprint: Mapped[str | None] = mapped_column(String(16))
    last_complaint_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InboundMessage(Base):
    """One SMS as the provider delivered it, stored before anything else happens."""

    __tablename__ = "inbound_messages"
    __table_args__ = (
        UniqueConstraint("provider", "provider_message_id", name="uq_inbound_provider_message"),
        Index("ix_inbound_state_received", "state", "received_at"),
        Index("ix_inbound_citizen_received", "citizen_id", "received_at"),
        Index("ix_inbound_received", "received_at"),  # traffic per minute, the overview
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    provider: Mapped[str] = mapped_column(String(16))
    provider_message_id: Mapped[str] = mapped_column(String(64))
    sender: Mapped[str] = mapped_column(String(64))  # E.164 when it parsed, else verbatim
    sender_valid: Mapped[bool] = mapped_column(Boolean, default=True)
    recipient: Mapped[str] = mapped_column(String(64), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # Kept for the record, never read by the service: not loaded with the row.
    raw_payload: Mapped[dict] = mapped_column(JSON, default=dict, deferred=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # received → processed | failed; kind says what the message turned out to be.
    state: Mapped[str] = mapped_column(String(16), default="received")
    kind: Mapped[str] = mapped_column(String(16), default="complaint")
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"))
    # The ticket this message concerns. A complaint's own message is linked from the ticket
    # (tickets.source_message_id) at intake and here once processed.
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    reply: Mapped[str | None] = mapped_column(Text)  # the immediate answer we gave
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class OutboundMessage(Base):
    """An SMS we send (status updates, late acknowledgements, operator replies)."""

    __tablename__ = "outbound_messages"
    __table_args__ = (
        Index("ix_outbound_status_created", "status", "created_at"),
        Index("ix_outbound_provider_message", "provider", "provider_message_id"),
        Index("ix_outbound_to_created", "to", "created_at"),  # the reply-loop guard counts these
        Index("ix_outbound_ticket", "ticket_id"),
        Index("ix_outbound_sent_at", "sent_at"),  # cost per day
        Index("ix_outbound_created_status", "created_at", "status"),  # delivery per day
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    in_reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_messages.id"))
    kind: Mapped[str] = mapped_column(String(24))  # ack, status, reply, reminder…
    to: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    encoding: Mapped[str] = mapped_column(String(8), default="GSM-7")
    segments: Mapped[int] = mapped_column(Integer, default=1)
    provider: Mapped[str] = mapped_column(String(16))
    provider_message_id: Mapped[str | None] = mapped_column(String(64))
    # queued → sending → sent → delivered | undelivered | failed
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(16))
    last_error: Mapped[str | None] = mapped_column(Text)
    price: Mapped[float | None] = mapped_column(Numeric(12, 4))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
