"""Console part: simulator."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("simulator", __name__)


def enabled(settings) -> bool:  # noqa: ANN001
    """The simulator exists only in development and with the sandbox provider."""
    return settings.app_env == "development" or settings.sms_provider == "sandbox"
