"""``flask --app wsgi …`` commands: schema, seed data, SMS tools."""

from __future__ import annotations

import json
import secrets
import shlex
import urllib.error
import urllib.parse
import urllib.request

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from twilio.request_validator import RequestValidator

from . import migrate
from . import seed as seeding
from .db import db

db_cli = AppGroup("db", help="Database schema.")
sms_cli = AppGroup("sms", help="SMS tools: simulate a citizen, replay the spool, sweep.")
agencies_cli = AppGroup("agencies", help="The agency directory: channels, CSV export/import.")
api_keys_cli = AppGroup("api-keys", help="Agencies' keys for /api/v1.")
dispatch_cli = AppGroup("dispatch", help="Forwarding to agencies: dead letters, retries.")
sla_cli = AppGroup("sla", help="Service levels: agency performance.")


@db_cli.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Bring the schema to the newest migration."""
    migrate.upgrade(db.engine, revision)
    click.echo(f"database at {revision}: {db.engine.url.render_as_string(hide_password=True)}")


@click.command("seed")
def seed_command() -> None:
    """Load categories and the agency directory (idempotent)."""
    with db.scope() as session:
        counts = seeding.seed(session)
        session.commit()
    click.echo("seeded: " + ", ".join(f"{k} +{v}" for k, v in counts.items()))


def _signed_form(url: str, sender: str, body: str, sid: str | None) -> tuple[dict, str]:
    form = {
        "MessageSid": sid or "SM" + secrets.token_hex(16),
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "To": "1708",
        "Body": body,
        "NumMedia": "0",
    }
    token = current_app.config["SETTINGS"].twilio_auth_token
    return form, RequestValidator(token).compute_signature(url, form)


def _webhook_url(base: str) -> str:
    return base.rstrip("/") + "/webhooks/twilio/sms"


@sms_cli.command("simulate")
@click.argument("text")
@click.option("--from", "sender", default="+6281234567890", show_default=True)
@click.option(
    "--url",
    default="http://127.0.0.1:5000",
    show_default=True,
    help="Base URL of the running service.",
)
@click.option("--sid", help="MessageSid to use (repeat one to see idempotency).")
def simulate(text: str, sender: str, url: str, sid: str | None) -> None:
    """Text the running service as a citizen, through the signed Twilio webhook."""
    target = _webhook_url(url)
    form, signature = _signed_form(target, sender, text, sid)
    request = urllib.request.Request(
        target,
        data=urllib.parse.urlencode(form).encode(),
        method="POST",
        headers={
            "X-Twilio-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            click.echo(f"{response.status} {response.read().decode()}")
    except urllib.error.HTTPError as exc:
        click.echo(f"{exc.code} {exc.read().decode()}")
    except (urllib.error.URLError, ConnectionError) as exc:  # refused, or dropped unanswered
        reason = getattr(exc, "reason", None) or exc
        raise click.ClickException(
            f"no service at {url} ({reason}); start it: ./scripts/run"
        ) from exc


@sms_cli.command("curl")
@click.argument("text")
@click.option("--from", "sender", default="+6281234567890", show_default=True)
@click.option("--url", default="http://127.0.0.1:5000", show_default=True)
def curl(text: str, sender: str, url: str) -> None:
    """Print a signed curl command that texts the service."""
    target = _webhook_url(url)
    form, signature = _signed_form(target, sender, text, None)
    parts = ["curl", "-sS", target, "-H", f"X-Twilio-Signature: {signature}"]
    for key, value in form.items():
        parts += ["--data-urlencode", f"{key}={value}"]
    click.echo(shlex.join(parts))


@sms_cli.command("replay-spool")
def replay_spool() -> None:
    """Store the SMS spooled while the database was down (the scheduler does this too)."""
    from workers import context, jobs

    context.configure(current_app.config["SETTINGS"], current_app.extensions["redis"])
    click.echo(f"replayed {jobs.replay_spool()} spooled SMS")


@sms_cli.command("sweep")
def sweep() -> None:
    """Enqueue stored SMS whose processing job was lost (the scheduler does this too)."""
    from workers import context, jobs

    context.configure(current_app.config["SETTINGS"], current_app.extensions["redis"])
    click.echo(json.dumps(jobs.sweep()))


@sms_cli.command("cost")
@click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), help="WIB day (default: today).")
def cost(day) -> None:  # noqa: ANN001
    """What the SMS sent on one day (WIB) cost, per provider, in IDR."""
    from datetime import datetime

    from . import costs

    wanted = day.date() if day else datetime.now(costs.WIB).date()
    with db.scope() as session:
        rows = costs.day_cost(session, wanted)
    for row in [*rows, costs.total(rows)]:
        click.echo(
            f"{wanted.isoformat()}  {row.provider or 'total':<8} {row.messages:>7} SMS "
            f"{row.segments:>7} segments  Rp {row.idr:,.2f}"
        )


@sms_cli.command("failed")
@click.option("--limit", default=50, show_default=True)
def failed(limit: int) -> None:
    """Outbound SMS that failed, were held by the loop guard, or are stuck mid-send."""
    from . import outbound

    settings = current_app.config["SETTINGS"]
    with db.scope() as session:
        rows = outbound.failed_outbound(session, limit) + outbound.stuck_sending(
            session, settings.sms_sending_stuck_seconds
        )
        for m in rows:
            click.echo(f"{m.id}\t{m.status}\t{m.error_code or '-'}\t{m.to}\t{m.last_error or ''}")


@click.command("export-corrections")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_corrections(path: str) -> None:
    """Write operators' category corrections as JSON lines, for `classifier train --corrections`."""
    from .triage import export_corrections as export

    with db.scope() as session, open(path, "w", encoding="utf-8") as out:
        count = export(session, out)
    click.echo(f"{count} labelled examples written to {path}")


