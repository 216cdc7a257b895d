"""Each number's recent activity on its citizen row: throttle counters and last complaint.

Intake reads and updates them in the statement that stores the SMS, instead of asking Redis.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COLUMNS = (
    ("activity_minute", sa.Integer()),
    ("sms_in_minute", sa.Integer()),
    ("activity_hour", sa.Integer()),
    ("sms_in_hour", sa.Integer()),
    ("last_complaint_number", sa.String(length=10)),
    ("last_complaint_fingerprint", sa.String(length=16)),
    ("last_complaint_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    with op.batch_alter_table("citizens") as batch_op:
        for name, type_ in COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("citizens") as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
