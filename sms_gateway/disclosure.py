"""What of a ticket may leave the system, for whom. Every output goes through here.

The privacy flags are the citizen's own word, set at intake, and enforced here in code:
- **rahasia** (confidential): the report is never public — the public page, Open311 and public
  exports show nothing of it, not even that it exists beyond its status to its own number;
- **anonim** (anonymous): the reporter's identity (phone number, name) never reaches the agency
  or the public.
Personal data found in the text (NIK, phone numbers, e-mail, bank accounts) is masked in
everything forwarded or public; only authorised operators see the original.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Ticket
from .understand import mask_pii

ANONYMOUS = "Anonim"


@dataclass(frozen=True)
class Audience:
    """Who receives the ticket: decides what may be shown."""

    name: str
    sees_identity: bool  # the reporter's phone number
    sees_original_text: bool  # personal data in the text unmasked
    sees_confidential: bool  # rahasia tickets at all


OPERATOR = Audience("operator", sees_identity=True, sees_original_text=True, sees_confidential=True)
AGENCY = Audience("agency", sees_identity=True, sees_original_text=False, sees_confidential=True)
PUBLIC = Audience("public", sees_identity=False, sees_original_text=False, sees_confidential=False)


def text_for(ticket: Ticket, audience: Audience) -> str:
    """The complaint text as ``audience`` may read it."""
    if audience.sees_original_text:
        return ticket.text
    return ticket.masked_text if ticket.masked_text is not None else mask_pii(ticket.text).text


def reporter_for(ticket: Ticket, phone: str | None, audience: Audience) -> str | None:
    """The reporter's phone number, or the word Anonim, or nothing, as ``audience`` may see."""
    if not audience.sees_identity:
        return None
    if ticket.is_anonim and audience is not OPERATOR:
        return ANONYMOUS
    return phone


def visible_to(ticket: Ticket, audience: Audience) -> bool:
    """False when ``audience`` may not see this ticket at all (rahasia for the public)."""
    return audience.sees_confidential or not ticket.is_rahasia


def mask_phone(phone: str | None) -> str:
    """A phone number for logs and lists: country code and last three digits only."""
    if not phone:
        return ""
    return phone[:3] + "*" * max(0, len(phone) - 6) + phone[-3:] if len(phone) > 6 else "***"
