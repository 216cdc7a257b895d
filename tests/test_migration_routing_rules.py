"""Migration 0012: a shipped rule still as first shipped is revised; an operator's edit is kept."""

from __future__ import annotations

import importlib.util

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, update

from config import PROJECT_ROOT
from sms_gateway import processing
from sms_gateway.models import RoutingRule


def _revision():  # noqa: ANN202
    path = PROJECT_ROOT / "migrations" / "versions" / "0012_routing_rules_revised.py"
    spec = importlib.util.spec_from_file_location("revision_0012", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(engine, step) -> None:  # noqa: ANN001
    with engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
        step()


def _set(engine, rule_id: str, values: tuple, columns: tuple[str, ...]) -> None:  # noqa: ANN001
    with engine.begin() as connection:
        connection.execute(
            update(RoutingRule)
            .where(RoutingRule.id == rule_id)
            .values(dict(zip(columns, values, strict=True)))
        )


def _row(engine, rule_id: str, columns: tuple[str, ...]) -> tuple:  # noqa: ANN001
    with engine.connect() as connection:
        row = connection.execute(
            select(*(getattr(RoutingRule, c) for c in columns)).where(RoutingRule.id == rule_id)
        ).one()
    return tuple(row)


def test_shipped_rules_are_revised_where_operators_left_them_as_shipped(seeded):
    engine = seeded.extensions["db"].engine
    revision = _revision()
    columns = revision.COLUMNS
    old22, new22 = revision.REVISED["R022"]
    old38, new38 = revision.REVISED["R038"]
    edited38 = (*old38[:4], "fn:perdagangan_umkm", 80, "diubah operator")
    try:
        # As seeded today the rows are revised already, and the upgrade leaves them so.
        _run(engine, revision.upgrade)
        assert _row(engine, "R022", columns) == new22

        _set(engine, "R022", old22, columns)  # a database seeded before the revision
        _set(engine, "R038", edited38, columns)  # …where an operator had edited R038
        _run(engine, revision.upgrade)
        assert _row(engine, "R022", columns) == new22
        assert _row(engine, "R038", columns) == edited38  # the operator's edit is kept

        _run(engine, revision.downgrade)
        assert _row(engine, "R022", columns) == old22
        assert _row(engine, "R038", columns) == edited38
    finally:
        _set(engine, "R022", new22, columns)
        _set(engine, "R038", new38, columns)
        processing.forget_rules()
