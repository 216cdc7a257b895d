"""A delivery receipt (DLR) as any provider reports it, in the project's own status words."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Receipt:
    """One delivery report: which message, which status, and the provider's error code."""

    provider: str
    provider_message_id: str
    status: str  # queued | sent | delivered | undelivered | failed
    error_code: str | None = None
    detail: str | None = None
