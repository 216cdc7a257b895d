"""Console part: one ticket's page (thread, events, routing) and every operator action on it.

Each action is a POST form (CSRF-checked by the console's guard) that calls the domain
(:mod:`sms_gateway.triage`), commits, then enqueues what it asked for, as the workers do.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import or_, select

from ... import locks, tracking, triage
from ...db import db
from ...models import Agency, Citizen, Ticket, utcnow
from ...seed import category_tree
from ...triage.thread import events, thread
from .. import access
from ..i18n import status_label, translate

bp = Blueprint("tickets", __name__, url_prefix="/tickets")
AGENCY_MATCHES = 20
# What an action hands back: the message to show, and what to enqueue once committed.
Done = tuple[str, Callable[[], object] | None]


def _ticket(number: str) -> Ticket:
    digits = tracking.normalise(number)
    ticket = (
        db.session.execute(
            select(Ticket).where(Ticket.tracking_number == digits)
        ).scalar_one_or_none()
        if digits
        else None
    )
    if ticket is None:
        abort(404)
    return ticket


def _redis():  # noqa: ANN202
    return current_app.extensions["redis"]


def _enqueuer():  # noqa: ANN202
    return current_app.extensions["enqueuer"]


def _other_holder(ticket_id: int) -> locks.Holder | None:
    holder = locks.holder(_redis(), ticket_id)
    return holder if holder and holder.user != current_user.username else None


def _act(number: str, action: Callable[[Ticket], Done]) -> Response:
    """Run one action: soft-lock confirmation, domain call, commit, enqueue, flash, back."""
    ticket = _ticket(number)
    page = url_for(".show", number=ticket.tracking_number)
    other = _other_holder(ticket.id)
    if other and request.form.get("confirm_lock") != "1":
        flash(
            translate(
                "Tiket ini sedang dikerjakan oleh {name}. Centang konfirmasi untuk tetap bertindak.",
                name=other.name,
            ),
            "error",
        )
        return redirect(page)
    try:
        message, after = action(ticket)
    except triage.TriageError as exc:
        db.session.rollback()
        values = dict(exc.values)
        if "status" in values:
            values["status"] = status_label(str(values["status"]))
        flash(translate(exc.text, **values), "error")
        return redirect(page)
    db.session.commit()
    if after is not None:
        after()
    flash(message)
    return redirect(page)


def _dispatch_after(dispatch_id: int | None) -> Callable[[], object] | None:
    return (lambda: _enqueuer().dispatch(dispatch_id)) if dispatch_id is not None else None


@bp.get("/<number>")
def show(number: str) -> str:
    """The whole ticket: SMS thread, events, routing, privacy, SLA, and the actions."""
    ticket = _ticket(number)
    session = db.session
    citizen = session.get(Citizen, ticket.citizen_id) if ticket.citizen_id else None
    holder = locks.take(_redis(), ticket.id, current_user.username, current_user.name)
    codes = {c for c in (ticket.agency_code, (ticket.routing or {}).get("suggested_agency")) if c}
    agencies = (
        {a.code: a for a in session.scalars(select(Agency).where(Agency.code.in_(codes)))}
        if codes
        else {}
    )
    merged_into = session.get(Ticket, ticket.merged_into_id) if ticket.merged_into_id else None
    return render_template(
        "console/ticket.html",
        ticket=ticket,
        citizen=citizen,
        thread=thread(session, ticket, citizen.phone if citizen else None),
        events=events(session, ticket.id),
        agencies=agencies,
        merged_into=merged_into,
        holder=holder,
        mine=holder.user == current_user.username,
        categories=sorted(category_tree()),
        flags=triage.FLAGS,
        nonce=uuid4().hex,
        most_segments=triage.MAX_REPLY_SEGMENTS,
        awaitable=triage.AWAITABLE,
        number=tracking.display(ticket.tracking_number),
        now=utcnow(),
    )


@bp.post("/<number>/lock")
def lock(number: str) -> str:
    """Take or refresh the soft lock while the page is open (htmx polls this)."""
    ticket = _ticket(number)
    holder = locks.take(_redis(), ticket.id, current_user.username, current_user.name)
    return render_template(
        "console/ticket_lock.html", holder=holder, mine=holder.user == current_user.username
    )


@bp.post("/<number>/lock/release")
def release(number: str) -> tuple[str, int]:
    """Leaving the page releases the lock (best effort: otherwise it lapses)."""
    ticket = _ticket(number)
    locks.release(_redis(), ticket.id, current_user.username)
    return "", 204


@bp.get("/agencies")
def agencies() -> str:
    """Agencies whose name or code matches ``q`` (for the reroute box), bounded."""
    typed = request.args.get("q") or request.args.get("agency") or ""
    words = " ".join(typed.split())[:80]
    found = []
    if len(words) >= 2:
        pattern = "%" + words.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        found = db.session.execute(
            select(Agency.code, Agency.name)
            .where(
                Agency.active.is_(True),
                or_(
                    Agency.name.ilike(pattern, escape="\\"), Agency.code.ilike(pattern, escape="\\")
                ),
            )
            .order_by(Agency.level, Agency.name)
            .limit(AGENCY_MATCHES)
        ).all()
    return render_template("console/ticket_agencies.html", found=found)


@bp.post("/<number>/verify")
def verify(number: str) -> Response:
    """Verify and forward the ticket to the routed (or chosen) agency."""

    def action(ticket: Ticket) -> Done:
        chosen = request.form.get("agency", "")
        dispatch_id = triage.verify(db.session, ticket, current_user.actor, chosen)
        return translate("Tiket diverifikasi dan diteruskan."), _dispatch_after(dispatch_id)

    return _act(number, action)


@bp.post("/<number>/reclassify")
def reclassify(number: str) -> Response:
    """Correct the category; the correction becomes training data and the ticket is routed again."""

    def action(ticket: Ticket) -> Done:
        category = request.form.get("category", "")
        dispatch_id = triage.reclassify_and_route(db.session, ticket, category, current_user.actor)
        if dispatch_id is None:
            return translate("Kategori diganti; tiket masih perlu instansi tujuan."), None
        return translate("Kategori diganti; tiket diteruskan."), _dispatch_after(dispatch_id)

    return _act(number, action)


@bp.post("/<number>/reroute")
def reroute(number: str) -> Response:
    """Send the ticket to another agency."""

    def action(ticket: Ticket) -> Done:
        dispatch_id = triage.reroute(
            db.session,
            ticket,
            request.form.get("agency", ""),
            request.form.get("reason", ""),
            current_user.actor,
        )
        return translate("Tiket dialihkan ke instansi lain."), _dispatch_after(dispatch_id)

    return _act(number, action)


@bp.post("/<number>/merge")
def merge(number: str) -> Response:
    """Merge this ticket (a duplicate) into another by its tracking number."""

    def action(ticket: Ticket) -> Done:
        digits = tracking.normalise(request.form.get("into", ""))
        target = (
            db.session.execute(
                select(Ticket).where(Ticket.tracking_number == digits)
            ).scalar_one_or_none()
            if digits
            else None
        )
        if target is None:
            raise triage.TriageError("Nomor tiket tujuan tidak ditemukan.")
        notice = triage.merge(
            db.session,
            ticket,
            target,
            current_user.actor,
            provider=access.settings().sms_provider,
            now=utcnow(),
        )
        after = (
            (lambda: _enqueuer().outbound_at(notice.outbound_id, notice.send_at))
            if notice is not None and notice.to_send
            else None
        )
        message = translate(
            "Tiket digabung ke {number}.", number=tracking.display(target.tracking_number)
        )
        return message, after

    return _act(number, action)


@bp.post("/<number>/reject")
def reject(number: str) -> Response:
    """Reject the ticket with a reason the citizen reads by SMS."""

    def action(ticket: Ticket) -> Done:
        sms = triage.reject(
            db.session,
            ticket,
            request.form.get("reason", ""),
            current_user.actor,
            provider=access.settings().sms_provider,
        )
        after = (lambda: _enqueuer().outbound_at(*sms)) if sms is not None else None
        return translate("Tiket ditolak; pelapor diberi tahu alasannya."), after

    return _act(number, action)


@bp.post("/<number>/reply")
def reply(number: str) -> Response:
    """Text the citizen; the server measures segments and encoding again."""

    def action(ticket: Ticket) -> Done:
        sent = triage.reply(
            db.session,
            ticket,
            request.form.get("text", ""),
            current_user.actor,
            provider=access.settings().sms_provider,
            nonce=request.form.get("nonce", ""),
            await_answer=request.form.get("await") == "1",
        )
        after = (lambda: _enqueuer().outbound(sent.outbound_id)) if sent.to_send else None
        message = translate(
            "Balasan dikirim: {segments} SMS, {encoding}.",
            segments=sent.encoded.segments,
            encoding=sent.encoded.encoding,
        )
        if sent.awaiting:
            message += " " + translate("Tiket menunggu keterangan pelapor.")
        if sent.status != "queued":
            message += " " + translate("(tertahan: {status})", status=sent.status)
        return message, after

    return _act(number, action)


@bp.post("/<number>/privacy")
def privacy(number: str) -> Response:
    """Mark the ticket rahasia or anonim: only ever adds protection, never removes it."""

    def action(ticket: Ticket) -> Done:
        if request.form.get("set") != "1":
            raise triage.TriageError("Tanda rahasia/anonim tidak dapat dicabut.")
        kind = request.form.get("flag", "")
        if not triage.protect(db.session, ticket, kind, current_user.actor):
            return translate("Tiket sudah bertanda {flag}.", flag=kind), None
        return translate("Tiket ditandai {flag}.", flag=kind), None

    return _act(number, action)


@bp.post("/<number>/flag")
def flag(number: str) -> Response:
    """Raise or clear a flag for attention (abuse, emergency)."""

    def action(ticket: Ticket) -> Done:
        chosen = request.form.get("flag", "").strip() or None
        triage.set_flag(
            db.session, ticket, chosen, current_user.actor, request.form.get("note", "")
        )
        return (translate("Tanda dipasang.") if chosen else translate("Tanda dilepas.")), None

    return _act(number, action)
