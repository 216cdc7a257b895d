"""Console part: tickets."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("tickets", __name__)
