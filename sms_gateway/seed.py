"""Reference data: categories and the agency directory. Idempotent: running it twice adds nothing."""

from __future__ import annotations

import json
from importlib import resources

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from .models import Agency, Category, RoutingRule

NATIONAL_ADMIN = "ADMIN-NASIONAL"  # the national admin's triage desk (KemenPANRB)


def category_tree() -> dict[str, list[str]]:
    """The SP4N-LAPOR! category tree shipped with the project."""
    text = resources.files("sms_gateway.data").joinpath("lapor-categories.json").read_text("utf-8")
    return json.loads(text)


def seed_categories(session: Session) -> int:
    """Insert missing categories; return how many were added."""
    existing = {tuple(row) for row in session.execute(select(Category.top, Category.name))}
    added = 0
    for top, subs in category_tree().items():
        for name, is_top in [(top, True), *((sub, False) for sub in subs)]:
            if (top, name) not in existing:
                session.add(Category(top=top, name=name, is_top=is_top))
                existing.add((top, name))
                added += 1
    return added


def seed_agencies(session: Session) -> int:
    """Insert the agencies of the directory that are missing; return how many were added."""
    from . import directory

    existing = set(session.execute(select(Agency.code)).scalars())
    missing = [a for a in directory.agencies() if a.code not in existing]
    # Parents before children: the self-reference is checked row by row.
    placed = set(existing)
    rows = []
    while missing:
        ready = [a for a in missing if a.parent_code is None or a.parent_code in placed]
        if not ready:
            raise ValueError(
                "agency directory has parents that do not exist: "
                + ", ".join(sorted({a.parent_code for a in missing})[:5])
            )
        rows += ready
        placed |= {a.code for a in ready}
        missing = [a for a in missing if a.code not in placed]
    if rows:
        session.execute(
            insert(Agency),
            [
                {
                    "code": a.code,
                    "name": a.name,
                    "kind": a.kind,
                    "level": a.level,
                    "region_code": a.region_code,
                    "function": a.function,
                    "parent_code": a.parent_code,
                    "channel": a.channel,
                    "email": a.email or None,
                    "webhook_url": a.webhook_url or None,
                    "active": True,
                }
                for a in rows
            ],
        )
    return len(rows)


def seed_routing_rules(session: Session) -> int:
    """Insert the shipped routing rules that are missing (operators' edits are kept)."""
    from . import directory

    existing = set(session.execute(select(RoutingRule.id)).scalars())
    rows = [
        {
            "id": r.id,
            "category": r.category,
            "subcategory": "|".join(r.subcategories) or None,
            "keywords": "|".join(r.keywords) or None,
            "level": r.level,
            "target": r.target,
            "priority": r.priority,
            "note": r.note or None,
            "active": True,
        }
        for r in directory.load_rules()
        if r.id not in existing
    ]
    if rows:
        session.execute(insert(RoutingRule), rows)
    return len(rows)


def seed(session: Session) -> dict[str, int]:
    """Seed all reference data (caller commits)."""
    return {
        "categories": seed_categories(session),
        "agencies": seed_agencies(session),
        "routing rules": seed_routing_rules(session),
    }
