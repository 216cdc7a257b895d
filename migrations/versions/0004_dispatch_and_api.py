"""Dispatch to agencies and the agency API: delivery attempts (dead letters), API keys.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 15:52:35
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("agency_code", sa.String(length=40), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_code"], ["agencies.code"], name=op.f("fk_api_keys_agency_code_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    op.create_index(op.f("ix_api_keys_agency_code"), "api_keys", ["agency_code"])
    op.create_table(
        "dispatches",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("ticket_id", BIG_ID, nullable=False),
        sa.Column("event_id", BIG_ID, nullable=True),
        sa.Column("purpose", sa.String(length=24), nullable=False),
        sa.Column("agency_code", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("target", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("response_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_dispatches_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatches")),
        sa.UniqueConstraint("key", name=op.f("uq_dispatches_key")),
    )
    op.create_index("ix_dispatches_status_updated", "dispatches", ["status", "updated_at"])
    op.create_index(op.f("ix_dispatches_ticket_id"), "dispatches", ["ticket_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_dispatches_ticket_id"), "dispatches")
    op.drop_index("ix_dispatches_status_updated", "dispatches")
    op.drop_table("dispatches")
    op.drop_index(op.f("ix_api_keys_agency_code"), "api_keys")
    op.drop_table("api_keys")
