"""Indexes for the console's slow pages at 1,000,000 tickets (issue #8, docs/scale-out.md).

- ix_tickets_triage: open tickets waiting for an operator, read without touching the others
  (the query writes the condition as plain ``needs_triage`` so PostgreSQL matches the predicate).
- ix_tickets_overdue_status replaces ix_tickets_overdue: the overview's count of open overdue
  tickets becomes an index-only scan.
- ix_tickets_urgent_status replaces ix_tickets_urgent: the triage "flagged" count, index-only.
- ix_tickets_sla_agency replaces ix_tickets_sla_due: the SLA board's counts per agency and its
  few tickets per agency, both read from the index alone (status and overdue_since included).
- ix_tickets_text_trgm (PostgreSQL with pg_trgm only): a trigram index for the substring search,
  on tickets past `received` (intake never writes it; search reads received ones by status).
  Without the extension the migration still succeeds and the search scans as before. SQLite has
  no trigram index: it gets an empty index of the same name, so the schema matches the models.

Each CREATE INDEX holds a write lock on tickets while it builds (at 1 M tickets: see
docs/scale-out.md). To avoid it, create the same indexes with CREATE INDEX CONCURRENTLY before
``db upgrade``: they are created IF NOT EXISTS here.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# name, columns, where (PostgreSQL, SQLite), PostgreSQL INCLUDE columns
NEW = (
    ("ix_tickets_triage", ["status", "created_at", "id"], ("needs_triage", "needs_triage = 1"), []),
    (
        "ix_tickets_overdue_status",
        ["status", "overdue_since"],
        ("overdue_since IS NOT NULL",) * 2,
        [],
    ),
    ("ix_tickets_urgent_status", ["status", "id"], ("is_urgent = true", "is_urgent = 1"), []),
    (
        "ix_tickets_sla_agency",
        ["agency_code", "sla_due_at", "id"],
        ("sla_clock IS NOT NULL",) * 2,
        ["status", "overdue_since"],
    ),
)
REPLACED = (
    ("ix_tickets_overdue", ["overdue_since"], ("overdue_since IS NOT NULL",) * 2),
    ("ix_tickets_urgent", ["is_urgent"], ("is_urgent = true", "is_urgent = 1")),
    ("ix_tickets_sla_due", ["sla_due_at"], ("sla_due_at IS NOT NULL",) * 2),
)
TRIGRAM = "ix_tickets_text_trgm"


def _where(where: tuple[str, str]) -> dict:
    return {"postgresql_where": sa.text(where[0]), "sqlite_where": sa.text(where[1])}


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, columns, where, include in NEW:
        extra = {"postgresql_include": include} if include else {}
        op.create_index(name, "tickets", columns, if_not_exists=True, **_where(where), **extra)
    for name, _, _ in REPLACED:
        op.drop_index(name, table_name="tickets")
    if not postgresql:
        # never used (nothing satisfies WHERE 0): it only keeps the schema equal to the models
        op.create_index(TRIGRAM, "tickets", ["text"], sqlite_where=sa.text("0"))
    elif _trigrams_available():
        op.create_index(
            TRIGRAM,
            "tickets",
            ["text"],
            postgresql_using="gin",
            postgresql_ops={"text": "gin_trgm_ops"},
            postgresql_where=sa.text("status <> 'received'"),  # intake never writes it
            if_not_exists=True,
        )


def _trigrams_available() -> bool:
    """pg_trgm installed (created here when the server has it and the role may create it)."""
    bind = op.get_bind()
    installed = "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"
    if bind.execute(sa.text(installed)).scalar():
        return True
    offered = "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"
    if not bind.execute(sa.text(offered)).scalar():
        return False
    try:
        with bind.begin_nested():  # a savepoint: a refusal must not abort the migration
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        return False
    return True


def downgrade() -> None:
    # pg_trgm stays installed: other schemas may use it, and it costs nothing unused.
    op.execute(sa.text(f"DROP INDEX IF EXISTS {TRIGRAM}"))
    for name, columns, where in REPLACED:
        op.create_index(name, "tickets", columns, **_where(where))
    for name, *_ in reversed(NEW):
        op.drop_index(name, table_name="tickets")
