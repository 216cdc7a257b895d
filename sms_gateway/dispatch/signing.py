"""Signing webhook bodies so an agency can tell a forwarded ticket really came from us.

``X-Lapor-Signature: sha256=<hex>`` is the HMAC-SHA256, keyed with the agency's secret, of
``"<X-Lapor-Timestamp>.<body>"`` (the raw body bytes). See docs/agency-webhook.md.
"""

from __future__ import annotations

import hashlib
import hmac

TIMESTAMP_HEADER = "X-Lapor-Timestamp"
SIGNATURE_HEADER = "X-Lapor-Signature"
DELIVERY_HEADER = "X-Lapor-Delivery"
EVENT_HEADER = "X-Lapor-Event"


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    """The header value for ``body`` sent at ``timestamp`` (Unix seconds)."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(
    secret: str, timestamp: str, body: bytes, given: str, now: float, tolerance: int = 300
) -> bool:
    """True when ``given`` signs ``body`` at ``timestamp`` and the timestamp is recent."""
    try:
        age = abs(now - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance and hmac.compare_digest(signature(secret, timestamp, body), given)
