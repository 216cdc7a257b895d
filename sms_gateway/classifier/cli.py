"""`classifier train | evaluate | predict` (a click group the app registers on Flask's CLI).

`train` and `evaluate` import scikit-learn lazily, inside the command; `predict` never does.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

import click

Enricher = Callable[[str, "str | None"], dict]


def enrich(text: str, region_hint: str | None) -> dict:
    """Region and agency for a complaint; the default knows neither (the lead overrides it)."""
    return {"region": None, "agency": None}


_enricher: Enricher | None = None


def set_enricher(fn: Enricher | None) -> None:
    """Install the function that fills `region` and `agency` (None restores the default)."""
    global _enricher
    _enricher = fn


def _enrich(text: str, region_hint: str | None) -> dict:
    return (_enricher or enrich)(text, region_hint)


#: What a line that cannot be read answers, beside its "error": the contract's shape, abstaining
#: under SP4N-LAPOR!'s catch-all category, so a reader of the output never meets a missing key.
UNREADABLE = {
    "category": "TOPIK LAINNYA",
    "confidence": 0.0,
    "abstain": True,
    "region": None,
    "agency": None,
}


def answer_line(line: str) -> dict:
    """One input JSON line → one output object in the contract's shape (with an "error" key for bad
    input, never an exception)."""
    from .predict import predict

    try:
        item = json.loads(line)
    except ValueError as exc:
        return {**UNREADABLE, "error": f"not JSON: {exc.msg}"}
    if not isinstance(item, dict):
        return {**UNREADABLE, "error": "expected a JSON object"}
    text = item.get("text")
    if not isinstance(text, str):
        error = "missing text" if text is None else "text must be a string"
        return {**UNREADABLE, "error": error}
    hint = item.get("region_hint")
    if hint is not None and not isinstance(hint, str):
        return {**UNREADABLE, "error": "region_hint must be a string"}
    p = predict([text])[0]
    out = {"category": p.category, "confidence": p.confidence, "abstain": p.abstain}
    try:
        extra = _enrich(text, hint)
    except Exception as exc:  # the hook must not take the whole batch down
        return {**out, "region": None, "agency": None, "error": f"enrich failed: {exc}"}
    out["region"] = extra.get("region")
    out["agency"] = extra.get("agency")
    return out


@click.group("classifier", help="Complaint classifier: train, evaluate, predict.")
def classifier() -> None:
    pass


_data = click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Complaints CSV (repeatable; default ../shared/data/complaints/surabaya-2022-01_2023-04.csv).",
)


@classifier.command("train")
@_data
@click.option(
    "--corrections",
    type=click.Path(exists=True, dir_okay=False),
    help='Operators\' corrections, JSON lines {"text", "category"}.',
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Model directory (default: the shipped sms_gateway/classifier/model/).",
)
@click.option("--seed", default=0, show_default=True)
def train_command(data, corrections, out_dir, seed) -> None:
    """Train on complaint CSVs (+ corrections) and write the model."""
    from .model import MODEL_DIR
    from .train import load_corrections, train

    extra = load_corrections(corrections) if corrections else None
    try:
        train(data or None, extra, seed=seed, out_dir=out_dir or MODEL_DIR, log=click.echo)
    except (FileNotFoundError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc


@classifier.command("evaluate")
@_data
@click.option("--seed", default=0, show_default=True)
@click.option("--json-out", type=click.Path(dir_okay=False), help="Also write the report as JSON.")
@click.option(
    "--other-region",
    type=click.Path(dir_okay=False),
    help="LaporGub! CSV read as another province (default: the shared one, when present).",
)
def evaluate_command(data, seed, json_out, other_region) -> None:
    """Time split (train 2022, test 2023-01..04): the model beside the TF-IDF + SVM baseline."""
    from .elsewhere import DEFAULT_PATH
    from .evaluate import evaluate, format_report

    if other_region is None and DEFAULT_PATH.is_file():
        other_region = DEFAULT_PATH
    try:
        report = evaluate(data or None, seed=seed, other_region=other_region, log=click.echo)
    except (FileNotFoundError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_report(report))
    if json_out:
        with open(json_out, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=1, default=str, ensure_ascii=False)


@classifier.command("predict")
@click.option(
    "--input",
    "input_file",
    type=click.File("r", encoding="utf-8"),
    default=None,
    help="JSON lines file (default: stdin).",
)
def predict_command(input_file) -> None:
    """Read JSON lines {"text", "region_hint"}; write one JSON line of category, confidence, …"""
    for line in input_file if input_file is not None else sys.stdin:
        if not line.strip():
            continue
        click.echo(json.dumps(answer_line(line), ensure_ascii=False))
        sys.stdout.flush()
