"""Console part: the phone simulator, a feature phone on screen that texts 1708 as a citizen.

Each SMS goes through the real Twilio webhook: form fields and X-Twilio-Signature as Twilio
would send them, passed through the application's own WSGI stack in-process (an HTTP call to
itself would deadlock a single sync worker). So the signature check, intake, throttling and the
TwiML answer are the real ones. The conversation is read back from the database: what the
number sent, the immediate replies, and the SMS the sandbox provider "sent" to it since.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree

from flask import Blueprint, abort, current_app, render_template, request, session
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from ...cli import _signed_form
from ...db import db
from ...intake import normalise_sender
from ...models import Citizen, InboundMessage, OutboundMessage
from .. import access

bp = Blueprint("simulator", __name__, url_prefix="/simulator")

WEBHOOK_PATH = "/webhooks/twilio/sms"
SHOWN = 30  # the last messages each way: a phone's screen, not an archive
MAX_TEXT = 640


def enabled(settings) -> bool:  # noqa: ANN001
    """The simulator exists only in development and with the sandbox provider."""
    return settings.app_env == "development" or settings.sms_provider == "sandbox"


@bp.before_request
def _only_where_enabled() -> None:
    if not enabled(access.settings()):
        abort(404)


@dataclass(frozen=True)
class Line:
    """One SMS on the phone's screen: ``in`` from the phone, ``out`` to it."""

    direction: str
    kind: str
    text: str
    at: datetime | None
    status: str = ""


@dataclass(frozen=True)
class Sent:
    """What the webhook answered to one SMS from the phone."""

    status: int
    reply: str | None
    error: str | None


def signing_token(settings) -> str:  # noqa: ANN001
    """The token the phone signs with: the webhook's own, as Twilio's would be."""
    return settings.twilio_auth_token


def webhook_url(settings) -> str:  # noqa: ANN001
    """The URL the webhook checks the signature over (see webhooks.signed_url)."""
    return (settings.public_base_url or "http://localhost") + WEBHOOK_PATH


def send(sender: str, text: str) -> Sent:
    """Text the webhook as Twilio would, through the app's WSGI stack; its answer."""
    settings = access.settings()
    url = webhook_url(settings)
    form, _ = _signed_form(url, sender, text, None)  # the fields `flask sms simulate` sends
    signature = RequestValidator(signing_token(settings)).compute_signature(url, form)
    # A fresh application context: the webhook's request gets its own g, session and user.
    with current_app.app_context():
        response = current_app.test_client().post(
            WEBHOOK_PATH,
            data=form,
            base_url="http://localhost",
            headers={"X-Twilio-Signature": signature},
        )
    body = response.get_data(as_text=True)
    if response.status_code != 200:
        return Sent(response.status_code, None, body.strip() or response.status)
    return Sent(200, _twiml_message(body), None)


def _twiml_message(body: str) -> str | None:
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return None
    message = root.find("Message")
    return message.text if message is not None else None


def conversation(number: str) -> list[Line]:
    """The number's last SMS both ways, oldest first; outbound ones once they have left."""
    citizen_id = db.session.scalar(select(Citizen.id).where(Citizen.phone == number))
    lines: list[Line] = []
    if citizen_id is not None:
        inbound = db.session.execute(
            select(InboundMessage.body, InboundMessage.reply, InboundMessage.received_at)
            .where(InboundMessage.citizen_id == citizen_id)
            .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
            .limit(SHOWN)
        ).all()
        for body, reply, at in inbound:
            lines.append(Line("in", "sms", body, at))
            if reply:
                lines.append(Line("out", "reply", reply, at))
    outbound = db.session.execute(
        select(
            OutboundMessage.body,
            OutboundMessage.kind,
            OutboundMessage.sent_at,
            OutboundMessage.status,
        )
        .where(OutboundMessage.to == number, OutboundMessage.sent_at.is_not(None))
        .order_by(OutboundMessage.created_at.desc(), OutboundMessage.id.desc())
        .limit(SHOWN)
    ).all()
    lines += [Line("out", kind, body, at, status) for body, kind, at, status in outbound]
    # Stable sort: a reply stays right after the SMS it answers.
    return sorted(lines, key=lambda line: line.at)


def _number(raw: str | None) -> str:
    number, valid = normalise_sender(raw or "")
    if valid:
        return number
    return session.get("simulator_from") or _new_number()


def _new_number() -> str:
    return "+62812" + "".join(str(secrets.randbelow(10)) for _ in range(7))


@bp.get("/")
def index() -> str:
    """The phone, with the chosen number's conversation."""
    number = _number(request.args.get("from"))
    session["simulator_from"] = number
    return render_template(
        "console/simulator.html", number=number, lines=conversation(number), sent=None
    )


@bp.get("/messages")
def messages() -> str:
    """The conversation alone (htmx polls it every few seconds)."""
    number = _number(request.args.get("from"))
    return render_template(
        "console/simulator_messages.html", number=number, lines=conversation(number)
    )


@bp.post("/send")
def send_sms() -> str:
    """Send the typed SMS from the chosen number; show the conversation with the answer."""
    number = _number(request.form.get("from"))
    session["simulator_from"] = number
    text = request.form.get("text", "")[:MAX_TEXT]
    sent = send(number, text) if text.strip() else None
    lines = conversation(number)
    if sent and sent.reply and not any(line.text == sent.reply for line in lines[-3:]):
        lines.append(Line("out", "twiml", sent.reply, None))  # answered, but nothing stored
    partial = request.headers.get("HX-Request")
    template = "console/simulator_screen.html" if partial else "console/simulator.html"
    return render_template(template, number=number, lines=lines, sent=sent)
