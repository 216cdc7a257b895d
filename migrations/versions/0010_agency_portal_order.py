"""An index for the agency portal's urgent order at 1,000,000 tickets.

- ix_tickets_agency_order: the agency's visible tickets by status, due date, urgency and id.
  The portal's "most urgent first" reads it as one ordered range per status, with and without
  a due date (sms_gateway.agency_tickets), each stopped at the end of the page, instead of
  sorting every ticket of the agency. Partial: only tickets an agency can see, so intake (which
  writes received tickets) never writes it.

The CREATE INDEX holds a write lock on tickets while it builds (at 1 M tickets: see
docs/scale-out.md). To avoid it, create the same index with CREATE INDEX CONCURRENTLY before
``db upgrade``: it is created IF NOT EXISTS here.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 21:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

NAME = "ix_tickets_agency_order"
COLUMNS = ["agency_code", "status", "sla_due_at", "is_urgent", "id"]
VISIBLE = "status IN ('dispatched', 'responded', 'resolved', 'closed')"


def upgrade() -> None:
    op.create_index(
        NAME,
        "tickets",
        COLUMNS,
        postgresql_where=sa.text(VISIBLE),
        sqlite_where=sa.text(VISIBLE),
        if_not_exists=True,
    )


def downgrade() -> None:
    op.drop_index(NAME, table_name="tickets", if_exists=True)
