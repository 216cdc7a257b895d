"""/agency/: the agency portal, where an officer (petugas instansi) answers the agency's tickets."""

from __future__ import annotations

from flask import Blueprint, render_template

from . import access

bp = Blueprint("agency", __name__, url_prefix="/agency")
bp.before_request(access.guard({"agency"}))
bp.after_request(access.secure_headers)


@bp.context_processor
def _menu() -> dict:
    return {"nav": [("agency.index", "Tiket")]}


@bp.get("/")
def index() -> str:
    """The agency's tickets."""
    return render_template("agency/index.html")
