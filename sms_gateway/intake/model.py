"""The values intake works with: the SMS as received, the draft decision, the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import phonenumbers

from ..activity import LastComplaint
from ..quickread import QuickRead
from ..sms.templates import render

MAX_SENDER = 64


@dataclass(frozen=True)
class IncomingSms:
    """An SMS as a provider handed it over, before anything is decided."""

    provider: str
    message_id: str
    sender: str
    recipient: str
    body: str
    received_at: datetime
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class IntakeResult:
    """What intake did, and what to answer right away (an empty reply sends no SMS)."""

    inbound_id: int
    kind: str
    reply: str
    duplicate: bool = False  # the provider retried: nothing new was stored
    ticket_id: int | None = None
    tracking_number: str | None = None
    urgent: bool = False
    opened: bool = False  # a new ticket was opened


@dataclass(frozen=True)
class Draft:
    """Everything decided about an SMS before it is written."""

    sms: IncomingSms
    sender: str
    sender_valid: bool
    body: str
    read: QuickRead
    # As read from the text (complaint | command | empty) until the number's activity decides
    # (throttled | duplicate | info | answer | continuation, or as read).
    kind: str
    follows: LastComplaint | None  # the number's last complaint, when the SMS may join it
    number: str | None  # a fresh tracking number when a ticket may be opened
    region_hint: str | None = None  # from a channel that serves one region

    @property
    def template(self) -> str:
        if self.kind == "empty":
            return "empty"
        return "emergency_ack" if self.read.emergency else "ack"

    def reply(self, language: str, number: str | None = None) -> str:
        return render(self.template, language, digits=number or self.number or "")

    @property
    def message_id(self) -> str:
        return clean_text(self.sms.message_id)[:64]

    @property
    def recipient(self) -> str:
        return clean_text(self.sms.recipient)[:64]


def normalise_sender(sender: str) -> tuple[str, bool]:
    """The sender as E.164 when it is a phone number (Indonesian by default), else verbatim."""
    raw = clean_text(sender).strip()[:MAX_SENDER]
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        return raw, False
    if not phonenumbers.is_possible_number(number):
        return raw, False
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), True


def clean_text(text: str) -> str:
    """Text as stored: NUL is the one character no database column takes, so it is replaced."""
    return text.replace("\x00", "\ufffd")


def result(draft: Draft, inbound_id: int, reply: str, **values) -> IntakeResult:
    """The result of storing ``draft``."""
    return IntakeResult(
        inbound_id=inbound_id,
        kind=draft.kind,
        reply=reply,
        urgent=draft.read.emergency is not None,
        **values,
    )
