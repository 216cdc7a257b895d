"""Shared fixtures: a real database and a real Redis for every test that needs them.

By default the suite runs on the embedded stack: an SQLite file and a private redis-server, both
in a temporary folder. Set DATABASE_URL (PostgreSQL) and REDIS_URL to run the same suite against
servers; the tests empty that database's tables and flush that Redis database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis as redis_lib
from flask import Flask
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text

from config import Settings
from sms_gateway import create_app, embedded_redis, migrate
from sms_gateway.db import make_engine
from sms_gateway.models import Base
from tests.support.twilio_client import Phone

TEST_TOKEN = "test-twilio-auth-token"

# Property tests explore new inputs on developers' machines; in CI they replay a fixed set of
# examples (no time limits per example: CI machines are shared and slow), so main stays green
# for reasons in the code, not in the dice.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory):
    url = os.environ.get("REDIS_URL", "")
    if url:
        yield url
        return
    folder = tmp_path_factory.mktemp("redis")
    yield embedded_redis.ensure_running(folder)
    embedded_redis.stop(folder)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database: $DATABASE_URL wiped clean, or a new SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    settings = Settings(database_url=url, instance_path=tmp_path_factory.mktemp("instance"))
    engine = make_engine(settings)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def settings(database_url: str, redis_url: str, tmp_path: Path) -> Settings:
    return Settings(
        app_env="test",
        instance_path=tmp_path / "instance",
        database_url=database_url,
        redis_url=redis_url,
        twilio_auth_token=TEST_TOKEN,
        sms_provider="sandbox",
    )


REFERENCE_TABLES = {"agencies", "categories", "routing_rules", "directory_version"}  # kept


def empty_database(engine) -> None:  # noqa: ANN001
    """Remove everything tests create; reference data (seeded) stays."""
    tables = [
        t.name for t in reversed(Base.metadata.sorted_tables) if t.name not in REFERENCE_TABLES
    ]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            conn.execute(
                text("PRAGMA defer_foreign_keys=ON")
            )  # tickets <-> messages refer both ways
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))


@contextmanager
def running_app(settings: Settings, clean: bool = True) -> Iterator[Flask]:
    """The application on a clean database and an empty Redis; jobs share its connections."""
    from workers import context

    application = create_app(settings)
    db = application.extensions["db"]
    if clean:
        empty_database(db.engine)
        application.extensions["redis"].flushdb()
    context.configure(settings, application.extensions["redis"])
    try:
        with application.app_context():
            yield application
    finally:
        context.current().db.dispose()
        db.dispose()


@pytest.fixture
def app(settings: Settings):
    with running_app(settings) as application:
        yield application


@pytest.fixture(scope="session")
def _seeded(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> bool:
    from sms_gateway import seed
    from sms_gateway.db import Database

    database = Database()
    database.configure(
        Settings(database_url=database_url, instance_path=tmp_path_factory.mktemp("seed"))
    )
    with database.scope() as session:
        seed.seed(session)
        session.commit()
    database.dispose()
    return True


@pytest.fixture
def seeded(app, _seeded):  # noqa: ANN001, ANN201
    """The application with the categories, agency directory and routing rules loaded."""
    return app


@pytest.fixture
def client(app):  # noqa: ANN001, ANN201
    return app.test_client()


@pytest.fixture
def phone(client) -> Phone:  # noqa: ANN001
    return Phone(client, TEST_TOKEN)


@pytest.fixture
def session(app):  # noqa: ANN001, ANN201
    """A database session for looking at what the app stored."""
    with app.extensions["db"].scope() as s:
        yield s


def drain_queues(connection: redis_lib.Redis) -> None:
    """Run a real rq worker in this process until the queues are empty."""
    from rq import SimpleWorker

    from workers import pump
    from workers.queues import ALL, Enqueuer

    pump.transfer(Enqueuer(connection))
    SimpleWorker(list(ALL), connection=connection).work(burst=True, with_scheduler=False)


@pytest.fixture
def run_worker(app):  # noqa: ANN001, ANN201
    return lambda: drain_queues(app.extensions["redis"])
