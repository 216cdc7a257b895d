"""Hostile inputs against every inbound endpoint: never a 5xx, never anything stored half.

    python -m benchmarks.hostile_inputs [--database-url URL] [--redis-url URL] [--markdown]

Builds the application (``create_app``, migrations, ``seed``) on a throwaway SQLite file and an
embedded Redis (or on the URLs given: that database's schema is dropped and that Redis database
flushed), opens one ticket through the real path (signed webhook, worker, dispatch) so the
agency API has something to answer about, then sends each hostile input through the real WSGI
stack (the Flask test client: routing, form parsing, size limits, error handlers) and prints a
table: input | endpoint | expected | HTTP status | rows added per table | understanding step |
verdict. Texts that an SMS can carry also go straight through the understanding step
(``understand`` and ``analyse``: normalisation, masking, commands, places, classifier).

A verdict is ``ok`` when the answer is not a 5xx (and no exception escaped), is of the expected
class, a rejected request stored nothing, and the whole database is consistent afterwards (every
message has its reply; every complaint its ticket; every ticket its ``created`` event; every
gateway SMS its queued reply), including after the worker's understanding step ran on what was
accepted. ``tests/test_hostile_inputs.py`` runs this same table and asserts each verdict.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text
from twilio.request_validator import RequestValidator
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from benchmarks.hostile_texts import TEXTS, understanding_problems
from config import Settings
from sms_gateway import apikeys, create_app, embedded_redis, migrate, seed
from sms_gateway.db import make_engine
from sms_gateway.models import Base, InboundMessage, Ticket, TicketEvent

TOKEN = "hostile-twilio-auth-token"
JASMIN_SECRET, KANNEL_SECRET = "hostile-jasmin-secret", "hostile-kannel-secret"
BASE = "http://localhost"
SMS, STATUS = "/webhooks/twilio/sms", "/webhooks/twilio/status"
FORM = "application/x-www-form-urlencoded"
COMPLAINT = "jalan di gg melati rt 04 rusak parah bnyk lubang, mohon segera diperbaiki"
API_COMPLAINT = "bantuan pkh nenek sy blm cair sdh 4 bulan di kelurahan tegalsari surabaya"
SQL = "'; DROP TABLE tickets; -- \" OR 1=1 /* UNION SELECT password FROM users */"
HTML = "<script>alert(1)</script><img src=x onerror=alert(2)> jalan rusak &amp; <b>banjir</b>"
CONTROL = "lampu\x07 jalan\x1b[31m mati\x08\x0b\x0c\x7f\x85 sejak\r\n\t2 mggu\u2028"
RTL = "jalan rusak \u202egnanek gg\u202c di \u2067rt 03\u2069 \u200f\u200e"
EMOJI_10K = "\U0001f62d" * 10_000
LONG_WORD = "a" * 25_000
# Consistency of the whole database: each query counts the rows that would be "stored half".
INVARIANTS = {
    "message without its reply": "SELECT count(*) FROM inbound_messages WHERE reply IS NULL",
    "complaint without a ticket": "SELECT count(*) FROM inbound_messages m WHERE m.kind = "
    "'complaint' AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.source_message_id = m.id)",
    "ticket without its created event": "SELECT count(*) FROM tickets t WHERE NOT EXISTS "
    "(SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'created')",
    "message without its citizen": "SELECT count(*) FROM inbound_messages m WHERE NOT EXISTS "
    "(SELECT 1 FROM citizens c WHERE c.id = m.citizen_id)",
    "gateway SMS without its queued reply": "SELECT count(*) FROM inbound_messages m WHERE "
    "m.provider IN ('jasmin', 'kannel') AND m.sender_valid AND m.reply <> '' AND NOT EXISTS "
    "(SELECT 1 FROM outbound_messages o WHERE o.in_reply_to_id = m.id)",
}


@dataclass(frozen=True)
class Call:
    """One HTTP request, as bytes on the wire."""

    method: str
    path: str
    body: bytes = b""
    content_type: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Target:
    """The running application and what the cases need to know about it."""

    app: Flask
    client: FlaskClient
    tickets: list[str] = field(default_factory=list)  # forwarded to the key's agency
    api_key: str = ""
    serial: int = 0
    phones: int = 0

    def sid(self) -> str:
        """A fresh Twilio-shaped message id."""
        self.serial += 1
        return f"SM{self.serial:032d}"

    def phone(self) -> str:
        """A fresh sender: no case is throttled or merged into another case's complaint."""
        self.phones += 1
        return f"+62812{self.phones:08d}"

    @property
    def ticket_number(self) -> str:
        return self.tickets[0]

    def fresh_ticket(self) -> str:
        """A forwarded ticket no case has answered yet (its first response is texted)."""
        return self.tickets.pop()


