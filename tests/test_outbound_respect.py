"""Opted-out citizens get only replies; a reply loop with another robot is held and flagged."""

from __future__ import annotations

from sms_gateway import outbound
from sms_gateway.models import Citizen, OutboundMessage
from sms_gateway.providers.sandbox import SandboxProvider

NUMBER = "+6281355550000"


def citizen(session, opted_out: bool = False, phone: str = NUMBER) -> int:  # noqa: ANN001
    person = Citizen(phone=phone, opted_out=opted_out)
    session.add(person)
    session.commit()
    return person.id


def queue(session, kind: str, key: str, policy=None, **extra) -> outbound.Queued:  # noqa: ANN001
    queued = outbound.queue_sms(
        session,
        to=extra.pop("to", NUMBER),
        body="Status laporan Anda berubah.",
        kind=kind,
        key=key,
        provider="sandbox",
        policy=policy,
        **extra,
    )
    session.commit()
    return queued


def test_opted_out_citizen_gets_no_status_update(session):  # noqa: ANN001
    citizen(session, opted_out=True)
    queued = queue(session, "status", "s1")
    assert (queued.status, queued.to_send) == ("suppressed", False)
    message = session.get(OutboundMessage, queued.id)
    assert message.error_code == "opted_out" and "opted out" in message.last_error
    assert outbound.send(session, queued.id, SandboxProvider()) == "suppressed"
    assert message.attempts == 0


def test_opted_out_citizen_still_gets_the_reply_to_their_own_message(session):  # noqa: ANN001
    citizen(session, opted_out=True)
    queued = queue(session, "reply", "r1")
    assert queued.to_send
    assert outbound.send(session, queued.id, SandboxProvider()) == "sent"


def test_citizen_who_opts_out_after_queueing_is_skipped_at_send_time(session):  # noqa: ANN001
    person_id = citizen(session)
    queued = queue(session, "reminder", "m1")
    assert queued.to_send
    session.get(Citizen, person_id).opted_out = True
    session.commit()
    assert outbound.send(session, queued.id, SandboxProvider()) == "suppressed"


def test_unknown_number_is_sent_to(session):  # noqa: ANN001
    queued = queue(session, "status", "u1", to="+6281399990000")
    assert outbound.send(session, queued.id, SandboxProvider()) == "sent"


def test_same_key_returns_the_first_rows_status(session):  # noqa: ANN001
    citizen(session, opted_out=True)
    first, second = queue(session, "status", "k"), queue(session, "status", "k")
    assert (second.id, second.created, second.status) == (first.id, False, "suppressed")


def test_a_repeated_key_past_the_loop_limit_neither_queues_nor_flags(session):  # noqa: ANN001
    person_id = citizen(session)
    policy = outbound.Policy(loop_limit=1, loop_window_seconds=600)
    first = queue(session, "reply", "once", policy)
    again = queue(session, "reply", "once", policy)  # a re-run job asks for the same SMS
    assert (again.id, again.created, again.status) == (first.id, False, "queued")
    assert session.query(OutboundMessage).count() == 1
    assert not session.get(Citizen, person_id).flagged


def test_reply_loop_is_held_and_the_number_flagged(session):  # noqa: ANN001
    person_id = citizen(session)
    policy = outbound.Policy(loop_limit=3, loop_window_seconds=600)
    sent = [queue(session, "reply", f"loop-{n}", policy) for n in range(3)]
    assert all(q.to_send for q in sent)
    held = queue(session, "reply", "loop-3", policy)
    assert (held.status, held.to_send) == ("held", False)
    assert session.get(OutboundMessage, held.id).error_code == "reply_loop"
    person = session.get(Citizen, person_id)
    assert person.flagged and "reply loop" in person.flagged_reason
    assert held.id in [m.id for m in outbound.failed_outbound(session)]
    assert queue(session, "reply", "other", policy, to="+6281355550001").to_send


def test_held_message_is_sent_once_an_operator_releases_it(session):  # noqa: ANN001
    citizen(session)
    policy = outbound.Policy(loop_limit=1, loop_window_seconds=600)
    queue(session, "reply", "a", policy)
    held = queue(session, "reply", "b", policy)
    assert outbound.send(session, held.id, SandboxProvider()) == "held"
    assert outbound.release(session, held.id)
    session.commit()
    assert outbound.send(session, held.id, SandboxProvider()) == "sent"


def test_messages_outside_the_window_do_not_count_towards_a_loop(session):  # noqa: ANN001
    from datetime import timedelta

    from sms_gateway.models import utcnow

    citizen(session)
    policy = outbound.Policy(loop_limit=2, loop_window_seconds=60)
    for n in range(2):
        old = session.get(OutboundMessage, queue(session, "reply", f"old-{n}", policy).id)
        old.created_at = utcnow() - timedelta(minutes=5)
    session.commit()
    assert queue(session, "reply", "new", policy).to_send