def enrich(text: str, region_hint: str | None) -> dict:
    """Region and agency for `classifier predict`, by the same analysis the worker runs."""
    from .analysis import analyse
    from .directory.router import default_directory

    result = analyse(text, region_hint)
    agency = None
    if result.agency_code and not result.needs_triage:
        known = default_directory().by_code.get(result.agency_code)
        agency = {"code": result.agency_code, "name": known.name if known else result.agency_code}
    return {"region": result.region.as_dict() if result.region else None, "agency": agency}


@agencies_cli.command("channel")
@click.argument("code")
@click.option("--webhook", help="URL the signed JSON is POSTed to.")
@click.option("--secret", help="The webhook's HMAC secret (16+ characters).")
@click.option("--email", help="Address tickets are mailed to.")
@click.option("--portal", is_flag=True, help="Nothing pushed: the agency pulls (portal/API).")
def agencies_channel(code: str, webhook: str, secret: str, email: str, portal: bool) -> None:
    """How agency CODE receives its tickets."""
    from .dispatch.agencies import ChannelError, set_channel

    with db.scope() as session:
        try:
            agency = set_channel(
                session, code, webhook=webhook, secret=secret, email=email, portal=portal
            )
        except ChannelError as exc:
            raise click.ClickException(str(exc)) from exc
        session.commit()
        target = {"webhook": agency.webhook_url, "email": agency.email}.get(agency.channel, "")
        click.echo(f"{agency.code}: {agency.channel} {target or ''}".rstrip())


@agencies_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def agencies_export(path: str) -> None:
    """Write the agencies table to a CSV file (webhook secrets are never written)."""
    from .dispatch.agencies import export

    with db.scope() as session, open(path, "w", encoding="utf-8", newline="") as out:
        count = export(session, out)
    click.echo(f"exported {count} agencies to {path}")


@agencies_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def agencies_import(path: str) -> None:
    """Add or update agencies from a CSV file; a file with a bad row changes nothing."""
    from .directory import CsvImportError
    from .dispatch.agencies import import_

    with db.scope() as session, open(path, encoding="utf-8", newline="") as source:
        try:
            added, updated, unsigned = import_(session, source)
        except CsvImportError as exc:
            raise click.ClickException(str(exc)) from exc
        session.commit()
    click.echo(f"imported {path}: {added} added, {updated} updated")
    if unsigned:
        click.echo(
            "webhook without a secret (set one with `agencies channel`): " + ", ".join(unsigned)
        )


@api_keys_cli.command("create")
@click.option("--agency", "agency_code", required=True, help="The agency's code.")
def api_keys_create(agency_code: str) -> None:
    """Create a key for an agency and print it (shown this once; only its hash is kept)."""
    from . import apikeys

    with db.scope() as session:
        try:
            token = apikeys.create(session, agency_code)
        except apikeys.UnknownAgency as exc:
            raise click.ClickException(str(exc)) from exc
        session.commit()
    click.echo(token)


