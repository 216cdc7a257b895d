"""Hostile input never gets a 5xx, never escapes as an exception, never leaves anything half-stored.

The table (benchmarks/hostile_inputs.py, printed in docs/hostile-inputs.md) is run here row by
row; rows that show a known product bug are strict xfails naming it. Property tests then post
arbitrary signed forms to the Twilio webhook, arbitrary texts through the understanding step,
and arbitrary JSON to the agency API.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote, quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from benchmarks.hostile_inputs import (
    CASES,
    Call,
    Target,
    _client,
    _counts,
    _send,
    hostile_settings,
    inconsistencies,
    prepare,
    run_table,
    twilio,
    understand_step,
)
from benchmarks.hostile_texts import understanding_problems
from config import Settings
from sms_gateway.models import InboundMessage
from sms_gateway.understand import mask_pii
from sms_gateway.understand.pii import _PROVINCES
from tests.conftest import running_app

DIALECT = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
DOC = Path(__file__).parent.parent / "docs" / "hostile-inputs.md"
FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@pytest.fixture(scope="module")
def table(database_url, redis_url, _seeded, tmp_path_factory) -> dict:  # noqa: ANN001
    """The whole table, run once against a fresh application."""
    base = Settings(
        app_env="test",
        instance_path=tmp_path_factory.mktemp("hostile"),
        database_url=database_url,
        redis_url=redis_url,
        sms_provider="sandbox",
    )
    with running_app(hostile_settings(base)) as app:
        return {row.case.id: row for row in run_table(app)}


def _param(case):  # noqa: ANN001, ANN202
    if case.bug and DIALECT in case.bug_on:
        return pytest.param(case, marks=pytest.mark.xfail(strict=True, reason=case.bug), id=case.id)
    return pytest.param(case, id=case.id)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_hostile_input_is_answered_without_5xx_and_stored_whole_or_not_at_all(table, case):
    row = table[case.id]
    assert row.verdict == "ok", f"{row.status}, stored {row.stored}: {row.verdict}"


def test_every_case_has_its_own_name_and_a_row_in_the_doc():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))
    doc = DOC.read_text(encoding="utf-8")
    missing = [c.input for c in CASES if c.input.replace("|", "\\|") not in doc]
    assert not missing, f"docs/hostile-inputs.md is older than the cases: {missing}"


# -- (a) arbitrary signed forms to the Twilio webhook ---------------------------------------------

NAMES = st.sampled_from(["MessageSid", "From", "To", "Body", "NumMedia", "AccountSid"]) | st.text(
    max_size=12
)
RAW_VALUES = st.one_of(
    st.text(max_size=300).map(lambda s: quote(s, safe="")),
    st.binary(max_size=300).map(lambda b: quote_from_bytes(b, safe="")),
    st.sampled_from(["", "%", "%F", "%ZZ", "+", "%00", "%ED%A0%80", "a=b", "&&"]),
)
REQUIRED = st.fixed_dictionaries({"MessageSid": RAW_VALUES, "From": RAW_VALUES, "Body": RAW_VALUES})


@settings(max_examples=200, deadline=None, suppress_health_check=FIXTURES)
@given(
    required=REQUIRED,
    dropped=st.sets(st.sampled_from(["MessageSid", "From", "Body"])),
    extra=st.lists(st.tuples(NAMES, RAW_VALUES), max_size=8),
)
def test_any_signed_form_is_stored_whole_or_not_at_all(seeded, required, dropped, extra):
    app = _hostile(seeded)
    client = _client(app)
    pairs = [(k, v) for k, v in required.items() if k not in dropped]
    pairs += [(quote(k, safe=""), v) for k, v in extra]
    raw = "&".join(f"{k}={v}" for k, v in pairs).encode()
    before, half_before = _counts(app), inconsistencies(app)
    with app.extensions["db"].scope() as session:
        last_id = session.scalar(select(func.max(InboundMessage.id))) or 0
    response = _send(Target(app, client), twilio(raw))
    assert response.status_code in (200, 400, 413), response.get_data(as_text=True)
    added = _counts(app)["inbound_messages"] - before["inbound_messages"]
    assert added in (0, 1)
    assert inconsistencies(app) == half_before
    if response.status_code != 200:
        assert _counts(app) == before
    assert not understand_step(app, last_id).startswith("raised")
    assert inconsistencies(app) == half_before


def _hostile(app):  # noqa: ANN001, ANN202
    """The app with the token and secrets the hostile requests are signed with."""
    app.config["SETTINGS"] = hostile_settings(app.config["SETTINGS"])
    return app


# -- (b) arbitrary text through the understanding step --------------------------------------------

TEXTS = st.one_of(
    st.text(max_size=600),
    st.binary(max_size=600).map(lambda b: b.decode("utf-8", errors="replace")),
    # Around MAX_CHARS, where the understanding step cuts the text.
    st.tuples(st.text(min_size=1, max_size=12), st.integers(300, 4_200)).map(
        lambda p: (p[0] * p[1])[: 3_900 + p[1] % 300]
    ),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
def test_understanding_any_text_raises_nothing_and_keeps_its_promises(text):
    assert understanding_problems(text) == []


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_classifying_locating_and_routing_any_text_raises_nothing(text):
    assert understanding_problems(text, with_analysis=True) == []


@st.composite
def niks(draw) -> str:  # noqa: ANN001
    """A plausible NIK: province, kabupaten, kecamatan, birth date (+40 for women), serial."""
    province = draw(st.sampled_from(sorted(_PROVINCES)))
    day = draw(st.integers(1, 28)) + draw(st.sampled_from([0, 40]))
    month, year = draw(st.integers(1, 12)), draw(st.integers(0, 99))
    serial = draw(st.integers(1, 9999))
    place = draw(st.integers(1, 99)), draw(st.integers(1, 99))
    return f"{province}{place[0]:02d}{place[1]:02d}{day:02d}{month:02d}{year:02d}{serial:04d}"


@settings(max_examples=300, deadline=None)
@given(before=st.text(max_size=80), nik=niks(), after=st.text(max_size=80))
def test_a_nik_written_as_a_word_never_goes_through_masking(before, nik, after):
    masked = mask_pii(f"{before} NIK {nik} {after}")
    assert nik not in masked.text
    assert "nik" in {finding.kind for finding in masked.findings}


# -- (c) arbitrary JSON to the agency API --------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=200),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["text", "note", "reason"]) | st.text(max_size=8), inner)
    ),
    max_leaves=12,
)
BODIES = st.one_of(
    st.dictionaries(st.sampled_from(["text", "note", "reason"]), JSON).map(
        lambda d: json.dumps(d).encode()
    ),
    JSON.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=200),
)


@settings(max_examples=200, deadline=None, suppress_health_check=FIXTURES)
@given(body=BODIES, action=st.sampled_from(["responses", "resolve"]))
def test_agency_api_answers_any_json_without_5xx(seeded, api_target, body, action):
    t = api_target
    call = Call(
        "POST",
        f"/api/v1/tickets/{t.ticket_number}/{action}",
        body,
        "application/json",
        (("Authorization", f"Bearer {t.api_key}"),),
    )
    response = _send(t, call)
    assert response.status_code in (200, 201, 400, 409, 413, 422), response.get_data(as_text=True)


@pytest.fixture
def api_target(seeded):  # noqa: ANN001, ANN201
    return prepare(_hostile(seeded), tickets=1)
