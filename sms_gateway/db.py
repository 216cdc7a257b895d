"""The database connection: one engine per process, one session per request or job."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.local import LocalProxy

from config import Settings


def make_engine(settings: Settings) -> Engine:
    """An engine for the configured database, tuned for the embedded or production stack."""
    url = settings.sqlalchemy_url
    if url.startswith("sqlite"):
        settings.instance_path.mkdir(parents=True, exist_ok=True)
        timeout = settings.db_timeout_seconds
        engine = create_engine(url, connect_args={"timeout": timeout})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")  # an acknowledged SMS survives power loss
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            cur.close()

        return engine
    return create_engine(
        url,
        pool_size=5,
        max_overflow=10,
        # No ping per checkout (a round trip on every webhook): a connection found dead is
        # invalidated with its pool and the webhook retries once on a fresh one.
        pool_pre_ping=False,
        pool_recycle=1800,
        connect_args={"connect_timeout": max(1, int(settings.db_timeout_seconds))},
    )


class Database:
    """Owns the engine and hands out sessions; ``init_app`` ties a session to each request."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.sessionmaker: sessionmaker[Session] | None = None

    def configure(self, settings: Settings) -> None:
        """Create the engine (once per process)."""
        self.engine = make_engine(settings)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def session(self) -> Session:
        """The session of the current request (created on first use)."""
        if "db_session" not in g:
            g.db_session = self.sessionmaker()
        return g.db_session

    @staticmethod
    def _close_request_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()

    @contextmanager
    def scope(self) -> Iterator[Session]:
        """A session for a job or a command; rolled back if the block raises, always closed."""
        session = self.sessionmaker()
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        if self.engine is not None:
            self.engine.dispose()


def init_app(app: Flask) -> None:
    """Give the app its own database (engine and sessions), closed after each request."""
    database = Database()
    database.configure(app.config["SETTINGS"])
    app.extensions["db"] = database
    app.teardown_appcontext(Database._close_request_session)


# The current app's database, for views and commands.
db: Database = LocalProxy(lambda: current_app.extensions["db"])  # type: ignore[assignment]


def dialect_insert(session: Session, table):  # noqa: ANN001, ANN201
    """An INSERT that offers ON CONFLICT on the databases we run on (PostgreSQL, SQLite)."""
    from sqlalchemy import insert
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    return insert(table)