@dataclass(frozen=True)
class Case:
    """One hostile input sent to one endpoint, and the answer that would be right."""

    input: str
    endpoint: str
    expect: tuple[int, ...]
    build: Callable[[Target], Call]
    before: Callable[[Target], Call] | None = None  # sent first (a replay's original)
    text: str | None = None  # set: a text for the understanding step, no request
    bug: str | None = None  # a known product bug this row shows (the test marks it xfail)
    bug_on: tuple[str, ...] = ("sqlite", "postgresql")

    @property
    def id(self) -> str:
        return f"{self.endpoint}: {self.input}"


@dataclass(frozen=True)
class Row:
    """What one case observed."""

    case: Case
    status: str
    stored: str
    understanding: str
    problems: tuple[str, ...] = field(default=())

    @property
    def verdict(self) -> str:
        return "ok" if not self.problems else "NOT OK: " + "; ".join(self.problems)


# -- building requests -------------------------------------------------------------------------


def parsed_form(body: bytes, content_type: str = FORM) -> dict[str, str]:
    """The form exactly as the application will parse it (what Twilio's signature covers)."""
    environ = EnvironBuilder(method="POST", data=body, content_type=content_type).get_environ()
    return Request(environ).form.to_dict(flat=True)


def signature(form: dict[str, str], url: str) -> str:
    return RequestValidator(TOKEN).compute_signature(url, form)


def sms_fields(t: Target, body: str = COMPLAINT, **extra: str) -> dict[str, str]:
    fields = {"MessageSid": t.sid(), "AccountSid": "AC" + "1" * 32, "From": t.phone()}
    fields.update(To="1708", Body=body, NumMedia="0")
    fields.update(extra)
    return fields


def twilio(
    body: bytes | dict | list,
    path: str = SMS,
    content_type: str = FORM,
    sign: dict | None = None,
    url: str | None = None,
    sig: str | None = None,
) -> Call:
    """A Twilio-style POST; signed over what the app parses unless ``sign``/``sig`` say else."""
    raw = body if isinstance(body, bytes) else urlencode(body).encode()
    if sig is None:
        signed = sign if sign is not None else parsed_form(raw, content_type)
        sig = signature(signed, url or BASE + path)
    return Call("POST", path, raw, content_type, (("X-Twilio-Signature", sig),))


def sms(body: str = COMPLAINT, **extra: str) -> Callable[[Target], Call]:
    return lambda t: twilio(sms_fields(t, body, **extra))


def sms_raw(tail: bytes) -> Callable[[Target], Call]:
    """A signed SMS whose Body is ``tail`` as raw (already encoded) bytes."""

    def build(t: Target) -> Call:
        head = {k: v for k, v in sms_fields(t).items() if k != "Body"}
        return twilio(urlencode(head).encode() + b"&Body=" + tail)

    return build


def replay(changed: bool) -> tuple[Callable[[Target], Call], Callable[[Target], Call]]:
    """The original request and its replay (same signature; the body changed or not)."""
    sent: dict[str, Call] = {}

    def first(t: Target) -> Call:
        sent["call"] = twilio(sms_fields(t, "air pdam mati 3 hari di perumahan griya asri"))
        return sent["call"]

    def again(t: Target) -> Call:
        call = sent["call"]
        if not changed:
            return call
        return Call(call.method, call.path, call.body.replace(b"pdam", b"PLN"), FORM, call.headers)

    return first, again


def jasmin(fields: dict, secret: str = JASMIN_SECRET, content_type: str = FORM) -> Call:
    body = urlencode(fields).encode()
    return Call("POST", f"/webhooks/jasmin/sms?secret={secret}", body, content_type)


