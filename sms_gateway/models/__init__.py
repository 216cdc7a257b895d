"""The database models. Models never commit: whoever owns the transaction does."""

from .base import Base, utcnow
from .directory import Agency, Category, LabelledExample, RoutingRule
from .dispatch import ApiKey, Dispatch
from .messages import Citizen, InboundMessage, OutboundMessage
from .tickets import STATUSES, Ticket, TicketEvent

__all__ = [
    "STATUSES",
    "Agency",
    "ApiKey",
    "Base",
    "Category",
    "Citizen",
    "Dispatch",
    "InboundMessage",
    "LabelledExample",
    "OutboundMessage",
    "RoutingRule",
    "Ticket",
    "TicketEvent",
    "utcnow",
]
