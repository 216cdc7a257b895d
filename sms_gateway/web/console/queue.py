"""Console part: queue."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("queue", __name__)
