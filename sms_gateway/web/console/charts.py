"""/console/charts: what people complain about, where, how tickets are routed, SMS delivery."""

from __future__ import annotations

import contextlib

import redis
from flask import Blueprint, current_app, render_template, request
from markupsafe import Markup

from ...db import db
from ...models import utcnow
from ...reports import charts
from .. import svg
from ..i18n import language, translate

bp = Blueprint("charts", __name__, url_prefix="/charts")

RANGES = (7, 30, 90)
DEFAULT_RANGE = 30
CACHE_PREFIX, CACHE_SECONDS = "lapor:charts:", 60


def _days() -> int:
    raw = request.args.get("days", "")
    return int(raw) if raw.isdigit() and int(raw) in RANGES else DEFAULT_RANGE


def _label(name: str) -> str:
    return translate(name) if name in (charts.OTHERS, "otomatis", "operator") else name


@bp.get("/")
def index() -> str:
    """Four charts over the last 7, 30 or 90 days, each with its figures as a table.

    Daily figures move slowly: the drawn charts are kept in Redis for a minute, so operators
    opening the page together cost one set of queries (the 90-day range reads ~100k rows).
    """
    days = _days()
    key = f"{CACHE_PREFIX}{language()}:{days}"
    connection = current_app.extensions["redis"]
    try:
        body = connection.get(key)
    except (redis.RedisError, OSError):
        connection, body = None, None
    if body is None:
        body = _draw(days)
        if connection is not None:
            with contextlib.suppress(redis.RedisError, OSError):
                connection.set(key, body, ex=CACHE_SECONDS)
    else:
        body = body.decode()
    return render_template("console/charts.html", days=days, ranges=RANGES, body=Markup(body))


def _draw(days: int) -> str:
    """The charts and their tables for the last ``days`` days, as HTML."""
    session = db.session
    span = charts.window(utcnow(), days)
    labels = [d.strftime("%d/%m") for d in span.days]
    day_axis = translate("Tanggal (WIB)")

    categories = charts.complaints_by_category(session, span)
    regions = charts.top_regions(session, span)
    routing = charts.routing_share(session, span)
    delivery = charts.delivery_per_day(session, span)

    figures = {
        "categories": svg.stacked_bars(
            translate("Pengaduan per hari menurut kategori"),
            labels,
            [(_label(name), categories.values[name]) for name in categories.names],
            x_label=day_axis,
            y_label=translate("Tiket"),
        ),
        "regions": svg.horizontal_bars(
            translate("Wilayah dengan pengaduan terbanyak"),
            [(r.name, r.count) for r in regions],
            x_label=translate("Tiket"),
            y_label=translate("Kabupaten/kota"),
        ),
        "routing": svg.stacked_bars(
            translate("Diteruskan otomatis atau lewat triase operator"),
            labels,
            [(_label(name), routing.values[name]) for name in routing.names],
            x_label=day_axis,
            y_label=translate("Tiket terverifikasi"),
        ),
        "delivery": svg.line(
            translate("Keberhasilan pengiriman SMS per hari"),
            labels,
            [d.success for d in delivery],
            x_label=day_axis,
            y_label=translate("Terkirim"),
        ),
    }
    auto, by_operator = routing.total("otomatis"), routing.total("operator")
    return render_template(
        "console/charts_body.html",
        labels=labels,
        figures=figures,
        categories=categories,
        category_label=_label,
        regions=regions,
        routing=routing,
        auto_share=auto / (auto + by_operator) if auto + by_operator else None,
        delivery=delivery,
    )
