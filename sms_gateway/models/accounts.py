"""People who sign in: national-admin staff and agency officers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UTCDateTime, utcnow

# admin: everything, accounts included; supervisor and operator: the console (the supervisor
# also sees the SLA board's escalations); agency: the portal of one agency (petugas instansi).
ROLES = ("admin", "supervisor", "operator", "agency")
STAFF = frozenset({"admin", "supervisor", "operator"})


class User(Base):
    """An account that signs in to the console or the agency portal."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id
    role: Mapped[str] = mapped_column(String(16))
    agency_code: Mapped[str | None] = mapped_column(ForeignKey("agencies.code"), index=True)
    language: Mapped[str] = mapped_column(String(2), default="id")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Changing the password ends every other session: the session carries this stamp.
    session_stamp: Mapped[str] = mapped_column(String(32))

    @property
    def is_staff(self) -> bool:
        """National-admin staff: the console is theirs."""
        return self.role in STAFF

    @property
    def actor(self) -> str:
        """How this user appears in a ticket's events."""
        if self.role == "agency":
            return f"agency:{self.agency_code}:{self.username}"
        return f"{self.role}:{self.username}"

    # What Flask-Login asks of a user object (the model itself imports nothing of Flask).
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """The session's reference: id and stamp, so a password change ends old sessions."""
        return f"{self.id}:{self.session_stamp}"
