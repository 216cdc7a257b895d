"""The Redis connection of a process: the server in REDIS_URL, or the embedded one.

REDIS_URL may name a Sentinel-watched master instead of one server, for failover:
``redis+sentinel://sentinel-1:26379,sentinel-2:26379/<master name>/<db>`` (optionally
``redis+sentinel://:password@…`` for the master's password). The client asks the sentinels
where the master is and asks again when it moves.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import redis
from flask import Flask
from redis.sentinel import Sentinel

from config import Settings

from . import embedded_redis

SENTINEL_SCHEME = "redis+sentinel"
TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 2}


def resolve_url(settings: Settings) -> str:
    """REDIS_URL, or the embedded server's URL (started on first use)."""
    return settings.redis_url or embedded_redis.ensure_running(settings.instance_path)


def connect(url: str) -> redis.Redis:
    """A client with short timeouts, so a dead Redis never holds a webhook for long."""
    if url.startswith(SENTINEL_SCHEME + "://"):
        return _via_sentinel(url)
    return redis.Redis.from_url(url, health_check_interval=30, retry_on_timeout=False, **TIMEOUTS)


def _via_sentinel(url: str) -> redis.Redis:
    parts = urlsplit(url)
    hosts = []
    for item in parts.netloc.rpartition("@")[2].split(","):
        host, _, port = item.rpartition(":")
        hosts.append((host or item, int(port) if port.isdigit() else 26379))
    path = [p for p in parts.path.split("/") if p]
    if not path:
        raise ValueError(
            "a sentinel REDIS_URL names the master: redis+sentinel://hosts/<name>/<db>"
        )
    password = unquote(parts.password) if parts.password else None
    sentinel = Sentinel(hosts, sentinel_kwargs=TIMEOUTS, **TIMEOUTS)
    return sentinel.master_for(
        path[0], db=int(path[1]) if len(path) > 1 else 0, password=password, **TIMEOUTS
    )


def init_app(app: Flask) -> None:
    settings: Settings = app.config["SETTINGS"]
    app.extensions["redis"] = connect(resolve_url(settings))
