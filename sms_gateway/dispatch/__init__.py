"""Forwarding tickets to agencies (signed webhook, e-mail, portal) and telling the citizen.

Everything that leaves goes through :mod:`sms_gateway.disclosure` (see ``view``).
"""

from .channels import Permanent, Smtp, Transient
from .citizen import Notice, compose, quiet_until, status_update
from .core import (
    CANCELLED,
    DEAD,
    DELIVERED,
    PENDING,
    RETRYING,
    SENDING,
    Claim,
    Outcome,
    RetryLater,
    claim_for,
    deliver,
    request,
    request_for,
    request_for_message,
    request_for_ticket,
)
from .sending import DISPATCHED, REOPENED, Transport
from .signing import signature, verify
from .sweeps import (
    claim_expiry,
    dead_letters,
    retry_dead,
    take_back_stalled,
    undispatched,
    waiting,
)
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
    "Claim",
    "Notice",
    "Outcome",
    "Permanent",
    "RetryLater",
    "Smtp",
    "Transient",
    "Transport",
    "agency_history",
    "agency_view",
    "claim_expiry",
    "claim_for",
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
    "take_back_stalled",
    "undispatched",
    "verify",
    "waiting",
]
