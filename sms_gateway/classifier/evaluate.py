"""Time-split evaluation beside the TF-IDF + LinearSVC baseline (imports scikit-learn)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.pipeline import make_union
from sklearn.svm import LinearSVC

from . import elsewhere
from .predict import predict_with
from .train import TrainParams, coverage_precision, fit_model, load_complaints

ONE_SMS = 160
COVERAGES = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99)


def _precision_at(conf: np.ndarray, correct: np.ndarray, coverage: float) -> float:
    order = np.argsort(-conf, kind="stable")
    k = max(1, int(np.ceil(coverage * len(conf))))
    return float(correct[order][:k].mean())


def _coverage_at(conf: np.ndarray, correct: np.ndarray, precision: float) -> float:
    """Largest share of texts, taken by descending confidence, keeping precision ≥ target."""
    ok = correct[np.argsort(-conf, kind="stable")].astype(float)
    good = np.flatnonzero(np.cumsum(ok) / np.arange(1, len(ok) + 1) >= precision)
    return float((good[-1] + 1) / len(ok)) if good.size else 0.0


def metrics(y_true, y_pred, conf, lengths, threshold: float | None = None) -> dict:
    """Accuracy, macro-F1, one-SMS accuracy, per-category figures, confusions, confidence curve."""
    y_true, y_pred, conf = np.asarray(y_true), np.asarray(y_pred), np.asarray(conf, dtype=float)
    correct = y_true == y_pred
    short = np.asarray(lengths) <= ONE_SMS
    labels = sorted(set(y_true))
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    out = {
        "n": len(y_true),
        "accuracy": float(correct.mean()),
        "macro_f1": float(
            f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)
        ),
        "n_one_sms": int(short.sum()),
        "accuracy_one_sms": float(correct[short].mean()) if short.any() else float("nan"),
        "per_category": {
            c: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "n": int(s[i])}
            for i, c in enumerate(labels)
        },
        "confusions": Counter(
            (t, q) for t, q in zip(y_true, y_pred, strict=True) if t != q
        ).most_common(10),
        "precision_at_coverage": {c: _precision_at(conf, correct, c) for c in COVERAGES},
        "coverage_at_97_5": _coverage_at(conf, correct, 0.975),
    }
    if threshold is not None:
        cov, prec = coverage_precision(conf, correct, threshold)
        out["threshold"] = threshold
        out["at_threshold"] = {"coverage": cov, "precision": prec}
        out["threshold_curve"] = {
            t: dict(
                zip(("coverage", "precision"), coverage_precision(conf, correct, t), strict=True)
            )
            for t in THRESHOLDS
        }
    return out


def baseline(train_texts, train_labels, test_texts):
    """Word (1-2) + char_wb (2-5) TF-IDF with LinearSVC; confidence = top-1 minus top-2 margin."""
    vec = make_union(
        TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2),
        TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(2, 5), min_df=2),
    )
    svm = LinearSVC().fit(vec.fit_transform(train_texts), train_labels)
    d = svm.decision_function(vec.transform(test_texts))
    top2 = np.sort(d, axis=1)[:, -2:]
    return svm.classes_[d.argmax(1)], top2[:, 1] - top2[:, 0]


def evaluate(
    csv_paths: Iterable[str | Path] | None = None,
    train_months: tuple[str, str] = ("2022-01", "2022-12"),
    test_months: tuple[str, str] = ("2023-01", "2023-04"),
    seed: int = 0,
    params: TrainParams | None = None,
    with_baseline: bool = True,
    other_region: str | Path | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    """Train on `train_months`, test on `test_months` (inclusive, YYYY-MM) of the complaint CSVs;
    with `other_region` (a LaporGub! CSV), also read another province with the same model."""
    params = params or TrainParams()
    rows = load_complaints(csv_paths)
    tr = [e for e in rows if train_months[0] <= e.date[:7] <= train_months[1]]
    te = [e for e in rows if test_months[0] <= e.date[:7] <= test_months[1]]
    if not tr or not te:
        raise ValueError(f"empty split: {len(tr)} training rows, {len(te)} test rows")
    log(
        f"time split: train {train_months[0]}..{train_months[1]} ({len(tr)} rows), "
        f"test {test_months[0]}..{test_months[1]} ({len(te)} rows); seed {seed}"
    )
    model, validation = fit_model(tr, params, seed, log=log)
    texts = [e.text for e in te]
    truth = [e.category for e in te]
    lengths = [len(t) for t in texts]
    preds = predict_with(model, texts)
    report = {
        "split": {
            "train": list(train_months),
            "test": list(test_months),
            "n_train": len(tr),
            "n_test": len(te),
        },
        "validation": validation,
        "model": metrics(
            truth,
            [p.category for p in preds],
            [p.confidence for p in preds],
            lengths,
            model.threshold,
        ),
    }
    if with_baseline:
        b_pred, b_margin = baseline([e.text for e in tr], [e.category for e in tr], texts)
        report["baseline"] = metrics(truth, b_pred, b_margin, lengths)
    if other_region is not None:
        report["other_region"] = elsewhere.check(model, elsewhere.load(other_region))
    return report


def _pct(x: float) -> str:
    return "  n/a " if x != x else f"{100 * x:5.1f}%"


def format_report(report: dict) -> str:
    """The report as text: headline figures side by side, then per-category and curves."""
    m, b = report["model"], report.get("baseline")
    lines = [f"time split {report['split']}", ""]
    head = f"{'':34s}{'hashed SVM + calib.':>20s}" + (f"{'baseline TF-IDF SVM':>22s}" if b else "")
    lines.append(head)
    rows = [
        ("accuracy", "accuracy"),
        ("macro-F1", "macro_f1"),
        (f"accuracy on texts <= {ONE_SMS} chars", "accuracy_one_sms"),
        ("coverage at 97.5% precision", "coverage_at_97_5"),
    ] + [
        (f"precision at {int(c * 100)}% coverage", ("precision_at_coverage", c)) for c in COVERAGES
    ]
    for name, key in rows:
        get = (
            (lambda r, k=key: r[k[0]][k[1]]) if isinstance(key, tuple) else (lambda r, k=key: r[k])
        )
        lines.append(f"{name:34s}{_pct(get(m)):>20s}" + (f"{_pct(get(b)):>22s}" if b else ""))
    at = m["at_threshold"]
    lines += [
        "",
        f"chosen threshold {m['threshold']:.4f} (on validation: "
        f"{_pct(report['validation']['coverage'])} coverage at "
        f"{_pct(report['validation']['precision'])} precision) → on test: "
        f"{_pct(at['coverage'])} routed automatically at {_pct(at['precision'])} precision",
        "",
        "confidence threshold → coverage / precision (test):",
    ]
    for t, v in m["threshold_curve"].items():
        lines.append(f"  >= {t:.2f}: {_pct(v['coverage'])} / {_pct(v['precision'])}")
    lines += [
        "",
        f"{'per category (model)':58s} {'prec':>6s} {'recall':>6s} {'n':>5s}"
        + ("   baseline prec/recall" if b else ""),
    ]
    for c, v in m["per_category"].items():
        extra = ""
        if b:
            bv = b["per_category"][c]
            extra = f"   {_pct(bv['precision'])} / {_pct(bv['recall'])}"
        lines.append(
            f"  {c[:56]:56s} {_pct(v['precision'])} {_pct(v['recall'])} {v['n']:5d}{extra}"
        )
    lines += ["", "top confusions (true → predicted: count):"]
    for (t, p), n in m["confusions"]:
        lines.append(f"  {t[:40]} → {p[:40]}: {n}")
    if "other_region" in report:
        lines += ["", elsewhere.format_check(report["other_region"])]
    return "\n".join(lines)
