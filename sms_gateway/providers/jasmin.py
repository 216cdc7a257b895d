"""Jasmin's HTTP API (ja-http): ``/send`` for SMS-MT, and its DLR fields read back.

Sending: ``username``, ``password``, ``to``, ``from``, ``coding`` (0: the SMSC's default alphabet,
GSM-7; 8: UCS-2, sent as ``hex-content`` in UTF-16BE) and ``content``; with PUBLIC_BASE_URL set,
``dlr=yes``, ``dlr-level=3`` (SMSC and handset) and ``dlr-method=POST`` to our DLR webhook.
Jasmin answers ``Success "<uuid>"`` (200) or ``Error "<why>"`` with 400, 403, 412 or 500.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from config import Settings

from ..sms.encoding import measure
from . import PermanentError
from .http import call
from .receipt import Receipt

SUCCESS = re.compile(r'^Success\s+"([^"]+)"')
# Handset-level states (SMPP receipt ``stat:``) and what they mean here.
TERMINAL = {
    "DELIVRD": "delivered",
    "ACCEPTD": "sent",
    "ENROUTE": "sent",
    "UNDELIV": "undelivered",
    "EXPIRED": "undelivered",
    "DELETED": "undelivered",
    "UNKNOWN": "undelivered",
    "REJECTD": "failed",
}


class JasminProvider:
    name = "jasmin"

    def __init__(self, settings: Settings) -> None:
        self.url = settings.jasmin_url.rstrip("/") + "/send"
        self.credentials = {
            "username": settings.jasmin_username,
            "password": settings.jasmin_password,
        }
        self.sender = settings.gateway_from
        self.dlr_url = (
            f"{settings.public_base_url}/webhooks/jasmin/dlr?secret={settings.jasmin_secret}"
            if settings.public_base_url
            else None
        )

    def send(self, *, to: str, body: str, reference: str) -> str:
        """Submit one SMS-MT; return Jasmin's message id."""
        params = dict(self.credentials, to=to.lstrip("+"), **{"from": self.sender})
        if measure(body).encoding == "UCS-2":
            params.update(coding="8", **{"hex-content": body.encode("utf-16-be").hex()})
        else:
            params.update(coding="0", content=body)
        if self.dlr_url:
            params.update(
                {"dlr": "yes", "dlr-url": self.dlr_url, "dlr-level": "3", "dlr-method": "POST"}
            )
        _, answer = call(self.url, params, method="POST", gateway="jasmin")
        match = SUCCESS.match(answer)
        if not match:  # accepted or not, we cannot tell: never risk sending it twice
            raise PermanentError(f"unexpected answer from Jasmin: {answer[:200]}", "jasmin-answer")
        return match.group(1)


def receipt(fields: Mapping[str, str]) -> Receipt | None:
    """The receipt in a Jasmin DLR callback, or None when it names no message."""
    message_id = fields.get("id", "").strip()
    state = fields.get("message_status", "").strip().upper()
    if not message_id or not state:
        return None
    if state.startswith("ESME_"):  # SMSC level: did the operator take it?
        if state == "ESME_ROK":
            return Receipt("jasmin", message_id, "sent")
        return Receipt("jasmin", message_id, "failed", state[:16], f"SMSC answered {state}")
    status = TERMINAL.get(state, "undelivered")
    err = fields.get("err", "").strip().lstrip("0")
    code = err[:16] if err and status != "delivered" else None
    return Receipt("jasmin", message_id, status, code, f"handset receipt {state}")
