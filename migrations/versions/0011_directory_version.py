"""A number that every change to the agencies table raises, so workers may keep agencies in memory.

- directory_version: one row (id 1). A trigger on agencies raises ``version`` in the transaction
  of any INSERT, UPDATE or DELETE (on PostgreSQL also TRUNCATE), whoever writes: the console,
  ``flask agencies import``, ``seed``, or an administrator in psql. A worker reads the number
  with the SMS it claims and uses the agencies it keeps only while the number is unchanged
  (sms_gateway.dispatch.agencies.cached).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLE = "directory_version"
# Upsert, not UPDATE: a missing row comes back with the next change instead of staying missing.
RAISE = (
    f"INSERT INTO {TABLE} (id, version) VALUES (1, 1) "
    f"ON CONFLICT (id) DO UPDATE SET version = {TABLE}.version + 1"
)
PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION raise_directory_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    {RAISE};
    RETURN NULL;
END $$
"""
PG_TRIGGERS = {  # one per statement: an import of 10,000 rows raises the number once
    "agencies_raise_version": "AFTER INSERT OR UPDATE OR DELETE",
    "agencies_raise_version_truncate": "AFTER TRUNCATE",
}
SQLITE_TRIGGERS = {
    f"agencies_raise_version_{event.lower()}": event for event in ("INSERT", "UPDATE", "DELETE")
}


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{TABLE}"),
    )
    op.execute(sa.text(f"INSERT INTO {TABLE} (id, version) VALUES (1, 1)"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text(PG_FUNCTION))
        for name, when in PG_TRIGGERS.items():
            op.execute(
                sa.text(
                    f"CREATE TRIGGER {name} {when} ON agencies "
                    "FOR EACH STATEMENT EXECUTE FUNCTION raise_directory_version()"
                )
            )
    else:
        for name, event in SQLITE_TRIGGERS.items():
            op.execute(
                sa.text(f"CREATE TRIGGER {name} AFTER {event} ON agencies BEGIN {RAISE}; END")
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in PG_TRIGGERS:
            op.execute(sa.text(f"DROP TRIGGER IF EXISTS {name} ON agencies"))
        op.execute(sa.text("DROP FUNCTION IF EXISTS raise_directory_version()"))
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(sa.text(f"DROP TRIGGER IF EXISTS {name}"))
    op.drop_table(TABLE)
