"""The Redis connection of a process: the server in REDIS_URL, or the embedded one."""

from __future__ import annotations

import redis
from flask import Flask

from config import Settings

from . import embedded_redis


def resolve_url(settings: Settings) -> str:
    """REDIS_URL, or the embedded server's URL (started on first use)."""
    return settings.redis_url or embedded_redis.ensure_running(settings.instance_path)


def connect(url: str) -> redis.Redis:
    """A client with short timeouts, so a dead Redis never holds a webhook for long."""
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=0.5,
        socket_timeout=2,
        health_check_interval=30,
        retry_on_timeout=False,
    )


def init_app(app: Flask) -> None:
    settings: Settings = app.config["SETTINGS"]
    app.extensions["redis"] = connect(resolve_url(settings))
