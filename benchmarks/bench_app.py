"""The service plus two comparison endpoints, for benchmarks only (never deployed)."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, request
from sqlalchemy import Column, MetaData, String, Table, Text, insert

from sms_gateway import create_app
from sms_gateway.db import db
from sms_gateway.web.webhooks import twilio_signature_ok, twiml

bp = Blueprint("bench", __name__, url_prefix="/bench")
metadata = MetaData()
baseline_rows = Table(
    "bench_baseline",
    metadata,
    Column("sid", String(64), primary_key=True),
    Column("body", Text),
)
HELLO = twiml("LAPOR! 1708: Laporan Anda diterima.").get_data()


@bp.post("/hello")
def hello() -> Response:
    return Response(HELLO, mimetype="application/xml")


@bp.post("/baseline")
def baseline() -> Response:
    """Signature check and one single-row insert + commit: the floor a durable webhook pays."""
    if not twilio_signature_ok():
        return Response("forbidden", status=403)
    session = db.session
    session.execute(
        insert(baseline_rows).values(sid=request.form["MessageSid"], body=request.form["Body"])
    )
    session.commit()
    return Response(HELLO, mimetype="application/xml")


def create() -> Flask:
    app = create_app()
    app.register_blueprint(bp)
    with app.app_context():
        metadata.create_all(current_app.extensions["db"].engine)
    return app
