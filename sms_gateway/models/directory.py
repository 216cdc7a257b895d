"""Reference data seeded by ``flask seed``: SP4N-LAPOR! categories and the agency directory."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId


class Category(Base):
    """A SP4N-LAPOR! category: a top-level name, or one of its sub-categories."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    top: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(String(200))  # equals ``top`` for the top level itself
    is_top: Mapped[bool] = mapped_column(Boolean, default=False)


class Agency(Base):
    """An agency that receives tickets (instansi), with the channel it is reached through."""

    __tablename__ = "agencies"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))
    level: Mapped[str] = mapped_column(String(16))  # nasional | provinsi | kabupaten_kota
    region_code: Mapped[str | None] = mapped_column(String(16), index=True)
    function: Mapped[str | None] = mapped_column(String(40))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("agencies.code"), index=True)
    channel: Mapped[str] = mapped_column(String(16), default="portal")  # webhook | email | portal
    email: Mapped[str | None] = mapped_column(String(200))
    webhook_url: Mapped[str | None] = mapped_column(Text)
    webhook_secret: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
