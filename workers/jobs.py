"""rq jobs: plain functions taking ids, thin shells around the domain."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from decimal import Decimal

from rq.timeouts import JobTimeoutException

from config import Settings
from sms_gateway import dispatch, followup, logs, outbound, processing, recovery, spool
from sms_gateway.metrics import JOBS
from sms_gateway.models import OutboundMessage, utcnow
from sms_gateway.providers import Provider, provider_for
from sms_gateway.ratelimit import RateLimiter
from sms_gateway.reports import league_cache
from sms_gateway.sla import clock as sla_clock

from .context import current

log = logging.getLogger(__name__)

# The SMS a batch owes citizens, by when they may go (None: now; else after quiet hours).
Texts = dict[datetime | None, list[int]]

BATCH_BUDGET_SECONDS = 60  # a batch job's own limit; rq's is queues.BATCH_TIMEOUT


def process_inbound(inbound_id: int) -> bool:
    """Understand, classify and route one stored SMS; forward it at once when it was routed.

    The forwarding is tried here, in the same job, once the routing is committed: a complaint
    the machine routed reaches its agency without waiting for another job. Its dispatch row is
    committed with the routing, already claimed by this worker, so the call needs no write
    before it. A transient failure hands the dispatch to its own job, which retries with
    backoff; if this worker dies after the commit, the dispatch sweeper takes the claim back.
    """
    processed = _process_one(current(), inbound_id)
    JOBS.labels("process_inbound", "done" if processed else "skipped").inc()
    return processed


def process_inbound_batch(inbound_ids: list[int]) -> int:
    """``process_inbound`` for several SMS, each in its own transaction; returns how many it did.

    A message that raises is logged and handed to a job of its own, which retries it with
    backoff; the others go on. After ``BATCH_BUDGET_SECONDS`` (a slow agency can hold each
    forwarding up to its timeout) the rest goes back to the queue as a new batch, so no batch
    runs into rq's time limit.
    """
    from .pump import enqueue_batches

    ctx = current()
    started, done, texts = time.monotonic(), 0, {}
    for position, inbound_id in enumerate(inbound_ids):
        if time.monotonic() - started > BATCH_BUDGET_SECONDS:
            rest = list(inbound_ids[position:])
            log.warning("batch over its time budget: %d SMS handed to a new batch", len(rest))
            enqueue_batches(ctx.enqueuer, rest)
            break
        token = logs.JOB_ID.set(f"inbound-{inbound_id}")  # log lines name the SMS's own work
        try:
            processed = _process_one(ctx, inbound_id, texts)
            outcome = "done" if processed else "skipped"
            log.info("SMS %s %s (batch of %d)", inbound_id, outcome, len(inbound_ids))
        except JobTimeoutException:
            raise
        except Exception:
            log.exception("processing SMS %s failed; it is retried on its own", inbound_id)
            outcome, processed = "failed", False
            ctx.enqueuer.inbound(inbound_id)
        finally:
            logs.JOB_ID.reset(token)
        done += processed
        JOBS.labels("process_inbound", outcome).inc()
    for when, outbound_ids in texts.items():  # the citizens' "forwarded" SMS: one job per time
        ctx.enqueuer.outbound_batch(outbound_ids, when)
    return done


def _process_one(ctx, inbound_id: int, texts: Texts | None = None) -> bool:  # noqa: ANN001
    """Process one SMS and forward its ticket; ``texts`` collects the SMS to send, if given."""
    with ctx.db.scope() as session:
        processed = processing.process_inbound(session, inbound_id, ctx.settings.sms_provider)
        ticket = processed.ticket if processed else None
        # Routed: its dispatch is created already claimed, committed with the routing.
        claim = dispatch.claim_for(session, ticket, processed.verified_event_id) if ticket else None
        session.commit()
        if processed is not None and processed.notice is not None:  # the place asked
            _text(ctx, processed.notice, texts)
        if claim is not None:
            _forward(ctx, session, claim, texts)
    return processed is not None


def _forward(ctx, session, claim: dispatch.Claim | int, texts: Texts | None = None) -> None:  # noqa: ANN001
    try:
        outcome = dispatch.deliver(session, claim, transport(ctx.settings), utcnow())
    except dispatch.RetryLater:
        JOBS.labels("dispatch_ticket", "retry").inc()
        dispatch_id = claim.row.id if isinstance(claim, dispatch.Claim) else claim
        ctx.enqueuer.dispatch(dispatch_id, first_try_later=True)
        return
    _notify(ctx, outcome, texts)
    JOBS.labels("dispatch_ticket", outcome.status).inc()


def _notify(ctx, outcome: dispatch.Outcome, texts: Texts | None = None) -> None:  # noqa: ANN001
    """Enqueue the SMS a forwarding owes the citizen, or add them to ``texts`` by send time."""
    for notice in outcome.notices:
        _text(ctx, notice, texts)


def _text(ctx, notice, texts: Texts | None = None) -> None:  # noqa: ANN001
    """Enqueue one SMS to the citizen, or add it to ``texts`` by send time."""
    if not notice.to_send:
        return
    if texts is not None:
        texts.setdefault(notice.send_at, []).append(notice.outbound_id)
    else:
        ctx.enqueuer.outbound_at(notice.outbound_id, notice.send_at)


def transport(settings: Settings) -> dispatch.Transport:
    """What forwarding to agencies needs from the settings."""
    smtp = dispatch.Smtp(
        settings.smtp_host,
        settings.smtp_port,
        settings.smtp_from,
        settings.smtp_username,
        settings.smtp_password,
        settings.smtp_starttls,
    )
    return dispatch.Transport(
        smtp,
        timeout=settings.dispatch_timeout_seconds,
        max_attempts=settings.dispatch_max_attempts,
        provider=settings.sms_provider,
        public_base_url=settings.public_base_url,
    )


def dispatch_ticket(dispatch_id: int) -> str:
    """Forward a ticket to its agency; a transient failure raises so rq retries with backoff."""
    ctx = current()
    with ctx.db.scope() as session:
        try:
            outcome = dispatch.deliver(session, dispatch_id, transport(ctx.settings), utcnow())
        except dispatch.RetryLater:
            JOBS.labels("dispatch_ticket", "retry").inc()
            raise
    _notify(ctx, outcome)
    JOBS.labels("dispatch_ticket", outcome.status).inc()
    return outcome.status


def sweep_dispatch() -> int:
    """Ask for the dispatches verified tickets lack, take back claims whose worker died
    mid-call, and enqueue those whose job was lost."""
    ctx = current()
    after = ctx.settings.sweep_after_seconds
    with ctx.db.scope() as session:
        taken = dispatch.take_back_stalled(session, transport(ctx.settings), utcnow())
        asked = [
            dispatch.request_for_ticket(session, t) for t in dispatch.undispatched(session, after)
        ]
        session.commit()
        ids = sorted({*taken, *filter(None, asked), *dispatch.waiting(session, after)})
    count = 0
    for dispatch_id in ids:
        if not ctx.enqueuer.is_live(f"dispatch-{dispatch_id}") and ctx.enqueuer.dispatch(
            dispatch_id
        ):
            count += 1
    return count


def close_unanswered() -> int:
    """Close answered tickets the citizen left without an answer for 10 days."""
    ctx = current()
    with ctx.db.scope() as session:
        closed = followup.close_unanswered(session, utcnow())
        session.commit()
    return len(closed)


def sla_sweep() -> dict[str, int]:
    """Advance the SLA clocks: reminders, escalations (teguran), Ombudsman flags."""
    ctx = current()
    with ctx.db.scope() as session:
        counts = sla_clock.sweep(session, utcnow())
        session.commit()
    return counts


def refresh_league() -> int:
    """Compute the agency league of every window and keep it for the SLA board."""
    ctx = current()
    with ctx.db.scope() as session:
        return league_cache.refresh(session, ctx.redis, utcnow())


_providers: dict[str, tuple[Settings, Provider]] = {}


def _provider(settings: Settings, name: str) -> Provider:
    """One provider client per process and provider name (the twilio SDK keeps a session)."""
    cached = _providers.get(name)
    if cached is None or cached[0] is not settings:
        cached = _providers[name] = (settings, provider_for(settings, name))
    return cached[1]


def send_outbound(outbound_id: int) -> str:
    """Send one outbound SMS through the provider its row names, within that provider's rate."""
    status = _send_one(current(), outbound_id)
    JOBS.labels("send_outbound", status).inc()
    return status


