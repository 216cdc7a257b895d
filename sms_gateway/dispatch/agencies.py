"""The agencies table as operators manage it: channels, CSV export and import (upsert)."""

from __future__ import annotations

from dataclasses import asdict
from typing import IO

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from .. import directory
from ..directory.csvio import _EMAIL_RE, _URL_RE
from ..models import Agency

UPDATABLE = ("name", "kind", "level", "region_code", "function", "parent_code", "channel")

# Agencies this process has read, kept while the directory's number stays the one they were
# read at (a trigger raises it in the transaction of any change to the table: migration 0011),
# and for one database only: ((engine, number), copies), replaced whole when either changes.
_kept: tuple[tuple | None, dict[str, Agency]] = (None, {})
_agencies = Agency.__table__
_BY_CODE = select(_agencies).where(_agencies.c.code == bindparam("code"))


def cached(session: Session, code: str, version: int | None) -> Agency | None:
    """The agency ``code`` in ``session`` (None if there is none), without a query while
    ``version``, the directory's number read in this transaction, is the one this process's
    copy was read at. Without a number it is read from the database.

    Every later step of the job that asks the session for the agency (the payload, the
    citizen's SMS) finds it there: the copy joins the session as if it had been loaded.
    """
    global _kept
    if version is None:
        return session.get(Agency, code)
    present = session.identity_map.get(identity_key(Agency, code))
    if present is not None:  # loaded in this session already, perhaps changed: that one
        return present
    key = (session.get_bind(), version)
    kept_for, copies = _kept
    if kept_for != key:  # a copy is only ever stored with the number it was read under
        copies = {}
        _kept = (key, copies)
    copy = copies.get(code)
    if copy is None:
        row = session.execute(_BY_CODE, {"code": code}).mappings().first()
        if row is None:
            return None
        copy = Agency(**row)
        make_transient_to_detached(copy)
        copies[code] = copy
    return session.merge(copy, load=False)


class ChannelError(ValueError):
    """A channel setting that cannot work."""


def set_channel(
    session: Session,
    code: str,
    *,
    webhook: str | None = None,
    secret: str | None = None,
    email: str | None = None,
    portal: bool = False,
) -> Agency:
    """Reach the agency by a signed webhook, by e-mail, or only through the portal/API."""
    agency = session.get(Agency, code)
    if agency is None:
        raise ChannelError(f"no agency with code {code!r}")
    if sum((webhook is not None, email is not None, portal)) != 1:
        raise ChannelError("give exactly one of --webhook URL --secret S, --email ADDR, --portal")
    if webhook is not None:
        if not _URL_RE.match(webhook):
            raise ChannelError(f"{webhook!r} is not an http(s) URL")
        if not secret or len(secret) < 16:
            raise ChannelError("a webhook needs --secret of at least 16 characters")
        agency.channel, agency.webhook_url, agency.webhook_secret = "webhook", webhook, secret
    elif email is not None:
        if not _EMAIL_RE.match(email):
            raise ChannelError(f"{email!r} is not an e-mail address")
        agency.channel, agency.email = "email", email
    else:
        agency.channel = "portal"
    return agency


def _record(row: Agency) -> directory.Agency:
    return directory.Agency(
        code=row.code,
        name=row.name,
        kind=row.kind,
        level=row.level,
        region_code=row.region_code,
        function=row.function,
        parent_code=row.parent_code,
        email=row.email or "",
        webhook_url=row.webhook_url or "",
        channel=row.channel,
    )


def export(session: Session, fileobj: IO[str]) -> int:
    """Write the agencies table as the directory's CSV (secrets never included)."""
    rows = session.execute(select(Agency).order_by(Agency.code)).scalars()
    return directory.export_csv((_record(r) for r in rows), fileobj)


def import_(session: Session, fileobj: IO[str]) -> tuple[int, int, list[str]]:
    """Upsert agencies from CSV (caller commits): added, updated, webhook agencies with no secret.

    A file with any bad row raises ``directory.CsvImportError`` (line numbers) and writes nothing.
    """
    existing = {a.code: a for a in session.execute(select(Agency)).scalars()}
    records = directory.import_csv(fileobj, known_codes=existing)
    new = [r for r in records if r.code not in existing]
    placed, ordered = set(existing), []
    while new:  # parents before children: the self-reference is checked row by row
        ready = [r for r in new if r.parent_code is None or r.parent_code in placed]
        ordered += ready
        placed |= {r.code for r in ready}
        new = [r for r in new if r.code not in placed]
    for record in ordered:
        values = asdict(record)
        values["email"], values["webhook_url"] = record.email or None, record.webhook_url or None
        session.add(Agency(**values, active=True))
        session.flush()
    updated = 0
    for record in records:
        row = existing.get(record.code)
        if row is None:
            continue
        for name in UPDATABLE:
            setattr(row, name, getattr(record, name))
        row.email, row.webhook_url = record.email or None, record.webhook_url or None
        updated += 1
    session.flush()
    unsigned = sorted(
        r.code
        for r in records
        if r.channel == "webhook"
        and not (existing[r.code].webhook_secret if r.code in existing else None)
    )
    return len(ordered), updated, unsigned
