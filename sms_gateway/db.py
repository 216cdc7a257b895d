"""The database connection: one engine per process, one session per request or job."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.local import LocalProxy

from config import Settings

# A statement's parameters are SMS texts, names and numbers: an error never quotes them (its
# message ends up in logs and tracebacks; the statement itself is enough to debug).
HIDE_PARAMETERS = True


def make_engine(settings: Settings) -> Engine:
    """An engine for the configured database, tuned for the embedded or production stack."""
    url = settings.sqlalchemy_url
    if url.startswith("sqlite"):
        settings.instance_path.mkdir(parents=True, exist_ok=True)
        timeout = settings.db_timeout_seconds
        engine = create_engine(
            url, connect_args={"timeout": timeout}, hide_parameters=HIDE_PARAMETERS
        )

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
        hide_parameters=HIDE_PARAMETERS,
        pool_size=5,
        max_overflow=10,
        # No ping per checkout (a round trip on every webhook): a connection found dead is
        # invalidated with its pool and the webhook retries once on a fresh one.
        pool_pre_ping=False,
        pool_recycle=1800,
        connect_args={"connect_timeout": max(1, int(settings.db_timeout_seconds))},
    )


INTAKE_APPLICATION_NAME = "lapor-sms intake"


def make_autocommit_engine(settings: Settings) -> Engine:
    """PostgreSQL connections in autocommit mode, for statements that are a transaction alone."""
    return create_engine(
        settings.sqlalchemy_url,
        isolation_level="AUTOCOMMIT",
        hide_parameters=HIDE_PARAMETERS,
        pool_size=2,
        max_overflow=8,
        pool_pre_ping=False,
        pool_recycle=1800,
        pool_reset_on_return=None,  # autocommit: a connection never comes back in a transaction
        connect_args={
            "connect_timeout": max(1, int(settings.db_timeout_seconds)),
            "application_name": INTAKE_APPLICATION_NAME,  # told apart in pg_stat_activity
        },
    )


class Database:
    """Owns the engine and hands out sessions; ``init_app`` ties a session to each request."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.sessionmaker: sessionmaker[Session] | None = None
        self._settings: Settings | None = None
        self._autocommit: Engine | None = None

    def configure(self, settings: Settings) -> None:
        """Create the engine (once per process)."""
        self._settings = settings
        self.engine = make_engine(settings)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)

    def run_alone(self, statement: str, parameters: dict) -> tuple | None:
        """Run one statement as a transaction of its own, through the driver; its first row.

        PostgreSQL only: the webhook's one-statement intake. A pool of autocommit connections
        used without a Connection or a Session around them: the statement is the transaction,
        so there is nothing to begin, commit or reset, and the request pays only the round trip
        and the driver. Errors come back as SQLAlchemy's (``DBAPIError``), and a connection
        found dead drops the pool, as the main engine does.
        """
        if self._autocommit is None:
            self._autocommit = make_autocommit_engine(self._settings)
        engine = self._autocommit
        dbapi = engine.dialect.loaded_dbapi
        connection = cursor = None
        try:
            connection = engine.raw_connection()
            cursor = connection.cursor()
            cursor.execute(statement, parameters)
            return cursor.fetchone()
        except dbapi.Error as exc:
            dead = engine.dialect.is_disconnect(exc, connection, cursor)
            if dead:
                engine.dispose()
                if connection is not None:
                    connection.invalidate(exc)
            raise DBAPIError.instance(
                statement,
                parameters,
                exc,
                dbapi.Error,
                hide_parameters=HIDE_PARAMETERS,
                connection_invalidated=dead,
            ) from exc
        finally:
            if cursor is not None:
                cursor.close()
            if connection is not None:
                connection.close()

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
        if self._autocommit is not None:
            self._autocommit.dispose()


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
