"""`classifier predict` answers the JSON-lines contract for any input; predict stays sklearn-free."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from sms_gateway.classifier import cli
from sms_gateway.classifier.subcategory import tree

KEYS = {"category", "confidence", "abstain", "region", "agency"}


def run_predict(stdin: str, *args: str) -> list[dict]:
    result = CliRunner().invoke(cli.classifier, ["predict", *args], input=stdin)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_predict_writes_one_contract_line_per_input_line():
    lines = [
        {"text": "jalan depan pasar rusak parah banyak lubang", "region_hint": "35.78"},
        {"text": "lampu jalan mati"},
    ]
    out = run_predict("\n".join(json.dumps(x) for x in lines) + "\n")
    assert len(out) == 2
    for item in out:
        assert set(item) == KEYS
        assert item["category"] in tree()
        assert 0.0 <= item["confidence"] <= 1.0
        assert isinstance(item["abstain"], bool)
        # Region and agency come from the enricher the app installs; without it, null.
        assert item["region"] is None or set(item["region"]) == {"code", "name", "level"}
        assert item["agency"] is None or set(item["agency"]) == {"code", "name"}


@pytest.mark.parametrize(
    "line, message",
    [
        ("this is not json", "not JSON"),
        ('{"region_hint": "35.78"}', "missing text"),
        ('{"text": 42}', "text must be a string"),
        ('["a list"]', "expected a JSON object"),
        ('{"text": "banjir", "region_hint": 35}', "region_hint must be a string"),
    ],
)
def test_bad_lines_yield_an_error_line_and_the_rest_still_answers(line, message):
    good = json.dumps({"text": "sampah menumpuk di pinggir sungai"})
    out = run_predict(f"{line}\n{good}\n")
    assert len(out) == 2
    assert message in out[0]["error"]
    # The contract's keys are there too, abstaining, so a reader never meets a missing key.
    assert set(out[0]) == KEYS | {"error"} and out[0]["abstain"] is True
    assert out[0]["category"] in tree() and out[0]["confidence"] == 0.0
    assert set(out[1]) == KEYS


def test_predict_reads_an_input_file(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": "ktp saya belum jadi"}) + "\n\n", encoding="utf-8")
    out = run_predict("", "--input", str(path))
    assert len(out) == 1 and set(out[0]) == KEYS


def test_enrich_hook_fills_region_and_agency():
    seen = []

    def fake(text, hint):
        seen.append(hint)
        return {"region": {"code": hint, "name": "X", "level": "kota"}, "agency": None}

    cli.set_enricher(fake)
    try:
        out = run_predict(json.dumps({"text": "jalan rusak", "region_hint": "35.78"}) + "\n")
    finally:
        cli.set_enricher(None)
    assert seen == ["35.78"]
    assert out[0]["region"]["code"] == "35.78"


def test_failing_enrich_hook_gives_an_error_line_not_a_crash():
    def broken(text, hint):
        raise RuntimeError("directory down")

    cli.set_enricher(broken)
    try:
        out = run_predict(json.dumps({"text": "jalan rusak"}) + "\n")
    finally:
        cli.set_enricher(None)
    assert "directory down" in out[0]["error"]
    assert out[0]["category"] in tree()


def test_default_enrich_knows_no_region_or_agency():
    assert cli.enrich("apa saja", "35.78") == {"region": None, "agency": None}


def test_prediction_never_imports_sklearn_or_scipy():
    code = (
        "import sys\n"
        "from sms_gateway.classifier.predict import predict\n"
        "from sms_gateway.classifier import cli\n"
        "predict(['lampu jalan mati'])\n"
        'cli.answer_line(\'{"text": "jalan rusak"}\')\n'
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
