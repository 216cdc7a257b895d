"""The triage queue: what waits for an operator, who works on it, and verifying it onwards."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from sms_gateway import locks, tracking
from sms_gateway.models import Citizen, Dispatch, Ticket, TicketEvent, utcnow
from tests.support.twilio_client import Phone
from tests.test_intake_webhook import number_in, reply_of

from .conftest import browser, csrf_token, make_user, sign_in

UNSURE = "halo admin mohon ditindaklanjuti keluhan kami yang kemarin itu ya"


def texted_ticket(app, session, body: str, sender: str = "+6281299900001") -> Ticket:  # noqa: ANN001
    """A complaint texted through the signed webhook and processed by the real worker."""
    from tests.conftest import drain_queues

    phone = Phone(app.test_client(), "test-twilio-auth-token", sender)
    number = number_in(reply_of(phone.text(body)))
    drain_queues(app.extensions["redis"])
    session.expire_all()
    return session.execute(select(Ticket).where(Ticket.tracking_number == number)).scalar_one()


def stored_ticket(session, age: timedelta = timedelta(0), **fields) -> Ticket:  # noqa: ANN001, ANN003
    """A ticket written straight to the database (for list shapes the worker rarely makes)."""
    ticket = Ticket(
        tracking_number=tracking.generate(),
        text=fields.pop("text", "sampah di pinggir kali belum diangkut seminggu"),
        created_at=utcnow() - age,
        **fields,
    )
    session.add(ticket)
    session.commit()
    return ticket


def act(client, ticket: Ticket, action: str, **form: str):  # noqa: ANN001, ANN201
    """POST one action form of the ticket page, with the page's CSRF token."""
    page = f"/console/tickets/{ticket.tracking_number}"
    token = csrf_token(client, page)
    return client.post(f"{page}/{action}", data={"csrf_token": token, **form})


def rows_of(page: str) -> list[str]:
    return re.findall(r'data-ticket="(\d+)"', page)


def test_texted_complaint_the_machine_is_unsure_of_is_verified_and_dispatched_by_an_operator(
    operator_client,  # noqa: ANN001
    seeded,  # noqa: ANN001
    session,  # noqa: ANN001
    run_worker,  # noqa: ANN001
    agency_code: str,
) -> None:
    ticket = texted_ticket(seeded, session, UNSURE)
    assert ticket.needs_triage and ticket.status == "received"

    listing = operator_client.get("/console/triage/")
    assert listing.status_code == 200
    html = listing.get_data(as_text=True)
    assert ticket.tracking_number in rows_of(html)
    assert "keyakinan" in html and "halo admin mohon" in html

    page = operator_client.get(f"/console/tickets/{tracking.display(ticket.tracking_number)}")
    assert page.status_code == 200 and 'id="thread"' in page.get_data(as_text=True)
    assert UNSURE in page.get_data(as_text=True)

    response = act(operator_client, ticket, "verify", agency=agency_code)
    assert response.status_code == 302
    run_worker()
    session.expire_all()
    ticket = session.get(Ticket, ticket.id)
    assert ticket.status == "dispatched" and ticket.agency_code == agency_code
    assert not ticket.needs_triage
    assert session.scalars(select(Dispatch).where(Dispatch.ticket_id == ticket.id)).one()
    verified = session.execute(
        select(TicketEvent).where(
            TicketEvent.ticket_id == ticket.id, TicketEvent.to_status == "verified"
        )
    ).scalar_one()
    assert verified.actor == "operator:ratna"
    assert ticket.tracking_number not in rows_of(operator_client.get("/console/triage/").text)


def test_each_tab_lists_its_tickets_oldest_first_with_counts(operator_client, session) -> None:  # noqa: ANN001
    newer = stored_ticket(session, timedelta(hours=1), needs_triage=True, triage_reason="ragu")
    older = stored_ticket(session, timedelta(days=2), needs_triage=True, triage_reason="ragu")
    asking = stored_ticket(session, status="needs_info")
    moved = stored_ticket(session, status="transferred", needs_triage=True)
    urgent = stored_ticket(session, is_urgent=True, emergency_kind="kebakaran")
    marked = stored_ticket(session, status="verified", flag="abuse")
    stored_ticket(session, status="closed", flag="abuse")  # done: no longer waits
    citizen = Citizen(phone="+6281299900777", flagged=True, flagged_reason="terlalu sering")
    session.add(citizen)
    session.commit()
    noisy = stored_ticket(session, citizen_id=citizen.id, status="dispatched")

    unsure = operator_client.get("/console/triage/?tab=unsure").text
    assert rows_of(unsure) == [older.tracking_number, newer.tracking_number]
    assert "2 hari" in unsure
    answered = stored_ticket(
        session,
        timedelta(minutes=5),
        status="needs_info",
        text="jalan berlubang gede depan sd\n[INFO] desa karangsari kec kalimanah",
    )
    waiting = operator_client.get("/console/triage/?tab=needs_info").text
    assert rows_of(waiting) == [answered.tracking_number, asking.tracking_number]
    assert waiting.count("pelapor sudah menjawab") == 1  # the one whose citizen answered
    assert rows_of(operator_client.get("/console/triage/?tab=transferred").text) == [
        moved.tracking_number
    ]
    flagged = operator_client.get("/console/triage/?tab=flagged").text
    assert set(rows_of(flagged)) == {
        urgent.tracking_number,
        marked.tracking_number,
        noisy.tracking_number,
    }
    assert re.search(r'data-tab="flagged">[^<]*<span class="badge">3<', flagged)
    assert operator_client.get("/console/triage/?tab=semua").status_code == 404


