"""Training and evaluation on a synthetic set: reproducible, corrections used, bad input refused."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from sms_gateway.classifier import cli
from sms_gateway.classifier.model import ShippedModel
from sms_gateway.classifier.predict import predict


def test_training_writes_a_model_that_predicts_its_categories(synthetic_model):
    out, report = synthetic_model
    assert report["rows"] == 120  # the unlabelled row is skipped
    assert report["date_range"] == ["2022-01-10", "2023-02-17"]
    p = predict(["lampu jalan di gang kami mati, gelap"], out)[0]
    assert p.category == "PERHUBUNGAN"
    assert 0.0 <= p.confidence <= 1.0


def test_model_files_hold_numbers_and_names_only(synthetic_model):
    out, _ = synthetic_model
    meta = (out / "model.json").read_text()
    assert "lampu" not in meta and "bansos" not in meta
    with np.load(out / "model.npz") as z:
        assert all(z[k].dtype.kind in "fiu" for k in z.files)


def test_same_seed_gives_the_same_model(synthetic_csv, synthetic_model, tmp_path):
    from sms_gateway.classifier.train import train

    train([synthetic_csv], seed=0, out_dir=tmp_path, log=lambda s: None)
    a, b = ShippedModel.load(synthetic_model[0]), ShippedModel.load(tmp_path)
    assert np.array_equal(a.rows, b.rows)
    assert np.array_equal(a.weights, b.weights)
    assert a.threshold == b.threshold


def test_operator_corrections_teach_a_new_category(synthetic_csv, tmp_path):
    from sms_gateway.classifier.train import train

    corrections = [
        (f"anak saya dibully di sekolah kelas {i}, guru diam saja", "PENDIDIKAN DAN KEBUDAYAAN")
        for i in range(12)
    ]
    report = train([synthetic_csv], corrections, out_dir=tmp_path, log=lambda s: None)
    assert report["corrections"] == 12
    assert "PENDIDIKAN DAN KEBUDAYAAN" in ShippedModel.load(tmp_path).categories
    assert predict(["anak dibully di sekolah"], tmp_path)[0].category == "PENDIDIKAN DAN KEBUDAYAAN"


def test_unknown_category_names_are_refused(synthetic_csv, tmp_path):
    from sms_gateway.classifier.train import train

    with pytest.raises(ValueError, match="not SP4N-LAPOR"):
        train([synthetic_csv], [("jalan rusak", "Jalan Rusak")], out_dir=tmp_path, log=print)


def test_missing_data_says_what_to_pass(tmp_path):
    result = CliRunner().invoke(
        cli.classifier, ["train", "--data", str(tmp_path / "absent.csv"), "--out", str(tmp_path)]
    )
    assert result.exit_code != 0
    assert "--data" in result.output and "surabaya" in result.output


def test_train_command_reads_corrections_file(synthetic_csv, tmp_path):
    corr = tmp_path / "corrections.jsonl"
    corr.write_text(
        json.dumps(
            {"text": "sampah numpuk di sungai", "category": "LINGKUNGAN HIDUP DAN KEHUTANAN"}
        )
        + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli.classifier,
        [
            "train",
            "--data",
            str(synthetic_csv),
            "--corrections",
            str(corr),
            "--out",
            str(tmp_path / "m"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "120 rows" in result.output and "1 corrections" in result.output
    assert "normaliser" in result.output


def test_evaluate_reports_model_and_baseline_side_by_side(synthetic_csv):
    from sms_gateway.classifier.evaluate import evaluate, format_report

    report = evaluate([synthetic_csv], log=lambda s: None)
    assert report["split"]["n_train"] == 90 and report["split"]["n_test"] == 30
    for side in ("model", "baseline"):
        assert 0.0 <= report[side]["accuracy"] <= 1.0
        assert 0.8 in report[side]["precision_at_coverage"]
    text = format_report(report)
    assert "baseline" in text and "chosen threshold" in text and "macro-F1" in text
