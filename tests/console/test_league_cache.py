"""The agency league is computed by the scheduler and kept; the SLA board shows it with its age."""

from __future__ import annotations

from datetime import timedelta

import redis

from sms_gateway.models import utcnow
from sms_gateway.reports import league_cache, sla_board
from workers import jobs

from .test_sla_board import _agencies, _history, _ticket


def test_scheduler_keeps_every_window_and_the_board_shows_the_kept_figures(
    seeded, session, operator_client
) -> None:  # noqa: ANN001
    agency = _agencies(session, 1)[0]
    ticket = _ticket(session, agency.code)
    now = utcnow()
    _history(session, ticket, (now - timedelta(days=2), "system", "dispatched"))
    assert jobs.refresh_league() == len(sla_board.LEAGUE_WINDOWS)
    connection = seeded.extensions["redis"]
    for days in sla_board.LEAGUE_WINDOWS:
        computed_at, rows = league_cache.load(connection, days)
        assert abs((computed_at - now).total_seconds()) < 60
        assert [r["dispatched"] for r in rows if r["agency"] == agency.code] == [1]
    # A forwarding after the refresh is not on the page until the next refresh.
    later = _ticket(session, agency.code)
    _history(session, later, (utcnow(), "system", "dispatched"))
    page = operator_client.get("/console/sla").get_data(as_text=True)
    assert "data-computed=" in page
    kept = league_cache.load(connection, 30)[1]
    assert [r["dispatched"] for r in kept if r["agency"] == agency.code] == [1]
    jobs.refresh_league()
    fresh = league_cache.load(connection, 30)[1]
    assert [r["dispatched"] for r in fresh if r["agency"] == agency.code] == [2]


def test_without_a_kept_league_the_board_computes_it_and_keeps_it(seeded, operator_client) -> None:  # noqa: ANN001
    connection = seeded.extensions["redis"]
    assert league_cache.load(connection, 30) is None
    assert operator_client.get("/console/sla").status_code == 200
    assert league_cache.load(connection, 30) is not None


def test_redis_down_still_gives_a_computed_league(seeded, session) -> None:  # noqa: ANN001
    dead = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    computed_at, rows = league_cache.league(session, dead, utcnow(), 30)
    assert isinstance(rows, list) and computed_at is not None
