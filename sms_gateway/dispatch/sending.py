"""What a forwarding carries (the webhook body, the e-mail) and its one send through the channel."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from .. import tracking
from ..models import Agency, Dispatch, Ticket
from . import channels
from .view import agency_view

DISPATCHED, REOPENED = "dispatched", "reopened"
# The SLA clock's messages: a reminder to the agency, a teguran to its supervisor.
SLA_REMINDER, SLA_ESCALATED = "sla_reminder", "sla_escalated"
_LEADS = {
    REOPENED: "Laporan dibuka kembali oleh pelapor.",
    SLA_REMINDER: "Pengingat: batas waktu tindak lanjut laporan ini segera berakhir.",
    SLA_ESCALATED: "Teguran: laporan ini melewati batas waktu tindak lanjut instansi {agency}.",
}


@dataclass(frozen=True)
class Transport:
    """What delivering needs from the settings."""

    smtp: channels.Smtp
    timeout: float = 10.0
    max_attempts: int = 8
    provider: str = "sandbox"  # for the citizen's SMS
    public_base_url: str = ""


def _payload(session: Session, row: Dispatch, ticket: Ticket, base_url: str) -> bytes:
    body = {
        "event": f"ticket.{row.purpose}",
        "delivery_id": row.key,
        "ticket": agency_view(session, ticket, base_url),
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode()


def _email_text(view: dict, purpose: str) -> str:
    lead = _LEADS.get(purpose, "Laporan baru.").format(agency=view.get("agency") or "-")
    lines = [
        lead,
        "",
        f"No. laporan : {view['number']}",
        f"Kategori    : {view['category'] or '-'}",
        f"Wilayah     : {(view['region'] or {}).get('name', '-')}",
        f"Pelapor     : {view['reporter'] or '-'}",
        f"Rahasia     : {'ya, jangan dipublikasikan' if view['rahasia'] else 'tidak'}",
        "",
        view["text"],
        "",
        "Tanggapi lewat API /api/v1/ atau portal instansi. Data lengkap: lampiran JSON.",
    ]
    return "\n".join(lines)


def send(session: Session, row: Dispatch, ticket: Ticket, agency: Agency, t: Transport) -> None:
    body = _payload(session, row, ticket, t.public_base_url)
    if row.channel == "webhook":
        event = f"ticket.{row.purpose}"
        channels.post_webhook(
            row.target or "",
            agency.webhook_secret or "",
            body,
            delivery_id=row.key,
            event=event,
            timeout=t.timeout,
        )
    elif row.channel == "email":
        view = json.loads(body)["ticket"]
        number = tracking.display(ticket.tracking_number)
        channels.send_email(
            t.smtp,
            row.target or "",
            f"[LAPOR! 1708] Laporan {number}: {view['category'] or 'perlu tindak lanjut'}",
            _email_text(view, row.purpose),
            message_id=f"<{row.key}@lapor1708>",
            attachment=(f"laporan-{ticket.tracking_number}.json", body),
            timeout=t.timeout,
        )
