"""Outbound SMS indexes: the reply-loop guard, cost per ticket and per day.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 15:52:00
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_outbound_to_created", "outbound_messages", ["to", "created_at"])
    op.create_index("ix_outbound_ticket", "outbound_messages", ["ticket_id"])
    op.create_index("ix_outbound_sent_at", "outbound_messages", ["sent_at"])


def downgrade() -> None:
    op.drop_index("ix_outbound_sent_at", "outbound_messages")
    op.drop_index("ix_outbound_ticket", "outbound_messages")
    op.drop_index("ix_outbound_to_created", "outbound_messages")
