"""The agency portal: an officer sees and answers only the agency's tickets, as the API would."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sms_gateway.models import OutboundMessage, Ticket, TicketEvent
from tests.test_processing_pipeline import processed_ticket

from .conftest import browser, csrf_token, make_user, sign_in

DINSOS, DINKES = "35.78-DINSOS", "35.78-DINKES"
SENDER = "+6281298765432"
BANSOS = "bansos pkh ibu saya blm cair sdh 4 bln di kelurahan tegalsari surabaya"


def officer(app, username: str, agency: str):  # noqa: ANN001, ANN201
    make_user(app, username, "agency", agency)
    client = browser(app)
    assert sign_in(client, username).status_code == 302
    return client


@pytest.fixture
def dinsos(seeded):  # noqa: ANN001, ANN201
    return officer(seeded, "sari", DINSOS)


def forwarded(app, session, body: str = BANSOS) -> Ticket:  # noqa: ANN001
    ticket = processed_ticket(app, session, body, sender=SENDER)
    assert ticket.status == "dispatched" and ticket.agency_code == DINSOS
    return ticket


def page(client, path: str) -> str:  # noqa: ANN001
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def act(client, ticket: Ticket, action: str, **form: str):  # noqa: ANN001, ANN201
    path = f"/agency/tickets/{ticket.tracking_number}"
    token = csrf_token(client, path)
    return client.post(f"{path}/{action}", data={"csrf_token": token, **form})


def citizen_sms(session, ticket: Ticket) -> list[str]:  # noqa: ANN001
    session.expire_all()
    return list(
        session.scalars(
            select(OutboundMessage.body)
            .where(OutboundMessage.ticket_id == ticket.id, OutboundMessage.kind == "status")
            .order_by(OutboundMessage.id)
        )
    )


def last_event(session, ticket: Ticket) -> TicketEvent:  # noqa: ANN001
    session.expire_all()
    return session.scalars(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == ticket.id)
        .order_by(TicketEvent.id.desc())
        .limit(1)
    ).one()


def test_officer_sees_the_agencys_ticket_and_another_agency_sees_nothing(seeded, session, dinsos):
    ticket = forwarded(seeded, session)
    listing = page(dinsos, "/agency/")
    assert f'data-ticket="{ticket.tracking_number}"' in listing
    assert "tegalsari" in listing
    assert f'data-ticket="{ticket.tracking_number}"' in page(dinsos, "/agency/?status=dispatched")
    assert ticket.tracking_number not in page(dinsos, "/agency/?status=resolved")
    assert ticket.tracking_number in page(dinsos, "/agency/?order=urgent&page=abc")
    shown = page(dinsos, f"/agency/tickets/{ticket.tracking_number}")
    for action in ("respond", "resolve", "transfer"):
        assert f'data-action="{action}"' in shown

    dinkes = officer(seeded, "budi", DINKES)
    assert ticket.tracking_number not in page(dinkes, "/agency/")
    assert dinkes.get(f"/agency/tickets/{ticket.tracking_number}").status_code == 404
    token = csrf_token(dinkes, "/agency/")
    refused = dinkes.post(
        f"/agency/tickets/{ticket.tracking_number}/respond",
        data={"csrf_token": token, "text": "bukan urusan kami"},
    )
    assert refused.status_code == 404
    assert dinsos.get("/agency/tickets/12345").status_code == 404


def test_response_is_texted_to_the_citizen_and_names_the_officer(seeded, session, dinsos):
    ticket = forwarded(seeded, session)
    before = citizen_sms(session, ticket)
    words = "Dana PKH ibu sudah kami cek, akan cair minggu depan lewat kantor pos tegalsari."
    response = act(dinsos, ticket, "respond", text=words)
    assert response.status_code == 302
    session.refresh(ticket)
    assert ticket.status == "responded"
    (sms,) = citizen_sms(session, ticket)[len(before) :]
    assert "Dinas Sosial" in sms
    event = last_event(session, ticket)
    assert (event.kind, event.actor) == ("responded", f"agency:{DINSOS}:sari")
    assert event.data["text"] == words
    shown = page(dinsos, response.headers["Location"])
    assert "kantor pos tegalsari" in shown
    queued = seeded.extensions["redis"].keys("rq:job:*")
    assert queued, "the citizen's SMS was not enqueued"


def test_empty_response_is_refused_with_a_message(seeded, session, dinsos):
    ticket = forwarded(seeded, session)
    response = act(dinsos, ticket, "respond", text="   ")
    assert response.status_code == 302
    assert "Isi teksnya dulu" in page(dinsos, response.headers["Location"])
    session.refresh(ticket)
    assert ticket.status == "dispatched"


def test_officer_resolves_with_a_note(seeded, session, dinsos):
    ticket = forwarded(seeded, session)
    response = act(dinsos, ticket, "resolve", note="sudah dibayarkan tgl 3")
    assert response.status_code == 302
    session.refresh(ticket)
    assert ticket.status == "resolved"
    event = last_event(session, ticket)
    assert (event.kind, event.actor) == ("resolved", f"agency:{DINSOS}:sari")
    assert "NILAI" in citizen_sms(session, ticket)[-1].upper()


def test_transfer_needs_a_reason_and_sends_the_ticket_back_to_triage(seeded, session, dinsos):
    ticket = forwarded(seeded, session)
    assert act(dinsos, ticket, "transfer", reason="").status_code == 302
    session.refresh(ticket)
    assert ticket.status == "dispatched"
    response = act(dinsos, ticket, "transfer", reason="ini urusan dinas kesehatan, bukan kami")
    assert response.headers["Location"] == "/agency/"
    session.refresh(ticket)
    assert ticket.status == "transferred" and ticket.agency_code is None and ticket.needs_triage
    assert DINSOS in ticket.triage_reason
    event = last_event(session, ticket)
    assert event.actor == f"agency:{DINSOS}:sari" and "dinas kesehatan" in event.reason
    assert dinsos.get(f"/agency/tickets/{ticket.tracking_number}").status_code == 404


def test_actions_without_the_csrf_token_are_refused(seeded, session, dinsos):
    ticket = forwarded(seeded, session)
    path = f"/agency/tickets/{ticket.tracking_number}"
    for action, field in (("respond", "text"), ("resolve", "note"), ("transfer", "reason")):
        assert dinsos.post(f"{path}/{action}", data={field: "tanpa token"}).status_code == 400
    session.refresh(ticket)
    assert ticket.status == "dispatched"


def test_anonim_reporter_number_never_reaches_the_officer(seeded, session, dinsos):
    ticket = forwarded(seeded, session, "ANONIM " + BANSOS)
    assert ticket.is_anonim
    for path in ("/agency/", f"/agency/tickets/{ticket.tracking_number}"):
        shown = page(dinsos, path)
        assert SENDER not in shown and SENDER[3:] not in shown
    assert "Anonim" in page(dinsos, f"/agency/tickets/{ticket.tracking_number}")


def test_rahasia_ticket_is_the_agencys_but_personal_data_in_it_is_masked(seeded, session, dinsos):
    nik, other_phone = "3578014407880003", "081377712345"
    body = f"RAHASIA {BANSOS}, nik sy {nik} hub {other_phone}"
    ticket = forwarded(seeded, session, body)
    assert ticket.is_rahasia
    shown = page(dinsos, f"/agency/tickets/{ticket.tracking_number}")
    assert "tegalsari" in shown and "rahasia" in shown
    assert nik not in shown and other_phone not in shown
    assert SENDER in shown  # not anonim: the agency may call the reporter back
    listing = page(dinsos, "/agency/")
    assert nik not in listing and other_phone not in listing


def test_staff_may_not_open_the_portal(operator_client):  # noqa: ANN001
    assert operator_client.get("/agency/").status_code == 403


def test_overdue_ticket_is_marked(seeded, session, dinsos):
    from datetime import timedelta

    from sms_gateway.models import utcnow

    ticket = forwarded(seeded, session)
    ticket.sla_due_at = utcnow() - timedelta(days=1)
    session.commit()
    listing = page(dinsos, "/agency/?order=urgent")
    row = re.search(rf'<tr data-ticket="{ticket.tracking_number}"[^>]*>.*?</tr>', listing, re.S)
    assert row and "data-overdue" in row.group(0)
