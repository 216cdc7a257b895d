"""Status SMS to the citizen at each public step, shortened to fit, held during quiet hours.

Updates are kind ``status``: a citizen who sent STOP gets none (outbound suppresses them). Between
21:00 and 07:00 in the citizen's region time zone (WIB, WITA or WIT; WIB when the region is
unknown) an update is held until 07:00, except for tickets marked urgent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from .. import outbound, places
from ..models import Agency, Citizen, Ticket
from ..sms.encoding import is_gsm7, measure, to_gsm7
from ..sms.templates import FITTED_TEMPLATES
from ..tracking import display

QUIET_START, QUIET_END = time(21), time(7)
DEFAULT_ZONE = "Asia/Jakarta"
AGENCY_NAME_CHARS = 60
# Which fields may be shortened to fit the template's segments, most expendable first.
SHORTEN = ("text", "reason", "agency")


@dataclass(frozen=True)
class Notice:
    """A status SMS queued for the citizen, and when its send job should run (None: now)."""

    outbound_id: int
    to_send: bool
    send_at: datetime | None = None


def zone_for(region_code: str | None) -> ZoneInfo:
    """The citizen's time zone from the ticket's region (WIB when unknown)."""
    name = places.timezone(region_code) if region_code else None
    return ZoneInfo(name or DEFAULT_ZONE)


def quiet_until(region_code: str | None, now: datetime) -> datetime | None:
    """07:00 local (in UTC) when ``now`` falls in quiet hours there, else None."""
    zone = zone_for(region_code)
    local = now.astimezone(zone)
    if QUIET_END <= local.time() < QUIET_START:
        return None
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_END, tzinfo=zone).astimezone(now.tzinfo)


def plain(text: str) -> str:
    """Text in GSM-7 on one line: substitutes what it can, drops what it cannot."""
    text = to_gsm7(text)
    if not is_gsm7(text):
        text = "".join(ch for ch in text if is_gsm7(ch))
    return re.sub(r"\s+", " ", text).strip()


def _cut(value: str, length: int) -> str:
    return value if len(value) <= length else value[: max(0, length)].rstrip() + "..."


def render(name: str, language: str, **values: str) -> str:
    """The text of fitted template ``name`` with ``values`` as given."""
    template = FITTED_TEMPLATES[name]
    return (template.en if language == "en" else template.id).format(
        number=display(values["digits"]), **values
    )


def compose(name: str, language: str, **values: str) -> str:
    """Render template ``name``, shortening its free-text fields to fit its segment budget."""
    budget = FITTED_TEMPLATES[name].segments
    values = {key: plain(value) for key, value in values.items()}
    if "agency" in values:
        values["agency"] = _cut(values["agency"], AGENCY_NAME_CHARS)
    for field in SHORTEN:
        if measure(render(name, language, **values)).segments <= budget:
            break
        if field not in values:
            continue
        full, low, high = values[field], 0, len(values[field])
        while low < high:
            middle = (low + high + 1) // 2
            trial = {**values, field: _cut(full, middle)}
            if measure(render(name, language, **trial)).segments <= budget:
                low = middle
            else:
                high = middle - 1
        values[field] = _cut(full, low) if low else ""
    return render(name, language, **values)


def agency_name(session: Session, code: str | None) -> str:
    """The agency's name for an SMS (its code when unknown)."""
    agency = session.get(Agency, code) if code else None
    return agency.name if agency else (code or "instansi")


def status_update(
    session: Session,
    ticket: Ticket,
    event_id: int,
    step: str,
    *,
    provider: str,
    now: datetime,
    **values: str,
) -> Notice | None:
    """Queue the SMS for ``step`` (dispatched, responded, resolved, transferred, rejected).

    Keyed ``status-<ticket>-<event>``, so a repeated call queues nothing new (caller commits and,
    when ``to_send``, enqueues the send at ``send_at``). None when there is nobody to text.
    """
    citizen = session.get(Citizen, ticket.citizen_id) if ticket.citizen_id else None
    if citizen is None or not citizen.phone_valid:
        return None
    body = compose(f"update_{step}", citizen.language, digits=ticket.tracking_number, **values)
    queued = outbound.queue_sms(
        session,
        to=citizen.phone,
        body=body,
        kind="status",
        key=f"status-{ticket.id}-{event_id}",
        provider=provider,
        citizen_id=citizen.id,
        ticket_id=ticket.id,
    )
    send_at = None if ticket.is_urgent else quiet_until(ticket.region_code, now)
    return Notice(queued.id, queued.to_send, send_at)
