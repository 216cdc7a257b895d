"""Agencies' bearer keys for /api/v1: shown once when created, stored only as a SHA-256."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .models import Agency, ApiKey, utcnow

PREFIX = "lapor_"


class UnknownAgency(ValueError):
    """No agency with that code."""


def digest(token: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(token.encode()).hexdigest()


def create(session: Session, agency_code: str) -> str:
    """A new key for the agency (caller commits); the only time the key itself is known."""
    if session.get(Agency, agency_code) is None:
        raise UnknownAgency(f"no agency with code {agency_code!r}")
    token = PREFIX + secrets.token_urlsafe(32)
    session.add(ApiKey(agency_code=agency_code, key_hash=digest(token), prefix=token[:12]))
    return token


def authenticate(session: Session, token: str) -> str | None:
    """The agency code a key belongs to, or None for an unknown or revoked key."""
    if not token.startswith(PREFIX):
        return None
    row = session.execute(
        select(ApiKey.id, ApiKey.agency_code).where(
            ApiKey.key_hash == digest(token), ApiKey.revoked_at.is_(None)
        )
    ).first()
    return row.agency_code if row else None


def revoke(session: Session, prefix: str) -> int:
    """Revoke the keys starting with ``prefix`` (caller commits); how many were revoked."""
    return session.execute(
        update(ApiKey)
        .where(ApiKey.prefix == prefix[:12], ApiKey.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    ).rowcount