def mo(t: Target, content: str = COMPLAINT, **extra: str) -> dict:
    fields = {"id": f"jasmin-{t.sid()}", "from": t.phone()[1:], "to": "1708", "coding": "0"}
    fields.update(content=content)
    fields.update(extra)
    return fields


def kannel(t: Target, text_: str, secret: str = KANNEL_SECRET, **extra: str) -> Call:
    query = {"secret": secret, "from": t.phone(), "to": "1708", "text": text_}
    query.update(id=f"kannel-{t.sid()}", ts="1741000000")
    query.update(extra)
    return Call("GET", "/webhooks/kannel/sms?" + urlencode(query))


def api(t: Target, body: bytes | object, action: str = "responses", **headers: str) -> Call:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    key = headers.pop("key", None)
    auth = headers.pop("auth", f"Bearer {key if key is not None else t.api_key}")
    content_type = headers.pop("content_type", "application/json")
    path = f"/api/v1/tickets/{headers.pop('number', t.ticket_number)}/{action}"
    return Call("POST", path, raw, content_type, (("Authorization", auth),))


def login(fields: dict, content_type: str = FORM, token: bool = True) -> Callable:
    def build(t: Target) -> Call:
        values = dict(fields)
        if token:
            values["csrf_token"] = csrf_token(t.client)
        return Call("POST", "/login", urlencode(values).encode(), content_type)

    return build


def csrf_token(client: FlaskClient) -> str:
    page = client.get("/login").get_data(as_text=True)
    return page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]


def get(path: str) -> Callable[[Target], Call]:
    return lambda t: Call("GET", path)


def post(path: str, body: bytes = b"", content_type: str = FORM) -> Callable[[Target], Call]:
    return lambda t: Call("POST", path, body, content_type)


OK = (200,)
NESTED = b"[" * 10_000 + b"]" * 10_000
BIG = "jalan rusak " * 4_000  # 48 KB: over the 32 KB limit on request bodies
FIELDS_3000 = {f"x{i}": "1" for i in range(3_000)}
_REPLAY_SAME, _REPLAY_CHANGED = replay(False), replay(True)

