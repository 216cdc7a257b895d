"""Every page and action of the console, the portal and the API, against every kind of visitor.

The routes come from the application's own URL map, so a page added later is covered without
being listed here. For each route and each visitor (signed out, an officer of the ticket's
agency, an officer of another agency, operator, supervisor, admin) the answer must be the one the
rules give — and never a 5xx.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sms_gateway.models import Agency, Ticket
from tests.console.conftest import browser, csrf_token, make_user, sign_in

STAFF = ("operator", "supervisor", "admin")
VISITORS = ("anonymous", "own_officer", "other_officer", *STAFF)
# Views only some staff may use (the others get 403), by endpoint prefix.
RESTRICTED: dict[str, tuple[str, ...]] = {}


def _routes(app, prefix: str) -> list[tuple[str, str, str]]:  # noqa: ANN001
    """(endpoint, method, rule) of every route under ``prefix``."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(prefix):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule.rule))
    return sorted(found)


def _fill(rule: str, number: str) -> str:
    """A concrete URL for ``rule``: the ticket's number for <number>, a dummy elsewhere."""
    url = re.sub(r"<(?:[^:<>]+:)?number>", number, rule)
    url = re.sub(r"<int:[^<>]+>", "999999", url)
    return re.sub(r"<(?:[^:<>]+:)?[^<>]+>", "nothing-here", url)


@pytest.fixture
def world(seeded, phone, run_worker):  # noqa: ANN001, ANN201
    """A dispatched ticket of one agency, and a signed-in client for every kind of visitor."""
    phone.text("jalan di depan sdn 3 rungkut surabaya berlubang besar, sdh ada yg jatuh")
    run_worker()
    with seeded.extensions["db"].scope() as session:
        ticket = session.scalars(select(Ticket)).one()
        if ticket.agency_code is None or ticket.status not in ("dispatched", "verified"):
            ticket.agency_code = session.scalars(
                select(Agency.code).where(Agency.level == "kabupaten_kota").order_by(Agency.code)
            ).first()
            ticket.status, ticket.needs_triage = "dispatched", False
        own = ticket.agency_code
        other = session.scalars(
            select(Agency.code).where(Agency.code != own).order_by(Agency.code)
        ).first()
        number = ticket.tracking_number
        session.commit()
    clients = {"anonymous": browser(seeded)}
    for name, role, agency in (
        ("own_officer", "agency", own),
        ("other_officer", "agency", other),
        ("operator", "operator", None),
        ("supervisor", "supervisor", None),
        ("admin", "admin", None),
    ):
        make_user(seeded, name.replace("_", ""), role, agency)
        client = browser(seeded)
        assert sign_in(client, name.replace("_", "")).status_code == 302
        clients[name] = client
    return seeded, clients, number


def _expected_console(visitor: str, endpoint: str, method: str) -> set[int]:
    if visitor == "anonymous":
        return {302}
    if visitor.endswith("officer"):
        return {403}
    allowed = next((r for p, r in RESTRICTED.items() if endpoint.startswith(p)), STAFF)
    if visitor not in allowed:
        return {403}
    # Staff: the page answers (a dummy id may be unknown); a change without a token is refused.
    return {400} if method != "GET" else {200, 204, 302, 404}


def _expected_agency(visitor: str, rule: str, method: str) -> set[int]:
    if visitor == "anonymous":
        return {302}
    if visitor in STAFF:
        return {403}
    if method != "GET":
        return {400}  # no CSRF token
    if "<" in rule and visitor == "other_officer":
        return {404}  # another agency's ticket does not exist for them
    return {200, 302, 404}


def test_console_and_portal_answer_each_visitor_as_the_rules_say(world) -> None:  # noqa: ANN001
    app, clients, number = world
    wrong = []
    routes = [(r, "console") for r in _routes(app, "/console")]
    routes += [(r, "agency") for r in _routes(app, "/agency")]
    assert len(routes) > 5, "the console and portal routes were not found"
    for (endpoint, method, rule), area in routes:
        url = _fill(rule, number)
        for visitor in VISITORS:
            client = clients[visitor]
            answer = client.open(url, method=method, data={})
            answer.get_data()  # a streamed answer (CSV export) runs to its end
            answer.close()
            if area == "console":
                expected = _expected_console(visitor, endpoint, method)
            else:
                expected = _expected_agency(visitor, rule, method)
            if answer.status_code not in expected or answer.status_code >= 500:
                wrong.append(f"{visitor:>13} {method:<4} {url} → {answer.status_code}")
    print(f"checked {len(routes)} routes × {len(VISITORS)} visitors")
    assert not wrong, "cells of the matrix are wrong:\n" + "\n".join(wrong)


def test_own_ticket_page_is_the_officers_and_nobody_elses_in_the_portal(world) -> None:  # noqa: ANN001
    app, clients, number = world
    rules = [rule for _, method, rule in _routes(app, "/agency") if "<" in rule and method == "GET"]
    assert rules, "the portal has no ticket page"
    url = _fill(rules[0], number)
    assert clients["own_officer"].get(url).status_code == 200
    assert clients["other_officer"].get(url).status_code == 404


def test_staff_with_a_token_may_act_and_officers_may_not_even_with_one(world) -> None:  # noqa: ANN001
    app, clients, number = world
    posts = [(e, r) for e, m, r in _routes(app, "/console") if m == "POST"]
    for _endpoint, rule in posts:
        url = _fill(rule, number)
        token = csrf_token(clients["own_officer"], "/agency/")
        refused = clients["own_officer"].post(url, data={"csrf_token": token})
        assert refused.status_code == 403, f"officer POST {url} → {refused.status_code}"
        token = csrf_token(clients["operator"], "/console/")
        answer = clients["operator"].post(url, data={"csrf_token": token})
        assert answer.status_code < 500, f"operator POST {url} → {answer.status_code}"
        assert answer.status_code not in (401, 403), f"operator POST {url} → {answer.status_code}"


def test_api_refuses_every_route_without_a_key(world) -> None:  # noqa: ANN001
    app, clients, number = world
    routes = _routes(app, "/api/v1")
    assert routes
    for _, method, rule in routes:
        url = _fill(rule, number)
        for visitor in ("anonymous", "operator", "own_officer"):
            answer = clients[visitor].open(url, method=method, json={})
            assert answer.status_code == 401, f"{visitor} {method} {url} → {answer.status_code}"
