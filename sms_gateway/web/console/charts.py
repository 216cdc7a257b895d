"""Console part: charts."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("charts", __name__)