CASES: list[Case] = [
    # The Twilio SMS webhook.
    Case("a plain complaint (control)", "twilio sms", OK, sms()),
    Case("oversized body (48 KB)", "twilio sms", (413,), sms(BIG)),
    Case(
        "truncated form body (signed for the whole)",
        "twilio sms",
        (403,),
        lambda t: (lambda c: Call("POST", SMS, c.body[:-20], FORM, c.headers))(
            twilio(sms_fields(t))
        ),
    ),
    Case(
        "Content-Length larger than the body",
        "twilio sms",
        (400, 403),
        lambda t: (
            lambda c: Call("POST", SMS, c.body, FORM, (*c.headers, ("Content-Length", "9000")))
        )(twilio(sms_fields(t))),
    ),
    Case(
        "wrong content type (text/plain)",
        "twilio sms",
        (415,),
        lambda t: twilio(
            urlencode(sms_fields(t)).encode(), content_type="text/plain", sign=sms_fields(t)
        ),
    ),
    Case(
        "multipart/form-data instead of urlencoded",
        "twilio sms",
        (415,),
        lambda t: twilio(
            b'--x\r\nContent-Disposition: form-data; name="Body"\r\n\r\nhalo\r\n--x--\r\n',
            content_type="multipart/form-data; boundary=x",
            sign={},
        ),
    ),
    Case(
        "JSON instead of form",
        "twilio sms",
        (415,),
        lambda t: twilio(
            json.dumps(sms_fields(t)).encode(), content_type="application/json", sign=sms_fields(t)
        ),
    ),
    Case(
        "invalid UTF-8, percent-escaped (%FF%FE)",
        "twilio sms",
        OK,
        sms_raw(b"jalan%FF%FE%C3%28rusak"),
    ),
    Case(
        "invalid UTF-8, raw bytes in the body",
        "twilio sms",
        (400, 403),
        sms_raw(b"jalan\xff\xferusak"),
    ),
    Case("null bytes in Body", "twilio sms", OK, sms("got\x00 mampet\x00\x00 di rt 02")),
    Case(
        "null bytes in MessageSid and From",
        "twilio sms",
        OK,
        lambda t: twilio(sms_fields(t, MessageSid=t.sid() + "\x00x", From="+62812\x0034500004")),
    ),
    Case("control characters", "twilio sms", OK, sms(CONTROL)),
    Case("SQL injection in Body", "twilio sms", OK, sms(SQL)),
    Case(
        "SQL injection in MessageSid, From, To",
        "twilio sms",
        OK,
        lambda t: twilio(
            sms_fields(t, MessageSid="SM' OR '1'='1", From="' OR 1=1 --", To="1708'; --")
        ),
    ),
    Case("HTML/script injection in Body", "twilio sms", OK, sms(HTML)),
    Case("10,000 emoji (120 KB encoded)", "twilio sms", (413,), sms(EMOJI_10K)),
    Case("2,000 emoji (24 KB encoded)", "twilio sms", OK, sms("\U0001f621" * 2_000)),
    Case("right-to-left override and bidi marks", "twilio sms", OK, sms(RTL)),
    Case("very long single word (25,000 letters)", "twilio sms", OK, sms(LONG_WORD)),
    Case(
        "forged signature",
        "twilio sms",
        (403,),
        lambda t: twilio(sms_fields(t), sig="bm90LWEtc2lnbmF0dXJlLWF0LWFsbA=="),
    ),
    Case(
        "no signature header",
        "twilio sms",
        (403,),
        lambda t: Call("POST", SMS, urlencode(sms_fields(t)).encode(), FORM),
    ),
    Case(
        "signature made for another URL",
        "twilio sms",
        (403,),
        lambda t: twilio(sms_fields(t), url="https://evil.example/webhooks/twilio/sms"),
    ),
    Case(
        "signature made with another token",
        "twilio sms",
        (403,),
        lambda t: twilio(
            sms_fields(t),
            sig=RequestValidator("bukan-token").compute_signature(BASE + SMS, sms_fields(t)),
        ),
    ),
    Case(
        "replayed signature, same MessageSid and body (idempotent)",
        "twilio sms",
        OK,
        _REPLAY_SAME[1],
        before=_REPLAY_SAME[0],
    ),
    Case(
        "replayed signature with a changed body",
        "twilio sms",
        (403,),
        _REPLAY_CHANGED[1],
        before=_REPLAY_CHANGED[0],
    ),
    Case(
        "missing fields (From, MessageSid)",
        "twilio sms",
        (400,),
        lambda t: twilio({"Body": COMPLAINT, "To": "1708"}),
    ),
    Case("blank MessageSid", "twilio sms", (400,), sms(MessageSid="   ")),
    Case(
        "duplicate fields (two Body, two MessageSid)",
        "twilio sms",
        OK,
        lambda t: twilio(
            urlencode(
                [*sms_fields(t).items(), ("Body", "isi kedua"), ("MessageSid", t.sid())]
            ).encode()
        ),
    ),
    Case(
        "3,000 extra fields", "twilio sms", OK, lambda t: twilio({**sms_fields(t), **FIELDS_3000})
    ),
    Case("alphanumeric sender (TELKOMSEL)", "twilio sms", OK, sms(From="TELKOMSEL")),
    Case("non-E.164 sender (0812-3450-0005)", "twilio sms", OK, sms(From="0812-3450-0005")),
    Case(
        "overlong sender and MessageSid (5,000 chars)",
        "twilio sms",
        OK,
        sms(From="9" * 5_000, MessageSid="SM" + "f" * 5_000),
    ),
    Case("empty Body", "twilio sms", OK, sms("")),
    Case("GET instead of POST", "twilio sms", (405,), get(SMS)),
    # The Twilio status callback.
    Case(
        "forged signature",
        "twilio status",
        (403,),
        lambda t: twilio({"MessageSid": "SM1", "MessageStatus": "delivered"}, STATUS, sig="AAAA"),
    ),
    Case(
        "unknown MessageSid (SQL injection)",
        "twilio status",
        (404,),
        lambda t: twilio({"MessageSid": SQL, "MessageStatus": "delivered"}, STATUS),
    ),
    Case(
        "missing MessageStatus",
        "twilio status",
        (400,),
        lambda t: twilio({"MessageSid": "SM1"}, STATUS),
    ),
    Case(
        "null bytes and invalid UTF-8",
        "twilio status",
        (400, 404),
        lambda t: twilio(b"MessageSid=SM%00%FF&MessageStatus=deliv%00ered", STATUS),
    ),
    Case(
        "null byte in MessageSid (a valid status)",
        "twilio status",
        (404,),
        lambda t: twilio(b"MessageSid=SM%00x&MessageStatus=delivered", STATUS),
    ),
    Case(
        "JSON instead of form",
        "twilio status",
        (415,),
        lambda t: twilio(b'{"MessageSid": "SM1"}', STATUS, "application/json", sign={}),
    ),
    Case(
        "oversized body (48 KB)",
        "twilio status",
        (413,),
        lambda t: twilio({"MessageSid": "SM1", "MessageStatus": "sent", "x": BIG}, STATUS),
    ),
    # Jasmin and Kannel.
    Case("SQL injection in content", "jasmin sms", OK, lambda t: jasmin(mo(t, SQL))),
    Case(
        "null bytes in content, id and from",
        "jasmin sms",
        OK,
        lambda t: jasmin(
            mo(t, "got\x00 mampet", id=f"j\x00{t.sid()}", **{"from": "62812\x0034500002"})
        ),
    ),
    Case(
        "invalid UTF-16 hex in binary (coding 8)",
        "jasmin sms",
        OK,
        lambda t: jasmin(mo(t, "", coding="8", binary="d83dzz0")),
    ),
    Case(
        "lone surrogates as UCS-2 (coding 8)",
        "jasmin sms",
        OK,
        lambda t: jasmin(mo(t, "", coding="8", binary="d800dc00d800006a")),
    ),
    Case(
        "id over 64 characters",
        "jasmin sms",
        OK,
        lambda t: jasmin(mo(t, id="j" * 100 + t.sid())),
    ),
    Case(
        "10,000 emoji as UCS-2 hex (80 KB)",
        "jasmin sms",
        (413,),
        lambda t: jasmin(mo(t, "", coding="8", binary=EMOJI_10K.encode("utf-16-be").hex())),
    ),
    Case("wrong secret", "jasmin sms", (403,), lambda t: jasmin(mo(t), secret="salah")),
    Case(
        "JSON instead of form",
        "jasmin sms",
        (400,),
        lambda t: Call(
            "POST",
            f"/webhooks/jasmin/sms?secret={JASMIN_SECRET}",
            json.dumps(mo(t)).encode(),
            "application/json",
        ),
    ),
    Case(
        "null byte in the id, invalid UTF-8 status",
        "jasmin dlr",
        (404,),
        post(f"/webhooks/jasmin/dlr?secret={JASMIN_SECRET}", b"id=%00&message_status=%FF"),
    ),
    Case("HTML/script injection in text", "kannel sms", OK, lambda t: kannel(t, HTML)),
    Case(
        "invalid UTF-8 and null bytes in the query",
        "kannel sms",
        OK,
        lambda t: Call("GET", kannel(t, "x").path.replace("text=x", "text=jalan%FF%00rusak")),
    ),
    Case(
        "10,000 emoji in the query (120 KB URL)",
        "kannel sms",
        (200, 414),
        lambda t: kannel(t, EMOJI_10K),
    ),
    Case(
        "missing id",
        "kannel sms",
        (400,),
        lambda t: Call(
            "GET", f"/webhooks/kannel/sms?secret={KANNEL_SECRET}&from=%2B62812&text=halo"
        ),
    ),
    Case("wrong secret", "kannel sms", (403,), lambda t: kannel(t, COMPLAINT, secret="' OR 1=1")),
    Case("POST instead of GET", "kannel sms", (405,), post("/webhooks/kannel/sms", b"text=halo")),
    Case(
        "null byte in the id",
        "kannel sms",
        OK,
        lambda t: kannel(t, COMPLAINT, id=f"k\x00{t.sid()}"),
    ),
    Case(
        "garbage status",
        "kannel dlr",
        (400,),
        get(f"/webhooks/kannel/dlr?secret={KANNEL_SECRET}&id=%00&status=abc"),
    ),
    Case(
        "null byte in the id",
        "kannel dlr",
        (404,),
        get(f"/webhooks/kannel/dlr?secret={KANNEL_SECRET}&id=k%00x&status=1"),
    ),
    # The agency API.
    Case("no bearer key", "api responses", (401,), lambda t: api(t, {"text": "ok"}, auth="")),
    Case(
        "SQL injection as the bearer key",
        "api responses",
        (401,),
        lambda t: api(t, {"text": "ok"}, key="lapor_' OR 1=1 --"),
    ),
    Case(
        "form instead of JSON",
        "api responses",
        (400,),
        lambda t: api(t, b"text=sudah", content_type=FORM),
    ),
    Case("truncated JSON", "api responses", (400,), lambda t: api(t, b'{"text": "sudah ditin')),
    Case(
        "invalid UTF-8 in JSON",
        "api responses",
        (400,),
        lambda t: api(t, b'{"text": "jalan \xff\xfe"}'),
    ),
    Case("JSON array", "api responses", (400,), lambda t: api(t, [1, 2, 3])),
    Case("text is a number", "api responses", (422,), lambda t: api(t, {"text": 12345})),
    Case("text missing", "api responses", (422,), lambda t: api(t, {"teks": "salah nama"})),
    Case(
        "JSON nested 10,000 deep",
        "api responses",
        (400,),
        lambda t: api(t, NESTED),
    ),
    Case("SQL injection in text", "api responses", (201,), lambda t: api(t, {"text": SQL})),
    Case(
        "HTML/script injection in text",
        "api responses",
        (200, 201),
        lambda t: api(t, {"text": HTML}),
    ),
    Case(
        "null bytes in text (a first response: texted)",
        "api responses",
        (201, 422),
        lambda t: api(t, {"text": "sudah\x00 diperbaiki"}, number=t.fresh_ticket()),
    ),
    Case(
        "lone surrogate escape in text (a first response: texted)",
        "api responses",
        (201, 422),
        lambda t: api(t, b'{"text": "sudah \\ud800 diperbaiki"}', number=t.fresh_ticket()),
    ),
    Case(
        "10,000 emoji in text (40 KB)",
        "api responses",
        (413,),
        lambda t: api(
            t,
            {"text": EMOJI_10K},
        ),
    ),
    Case(
        "SQL injection as the ticket number",
        "api responses",
        (404,),
        lambda t: api(t, {"text": "ok"}, number=quote("1' OR '1'='1")),
    ),
    Case(
        "reason is an object",
        "api transfer",
        (422,),
        lambda t: api(t, {"reason": {"$ne": None}}, "transfer"),
    ),
    # Open311 (read only) and the console sign-in.
    Case(
        "POST a service request",
        "open311",
        (405,),
        post("/open311/v2/requests.json", b"service_code=x&description=halo"),
    ),
    Case(
        "page = 10^30",
        "open311",
        (400,),
        get("/open311/v2/requests.json?page=" + "1" + "0" * 30),
    ),
    Case(
        "start_date with a null byte",
        "open311",
        (400,),
        get("/open311/v2/requests.json?start_date=2026-01-01%00"),
    ),
    Case(
        "start_date in year 1, UTC-5",
        "open311",
        (200, 400),
        get("/open311/v2/requests.json?start_date=0001-01-01T00:00:00-05:00"),
    ),
    Case(
        "SQL injection in service_code",
        "open311",
        (200,),
        get("/open311/v2/requests.json?service_code=" + quote(SQL)),
    ),
    Case(
        "SQL injection as the request id",
        "open311",
        (404,),
        get("/open311/v2/requests/" + quote("1' OR '1'='1") + ".json"),
    ),
    Case(
        "no CSRF token",
        "console login",
        (400,),
        login({"username": "admin", "password": "x"}, token=False),
    ),
    Case(
        "SQL injection as username and password",
        "console login",
        (401,),
        login({"username": SQL, "password": SQL}),
    ),
    Case(
        "null bytes in the username",
        "console login",
        (401,),
        login({"username": "adm\x00in", "password": "x"}),
    ),
    Case(
        "HTML/script injection as username",
        "console login",
        (401,),
        login({"username": HTML, "password": "x"}),
    ),
    Case(
        "oversized body (48 KB)",
        "console login",
        (413,),
        login({"username": "admin", "password": BIG}),
    ),
    Case(
        "JSON instead of form",
        "console login",
        (400,),
        lambda t: Call("POST", "/login", b'{"username": "admin"}', "application/json"),
    ),
]


