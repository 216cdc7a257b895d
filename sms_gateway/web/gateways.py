"""Webhooks of the SMPP gateways (Jasmin, Kannel): inbound SMS and delivery reports.

Inbound SMS go through the Twilio webhook's own intake path (``webhooks.accept``: stored or
spooled, committed, then enqueued; idempotent on the gateway's message id). A gateway cannot
carry our reply in its answer, so the immediate reply intake chose is queued as an outbound SMS
(``reply-<inbound id>``, idempotent too). Every request must present the gateway's shared secret
(``X-Gateway-Secret`` header or ``secret`` query parameter) and, when GATEWAY_ALLOWED_IPS is
set, come from an allowed address.

Kannel's ``sms-service`` for 1708 (``%I`` is Kannel's message UUID; ``max-messages = 0``
because the reply goes out through sendsms, not in this answer)::

    group = sms-service
    keyword = default
    get-url = "https://HOST/webhooks/kannel/sms?secret=SECRET&from=%p&to=%P&text=%a&id=%I&ts=%t"
    max-messages = 0
    catch-all = true

Jasmin: an HTTP client connector (``httpccm -a``) with ``url https://HOST/webhooks/jasmin/sms?
secret=SECRET`` and ``method POST``, and a default MO route to it.
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from collections.abc import Mapping

from flask import Blueprint, Response, current_app, request

from .. import delivery, intake, outbound
from ..db import db
from ..metrics import INBOUND, WEBHOOK_LATENCY
from ..models import utcnow
from ..providers import jasmin, kannel
from ..providers.receipt import Receipt
from .webhooks import accept

bp = Blueprint("gateways", __name__, url_prefix="/webhooks")

JASMIN_ACK = "ACK/Jasmin"
MAX_MESSAGE_ID = 64  # inbound_messages.provider_message_id


def text(status: int, body: str) -> Response:
    return Response(body, status=status, mimetype="text/plain")


def _ip_allowed(address: str | None, allowed: tuple[str, ...]) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in allowed)


def authentic(gateway: str) -> bool:
    """The request carries the gateway's secret, from an allowed address when a list is set."""
    settings = current_app.config["SETTINGS"]
    if settings.gateway_allowed_ips and not _ip_allowed(
        request.remote_addr, settings.gateway_allowed_ips
    ):
        return False
    secret = settings.gateway_secret(gateway)
    given = request.headers.get("X-Gateway-Secret") or request.args.get("secret") or ""
    return bool(secret) and hmac.compare_digest(given.encode(), secret.encode())


def _fields() -> dict[str, str]:
    """Query and form fields together, without the secret (it is never stored)."""
    return {k: v for k, v in request.values.items() if k != "secret"}


def _receive(gateway: str, fields: Mapping[str, str], body: str) -> str:
    """Store one inbound SMS through the shared intake path, then queue its reply as an SMS."""
    # The id as intake stores it (no NUL, 64 characters): the reply is looked up by it.
    message_id = intake.clean_text(fields["id"].strip())[:MAX_MESSAGE_ID]
    sms = intake.IncomingSms(
        provider=gateway,
        message_id=message_id,
        sender=fields["from"],
        recipient=fields.get("to", ""),
        body=body,
        received_at=utcnow(),
        raw={"fields": dict(fields)},
    )
    outcome, _ = accept(sms)
    if outcome == "spooled":
        return outcome  # the replay queues the reply once the database is back
    policy = outbound.Policy.from_settings(current_app.config["SETTINGS"])
    queued = outbound.queue_reply_to(db.session, gateway, message_id, policy)
    db.session.commit()
    if queued is not None and queued.to_send:
        current_app.extensions["enqueuer"].outbound(queued.id)
    return outcome


def _inbound(gateway: str, body_of, ok: Response) -> Response:  # noqa: ANN001
    started = time.perf_counter()
    if not authentic(gateway):
        outcome, response = "bad_secret", text(403, "Forbidden.\n")
    else:
        fields = _fields()
        missing = [name for name in ("id", "from") if not fields.get(name, "").strip()]
        if missing:
            outcome = "bad_request"
            response = text(400, "Missing fields: " + ", ".join(missing) + ".\n")
        else:
            outcome, response = _receive(gateway, fields, body_of(fields)), ok
    INBOUND.labels(gateway, outcome).inc()
    WEBHOOK_LATENCY.labels(gateway).observe(time.perf_counter() - started)
    return response


def _jasmin_body(fields: Mapping[str, str]) -> str:
    """The SMS text: UCS-2 messages (coding 8) come as UTF-16BE bytes, in hex in ``binary``."""
    binary = fields.get("binary", "")
    if fields.get("coding") == "8" and binary:
        try:
            return bytes.fromhex(binary).decode("utf-16-be", "replace")
        except ValueError:
            pass
    return fields.get("content", "")


@bp.route("/jasmin/sms", methods=["POST", "GET"])
def jasmin_sms() -> Response:
    """An SMS-MO forwarded by Jasmin's HTTP client connector; answered exactly ``ACK/Jasmin``."""
    return _inbound("jasmin", _jasmin_body, text(200, JASMIN_ACK))


@bp.get("/kannel/sms")
def kannel_sms() -> Response:
    """An SMS forwarded by Kannel's get-url; the empty answer sends no SMS of its own."""
    return _inbound("kannel", lambda fields: fields.get("text", ""), text(200, ""))


def _receipt(gateway: str, parse, ok: str) -> Response:  # noqa: ANN001
    if not authentic(gateway):
        return text(403, "Forbidden.\n")
    receipt: Receipt | None = parse(_fields())
    if receipt is None:
        return text(400, "Not a delivery report.\n")
    outcome = delivery.record(db.session, receipt)
    db.session.commit()
    if outcome == "unknown":  # not recorded as sent yet, or not ours: let the gateway retry
        return text(404, "Unknown message.\n")
    return text(200, ok)


@bp.route("/jasmin/dlr", methods=["POST", "GET"])
def jasmin_dlr() -> Response:
    """A delivery report from Jasmin (dlr-method POST); acknowledged with ``ACK/Jasmin``."""
    return _receipt("jasmin", jasmin.receipt, JASMIN_ACK)


@bp.get("/kannel/dlr")
def kannel_dlr() -> Response:
    """A delivery report from Kannel, fetched from the dlr-url we gave with the message."""
    return _receipt("kannel", kannel.receipt, "OK")