def send_outbound_batch(outbound_ids: list[int]) -> dict[str, int]:
    """``send_outbound`` for several SMS; one that fails for now is retried by a job of its own.

    The retry waits the first backoff interval, as an rq retry of a single job would.
    """
    ctx = current()
    statuses: dict[str, int] = {}
    for outbound_id in outbound_ids:
        token = logs.JOB_ID.set(f"outbound-{outbound_id}")
        try:
            status = _send_one(ctx, outbound_id)
        except JobTimeoutException:
            raise
        except Exception:
            status = "retry"
            wait = timedelta(seconds=outbound.retry_schedule(1)[0])
            log.warning("sending SMS %s failed for now; retried alone", outbound_id, exc_info=True)
            ctx.enqueuer.outbound_at(outbound_id, utcnow() + wait)
        finally:
            logs.JOB_ID.reset(token)
        statuses[status] = statuses.get(status, 0) + 1
        JOBS.labels("send_outbound", status).inc()
    return statuses


def _send_one(ctx, outbound_id: int) -> str:  # noqa: ANN001
    settings = ctx.settings
    limiter = RateLimiter(ctx.redis)
    with ctx.db.scope() as session:
        row = session.get(OutboundMessage, outbound_id)  # send() finds it loaded
        name = row.provider if row is not None else None
        if name is None:
            return "missing"
        return outbound.send(
            session,
            outbound_id,
            _provider(settings, name),
            throttle=lambda: limiter.wait(name, settings.rate_for(name)),
            max_attempts=settings.sms_max_attempts,
            price_per_segment=Decimal(settings.price_for(name)),
        )