@api_keys_cli.command("revoke")
@click.argument("prefix")
def api_keys_revoke(prefix: str) -> None:
    """Revoke a key, named by its first 12 characters (all an operator needs to see)."""
    from . import apikeys

    with db.scope() as session:
        count = apikeys.revoke(session, prefix)
        session.commit()
    if not count:
        raise click.ClickException(f"no active key starts with {prefix[:12]!r}")
    click.echo(f"revoked {count} key(s)")


@dispatch_cli.command("failed")
@click.option("--limit", default=50, show_default=True)
def dispatch_failed(limit: int) -> None:
    """Dead letters: forwardings that failed for good."""
    from .dispatch import dead_letters

    with db.scope() as session:
        for row in dead_letters(session, limit):
            click.echo(
                f"{row.id}\t{row.agency_code}\t{row.channel}\t{row.attempts} tries\t"
                f"{row.last_error or ''}"
            )


@dispatch_cli.command("retry")
@click.argument("dispatch_id", type=int)
def dispatch_retry(dispatch_id: int) -> None:
    """Give a dead letter another round of tries."""
    from .dispatch import retry_dead

    with db.scope() as session:
        if not retry_dead(session, dispatch_id):
            raise click.ClickException(f"{dispatch_id} is not a dead letter")
        session.commit()
    current_app.extensions["enqueuer"].dispatch(dispatch_id)
    click.echo(f"dispatch {dispatch_id} queued again")


@sla_cli.command("report")
def sla_report() -> None:
    """Per agency: median working days to first response, share on time, overdue, idle."""
    from .models import utcnow
    from .sla.performance import agency_performance

    with db.scope() as session:
        rows = agency_performance(session, utcnow())
    click.echo(
        f"{'agency':<24} {'sent':>5} {'answered':>8} {'median':>7} {'on time':>8} "
        f"{'overdue':>7}  idle"
    )
    for r in rows:
        median = "-" if r["median_days"] is None else f"{r['median_days']:.2f}"
        share = "-" if r["on_time_share"] is None else f"{r['on_time_share']:.0%}"
        click.echo(
            f"{r['agency']:<24} {r['dispatched']:>5} {r['answered']:>8} {median:>7} {share:>8} "
            f"{r['open_overdue']:>7}  {'yes' if r['idle'] else 'no'}"
        )


tickets_cli = AppGroup(
    "tickets", help="Operator actions on a ticket, for scripts (the console has them too)."
)


@tickets_cli.command("reject")
@click.argument("number")
@click.option("--reason", required=True, help="Why, in words the citizen understands.")
@click.option("--operator", default="operator:cli", show_default=True)
def reject_ticket(number: str, reason: str, operator: str) -> None:
    """Reject a ticket and text the citizen the reason."""
    from sqlalchemy import select

    from . import tracking, triage
    from .models import Ticket

    digits = tracking.normalise(number)
    with db.scope() as session:
        ticket = session.execute(
            select(Ticket).where(Ticket.tracking_number == (digits or ""))
        ).scalar_one_or_none()
        if ticket is None:
            raise click.ClickException(f"no ticket {number}")
        provider = current_app.config["SETTINGS"].sms_provider
        try:
            sms = triage.reject(session, ticket, reason, operator, provider=provider)
        except triage.TriageError as exc:
            raise click.ClickException(str(exc)) from exc
        session.commit()
    if sms is not None:
        current_app.extensions["enqueuer"].outbound_at(*sms)
    click.echo(f"ticket {tracking.display(ticket.tracking_number)} rejected")


def init_app(app: Flask) -> None:
    from .classifier.cli import classifier, set_enricher
    from .users_cli import users_cli

    classifier.add_command(export_corrections)
    set_enricher(enrich)

    app.cli.add_command(classifier)
    app.cli.add_command(db_cli)
    app.cli.add_command(seed_command)
    app.cli.add_command(sms_cli)
    app.cli.add_command(tickets_cli)
    app.cli.add_command(agencies_cli)
    app.cli.add_command(api_keys_cli)
    app.cli.add_command(dispatch_cli)
    app.cli.add_command(sla_cli)
    app.cli.add_command(users_cli)
