"""Reference data: categories and the agency directory. Idempotent: running it twice adds nothing."""

from __future__ import annotations

import json
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Agency, Category

NATIONAL_ADMIN = "ADMIN-NASIONAL"


def category_tree() -> dict[str, list[str]]:
    """The SP4N-LAPOR! category tree shipped with the project."""
    text = resources.files("sms_gateway.data").joinpath("lapor-categories.json").read_text("utf-8")
    return json.loads(text)


def seed_categories(session: Session) -> int:
    """Insert missing categories; return how many were added."""
    existing = set(session.execute(select(Category.top, Category.name)).tuples())
    added = 0
    for top, subs in category_tree().items():
        for name, is_top in [(top, True), *((sub, False) for sub in subs)]:
            if (top, name) not in existing:
                session.add(Category(top=top, name=name, is_top=is_top))
                existing.add((top, name))
                added += 1
    return added


def seed_agencies(session: Session) -> int:
    """Insert missing agencies of the directory; return how many were added."""
    if session.get(Agency, NATIONAL_ADMIN) is not None:
        return 0
    session.add(
        Agency(
            code=NATIONAL_ADMIN,
            name="Admin Nasional SP4N-LAPOR! (Kementerian PANRB)",
            kind="kementerian",
            level="nasional",
            channel="portal",
        )
    )
    return 1


def seed(session: Session) -> dict[str, int]:
    """Seed all reference data (caller commits)."""
    return {"categories": seed_categories(session), "agencies": seed_agencies(session)}
