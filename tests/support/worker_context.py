"""Giving the jobs run in a test other settings, without leaking the previous database pool."""

from __future__ import annotations

from flask import Flask

from config import Settings
from workers import context


def reconfigure(app: Flask, **overrides: object) -> Settings:
    """Point the worker context at the app's database and Redis, with these settings."""
    settings = app.config["SETTINGS"].with_overrides(**overrides)
    context.current().db.dispose()
    context.configure(settings, app.extensions["redis"])
    return settings


def use_settings(app: Flask, settings: Settings) -> None:
    """Run jobs with ``settings`` from now on."""
    context.current().db.dispose()
    context.configure(settings, app.extensions["redis"])
