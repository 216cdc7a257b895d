"""The phone simulator: SMS through the real signed webhook, replies and status SMS on screen."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sms_gateway.models import InboundMessage, OutboundMessage, Ticket
from sms_gateway.web.console import simulator
from tests.conftest import running_app

from .conftest import browser, csrf_token, make_user, sign_in

NUMBER = "+6285712340987"
COMPLAINT = "jalan berlubang besar di depan pasar kembang surabaya, sdh 2 minggu blm diperbaiki"
LINE = re.compile(r'<li class="msg (in|out)" data-kind="([a-z_]+)">\s*<div class="body">([^<]*)<')


def lines(html: str) -> list[tuple[str, str, str]]:
    return LINE.findall(html)


def send(client, text: str, number: str = NUMBER, htmx: bool = True):  # noqa: ANN001, ANN201
    token = csrf_token(client, "/console/simulator/")
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        "/console/simulator/send",
        data={"csrf_token": token, "from": number, "text": text},
        headers=headers,
    )


def test_the_phone_page_has_its_form_and_conversation(operator_client):  # noqa: ANN001
    page = operator_client.get("/console/simulator/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="phone-form"' in html and 'name="from"' in html and 'name="text"' in html
    assert 'id="phone-messages"' in html and 'hx-trigger="every 3s"' in html
    assert re.search(r'name="from" value="\+628\d{9,10}"', html)
    assert "style=" not in html and "<script>" not in html


def run_worker_into_the_morning(app, run_worker) -> None:  # noqa: ANN001
    """The worker, and at night the SMS it holds for 07:00 sent as the morning would."""
    from workers import jobs

    run_worker()
    with app.extensions["db"].scope() as s:
        held = s.scalars(
            select(OutboundMessage.id).where(
                OutboundMessage.to == NUMBER, OutboundMessage.sent_at.is_(None)
            )
        ).all()
    for outbound_id in held:
        jobs.send_outbound(outbound_id)


def test_sms_goes_through_the_webhook_and_the_reply_and_status_sms_appear(
    operator_client,
    seeded,
    session,
    run_worker,  # noqa: ANN001
):
    response = send(operator_client, COMPLAINT)
    assert response.status_code == 200
    shown = lines(response.get_data(as_text=True))
    assert shown[0] == ("in", "sms", COMPLAINT)
    direction, kind, reply = shown[1]
    ticket = session.execute(select(Ticket)).scalar_one()
    assert (direction, kind) == ("out", "reply")
    assert ticket.tracking_number in reply.replace("-", "")
    inbound = session.execute(select(InboundMessage)).scalar_one()
    assert inbound.provider == "twilio" and inbound.sender == NUMBER

    poll = operator_client.get(f"/console/simulator/messages?from={NUMBER}")
    assert [k for _, k, _ in lines(poll.get_data(as_text=True))] == ["sms", "reply"]
    run_worker()
    session.expire_all()
    ticket = session.get(Ticket, ticket.id)
    assert ticket.status == "dispatched", ticket.status

    make_user(seeded, "sari", "agency", ticket.agency_code)
    officer = browser(seeded)
    assert sign_in(officer, "sari").status_code == 302
    path = f"/agency/tickets/{ticket.tracking_number}"
    answer = "Lubang di depan pasar kembang dijadwalkan ditambal hari kamis."
    # Outside quiet hours the "forwarded" SMS is on the phone already; inside, it is held.
    before = operator_client.get(f"/console/simulator/messages?from={NUMBER}")
    officer.post(f"{path}/respond", data={"csrf_token": csrf_token(officer, path), "text": answer})
    still = operator_client.get(f"/console/simulator/messages?from={NUMBER}")
    assert lines(still.get_data(as_text=True)) == lines(before.get_data(as_text=True))  # queued
    run_worker_into_the_morning(seeded, run_worker)
    later = operator_client.get(f"/console/simulator/messages?from={NUMBER}")
    direction, kind, text = lines(later.get_data(as_text=True))[-1]
    assert (direction, kind) == ("out", "status") and "pasar kembang" in text


def test_other_numbers_conversations_are_not_shown(operator_client):  # noqa: ANN001
    send(operator_client, COMPLAINT)
    other = operator_client.get("/console/simulator/messages?from=%2B6281199990000")
    assert lines(other.get_data(as_text=True)) == []


def test_a_wrong_signature_is_refused_by_the_webhook_and_shown_on_the_phone(
    operator_client,
    session,
    monkeypatch,  # noqa: ANN001
):
    monkeypatch.setattr(simulator, "signing_token", lambda settings: "token-yang-salah")
    response = send(operator_client, COMPLAINT)
    html = response.get_data(as_text=True)
    assert 'class="phone-status error"' in html and 'data-status="403"' in html
    assert "X-Twilio-Signature" in html
    assert session.execute(select(Ticket)).first() is None


def test_behind_a_public_address_the_phone_signs_for_that_address(
    operator_client,
    seeded,
    session,  # noqa: ANN001
):
    settings = seeded.config["SETTINGS"]
    seeded.config["SETTINGS"] = settings.with_overrides(public_base_url="https://lapor1708.test")
    response = send(operator_client, COMPLAINT, htmx=False)  # a plain form post, no htmx
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="phone-form"' in html
    assert 'class="phone-status ok"' in html
    assert ("in", "sms", COMPLAINT) in lines(html)
    assert session.execute(select(Ticket)).scalar_one()


def test_sending_without_csrf_is_refused(operator_client, session):  # noqa: ANN001
    response = operator_client.post(
        "/console/simulator/send", data={"from": NUMBER, "text": COMPLAINT}
    )
    assert response.status_code == 400
    assert session.execute(select(Ticket)).first() is None


def test_citizen_text_on_the_phone_is_escaped(operator_client):  # noqa: ANN001
    html = send(operator_client, "<b>lampu</b> jalan mati di gang 3 <script>x()</script>")
    body = html.get_data(as_text=True)
    assert "<script>x()" not in body and "&lt;script&gt;" in body


@pytest.mark.parametrize(
    ("app_env", "provider", "found"),
    [
        ("production", "twilio", False),
        ("staging", "twilio", False),
        ("production", "sandbox", True),
    ],
)
def test_simulator_exists_only_in_development_or_with_the_sandbox(
    settings,
    _seeded,
    app_env,
    provider,
    found,  # noqa: ANN001
):
    changed = settings.with_overrides(app_env=app_env, sms_provider=provider)
    assert simulator.enabled(changed) is found
    with running_app(changed) as app:
        make_user(app, "ratna", "operator")
        client = browser(app)
        assert sign_in(client, "ratna").status_code == 302
        assert client.get("/console/simulator/").status_code == (200 if found else 404)
        home = client.get("/console/").get_data(as_text=True)
        assert ("/console/simulator/" in home) is found
