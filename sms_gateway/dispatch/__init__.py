"""Forwarding tickets to agencies (signed webhook, e-mail, portal) and telling the citizen.

Everything that leaves goes through :mod:`sms_gateway.disclosure` (see ``view``).
"""

from .channels import Permanent, Smtp, Transient
from .citizen import Notice, compose, quiet_until, status_update
from .core import (
    CANCELLED,
    DEAD,
    DELIVERED,
    DISPATCHED,
    PENDING,
    REOPENED,
    RETRYING,
    SENDING,
    Outcome,
    RetryLater,
    Transport,
    dead_letters,
    deliver,
    request,
    request_for,
    request_for_message,
    request_for_ticket,
    retry_dead,
    undispatched,
    waiting,
)
from .signing import signature, verify
from .view import agency_history, agency_view

__all__ = [
    "CANCELLED",
    "DEAD",
    "DELIVERED",
    "DISPATCHED",
    "PENDING",
    "REOPENED",
    "RETRYING",
    "SENDING",
    "Notice",
    "Outcome",
    "Permanent",
    "RetryLater",
    "Smtp",
    "Transient",
    "Transport",
    "agency_history",
    "agency_view",
    "compose",
    "dead_letters",
    "deliver",
    "quiet_until",
    "request",
    "request_for",
    "request_for_message",
    "request_for_ticket",
    "retry_dead",
    "signature",
    "status_update",
    "undispatched",
    "verify",
    "waiting",
]
