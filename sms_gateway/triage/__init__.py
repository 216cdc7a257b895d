"""What operators do with tickets: the triage queue and every action on a ticket's page.

A correction of the category is stored as a labelled example (``labelled_examples``), so the next
``flask --app wsgi classifier train --corrections FILE`` learns from it (export the file with
``flask --app wsgi classifier export-corrections FILE``).
"""

from .actions import (
    AWAITABLE,
    FLAGS,
    MAX_REPLY_SEGMENTS,
    PRIVACY_FLAGS,
    Reply,
    agency,
    merge,
    protect,
    reclassify_and_route,
    reply,
    reroute,
    set_flag,
    verify,
)
from .core import TriageError, export_corrections, reclassify, reject
from .queues import TABS, Row, counts, page

__all__ = [
    "AWAITABLE",
    "FLAGS",
    "MAX_REPLY_SEGMENTS",
    "PRIVACY_FLAGS",
    "TABS",
    "Reply",
    "Row",
    "TriageError",
    "agency",
    "counts",
    "export_corrections",
    "merge",
    "page",
    "protect",
    "reclassify",
    "reclassify_and_route",
    "reject",
    "reply",
    "reroute",
    "set_flag",
    "verify",
]
