"""/api/v1: an agency reads and answers its own tickets; every answer matches docs/openapi.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select

from sms_gateway import apikeys
from sms_gateway.models import ApiKey, OutboundMessage, Ticket
from sms_gateway.sms.encoding import measure
from tests.test_processing_pipeline import processed_ticket

OPENAPI = json.loads((Path(__file__).parent.parent / "docs" / "openapi.json").read_text())
DINSOS, DINKES = "35.78-DINSOS", "35.78-DINKES"
BANSOS = "bansos pkh bapak sy blm cair udh 3 bln di kelurahan tegalsari surabaya"
BASE = "https://lapor1708.test"


def check(response, path: str, method: str = "get") -> object:  # noqa: ANN001
    """The response's JSON, validated against the OpenAPI document for its status."""
    spec = OPENAPI["paths"][path][method]["responses"][str(response.status_code)]
    schema = spec["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": OPENAPI["components"]})
    body = response.get_json()
    validator.validate(body)
    return body


@pytest.fixture
def keys(seeded, session):  # noqa: ANN001, ANN201
    made = {code: apikeys.create(session, code) for code in (DINSOS, DINKES)}
    session.commit()
    return {code: {"Authorization": f"Bearer {key}"} for code, key in made.items()}


@pytest.fixture
def ticket(seeded, session) -> Ticket:  # noqa: ANN001
    forwarded = processed_ticket(seeded, session, BANSOS)
    assert forwarded.status == "dispatched" and forwarded.agency_code == DINSOS
    # Behind its public address from now on (texting the webhook above signs for localhost).
    seeded.config["SETTINGS"] = seeded.config["SETTINGS"].with_overrides(public_base_url=BASE)
    return forwarded


def status_sms(session, ticket: Ticket) -> list[str]:  # noqa: ANN001
    session.expire_all()
    return list(
        session.execute(
            select(OutboundMessage.body)
            .where(OutboundMessage.ticket_id == ticket.id, OutboundMessage.kind == "status")
            .order_by(OutboundMessage.id)
        ).scalars()
    )


def test_agency_lists_and_reads_only_its_own_tickets(client, keys, ticket):
    listed = check(client.get("/api/v1/tickets", headers=keys[DINSOS]), "/api/v1/tickets")
    assert [t["tracking_number"] for t in listed["tickets"]] == [ticket.tracking_number]
    path = f"/api/v1/tickets/{ticket.tracking_number}"
    body = check(client.get(path, headers=keys[DINSOS]), "/api/v1/tickets/{number}")
    assert body["public_url"] == f"{BASE}/t/{ticket.tracking_number}"
    assert [e["kind"] for e in body["history"]][-1] == "dispatched"
    other = client.get(path, headers=keys[DINKES])
    assert other.status_code == 404
    check(other, "/api/v1/tickets/{number}")
    assert (
        check(client.get("/api/v1/tickets", headers=keys[DINKES]), "/api/v1/tickets")["tickets"]
        == []
    )


def test_requests_without_a_valid_key_are_refused(client, keys, ticket):
    for headers in (
        {},
        {"Authorization": "Bearer lapor_bukan-kunci"},
        {"Authorization": "Basic x"},
    ):
        response = client.get("/api/v1/tickets", headers=headers)
        assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
        check(response, "/api/v1/tickets")


def test_only_the_hash_of_a_key_is_stored(seeded, session):
    result = seeded.test_cli_runner().invoke(args=["api-keys", "create", "--agency", DINSOS])
    key = result.output.strip()
    assert result.exit_code == 0 and key.startswith("lapor_")
    stored = session.execute(select(ApiKey)).scalar_one()
    assert stored.key_hash == apikeys.digest(key) and key not in stored.key_hash
    assert apikeys.authenticate(session, key) == DINSOS
    unknown = seeded.test_cli_runner().invoke(args=["api-keys", "create", "--agency", "NGAWUR"])
    assert unknown.exit_code != 0


