"""SMS providers behind one small interface: ``send(to, body, reference) -> provider id``."""

from __future__ import annotations

from typing import Protocol

from config import Settings


class ProviderError(Exception):
    """A provider refused or failed to take a message."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class TransientError(ProviderError):
    """Worth retrying later: network trouble, 429, 5xx."""


class PermanentError(ProviderError):
    """Retrying cannot help: invalid number, unsubscribed, rejected content."""


class Provider(Protocol):
    name: str

    def send(self, *, to: str, body: str, reference: str) -> str:
        """Hand one SMS to the provider; return the provider's message id."""


def provider_for(settings: Settings, name: str | None = None) -> Provider:
    """The provider ``name`` names (SMS_PROVIDER by default)."""
    name = name or settings.sms_provider
    if name == "twilio":
        from .twilio import TwilioProvider

        return TwilioProvider(settings)
    if name == "jasmin":
        from .jasmin import JasminProvider

        return JasminProvider(settings)
    if name == "kannel":
        from .kannel import KannelProvider

        return KannelProvider(settings)
    from .sandbox import SandboxProvider

    return SandboxProvider()
