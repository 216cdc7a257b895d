"""Console part: boards."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("boards", __name__)
