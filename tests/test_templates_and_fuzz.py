"""Every SMS we write fits its budget in GSM-7; no input makes the webhook fail."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.serving import make_server

from sms_gateway.sms.encoding import measure
from sms_gateway.sms.templates import STATUS_NAMES, TEMPLATES, render, status_name
from tests.support.twilio_client import sms_form

LONGEST = {
    "digits": "9999999999",
    "given": "99999999999",
    "score": "5",
    "command": "NILAI",
}


@pytest.mark.parametrize("name", sorted(TEMPLATES))
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_template_fits_its_segments_in_gsm7(name, language):
    longest_status = max((status_name(s, language) for s in STATUS_NAMES), key=len)
    text = render(name, language, status=longest_status, **LONGEST)
    encoded = measure(text)
    assert encoded.encoding == "GSM-7", text
    assert encoded.segments <= TEMPLATES[name].segments, (text, encoded)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.text(max_size=400), sender=st.text(max_size=30))
def test_any_body_or_sender_is_stored_and_answered_never_a_500(phone, body, sender):
    response = phone.post(sms_form(body, sender=sender or "+6281200000000"))
    assert response.status_code in (200, 413), response.get_data(as_text=True)


def test_sms_simulate_texts_a_real_running_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        runner = app.test_cli_runner()
        result = runner.invoke(args=["sms", "simulate", "trotoar rusak dkt halte", "--url", url])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("200 ") and "No. laporan" in result.output
        again = runner.invoke(args=["sms", "simulate", "cek 1234567890", "--url", url])
        assert "salah ketik" in again.output
    finally:
        server.shutdown()
        server.server_close()
    down = app.test_cli_runner().invoke(args=["sms", "simulate", "halo", "--url", url])
    assert down.exit_code != 0 and "no service" in down.output
