"""Migration 0009 (the console's indexes at 1,000,000 tickets) goes down and up on both databases.

The steps run the revision's own upgrade()/downgrade() on the test database and always leave it
upgraded again, so the models still compare equal to the schema for the tests after these.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from config import PROJECT_ROOT
from sms_gateway import search, tracking
from sms_gateway.models import Ticket

ADDED = {
    "ix_tickets_triage",
    "ix_tickets_overdue_status",
    "ix_tickets_urgent_status",
    "ix_tickets_sla_agency",
    "ix_tickets_text_trgm",
}
REPLACED = {"ix_tickets_overdue", "ix_tickets_urgent", "ix_tickets_sla_due"}


def _revision():  # noqa: ANN202
    path = PROJECT_ROOT / "migrations" / "versions" / "0009_console_at_a_million.py"
    spec = importlib.util.spec_from_file_location("revision_0009", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(engine, step: Callable[[], None]) -> None:  # noqa: ANN001
    with engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
        step()


def _indexes(engine) -> set[str]:  # noqa: ANN001
    return {index["name"] for index in inspect(engine).get_indexes("tickets")}


@contextmanager
def _upgraded_again(engine, revision) -> Iterator[None]:  # noqa: ANN001
    """Whatever happens inside, the database ends with the revision applied as it ships."""
    try:
        yield
    finally:
        if "ix_tickets_triage" in _indexes(engine):
            _run(engine, revision.downgrade)
        _run(engine, revision.upgrade)


def test_console_indexes_migration_downgrades_and_upgrades_again(app):
    engine = app.extensions["db"].engine
    revision = _revision()
    assert _indexes(engine) >= ADDED
    with _upgraded_again(engine, revision):
        _run(engine, revision.downgrade)
        present = _indexes(engine)
        assert not ADDED & present and present >= REPLACED
        _run(engine, revision.upgrade)
        present = _indexes(engine)
        assert present >= ADDED and not REPLACED & present


def test_without_pg_trgm_the_migration_succeeds_and_search_still_finds_substrings(
    app, session, monkeypatch
):
    engine = app.extensions["db"].engine
    if engine.dialect.name != "postgresql":
        pytest.skip("the trigram index exists on PostgreSQL only")
    revision = _revision()
    with _upgraded_again(engine, revision):
        _run(engine, revision.downgrade)
        with monkeypatch.context() as patched:
            patched.setattr(revision, "_trigrams_available", lambda: False)
            _run(engine, revision.upgrade)
        assert "ix_tickets_text_trgm" not in _indexes(engine)
        assert ADDED - {"ix_tickets_text_trgm"} <= _indexes(engine)

        ticket = Ticket(tracking_number=tracking.generate(), text="Gorong-gorong AMBROL di gang")
        session.add(ticket)
        session.commit()
        page = search.find(session, search.Filters(text="ambrol"))
        assert [row.tracking_number for row in page.rows] == [ticket.tracking_number]
        session.rollback()
    assert "ix_tickets_text_trgm" in _indexes(engine)
