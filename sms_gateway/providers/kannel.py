"""Kannel's smsbox: ``sendsms`` (HTTP GET) for outbound SMS, and its DLR codes read back.

Kannel returns no message id, so we make one (a UUID) and put it in the ``dlr-url`` we hand over;
Kannel fills in ``%d`` (the report type: 1 delivered, 2 not delivered, 4 buffered at the SMSC,
8 accepted by the SMSC, 16 rejected by the SMSC) and ``%A`` (the SMSC's own text).
"""

from __future__ import annotations

import re
import urllib.parse
import uuid
from collections.abc import Mapping

from config import Settings

from ..sms.encoding import measure
from .http import call
from .receipt import Receipt

DLR_MASK = "31"  # every report type: 1 + 2 + 4 + 8 + 16
DLR_TYPES = {1: "delivered", 2: "undelivered", 4: "sent", 8: "sent", 16: "failed"}
ERR = re.compile(r"\berr:(\w+)", re.IGNORECASE)
NACK = re.compile(r"^NACK/(\w+)", re.IGNORECASE)


class KannelProvider:
    name = "kannel"

    def __init__(self, settings: Settings) -> None:
        self.url = settings.kannel_sendsms_url
        self.credentials = {
            "username": settings.kannel_username,
            "password": settings.kannel_password,
        }
        self.sender = settings.gateway_from
        self.dlr_base = (
            f"{settings.public_base_url}/webhooks/kannel/dlr?"
            + urllib.parse.urlencode({"secret": settings.kannel_secret})
            if settings.public_base_url
            else None
        )

    def send(self, *, to: str, body: str, reference: str) -> str:
        """Hand one SMS to Kannel; return the id its delivery reports will carry."""
        message_id = uuid.uuid4().hex
        ucs2 = measure(body).encoding == "UCS-2"
        params = dict(
            self.credentials,
            to=to,
            text=body,
            charset="UTF-8",
            coding="2" if ucs2 else "0",
            **{"from": self.sender},
        )
        if self.dlr_base:
            # %d and %A stay literal: Kannel replaces them when the report comes.
            params["dlr-mask"] = DLR_MASK
            params["dlr-url"] = f"{self.dlr_base}&id={message_id}&status=%d&answer=%A"
        call(self.url, params, method="GET", gateway="kannel")
        return message_id


def receipt(fields: Mapping[str, str]) -> Receipt | None:
    """The receipt in a Kannel dlr-url call, or None when it names no message or type."""
    message_id = fields.get("id", "").strip()
    try:
        kind = int(fields.get("status", ""))
    except ValueError:
        return None
    status = DLR_TYPES.get(kind)
    if not message_id or status is None:
        return None
    answer = fields.get("answer", "")
    code = None
    if status in ("undelivered", "failed"):
        found = ERR.search(answer) or NACK.search(answer)
        code = found.group(1)[:16] if found else str(kind)
    return Receipt("kannel", message_id, status, code, answer[:200] or None)
