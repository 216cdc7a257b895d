"""What a job needs (settings, database, Redis, enqueuer), set up once per worker process."""

from __future__ import annotations

from dataclasses import dataclass

import redis

from config import Settings, from_env
from sms_gateway import redis_conn
from sms_gateway.db import Database
from workers.queues import Enqueuer


@dataclass
class Context:
    settings: Settings
    db: Database
    redis: redis.Redis
    enqueuer: Enqueuer


_current: Context | None = None


def configure(settings: Settings | None = None, connection: redis.Redis | None = None) -> Context:
    """Set up the context of this process (the worker's entry point and tests call this)."""
    global _current
    settings = settings or from_env()
    database = Database()
    database.configure(settings)
    connection = connection or redis_conn.connect(redis_conn.resolve_url(settings))
    _current = Context(settings, database, connection, Enqueuer(connection))
    return _current


def current() -> Context:
    """The context of this process, configured from the environment on first use."""
    return _current or configure()
