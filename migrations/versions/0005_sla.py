"""SLA clocks on tickets: the running clock and deadline, reminder, teguran, Ombudsman flags.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 16:25:47
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = ("sla_due_at", "sla_reminded_at", "overdue_since", "ombudsman_at")


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.add_column(sa.Column("sla_clock", sa.String(length=16), nullable=True))
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
        batch_op.drop_column("sla_clock")