def test_triage_pages_are_bounded_and_continue_after_the_last_row(operator_client, session) -> None:  # noqa: ANN001
    start = utcnow() - timedelta(days=3)
    session.add_all(
        Ticket(
            tracking_number=tracking.generate(),
            status="needs_info",
            text=f"jalan desa rusak nomor {i}",
            created_at=start + timedelta(minutes=i),
        )
        for i in range(55)
    )
    session.commit()
    first = operator_client.get("/console/triage/?tab=needs_info").text
    assert len(rows_of(first)) == 50
    after = re.search(r'after=(\d+)" rel="next"', first).group(1)
    second = operator_client.get(f"/console/triage/?tab=needs_info&after={after}").text
    assert len(rows_of(second)) == 5 and not set(rows_of(second)) & set(rows_of(first))
    assert 'rel="next"' not in second


def test_soft_lock_shows_a_second_operator_who_is_working_on_the_ticket(
    operator_client,  # noqa: ANN001
    seeded,  # noqa: ANN001
    session,  # noqa: ANN001
) -> None:
    ticket = stored_ticket(session, needs_triage=True, triage_reason="ragu")
    assert operator_client.get(f"/console/tickets/{ticket.tracking_number}").status_code == 200
    held = locks.holder(seeded.extensions["redis"], ticket.id)
    assert held.user == "ratna"
    assert 0 < seeded.extensions["redis"].ttl(locks.key(ticket.id)) <= locks.TTL_SECONDS

    make_user(seeded, "bayu", "operator")
    second = browser(seeded)
    sign_in(second, "bayu")
    page = second.get(f"/console/tickets/{ticket.tracking_number}").text
    assert "sedang dikerjakan oleh Ratna" in page
    assert 'name="confirm_lock"' in page
    assert "sedang dikerjakan oleh Ratna" in second.get("/console/triage/").text
    assert locks.holder(seeded.extensions["redis"], ticket.id).user == "ratna"  # not taken over

    refused = act(second, ticket, "flag", flag="attention")
    assert refused.status_code == 302
    session.expire_all()
    assert session.get(Ticket, ticket.id).flag is None
    assert "sedang dikerjakan oleh Ratna" in second.get(refused.headers["Location"]).text
    confirmed = act(second, ticket, "flag", flag="attention", confirm_lock="1")
    assert confirmed.status_code == 302
    session.expire_all()
    assert session.get(Ticket, ticket.id).flag == "attention"

    token = csrf_token(operator_client, "/console/triage/")
    path = f"/console/tickets/{ticket.tracking_number}/lock/release"
    assert operator_client.post(path, data={"csrf_token": token}).status_code == 204
    assert locks.holder(seeded.extensions["redis"], ticket.id) is None
    poll = second.post(
        f"/console/tickets/{ticket.tracking_number}/lock", headers={"X-CSRFToken": token}
    )
    assert poll.status_code in (200, 400)  # another session's token is not this one's
    own = csrf_token(second, "/console/triage/")
    poll = second.post(
        f"/console/tickets/{ticket.tracking_number}/lock", headers={"X-CSRFToken": own}
    )
    assert "Anda sedang mengerjakan" in poll.text


def test_a_script_in_an_sms_is_shown_as_text(operator_client, seeded, session) -> None:  # noqa: ANN001
    words = 'lampu jalan mati <script>alert("x")</script> di gang kenanga'
    ticket = texted_ticket(seeded, session, words, sender="+6281299900002")
    assert ticket.status == "needs_info"  # no place: the citizen was asked where
    tab = "/console/triage/?tab=needs_info"
    for path in (tab, f"/console/tickets/{ticket.tracking_number}"):
        html = operator_client.get(path).text
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_agency_officer_may_open_nothing_of_triage_or_tickets(officer_client, session) -> None:  # noqa: ANN001
    ticket = stored_ticket(session, needs_triage=True)
    page = f"/console/tickets/{ticket.tracking_number}"
    assert officer_client.get("/console/triage/").status_code == 403
    assert officer_client.get(page).status_code == 403
    assert officer_client.get("/console/tickets/agencies?q=dinas").status_code == 403
    token = csrf_token(officer_client, "/agency/")
    for action in ("verify", "reclassify", "reroute", "merge", "reject", "reply", "privacy"):
        assert (
            officer_client.post(f"{page}/{action}", data={"csrf_token": token}).status_code == 403
        )
    for action in ("flag", "lock", "lock/release"):
        assert (
            officer_client.post(f"{page}/{action}", data={"csrf_token": token}).status_code == 403
        )


def test_agency_search_finds_agencies_by_name_or_code_within_a_bound(operator_client) -> None:  # noqa: ANN001
    found = operator_client.get("/console/tickets/agencies?q=dinas sosial").text
    codes = re.findall(r'<option value="([^"]+)"', found)
    assert "35.78-DINSOS" in codes or len(codes) == 20
    assert 0 < len(codes) <= 20
    by_code = operator_client.get("/console/tickets/agencies?q=35.78-DINSOS").text
    assert 'value="35.78-DINSOS"' in by_code
    assert operator_client.get("/console/tickets/agencies?q=%25").text.strip() == ""


def test_an_english_speaking_operator_reads_the_pages_in_english(seeded, session) -> None:  # noqa: ANN001
    from sms_gateway.models import User

    make_user(seeded, "wayan", "operator")
    session.execute(User.__table__.update().where(User.username == "wayan").values(language="en"))
    session.commit()
    client = browser(seeded)
    sign_in(client, "wayan")
    ticket = stored_ticket(session, needs_triage=True)
    assert "Machine unsure" in client.get("/console/triage/").text
    page = client.get(f"/console/tickets/{ticket.tracking_number}").text
    assert "Verify and forward" in page and "SMS thread" in page
