"""The public page and the logs: nothing personal, nothing at all of a rahasia report."""

from __future__ import annotations

import logging

from sms_gateway import disclosure, tracking
from sms_gateway.logs import redact
from tests.test_processing_pipeline import processed_ticket


def test_public_page_shows_status_and_masked_text_not_the_reporter(seeded, session, client):
    ticket = processed_ticket(
        seeded,
        session,
        "bansos blm cair 3 bln, nik sy 3578014501900003, kelurahan tegalsari surabaya",
    )
    page = client.get(f"/t/{tracking.display(ticket.tracking_number)}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert tracking.display(ticket.tracking_number) in html
    assert "3578014501900003" not in html and "[NIK]" in html
    assert "+6281234567890" not in html and "6281234567890" not in html
    assert client.get(f"/t/{ticket.tracking_number}").status_code == 200


def test_rahasia_ticket_is_indistinguishable_from_an_unknown_number(seeded, session, client):
    ticket = processed_ticket(
        seeded, session, "RAHASIA pungli di samsat, diminta 300rb tanpa kuitansi"
    )
    secret = client.get(f"/t/{ticket.tracking_number}")
    unknown = client.get(f"/t/{tracking.generate()}")
    assert secret.status_code == unknown.status_code == 404
    assert "pungli" not in secret.get_data(as_text=True)
    assert secret.get_data(as_text=True).replace(ticket.tracking_number, "X").count("pungli") == 0


def test_malformed_numbers_get_a_clear_404(client):
    for number in ("abc", "123", "<script>alert(1)</script>", "9" * 40):
        response = client.get(f"/t/{number}")
        assert response.status_code == 404
        assert "<script>" not in response.get_data(as_text=True)


def test_anonim_reporter_is_never_named_to_the_agency_or_public(app, session):
    from sms_gateway.models import Ticket

    ticket = Ticket(tracking_number=tracking.generate(), text="x", is_anonim=True)
    assert disclosure.reporter_for(ticket, "+6281234567890", disclosure.AGENCY) == "Anonim"
    assert disclosure.reporter_for(ticket, "+6281234567890", disclosure.PUBLIC) is None
    assert (
        disclosure.reporter_for(ticket, "+6281234567890", disclosure.OPERATOR) == "+6281234567890"
    )


def test_logs_never_carry_phone_numbers_or_nik():
    assert redact("+6281299988877 3578014501900003") == "+62812****877 [angka disembunyikan]"
    from sms_gateway.logs import RedactingFilter

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "from %s", ("+6281299988877",), None)
    RedactingFilter().filter(record)
    assert "99988" not in record.getMessage()