def sweep() -> dict[str, int]:
    """Enqueue stored work whose job was lost (Redis down at intake, a killed worker).

    A message the pump put in a batch is left alone while that batch is waiting or running;
    a lost batch is enqueued again, once, under its own id (the messages it already did are
    skipped in a single statement each). Counts the jobs enqueued.
    """
    ctx = current()
    counts = {"inbound": 0, "outbound": 0}
    with ctx.db.scope() as session:
        inbound_ids = recovery.stuck_inbound(session, ctx.settings.sweep_after_seconds)
        outbound_ids = recovery.stuck_outbound(session, ctx.settings.sweep_after_seconds)
    lost_batches: dict[str, list[int]] = {}
    for inbound_id in inbound_ids:
        job_id = f"inbound-{inbound_id}"
        if ctx.enqueuer.is_live(job_id):
            continue
        batch = ctx.enqueuer.batch_of(job_id)
        if batch is not None:
            lost_batches.setdefault(batch, []).append(inbound_id)
        elif ctx.enqueuer.inbound(inbound_id):
            counts["inbound"] += 1
    for batch, owed in lost_batches.items():
        if ctx.enqueuer.requeue_batch(batch, owed):
            counts["inbound"] += 1
    for outbound_id in outbound_ids:
        if not ctx.enqueuer.is_live(f"outbound-{outbound_id}") and ctx.enqueuer.outbound(
            outbound_id
        ):
            counts["outbound"] += 1
    if any(counts.values()):
        log.info("sweeper re-enqueued %s", counts)
    return counts


def replay_spool() -> int:
    """Store the SMS spooled while the database was down, and send their answers."""
    ctx = current()
    enqueue: list[tuple[int, int | None]] = []

    def handle(sms) -> None:  # noqa: ANN001
        with ctx.db.scope() as session:
            inbound_id, outbound_id = recovery.take_spooled(session, sms, ctx.settings.sms_provider)
            session.commit()
        if inbound_id is not None:
            enqueue.append((inbound_id, outbound_id))

    count = spool.replay(ctx.settings.spool_path, handle)
    for inbound_id, outbound_id in enqueue:
        ctx.enqueuer.inbound(inbound_id)
        if outbound_id is not None:
            ctx.enqueuer.outbound(outbound_id)
    if count:
        log.info("replayed %d spooled SMS", count)
    return count
