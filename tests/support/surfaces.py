"""Collecting a service's outputs as text for leak sweeps (tests/test_privacy_sweep.py): the
public pages, the agency API and portal, the operator console, the outbound SMS, the e-mails."""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from sms_gateway import tracking
from sms_gateway.agency_tickets import VISIBLE
from sms_gateway.models import OutboundMessage
from tests.console.conftest import browser, make_user, sign_in
from tests.support.fake_twilio import FakeTwilio
from tests.support.leaks import Surface
from tests.support.smtp_server import SmtpServer


def drain(app: Flask) -> None:
    """The production worker class (job ids in its log lines) until the queues are empty."""
    from workers import pump
    from workers.__main__ import Worker
    from workers.queues import ALL, Enqueuer

    connection = app.extensions["redis"]
    for _ in range(2):  # processing forwards and queues status SMS; the second pass sends them
        pump.transfer(Enqueuer(connection))
        Worker(list(ALL), connection=connection).work(burst=True, with_scheduler=False)


def text_of(response) -> str:  # noqa: ANN001
    return response.get_data(as_text=True)


def get(client, path: str, surface: Surface, status: int = 200, **kwargs) -> str:  # noqa: ANN001, ANN003
    response = client.get(path, **kwargs)
    assert response.status_code == status, (path, response.status_code)
    body = text_of(response)
    surface.add(f"GET {path}", body)
    return body


CSRF_META = re.compile(r'(name="csrf-token" content=")[^"]+')


def collect_public(client: FlaskClient, numbers: dict, page: Surface, open311: Surface) -> None:
    """The public page of each report and of an unknown number; Open311; health; metrics."""
    unknown = tracking.generate()
    for report, number in numbers.items():
        for form, blank in (
            (number, unknown),
            (tracking.display(number), tracking.display(unknown)),
        ):
            response = client.get(f"/t/{form}")
            body = CSRF_META.sub(r"\1…", text_of(response))
            if report.kind == "rahasia":
                empty = client.get(f"/t/{blank}")
                assert response.status_code == empty.status_code == 404
                # The page echoes the number asked for, exactly as it does for an unknown one.
                assert body.replace(form, "<no>") == CSRF_META.sub(r"\1…", text_of(empty)).replace(
                    blank, "<no>"
                )
                body = body.replace(form, "<nomor yang diminta>")
            else:
                assert response.status_code == 200
            page.add(f"GET /t/{form}", body)
    for path in ("/healthz", "/readyz", "/metrics"):
        get(client, path, page)
    get(client, "/open311/v2/services.json", open311)
    get(client, "/open311/v2/requests.json", open311)
    get(client, "/open311/v2/requests.json?status=open,closed&page_size=200", open311)
    for report, number in numbers.items():
        path = f"/open311/v2/requests/{number}.json"
        if report.kind == "rahasia":
            response, empty = client.get(path), client.get(f"/open311/v2/requests/{unknown}.json")
            assert response.status_code == empty.status_code == 404
            assert text_of(response).replace(number, "<no>") == text_of(empty).replace(
                unknown, "<no>"
            )
            open311.add(f"GET {path}", text_of(response).replace(number, "<nomor yang diminta>"))
        else:
            get(client, path, open311)


def collect_agency(
    app: Flask,
    client: FlaskClient,
    agency: str,
    key: str,
    numbers: dict,
    api: Surface,
    portal: Surface,
) -> None:
    """The agency API with its key and the portal pages as one of its officers sees them."""
    auth = {"Authorization": f"Bearer {key}"}
    get(client, "/api/v1/tickets?per_page=200", api, headers=auth)
    for status in VISIBLE:
        get(client, f"/api/v1/tickets?status={status}&per_page=200", api, headers=auth)
    for number in numbers.values():
        get(client, f"/api/v1/tickets/{number}", api, headers=auth)
    make_user(app, "petugas-sapu", "agency", agency)
    officer = browser(app)
    assert sign_in(officer, "petugas-sapu").status_code == 302
    get(officer, "/agency/", portal)
    for status in VISIBLE:
        get(officer, f"/agency/?status={status}", portal)
    for number in numbers.values():
        get(officer, f"/agency/tickets/{tracking.display(number)}", portal)


def collect_console(app: Flask, numbers: dict, console: Surface, csv: Surface) -> None:
    """What an operator of the national admin sees, and the CSV export of the search."""
    make_user(app, "operator-sapu", "operator")
    operator = browser(app)
    assert sign_in(operator, "operator-sapu").status_code == 302
    for path in (
        "/console/",
        "/console/queue/",
        "/console/queue/live/inbound",
        "/console/queue/live/outbound",
        "/console/queue/live/status",
        "/console/triage/",
        "/console/search",
        "/console/search?q=bansos",
        "/console/sla",
        "/console/charts/",
        "/console/tickets/agencies?q=sosial",
    ):
        get(operator, path, console)
    for number in numbers.values():
        get(operator, f"/console/tickets/{tracking.display(number)}", console)
    # The phone simulator exists only with the sandbox provider: look at it as it would be there.
    settings = app.config["SETTINGS"]
    app.config["SETTINGS"] = settings.with_overrides(sms_provider="sandbox")
    try:
        for report in numbers:
            get(operator, f"/console/simulator/messages?from={quote(report.phone)}", console)
    finally:
        app.config["SETTINGS"] = settings
    get(operator, "/console/search.csv", csv)


def collect_sms(session, fake: FakeTwilio, sms_out: Surface) -> None:  # noqa: ANN001
    """Every outbound SMS body: the outbox table and what reached the provider's API."""
    session.expire_all()
    for kind, to, body in session.execute(
        select(OutboundMessage.kind, OutboundMessage.to, OutboundMessage.body).order_by(
            OutboundMessage.id
        )
    ):
        sms_out.add(f"outbound {kind} to {to[-3:]}", body)
    for form in fake.sent:
        sms_out.add(f"Twilio API {form['sid']}", form.get("Body", ""))


def collect_email(smtp: SmtpServer, surface: Surface) -> None:
    """Each e-mail the SMTP server accepted: headers, text and attachment, decoded."""
    for i, message in enumerate(smtp.inbox.messages):
        surface.add(f"mail {i} headers", "\n".join(f"{k}: {v}" for k, v in message.items()))
        for part in message.walk():
            if part.is_multipart():
                continue
            content = part.get_content()
            if isinstance(content, bytes):
                content = content.decode()
            surface.add(f"mail {i} {part.get_content_type()}", content)
