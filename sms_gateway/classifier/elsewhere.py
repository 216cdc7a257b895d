"""Another province read by the model: a check of generalisation, not a target.

The product will meet regions it was never trained on. LaporGub! (Central Java's provincial
portal, 2024-2025; `../shared/data/complaints/laporgub-jateng-2024_2025-stemmed.csv`) files its
reports under 17 categories of its own. Those whose meaning matches SP4N-LAPOR! top-level names
are read here, each with the names it accepts; the mixed ones (social affairs, economy and
industry, village government and population, civil servants, "other", …) are left out.
Infrastructure accepts public works, transport and energy: the portal files roads, bridges, drains,
street lights and the water utility's pipes there, and SP4N-LAPOR! files the water utility (PDAM)
and the power company under energy. A fallen tree or a littered drain filed as infrastructure and
read as environment counts as a miss.

The source stored each text stemmed and without stopwords, which the model never sees in an SMS,
so the figures are a lower bound: they compare versions of the model, they do not promise what it
does on that province's SMS.
"""

from __future__ import annotations

import ast
import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .model import ShippedModel
from .predict import predict_with
from .train import PROJECT_ROOT

DEFAULT_PATH = PROJECT_ROOT.parent / "shared/data/complaints/laporgub-jateng-2024_2025-stemmed.csv"

PU = "PEKERJAAN UMUM DAN PENATAAN RUANG"
ENERGY = "ENERGI DAN SUMBER DAYA ALAM"
ACCEPTS: dict[str, frozenset[str]] = {
    "infrastruktur": frozenset({PU, "PERHUBUNGAN", ENERGY}),
    "pendidikan": frozenset({"PENDIDIKAN DAN KEBUDAYAAN"}),
    "energi": frozenset({ENERGY}),
    "lingkungan": frozenset({"LINGKUNGAN HIDUP DAN KEHUTANAN"}),
    "kesehatan": frozenset({"KESEHATAN"}),
}


@dataclass(frozen=True)
class Row:
    text: str
    portal_category: str


def load(path: str | Path = DEFAULT_PATH) -> list[Row]:
    """Rows of the portal's matched categories; the token list of each joined into one text."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"Other-region data not found: {path}. Pass the LaporGub! CSV explicitly (columns "
            "id;complaints;category, `;`-separated, complaints a list of tokens)."
        )
    rows = []
    with path.open(newline="", encoding="utf-8") as fh:
        for record in csv.DictReader(fh, delimiter=";"):
            category = (record.get("category") or "").strip()
            if category not in ACCEPTS:
                continue
            try:
                words = ast.literal_eval(record.get("complaints") or "")
            except (ValueError, SyntaxError):
                continue
            if isinstance(words, list) and words:
                rows.append(Row(" ".join(str(w) for w in words), category))
    return rows


def check(model: ShippedModel, rows: Iterable[Row]) -> dict:
    """How often the model's category is one the portal's category accepts: over all rows, and
    over those the model would route without triage (at its own threshold)."""
    rows = list(rows)
    if not rows:
        raise ValueError("no rows of a matched category")
    preds = predict_with(model, [r.text for r in rows])
    agree = np.array(
        [p.category in ACCEPTS[r.portal_category] for p, r in zip(preds, rows, strict=True)]
    )
    routed = np.array([not p.abstain for p in preds])
    portal = np.array([r.portal_category for r in rows])
    return {
        "n": len(rows),
        "agreement": float(agree.mean()),
        "routed_share": float(routed.mean()),
        "routed_agreement": float(agree[routed].mean()) if routed.any() else float("nan"),
        "per_portal_category": {
            c: {
                "n": int((portal == c).sum()),
                "agreement": float(agree[portal == c].mean()),
                "routed_share": float(routed[portal == c].mean()),
                "routed_agreement": (
                    float(agree[(portal == c) & routed].mean())
                    if ((portal == c) & routed).any()
                    else float("nan")
                ),
            }
            for c in ACCEPTS
            if (portal == c).any()
        },
    }


def format_check(result: dict) -> str:
    """The check as text."""

    def pct(x: float) -> str:
        return "  n/a " if x != x else f"{100 * x:5.1f}%"

    lines = [
        f"another region (LaporGub! Central Java, stemmed text; {result['n']} rows of matched "
        "categories):",
        f"  agreement {pct(result['agreement'])}; at the threshold {pct(result['routed_share'])} "
        f"routed, {pct(result['routed_agreement'])} of them agreeing",
    ]
    for c, v in result["per_portal_category"].items():
        lines.append(
            f"  {c:16s} n={v['n']:5d}  agreement {pct(v['agreement'])}  routed "
            f"{pct(v['routed_share'])} at {pct(v['routed_agreement'])}"
        )
    return "\n".join(lines)
