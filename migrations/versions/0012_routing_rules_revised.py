"""Shipped routing rules revised: rows still as first shipped take the new version.

`flask seed` inserts rules that are missing and never touches a row that exists, so operators'
edits are kept. A shipped rule that was wrong is corrected here, but only where its row still
reads exactly as it was shipped; a row an operator has edited is left as they made it.

- R022 (vehicle tax → the province) needed a sub-category the economy never gets: keywords alone.
- R038, the economy's default, goes to the region's trade and SME office, not the coordinating
  ministry (R039's keywords, which pointed there too, are now redundant and harmless).
- R044 (BPOM) also reads expired medicine; R065 (POLRI) also reads street racing.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

COLUMNS = ("category", "subcategory", "keywords", "level", "target", "priority", "note")
ECONOMY = "EKONOMI DAN KEUANGAN"
ORDER = "KETENTERAMAN, KETERTIBAN UMUM, DAN PELINDUNGAN MASYARAKAT"
POLICE_WORDS = (
    "polisi|polsek|polres|polda|begal|maling|pencurian|curanmor|penganiayaan|pengeroyokan|"
    "tawuran|{}perampokan|sim|skck|stnk|tilang"
)

# id → (as first shipped, as revised), in COLUMNS order
REVISED: dict[str, tuple[tuple, tuple]] = {
    "R022": (
        (ECONOMY, "PAJAK DAERAH|RETRIBUSI PAJAK", "pajak kendaraan|pkb|samsat|bbnkb", "provinsi",
         "fn:pendapatan_daerah", 10, "Pajak kendaraan bermotor adalah pajak provinsi"),
        (ECONOMY, None, "pajak kendaraan|pkb|samsat|bbnkb|balik nama kendaraan", "provinsi",
         "fn:pendapatan_daerah", 20, "Pajak kendaraan bermotor adalah pajak provinsi (Samsat)"),
    ),
    "R038": (
        (ECONOMY, None, None, "nasional", "KEMENKO-PEREKONOMIAN", 90, "Lainnya terkait ekonomi"),
        (ECONOMY, None, None, "auto", "fn:perdagangan_umkm", 90,
         "Pasar, UMKM, koperasi, harga dan perdagangan di daerah "
         "(Dinas Koperasi, UKM dan Perdagangan)"),
    ),
    "R044": (
        ("KESEHATAN", None,
         "obat palsu|kosmetik ilegal|makanan kedaluwarsa|makanan kadaluarsa|izin edar",
         "nasional", "BPOM", 50, None),
        ("KESEHATAN", None,
         "obat palsu|obat kedaluwarsa|obat kadaluarsa|kosmetik ilegal|makanan kedaluwarsa|"
         "makanan kadaluarsa|izin edar",
         "nasional", "BPOM", 50, None),
    ),
    "R065": (
        (ORDER, None, POLICE_WORDS.format(""), "nasional", "POLRI", 50,
         "Kata urusan kepolisian di teks"),
        (ORDER, None, POLICE_WORDS.format("balap liar|"), "nasional", "POLRI", 50,
         "Kata urusan kepolisian di teks"),
    ),
}  # fmt: skip


def _replace(rule_id: str, old: tuple, new: tuple) -> None:
    """Set the row to `new` where it still reads `old` (NULL-safe comparison)."""
    values = {f"new_{c}": v for c, v in zip(COLUMNS, new, strict=True)}
    where = []
    for column, value in zip(COLUMNS, old, strict=True):
        if value is None:
            where.append(f"{column} IS NULL")
        else:
            where.append(f"{column} = :old_{column}")
            values[f"old_{column}"] = value
    assignments = ", ".join(f"{c} = :new_{c}" for c in COLUMNS)
    op.execute(
        sa.text(
            f"UPDATE routing_rules SET {assignments} WHERE id = :id AND {' AND '.join(where)}"
        ).bindparams(id=rule_id, **values)
    )


def upgrade() -> None:
    for rule_id, (old, new) in REVISED.items():
        _replace(rule_id, old, new)


def downgrade() -> None:
    for rule_id, (old, new) in REVISED.items():
        _replace(rule_id, new, old)