def test_first_response_is_texted_shortened_with_the_public_link(client, keys, ticket, session):
    words = (
        "Terima kasih laporannya. Petugas kami sudah cek data PKH bapak di kelurahan tegalsari, "
        "ternyata rekening blm aktif krn data NIK beda dgn data bank. Mohon datang ke kantor "
        "kelurahan hari senin-jumat jam 08.00-14.00 membawa KTP dan KK asli utk pemadanan data."
    )
    path = f"/api/v1/tickets/{ticket.tracking_number}/responses"
    response = client.post(path, json={"text": words}, headers=keys[DINSOS])
    assert response.status_code == 201
    assert check(response, "/api/v1/tickets/{number}/responses", "post")["status"] == "responded"
    (sms,) = status_sms(session, ticket)[1:]
    assert sms.startswith("LAPOR! 1708: Tanggapan Dinas Sosial")
    assert sms.endswith(f"{BASE}/t/{ticket.tracking_number}") and "..." in sms
    assert measure(sms).encoding == "GSM-7" and measure(sms).segments <= 2
    again = client.post(path, json={"text": "tambahan: bisa jg hari sabtu"}, headers=keys[DINSOS])
    assert again.status_code == 201 and len(status_sms(session, ticket)) == 2
    history = client.get(f"/api/v1/tickets/{ticket.tracking_number}", headers=keys[DINSOS])
    assert [e["kind"] for e in history.get_json()["history"]][-2:] == [
        "responded",
        "agency_response",
    ]


def test_resolved_ticket_asks_the_citizen_for_a_rating(client, keys, ticket, session):
    path = f"/api/v1/tickets/{ticket.tracking_number}/resolve"
    response = client.post(path, json={"note": "dana sdh cair tgl 5"}, headers=keys[DINSOS])
    assert check(response, "/api/v1/tickets/{number}/resolve", "post")["status"] == "resolved"
    assert f"NILAI {ticket.tracking_number} 1-5" in status_sms(session, ticket)[-1]
    twice = client.post(path, json={}, headers=keys[DINSOS])
    assert twice.status_code == 409
    check(twice, "/api/v1/tickets/{number}/resolve", "post")


def test_transfer_needs_a_reason_and_goes_back_to_triage(client, keys, ticket, session):
    path = f"/api/v1/tickets/{ticket.tracking_number}/transfer"
    missing = client.post(path, json={"reason": "  "}, headers=keys[DINSOS])
    assert missing.status_code == 422
    check(missing, "/api/v1/tickets/{number}/transfer", "post")
    reason = "PKH program pusat, silakan ke Kemensos"
    response = client.post(path, json={"reason": reason}, headers=keys[DINSOS])
    assert check(response, "/api/v1/tickets/{number}/transfer", "post")["status"] == "transferred"
    session.expire_all()
    moved = session.get(Ticket, ticket.id)
    assert moved.needs_triage and moved.agency_code is None
    assert moved.routing["declined_by"] == [DINSOS]
    assert reason in status_sms(session, ticket)[-1]
    again = client.get(f"/api/v1/tickets/{ticket.tracking_number}", headers=keys[DINSOS])
    assert again.status_code == 404


def test_bad_paging_is_a_clear_400(client, keys):
    response = client.get("/api/v1/tickets?per_page=5000", headers=keys[DINSOS])
    assert response.status_code == 400
    check(response, "/api/v1/tickets")


def test_every_api_route_is_documented(app):
    documented = {p.replace("{", "<").replace("}", ">") for p in OPENAPI["paths"]}
    routes = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(("/api/v1", "/open311/v2"))
    }
    assert routes == documented


def test_a_revoked_key_is_refused(seeded, session, client, ticket):
    from sms_gateway import apikeys

    key = apikeys.create(session, DINSOS)
    session.commit()
    auth = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/tickets", headers=auth).status_code == 200
    result = seeded.test_cli_runner().invoke(args=["api-keys", "revoke", key[:12]])
    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/tickets", headers=auth).status_code == 401
    again = seeded.test_cli_runner().invoke(args=["api-keys", "revoke", key[:12]])
    assert again.exit_code != 0


def test_json_nested_too_deep_is_a_clear_400_and_changes_nothing(client, keys, ticket, session):  # noqa: ANN001
    path = f"/api/v1/tickets/{ticket.tracking_number}/responses"
    nested = b'{"text": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    before = status_sms(session, ticket)
    response = client.post(path, data=nested, headers=keys[DINSOS], content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in check(response, "/api/v1/tickets/{number}/responses", "post")["error"]
    assert status_sms(session, ticket) == before
    assert session.get(Ticket, ticket.id).status == "dispatched"
