"""Reference data seeded by ``flask seed``: SP4N-LAPOR! categories and the agency directory."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UTCDateTime, utcnow


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


class DirectoryVersion(Base):
    """One row whose number a database trigger raises with every change to ``agencies``
    (migration 0011), whoever makes it: workers keep agencies while it stays the same."""

    __tablename__ = "directory_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)


class RoutingRule(Base):
    """Category (and sub-category, keywords) × region level → the agency that must act.

    Loaded from the shipped rules file by ``flask seed``; operators may edit them.
    """

    __tablename__ = "routing_rules"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    category: Mapped[str] = mapped_column(String(200), index=True)
    subcategory: Mapped[str | None] = mapped_column(Text)  # "|"-separated alternatives
    keywords: Mapped[str | None] = mapped_column(Text)  # "|"-separated, any one matches
    level: Mapped[str] = mapped_column(String(16))  # nasional | provinsi | kabupaten_kota | auto
    target: Mapped[str] = mapped_column(String(60))  # an agency code, fn:<function>, or gov
    priority: Mapped[int] = mapped_column(Integer, default=100)
    note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class LabelledExample(Base):
    """A text with the category an operator gave it: training data for the classifier."""

    __tablename__ = "labelled_examples"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(200))
    labelled_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
