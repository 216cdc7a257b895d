"""Liveness, readiness and metrics."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text

from .. import monitoring, spool
from ..db import db
from ..metrics import exposition
from ..models import utcnow

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """The process is alive (says nothing about its dependencies)."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Ready when both the database and Redis answer."""
    checks = {"database": "ok", "redis": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means not ready; say which
        db.session.rollback()
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        current_app.extensions["redis"].ping()
    except Exception as exc:
        checks["redis"] = f"error: {type(exc).__name__}"
    ready = all(v == "ok" for v in checks.values())
    return jsonify(status="ok" if ready else "unavailable", checks=checks), 200 if ready else 503


def _gauges() -> dict:
    values: dict = {"spool": spool.pending(current_app.config["SETTINGS"].spool_path)}
    try:
        values["queues"] = current_app.extensions["enqueuer"].depths()
        connection = current_app.extensions["redis"]
        workers = list(connection.smembers("rq:workers"))
        values["workers_alive"] = connection.exists(*workers) if workers else 0
        values["redis_up"] = 1
    except Exception:
        values["redis_up"] = 0
    try:
        values.update(monitoring.state_figures(db.session, utcnow()))
        values["database_up"] = 1
    except Exception:
        db.session.rollback()
        values["database_up"] = 0
    return values


@bp.get("/metrics")
def metrics() -> Response:
    body, content_type = exposition(_gauges)
    return Response(body, content_type=content_type)
