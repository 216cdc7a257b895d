"""A private redis-server for tests that stop and start Redis."""

from __future__ import annotations

from pathlib import Path

from sms_gateway import embedded_redis


class PrivateRedis:
    """A redis-server of our own under ``folder``; ``stop()`` really stops it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def url(self) -> str:
        return embedded_redis.url_for(self.folder)

    def start(self) -> str:
        return embedded_redis.ensure_running(self.folder)

    def stop(self) -> None:
        embedded_redis.stop(self.folder)
