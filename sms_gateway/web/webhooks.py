"""Provider webhooks: an inbound SMS in, the immediate reply out.

The view checks the signature, hands the SMS to intake as a transaction of its own (intake.take:
on PostgreSQL one statement on an autocommit connection), then enqueues — in that order, so a job never
looks for a row that is not there yet. If the database cannot take the message, it
goes to the spool and the provider still gets a 200 with a thank-you; the tracking number follows
by SMS once the spool is replayed.
"""

from __future__ import annotations

import base64
import time
from urllib.parse import unquote_to_bytes
from xml.sax.saxutils import escape

from flask import Blueprint, Response, current_app, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from twilio.request_validator import RequestValidator

from .. import activity, intake, spool
from ..db import db
from ..metrics import INBOUND, WEBHOOK_LATENCY
from ..models import utcnow
from ..sms.templates import render

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")

REQUIRED = ("MessageSid", "From", "Body")


def twiml(message: str | None) -> Response:
    """A TwiML answer carrying one reply SMS (or none)."""
    inner = f"<Message>{escape(message)}</Message>" if message else ""
    return Response(
        f'<?xml version="1.0" encoding="UTF-8"?><Response>{inner}</Response>',
        mimetype="application/xml",
    )


def plain(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


def signed_url() -> str:
    """The URL Twilio signed: PUBLIC_BASE_URL + path when set, else the request's own URL."""
    base = current_app.config["SETTINGS"].public_base_url
    if not base:
        return request.url
    query = request.query_string.decode("latin-1")
    return base + request.path + (f"?{query}" if query else "")


def twilio_signature_ok() -> bool:
    settings = current_app.config["SETTINGS"]
    if not settings.validate_twilio_signature:
        return True
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        return False
    validator = RequestValidator(settings.twilio_auth_token)
    return validator.validate(signed_url(), request.form.to_dict(flat=True), signature)


def raw_payload() -> dict:
    payload: dict = {"form": request.form.to_dict(flat=True)}
    raw = request.get_data(cache=True)
    try:  # all fields are UTF-8 exactly when the whole decoded body is ('&' is one byte)
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        payload["raw_body_b64"] = base64.b64encode(raw).decode()
    return payload


@bp.post("/twilio/sms")
def twilio_sms() -> Response:
    started = time.perf_counter()
    outcome, response = _twilio_sms()
    INBOUND.labels("twilio", outcome).inc()
    WEBHOOK_LATENCY.labels("twilio").observe(time.perf_counter() - started)
    return response


def _twilio_sms() -> tuple[str, Response]:
    if request.mimetype != "application/x-www-form-urlencoded":
        return "bad_request", plain(
            415, "Expected application/x-www-form-urlencoded (Twilio form fields)."
        )
    request.get_data(cache=True)  # keep the raw bytes; the form is parsed from this copy
    if not twilio_signature_ok():
        return "bad_signature", plain(403, "Invalid or missing X-Twilio-Signature.")
    missing = [name for name in REQUIRED if name not in request.form]
    if missing:
        return "bad_request", plain(400, "Missing form fields: " + ", ".join(missing) + ".")
    sms = intake.IncomingSms(
        provider="twilio",
        message_id=request.form["MessageSid"],
        sender=request.form["From"],
        recipient=request.form.get("To", ""),
        body=request.form["Body"],
        received_at=utcnow(),
        raw=raw_payload(),
    )
    if not sms.message_id.strip():
        return "bad_request", plain(400, "MessageSid is empty.")
    return accept(sms)


def _limits() -> activity.Limits:
    settings = current_app.config["SETTINGS"]
    return activity.Limits(
        per_minute=settings.throttle_per_minute,
        per_hour=settings.throttle_per_hour,
        continuation_seconds=settings.continuation_seconds,
    )


def _channel_region(sms: intake.IncomingSms) -> str | None:
    """The region served by the number the SMS was sent to, when it serves one."""
    return current_app.config["SETTINGS"].channel_regions.get(sms.recipient.strip())


def accept(sms: intake.IncomingSms) -> tuple[str, Response]:
    """Store the SMS (or spool it), enqueue its processing, and answer with TwiML."""
    limits = _limits()
    session = db.session
    for attempt in (1, 2):
        try:
            result = intake.take(
                session, sms, limits=limits, region_hint=_channel_region(sms), run=db.run_alone
            )
            break
        except DBAPIError as exc:
            session.rollback()
            if exc.connection_invalidated and attempt == 1:
                continue  # a pooled connection had died (database restarted): one fresh try
            if not _database_unavailable(exc):
                raise
            spool.append(current_app.config["SETTINGS"].spool_path, sms)
            current_app.logger.error(  # the exception's text would carry the SMS itself
                "database unavailable, SMS %s spooled: %s", sms.message_id, type(exc.orig).__name__
            )
            return "spooled", twiml(render("spooled"))
    if result.duplicate:
        return "duplicate", twiml(result.reply)
    current_app.extensions["enqueuer"].intake(result.inbound_id, urgent=result.urgent)
    return result.kind, twiml(result.reply)


def _database_unavailable(exc: DBAPIError) -> bool:
    """Connection-level failures (the server is gone), as opposed to a bad statement."""
    return exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError)


@bp.post("/twilio/status")
def twilio_status() -> Response:
    """A delivery status callback, signed like the SMS webhook; moves a message only forward."""
    from ..delivery import record
    from ..providers.twilio import receipt

    if request.mimetype != "application/x-www-form-urlencoded":
        return plain(415, "Expected application/x-www-form-urlencoded (Twilio form fields).")
    if not twilio_signature_ok():
        return plain(403, "Invalid or missing X-Twilio-Signature.")
    found = receipt(request.form)
    if found is None:
        return plain(400, "Missing or unknown MessageSid or MessageStatus.")
    outcome = record(db.session, found)
    db.session.commit()
    if outcome == "unknown":
        return plain(404, "Unknown MessageSid.")
    return Response(status=204)
