"""Twilio's Messages API through the official SDK (TWILIO_API_BASE_URL may point elsewhere)."""

from __future__ import annotations

from collections.abc import Mapping

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from config import Settings

from . import PermanentError, TransientError
from .receipt import Receipt

# Error codes that no retry can fix (invalid or unreachable number, unsubscribed recipient…).
PERMANENT_CODES = {21211, 21214, 21217, 21401, 21408, 21601, 21602, 21604, 21610, 21612, 21614}


class TwilioProvider:
    name = "twilio"

    def __init__(self, settings: Settings) -> None:
        self.client = Client(settings.twilio_account_sid, settings.twilio_auth_token)
        self.client.api.base_url = settings.twilio_api_base_url
        self.sender = settings.twilio_from
        self.status_callback = (
            f"{settings.public_base_url}/webhooks/twilio/status"
            if settings.public_base_url
            else None
        )

    def send(self, *, to: str, body: str, reference: str) -> str:
        """Create the message; classify Twilio's errors as transient or permanent."""
        options = {"to": to, "from_": self.sender, "body": body}
        if self.status_callback:
            options["status_callback"] = self.status_callback
        try:
            return self.client.messages.create(**options).sid
        except TwilioRestException as exc:
            code = str(exc.code) if exc.code else str(exc.status)
            if exc.code in PERMANENT_CODES or (400 <= exc.status < 500 and exc.status != 429):
                raise PermanentError(exc.msg or str(exc), code) from exc
            raise TransientError(exc.msg or str(exc), code) from exc
        except (TwilioException, OSError) as exc:
            raise TransientError(str(exc), "network") from exc


# Twilio's MessageStatus values in the project's words (a status callback may carry any of them).
STATUSES = {
    "accepted": "queued",
    "scheduled": "queued",
    "queued": "queued",
    "sending": "sent",
    "sent": "sent",
    "delivered": "delivered",
    "read": "delivered",
    "undelivered": "undelivered",
    "failed": "failed",
    "canceled": "failed",
}


def receipt(fields: Mapping[str, str]) -> Receipt | None:
    """The receipt in a Twilio status callback, or None when it names no message or status."""
    sid = fields.get("MessageSid", "").strip()
    status = STATUSES.get(fields.get("MessageStatus", "").strip().lower())
    if not sid or status is None:
        return None
    code = fields.get("ErrorCode", "").strip() or None
    return Receipt("twilio", sid, status, code[:16] if code else None)
