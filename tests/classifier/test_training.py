"""Training and evaluation on a synthetic set: reproducible, corrections used, bad input refused."""

from __future__ import annotations

import csv
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
    # Written beside their place and renamed in: nothing half-written is left behind.
    assert sorted(p.name for p in out.iterdir()) == ["model.json", "model.npz"]


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


def test_corrections_in_an_untrained_category_end_its_suggestion_and_bring_its_cues(
    synthetic_csv, synthetic_model, tmp_path
):
    from sms_gateway.classifier.train import prior_examples, train

    mbg = "PROGRAM MAKAN BERGIZI GRATIS (MBG)"
    assert "sppg" not in dict(prior_examples(["PENDIDIKAN DAN KEBUDAYAAN"]))
    assert dict(prior_examples([mbg]))["sppg"] == mbg  # its cues, once it has rows
    before = predict(["menu mbg di sekolah basi"], synthetic_model[0])[0]
    assert before.cue == "mbg" and before.abstain
    corrections = [(f"makanan mbg hari ke {i} basi, anak2 sakit perut", mbg) for i in range(12)]
    train([synthetic_csv], corrections, out_dir=tmp_path, log=lambda s: None)
    after = predict(["menu mbg di sekolah basi"], tmp_path)[0]
    assert after.cue is None and after.category == mbg  # the model decides it now


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


def test_calibration_keeps_the_order_of_margins_and_stays_a_probability():
    from sms_gateway.classifier.train import calibration_table

    rng = np.random.default_rng(3)
    margin = rng.uniform(0, 2, 400)
    correct = rng.uniform(0, 1, 400) < margin / 2
    x, y = calibration_table(margin, correct)
    assert np.all(np.diff(x) > 0) and np.all(np.diff(y) > 0)
    assert y.min() >= 0.0 and y.max() <= 1.0
    conf = np.interp(np.sort(margin), x, y)
    assert np.all(np.diff(conf) >= 0)
    # Distinct margins inside the table keep distinct confidences (no flat steps).
    inside = np.sort(margin[(margin > x[0]) & (margin < x[-1])])
    assert np.all(np.diff(np.interp(inside, x, y)) > 0)


def test_a_handful_of_wrong_near_ties_does_not_make_a_knot_of_its_own():
    from sms_gateway.classifier.train import MIN_BLOCK_ROWS, calibration_table

    # Four near-ties, all wrong, below a run whose accuracy climbs with the margin.
    margin = np.r_[[0.001, 0.002, 0.003, 0.004], np.linspace(0.01, 2.0, 396)]
    correct = np.r_[[False] * 4, np.arange(396) % 5 < np.linspace(1, 5, 396)]
    x, y = calibration_table(margin, correct)
    assert y[0] > 0.1  # pooled with its neighbours, not "certainly wrong"
    assert np.all(np.diff(x) > 0) and np.all(np.diff(y) >= 0)
    assert len(x) <= len(margin) // MIN_BLOCK_ROWS  # every knot stands for 20 rows or more


def test_one_sms_crops_of_long_texts_join_training_only_when_weighted(tmp_path):
    import csv

    from sms_gateway.classifier.train import TrainParams, train
    from tests.classifier.conftest import synthetic_rows

    padding = " mohon segera ditindaklanjuti karena warga sudah lama menunggu" * 3
    rows = [{**r, "text": r["text"] + padding} for r in synthetic_rows()]
    long_csv = tmp_path / "long.csv"
    with long_csv.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with_crops = train([long_csv], out_dir=tmp_path / "a", log=lambda s: None)
    without_crops = train(
        [long_csv],
        out_dir=tmp_path / "b",
        params=TrainParams(sms_crop_weight=0.0),
        log=lambda s: None,
    )
    assert with_crops["params"]["sms_crop_weight"] == 0.5
    assert without_crops["params"]["sms_crop_weight"] == 0.0
    a, b = ShippedModel.load(tmp_path / "a"), ShippedModel.load(tmp_path / "b")
    assert not np.array_equal(a.weights, b.weights)


def _laporgub_csv(path, rows):
    """A file shaped like the LaporGub! export: `;`-separated, each text a list of stemmed words."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["id", "complaints", "category"])
        for n, (words, category) in enumerate(rows):
            writer.writerow([f"{n}.0", words, category])
    return path


def test_another_region_is_read_with_the_portal_categories_that_match(synthetic_csv, tmp_path):
    from sms_gateway.classifier.elsewhere import format_check, load
    from sms_gateway.classifier.evaluate import evaluate

    path = _laporgub_csv(
        tmp_path / "laporgub.csv",
        [
            ("['jalan', 'lubang', 'besar', 'aspal', 'rusak']", "infrastruktur"),
            ("['lampu', 'jalan', 'mati', 'gelap']", "infrastruktur"),
            ("['puskesmas', 'dokter', 'jaga', 'pasien', 'tunggu']", "kesehatan"),
            ("['rumah', 'sakit', 'layan', 'lambat', 'perawat']", "kesehatan "),
            ("['ktp', 'rekam', 'belum', 'jadi']", "permades dan kependudukan"),  # mixed: left out
            ("['gaji', 'pegawai', 'telat']", "kepegawaian"),  # no SP4N-LAPOR! match: left out
            ("not a list [", "kesehatan"),  # unreadable: skipped
            ("[]", "pendidikan"),  # empty: skipped
        ],
    )
    rows = load(path)
    assert [r.portal_category for r in rows] == ["infrastruktur"] * 2 + ["kesehatan"] * 2
    assert rows[0].text == "jalan lubang besar aspal rusak"

    report = evaluate([synthetic_csv], with_baseline=False, other_region=path, log=lambda s: None)
    check = report["other_region"]
    assert check["n"] == 4
    # Every one of these texts is plainly its category: a model trained on the synthetic rows
    # files them under a name the portal's category accepts.
    assert check["agreement"] == 1.0
    assert set(check["per_portal_category"]) == {"infrastruktur", "kesehatan"}
    assert check["per_portal_category"]["kesehatan"]["n"] == 2
    assert "4 rows of matched categories" in format_check(check)


def test_another_region_says_what_to_pass_when_its_file_is_absent(tmp_path):
    from sms_gateway.classifier.elsewhere import load

    with pytest.raises(FileNotFoundError, match="LaporGub"):
        load(tmp_path / "nowhere.csv")
