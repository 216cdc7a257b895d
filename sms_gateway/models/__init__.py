"""The database models. Models never commit: whoever owns the transaction does."""

from .accounts import ROLES, STAFF, User
from .base import Base, utcnow
from .directory import Agency, Category, DirectoryVersion, LabelledExample, RoutingRule
from .dispatch import ApiKey, Dispatch
from .messages import Citizen, InboundMessage, OutboundMessage
from .tickets import STATUSES, Ticket, TicketEvent

__all__ = [
    "ROLES",
    "STAFF",
    "STATUSES",
    "Agency",
    "ApiKey",
    "Base",
    "Category",
    "Citizen",
    "DirectoryVersion",
    "Dispatch",
    "InboundMessage",
    "LabelledExample",
    "OutboundMessage",
    "RoutingRule",
    "Ticket",
    "TicketEvent",
    "User",
    "utcnow",
]