def _no_request(t: Target) -> Call:
    raise AssertionError("an understanding-step case sends no request")


CASES += [
    Case(
        name,
        "understanding step",
        (),
        _no_request,
        text=value,
    )
    for name, value in TEXTS.items()
]


# -- running -----------------------------------------------------------------------------------


class _PerRequestContext(FlaskClient):
    """Each request in an application context of its own, as in production."""

    def open(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        with self.application.app_context():
            return super().open(*args, **kwargs)


def _counts(app: Flask) -> dict[str, int]:
    with app.extensions["db"].scope() as session:
        return {
            t.name: session.scalar(select(func.count()).select_from(t))
            for t in Base.metadata.sorted_tables
        }


def inconsistencies(app: Flask) -> dict[str, int]:
    """How many rows anywhere in the database are stored half, by each invariant above."""
    with app.extensions["db"].scope() as session:
        return {name: session.scalar(text(sql)) for name, sql in INVARIANTS.items()}


def _send(t: Target, call: Call):  # noqa: ANN202
    headers = dict(call.headers)
    kwargs: dict = {"method": call.method, "headers": headers}
    if call.method != "GET":
        kwargs.update(data=call.body, content_type=call.content_type)
    if "Content-Length" in headers:  # a lying header: the wire carries fewer bytes
        kwargs["environ_overrides"] = {"CONTENT_LENGTH": headers.pop("Content-Length")}
    return t.client.open(call.path, **kwargs)


def understand_step(app: Flask, since_id: int) -> str:
    """Run the worker's understanding step on the SMS stored since ``since_id``."""
    from sms_gateway import processing

    with app.extensions["db"].scope() as session:
        ids = session.scalars(
            select(InboundMessage.id).where(InboundMessage.id > since_id).order_by("id")
        ).all()
        if not ids:
            return "—"
        try:
            for inbound_id in ids:
                processing.process_inbound(session, inbound_id)
                session.commit()
        except Exception as exc:  # the finding is the exception itself
            session.rollback()
            return f"raised {type(exc).__name__}"
        analysed = session.scalar(
            select(func.count())
            .select_from(TicketEvent)
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(Ticket.source_message_id.in_(ids), TicketEvent.kind == "analysed")
        )
    return f"analysed {analysed} ticket(s)" if analysed else "no ticket to analyse"


def run_case(t: Target, case: Case) -> Row:
    """Send one case and judge the answer, what was stored, and the database afterwards."""
    if case.text is not None:
        return understanding_row(case)
    if case.before is not None:
        _send(t, case.before(t))
    with t.app.extensions["db"].scope() as session:
        last_id = session.scalar(select(func.max(InboundMessage.id))) or 0
    before, half_before = _counts(t.app), inconsistencies(t.app)
    problems: list[str] = []
    try:
        code = _send(t, case.build(t)).status_code
        status = str(code)
    except Exception as exc:  # an exception escaping the WSGI app is what this looks for
        code, status = 500, f"exception {type(exc).__name__}"
    after = _counts(t.app)
    added = {name: after[name] - before[name] for name in after if after[name] != before[name]}
    stored = ", ".join(f"{name} {n:+d}" for name, n in sorted(added.items())) or "nothing"
    understood = understand_step(t.app, last_id) if added.get("inbound_messages") else "—"
    if code >= 500:
        problems.append(f"{status}")
    elif code not in case.expect:
        problems.append(f"expected {'/'.join(map(str, case.expect))}")
    if code >= 400 and added:
        problems.append("stored although rejected")
    if understood.startswith("raised"):
        problems.append(f"understanding step {understood}")
    half = inconsistencies(t.app)
    problems += [f"stored half: {name}" for name in half if half[name] > half_before[name]]
    return Row(case, status, stored, understood, tuple(problems))


def understanding_row(case: Case) -> Row:
    """A hostile text straight through understand() and analyse()."""
    started = time.perf_counter()
    problems = understanding_problems(case.text or "", with_analysis=True)
    ms = (time.perf_counter() - started) * 1000
    return Row(case, "—", "—", f"returned in {ms:.0f} ms", tuple(problems))


def prepare(app: Flask, tickets: int = 3) -> Target:
    """An agency key and tickets forwarded to that agency, through the real path."""
    t = Target(app, _client(app))
    for _ in range(tickets):
        answer = _send(t, twilio(sms_fields(t, API_COMPLAINT)))
        assert answer.status_code == 200, answer.get_data(as_text=True)
    _drain(app)
    with app.extensions["db"].scope() as session:
        forwarded = session.scalars(select(Ticket).where(Ticket.status == "dispatched")).all()
        agencies = {ticket.agency_code for ticket in forwarded}
        assert len(forwarded) == tickets and len(agencies) == 1, (forwarded, agencies)
        t.tickets = [ticket.tracking_number for ticket in forwarded]
        t.api_key = apikeys.create(session, agencies.pop())
        session.commit()
    return t


def _client(app: Flask) -> FlaskClient:
    app.test_client_class = _PerRequestContext
    return app.test_client()


def _drain(app: Flask) -> None:
    from rq import SimpleWorker

    from workers import pump
    from workers.queues import ALL, Enqueuer

    connection = app.extensions["redis"]
    pump.transfer(Enqueuer(connection))
    SimpleWorker(list(ALL), connection=connection).work(burst=True, with_scheduler=False)


def hostile_settings(settings: Settings) -> Settings:
    """The gateways' secrets and the Twilio token the cases sign with."""
    return settings.with_overrides(
        twilio_auth_token=TOKEN, jasmin_secret=JASMIN_SECRET, kannel_secret=KANNEL_SECRET
    )


def run_table(app: Flask, cases: list[Case] | None = None) -> list[Row]:
    """Every case against ``app``: migrated, seeded, otherwise empty, its worker context set."""
    app.config["SETTINGS"] = hostile_settings(app.config["SETTINGS"])
    t = prepare(app)
    return [run_case(t, case) for case in cases or CASES]


# -- the table ---------------------------------------------------------------------------------

HEADER = ("input", "endpoint", "expected", "HTTP status", "rows added", "understanding step")


def _cells(row: Row) -> tuple[str, ...]:
    expected = "/".join(map(str, row.case.expect)) or "no exception"
    return (row.case.input, row.case.endpoint, expected, row.status, row.stored, row.understanding)


def markdown(rows: list[Row]) -> str:
    def esc(cell: str) -> str:
        return cell.replace("|", "\\|")

    lines = ["| " + " | ".join((*HEADER, "verdict")) + " |", "|" + " --- |" * (len(HEADER) + 1)]
    lines += ["| " + " | ".join(esc(c) for c in (*_cells(r), r.verdict)) + " |" for r in rows]
    return "\n".join(lines)


def plain(rows: list[Row]) -> str:
    table = [(*HEADER, "verdict"), *((*_cells(r), r.verdict) for r in rows)]
    widths = [min(48, max(len(row[i]) for row in table)) for i in range(len(HEADER) + 1)]
    return "\n".join(
        "  ".join(cell[:48].ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in table
    )


@contextmanager
def built_app(database_url: str, redis_url: str) -> Iterator[Flask]:
    """A migrated and seeded application on the given (or throwaway embedded) stack."""
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    try:
        url = database_url or f"sqlite:///{folder / 'hostile.db'}"
        redis = redis_url or embedded_redis.ensure_running(folder)
        settings = Settings(app_env="test", instance_path=folder, database_url=url, redis_url=redis)
        engine = make_engine(settings)
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        migrate.upgrade(engine)
        engine.dispose()
        app = create_app(settings)
        app.extensions["redis"].flushdb()
        from workers import context

        context.configure(settings, app.extensions["redis"])
        with app.extensions["db"].scope() as session:
            seed.seed(session)
            session.commit()
        try:
            with app.app_context():
                yield app
        finally:
            context.current().db.dispose()
            app.extensions["db"].dispose()
    finally:
        if not redis_url:
            embedded_redis.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="empty: a throwaway SQLite file")
    parser.add_argument("--redis-url", default="", help="empty: a throwaway embedded Redis")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with built_app(args.database_url, args.redis_url) as app:
        dialect = app.extensions["db"].engine.dialect.name
        rows = run_table(app)
    print(markdown(rows) if args.markdown else plain(rows))
    bad = [r for r in rows if r.problems]
    print(
        f"\n{len(rows)} rows on {dialect}, {len(rows) - len(bad)} ok, {len(bad)} not ok "
        f"({time.perf_counter() - started:.1f} s)"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
