"""Indexes for the console's pages over 100,000 tickets: triage, SLA board, search, portal, charts.

Columns a new ticket does not have yet (deadline, category, region, agency, flags) get partial
indexes of the rows that have them, so intake pays nothing for them. The text search has no index
of its own: a substring ILIKE is a scan bounded by the page's LIMIT (benchmarks/console_bench.py).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 19:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_tickets_created_id", "tickets", ["created_at", "id"], None),  # newest first, keyset
    ("ix_tickets_created_category", "tickets", ["created_at", "category", "region_code"], None),
    ("ix_tickets_sla_due", "tickets", ["sla_due_at"], "sla_due_at IS NOT NULL"),
    ("ix_tickets_overdue", "tickets", ["overdue_since"], "overdue_since IS NOT NULL"),
    ("ix_tickets_category", "tickets", ["category", "created_at"], "category IS NOT NULL"),
    ("ix_tickets_region", "tickets", ["region_code"], "region_code IS NOT NULL"),
    (
        "ix_tickets_agency_created",
        "tickets",
        ["agency_code", "created_at"],
        "agency_code IS NOT NULL",
    ),
    ("ix_tickets_flag", "tickets", ["flag"], "flag IS NOT NULL"),
    ("ix_tickets_emergency", "tickets", ["emergency_kind"], "emergency_kind IS NOT NULL"),
    ("ix_tickets_urgent", "tickets", ["is_urgent"], ("is_urgent = true", "is_urgent = 1")),
    ("ix_citizens_flagged", "citizens", ["flagged"], ("flagged = true", "flagged = 1")),
    ("ix_ticket_events_status_at", "ticket_events", ["to_status", "at", "actor"], None),
    ("ix_ticket_events_actor_at", "ticket_events", ["actor", "at"], None),  # agency activity
    ("ix_inbound_received", "inbound_messages", ["received_at"], None),  # traffic per minute
    ("ix_outbound_created_status", "outbound_messages", ["created_at", "status"], None),
)


def upgrade() -> None:
    for name, table, columns, where in INDEXES:
        options = {}
        if where is not None:
            postgresql, sqlite = where if isinstance(where, tuple) else (where, where)
            options = {"postgresql_where": sa.text(postgresql), "sqlite_where": sa.text(sqlite)}
        op.create_index(name, table, columns, **options)


def downgrade() -> None:
    for name, table, _, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
