"""Sending SMS to the app the way Twilio does: form fields, signed with the auth token."""

from __future__ import annotations

import itertools

from twilio.request_validator import RequestValidator

_counter = itertools.count(1)

BASE = "http://localhost"
SMS_PATH = "/webhooks/twilio/sms"


def new_sid() -> str:
    return f"SM{next(_counter):032d}"


def sms_form(
    body: str, sender: str = "+6281234567890", sid: str | None = None, **extra: str
) -> dict:
    form = {
        "MessageSid": sid or new_sid(),
        "AccountSid": "AC" + "1" * 32,
        "From": sender,
        "To": "1708",
        "Body": body,
        "NumMedia": "0",
    }
    form.update(extra)
    return form


def sign(token: str, url: str, form: dict) -> str:
    return RequestValidator(token).compute_signature(url, form)


class Phone:
    """A citizen's phone texting the app through the signed Twilio webhook."""

    def __init__(self, client, token: str, number: str = "+6281234567890") -> None:  # noqa: ANN001
        self.client = client
        self.token = token
        self.number = number

    def post(self, form: dict, signature: str | None = None, path: str = SMS_PATH):  # noqa: ANN201
        sig = signature if signature is not None else sign(self.token, BASE + path, form)
        return self.client.post(path, data=form, headers={"X-Twilio-Signature": sig})

    def text(self, body: str, sid: str | None = None):  # noqa: ANN201
        return self.post(sms_form(body, sender=self.number, sid=sid))
