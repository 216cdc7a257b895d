"""The webhook's hand-over to the pump: a push Redis does not answer, on a real Redis server."""

from __future__ import annotations

import os

import pytest
import redis
from sqlalchemy import select

from sms_gateway.models import InboundMessage, Ticket
from tests.conftest import TEST_TOKEN, drain_queues, running_app
from tests.support.redis_server import PrivateRedis
from tests.support.twilio_client import Phone
from tests.test_intake_webhook import number_in, reply_of
from workers.queues import INTAKE_LISTS, Enqueuer, Pusher

KEY = "test:pusher"


@pytest.fixture
def connection(redis_url: str):
    client = redis.Redis.from_url(redis_url)
    client.delete(KEY)
    yield client
    client.delete(KEY)
    client.close()


def client_ids(connection: redis.Redis) -> set[int]:
    return {int(client["id"]) for client in connection.client_list()}


def test_pushes_go_unanswered_and_land_in_order(connection):
    pusher = Pusher(connection)
    for value in range(1, 6):
        pusher.push(KEY, value)
    assert pusher.quiet
    assert connection.lrange(KEY, 0, -1) == [b"1", b"2", b"3", b"4", b"5"]
    assert not pusher._connection.can_read(timeout=0.2)  # five pushes, and no answer came back
    listed = {int(c["id"]): c for c in connection.client_list()}
    assert listed[pusher.client_id]["cmd"] == "rpush"  # a connection of its own


def test_a_connection_the_server_closed_is_replaced_before_it_swallows_a_push(connection):
    pusher = Pusher(connection)
    pusher.push(KEY, "before")
    first = pusher.client_id
    assert connection.client_kill_filter(_id=first) == 1  # as a restart or a timeout would
    pusher.push(KEY, "after")
    assert connection.lrange(KEY, 0, -1) == [b"before", b"after"]
    assert pusher.client_id != first
    assert first not in client_ids(connection)


def test_a_server_that_refuses_client_reply_gets_answered_pushes(connection, redis_url):
    user = "pusher-test"
    connection.execute_command(
        "ACL", "SETUSER", user, "on", ">secret", "~*", "&*", "+@all", "-client"
    )
    try:
        limited = redis.Redis.from_url(redis_url, username=user, password="secret")
        pusher = Pusher(limited)
        pusher.push(KEY, "answered")
        assert not pusher.quiet
        assert connection.lrange(KEY, 0, -1) == [b"answered"]

        # answered pushes report a refusal, and the webhook's enqueue reports it failed
        connection.execute_command("ACL", "SETUSER", user, "-rpush")
        enqueuer = Enqueuer(limited)
        assert enqueuer.intake(7) is False
        assert connection.llen(INTAKE_LISTS[1]) == 0
        limited.close()
    finally:
        connection.execute_command("ACL", "DELUSER", user)


def test_a_forked_process_pushes_on_a_connection_of_its_own(connection):
    pusher = Pusher(connection)
    pusher.push(KEY, "parent")
    parent_id = pusher.client_id
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through its exit status
        try:
            pusher.push(KEY, "child")
            os._exit(0 if pusher.client_id != parent_id else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    pusher.push(KEY, "parent again")  # the child's exit did not close the parent's connection
    assert pusher.client_id == parent_id
    assert connection.lrange(KEY, 0, -1) == [b"parent", b"child", b"parent again"]


def test_intake_reaches_the_pump_across_a_redis_restart(settings, tmp_path):
    redis_server = PrivateRedis(tmp_path / "redis")
    redis_server.start()
    settings = settings.with_overrides(redis_url=redis_server.url)
    try:
        with running_app(settings) as app:
            phone = Phone(app.test_client(), TEST_TOKEN)
            connection = app.extensions["redis"]
            first = number_in(reply_of(phone.text("lampu jalan di gg kenanga mati 3 hari")))
            assert connection.llen(INTAKE_LISTS[1]) == 1
            drain_queues(connection)

            redis_server.stop()
            redis_server.start()  # an empty server: the pusher's connection died with the old one
            phone.number = "+6281200000099"
            second = number_in(reply_of(phone.text("got depan pasar mampet, air naik ke jalan")))
            assert connection.llen(INTAKE_LISTS[1]) == 1  # pushed at once, not left to the sweeper
            drain_queues(connection)
            with app.extensions["db"].scope() as session:
                states = session.execute(select(InboundMessage.state)).scalars().all()
                numbers = session.execute(select(Ticket.tracking_number)).scalars().all()
            assert states == ["processed", "processed"]
            assert sorted(numbers) == sorted([first, second])
    finally:
        redis_server.stop()
