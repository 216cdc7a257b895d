"""Open311 GeoReport v2: public, non-rahasia tickets for civic tools, as docs/openapi.json says."""

from __future__ import annotations

from sms_gateway import lifecycle
from sms_gateway.web.open311 import MAX_PAGE
from tests.test_agency_api import check
from tests.test_processing_pipeline import processed_ticket

BANSOS = "bansos pkh ibu sy blm cair, hp 081234567812, kelurahan tegalsari surabaya"
SECRET = "RAHASIA bansos pkh tetangga sy dipotong oknum rt kelurahan tegalsari surabaya"
REQUESTS = "/open311/v2/requests.json"
ONE = "/open311/v2/requests/{number}.json"


def test_services_are_the_lapor_categories(client, seeded):
    services = check(client.get("/open311/v2/services.json"), "/open311/v2/services.json")
    codes = {s["service_code"]: s["service_name"] for s in services}
    assert codes["sosial-dan-kesejahteraan"] == "SOSIAL DAN KESEJAHTERAAN"
    assert len(services) == 38


def test_public_ticket_is_listed_masked_and_rahasia_is_not_there_at_all(client, seeded, session):
    public = processed_ticket(seeded, session, BANSOS)
    hidden = processed_ticket(seeded, session, SECRET, sender="+6281398765432")
    assert hidden.is_rahasia and hidden.status == "dispatched"
    listed = check(client.get(REQUESTS), REQUESTS)
    assert [r["service_request_id"] for r in listed] == [public.tracking_number]
    (record,) = listed
    assert record["status"] == "open" and record["service_code"] == "sosial-dan-kesejahteraan"
    assert "081234567812" not in record["description"] and "Dinas Sosial" in (
        record["agency_responsible"] or ""
    )
    assert "6281234567890" not in str(listed)
    one = client.get(f"/open311/v2/requests/{public.tracking_number}.json")
    assert check(one, ONE)[0]["service_request_id"] == public.tracking_number
    missing = client.get(f"/open311/v2/requests/{hidden.tracking_number}.json")
    assert missing.status_code == 404
    check(missing, ONE)


def test_filters_and_paging(client, seeded, session):
    first = processed_ticket(seeded, session, BANSOS)
    second = processed_ticket(
        seeded,
        session,
        "bansos bpnt nenek sy blm cair kelurahan tegalsari surabaya",
        "+6281311112222",
    )
    for status in ("responded", "resolved"):
        lifecycle.move(session, first, status, actor="agency:35.78-DINSOS")
    session.commit()
    closed = check(client.get(REQUESTS + "?status=closed"), REQUESTS)
    assert [r["service_request_id"] for r in closed] == [first.tracking_number]
    opened = check(client.get(REQUESTS + "?status=open"), REQUESTS)
    assert [r["service_request_id"] for r in opened] == [second.tracking_number]
    page = client.get(REQUESTS + "?page_size=1&page=2")
    assert len(check(page, REQUESTS)) == 1 and page.headers["X-Total-Count"] == "2"
    assert check(client.get(REQUESTS + "?service_code=kesehatan"), REQUESTS) == []
    assert check(client.get(REQUESTS + "?start_date=2099-01-01T00:00:00Z"), REQUESTS) == []
    bad = client.get(REQUESTS + "?start_date=kemarin")
    assert bad.status_code == 400
    check(bad, REQUESTS)


def test_a_page_beyond_the_bound_is_a_clear_400_and_the_last_page_allowed_is_empty(client, seeded):
    for page in ("1" + "0" * 30, str(MAX_PAGE + 1), "0"):
        answer = client.get(f"{REQUESTS}?page={page}")
        assert answer.status_code == 400
        assert f"page 1-{MAX_PAGE}" in check(answer, REQUESTS)[0]["description"]
    assert check(client.get(f"{REQUESTS}?page={MAX_PAGE}&page_size=200"), REQUESTS) == []
