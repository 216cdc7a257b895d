"""Accounts for the console and the agency portal; merged duplicates and operator flags.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 18:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BIGID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", BIGID, primary_key=True),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("agency_code", sa.String(length=40), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("session_stamp", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_code"], ["agencies.code"], name="fk_users_agency_code_agencies"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )
    op.create_index("ix_users_agency_code", "users", ["agency_code"])
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", BIGID, nullable=True))
        batch_op.add_column(sa.Column("flag", sa.String(length=24), nullable=True))
        batch_op.create_foreign_key(
            "fk_tickets_merged_into_id_tickets", "tickets", ["merged_into_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_constraint("fk_tickets_merged_into_id_tickets", type_="foreignkey")
        batch_op.drop_column("flag")
        batch_op.drop_column("merged_into_id")
    op.drop_index("ix_users_agency_code", table_name="users")
    op.drop_table("users")
