"""Training (imports scikit-learn: CLI and workers only, never the web process).

Features are the numpy hashing of `features.py`; the classifier is a class-weighted linear SVM;
its scores become probabilities by temperature scaling, then a calibrated confidence by isotonic
regression, both fitted on out-of-fold scores where each fold holds out whole months (the product
meets months it has never seen). The abstention threshold is chosen on the same out-of-fold data.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from sklearn.isotonic import IsotonicRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.svm import LinearSVC

from . import features as F
from .keywords import UNTRAINED, cue_lists
from .model import MODEL_DIR, ShippedModel, forget_models
from .subcategory import tree

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = PROJECT_ROOT.parent / "shared/data/complaints/surabaya-2022-01_2023-04.csv"
MISSING_DATA_HELP = (
    "Training data not found: {path}. Pass the Surabaya complaints CSV explicitly, e.g. "
    "`--data /path/to/shared/data/complaints/surabaya-2022-01_2023-04.csv` (columns: text, "
    "lapor_category, tanggal); the data is read at run time and never copied into the project."
)


@dataclass(frozen=True)
class TrainParams:
    """Model choices (chosen on month-held-out validation inside 2022, see the README)."""

    features: F.FeatureConfig = field(
        default_factory=lambda: F.FeatureConfig(keywords=True, keyword_block=0.1)
    )
    C: float = 0.5
    class_weight: str | None = "balanced"
    folds: int = 4
    target_precision: float = 0.975
    target_coverage: float = 0.80
    correction_weight: float = 2.0
    prior_weight: float = 0.5  # weight of the keyword / sub-category-name examples (0: none)
    # Every training text longer than one SMS also joins the fit cut to its first 160 characters,
    # with this weight times its own (0: none): the product mostly reads one-SMS texts.
    sms_crop_weight: float = 0.5


@dataclass
class Example:
    text: str
    category: str
    date: str = ""
    source: str = ""


def load_complaints(csv_paths: Iterable[str | Path] | None = None) -> list[Example]:
    """Rows with a non-empty `lapor_category` from the given CSV files (default: Surabaya)."""
    paths = [Path(p) for p in (csv_paths or [DEFAULT_DATA])]
    out: list[Example] = []
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(MISSING_DATA_HELP.format(path=path))
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                category = (row.get("lapor_category") or "").strip()
                text = (row.get("text") or "").strip()
                if category and text:
                    out.append(Example(text, category, (row.get("tanggal") or "")[:10], path.name))
    return out


def load_corrections(path: str | Path) -> list[tuple[str, str]]:
    """Operators' corrections: JSON lines {"text": ..., "category": ...}."""
    pairs = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            item = json.loads(line)
            if not isinstance(item.get("text"), str) or not isinstance(item.get("category"), str):
                raise ValueError(f"{path}:{n}: need string fields 'text' and 'category'")
            pairs.append((item["text"], item["category"]))
    return pairs


def check_categories(pairs: Iterable[tuple[str, str]]) -> None:
    """Refuse category names that are not SP4N-LAPOR! top-level names spelled exactly."""
    bad = sorted({c for _, c in pairs} - set(tree()))
    if bad:
        raise ValueError(f"not SP4N-LAPOR! top-level categories: {bad}")


def prior_examples(categories: Iterable[str]) -> list[tuple[str, str]]:
    """Tiny labelled examples written by the project: every sub-category name of the tree and
    every cue of `keywords` (categories, services, and the untrained categories once operators'
    corrections give them rows), for the given top-level categories only."""
    categories = list(categories)
    out = [(sub.lower(), c) for c in categories for sub in tree().get(c, [])]
    lists = [*cue_lists().values(), *UNTRAINED.items()]
    for category, cues in lists:
        if category in categories:
            out += [(cue, category) for cue in cues]
    return out


def featurize(texts: list[str], cfg: F.FeatureConfig) -> list[tuple[np.ndarray, np.ndarray]]:
    """Hashed (indices, counts) per text, with the understanding step's normaliser."""
    normalize = F.normalizer()
    return [F.hashed_counts(t, cfg, normalize) for t in texts]


def fit_idf(feats, n_features: int) -> np.ndarray:
    """Smoothed idf per bucket (as sklearn's TfidfTransformer), unseen buckets included."""
    df = np.zeros(n_features, dtype=np.float64)
    for idx, _ in feats:
        df[idx] += 1
    return (np.log((1 + len(feats)) / (1 + df)) + 1).astype(np.float32)


def to_matrix(feats, idf: np.ndarray, cfg: F.FeatureConfig) -> sp.csr_matrix:
    """Rows of sublinear tf-idf, L2-normalised per block, exactly as `ShippedModel.features`."""
    ptr = np.cumsum([0] + [len(i) for i, _ in feats])
    ind = np.concatenate([i for i, _ in feats]) if feats else np.zeros(0, np.int64)
    val = [F.weigh(i, c, idf[i], cfg) for i, c in feats]
    data = np.concatenate(val) if val else np.zeros(0, np.float32)
    return sp.csr_matrix((data, ind, ptr), shape=(len(feats), cfg.n_features))


def _fit_svm(X, y, w, params: TrainParams, seed: int) -> LinearSVC:
    svm = LinearSVC(C=params.C, class_weight=params.class_weight, random_state=seed)
    return svm.fit(X, y, sample_weight=w)


def _scores(svm: LinearSVC, X, categories: list[str]) -> np.ndarray:
    """Decision scores in the column order of `categories` (classes a fold lacked score -10)."""
    d = svm.decision_function(X)
    if d.ndim == 1:
        d = np.column_stack([-d, d])
    out = np.full((X.shape[0], len(categories)), -10.0)
    for j, c in enumerate(svm.classes_):
        out[:, categories.index(c)] = d[:, j]
    return out


def top_margin(scores: np.ndarray) -> np.ndarray:
    """Best score minus the second best, per row."""
    top2 = np.sort(scores, axis=1)[:, -2:]
    return top2[:, 1] - top2[:, 0]


def fit_temperature(scores: np.ndarray, y: np.ndarray) -> float:
    """Temperature minimising the negative log-likelihood of softmax(scores / T)."""

    def nll(log_t: float) -> float:
        z = scores / np.exp(log_t)
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return -float(logp[np.arange(len(y)), y].mean())

    return float(np.exp(minimize_scalar(nll, bounds=(-6, 3), method="bounded").x))


# A knot stands for at least this many validation rows: isotonic regression otherwise makes a
# block of the four smallest margins, all wrong, and calls a near-tie between two categories
# certainly wrong (confidence 0) where its neighbours read 0.35.
MIN_BLOCK_ROWS = 20


def calibration_table(x: np.ndarray, correct: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Knots of a monotone map x → P(correct): isotonic regression, each flat block replaced by
    one knot at its mean x, read by linear interpolation. Unlike the flat steps it keeps the
    margin's order (ties would hide it), so the threshold can cut finer (see the README).
    Blocks of fewer than MIN_BLOCK_ROWS rows are pooled with their neighbour above (the last with
    the one below), which keeps the map monotone."""
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(x, correct)
    fitted = iso.predict(x)
    blocks = [fitted == v for v in np.unique(fitted)]
    pooled: list[np.ndarray] = []
    pending = np.zeros(len(x), dtype=bool)
    for block in blocks:
        pending |= block
        if pending.sum() >= MIN_BLOCK_ROWS:
            pooled.append(pending)
            pending = np.zeros(len(x), dtype=bool)
    if pending.any():
        if pooled:
            pooled[-1] = pooled[-1] | pending
        else:
            pooled.append(pending)
    centres = np.array([x[b].mean() for b in pooled])
    values = np.array([correct[b].mean() for b in pooled])
    return centres.astype(np.float64), values.astype(np.float64)


def choose_threshold(conf: np.ndarray, correct: np.ndarray, target_precision: float) -> float:
    """Lowest confidence threshold whose accepted set keeps precision ≥ target (max coverage)."""
    order = np.argsort(-conf, kind="stable")
    c, ok = conf[order], correct[order].astype(float)
    precision = np.cumsum(ok) / np.arange(1, len(ok) + 1)
    # Only cut between distinct confidence values.
    last_of_value = np.r_[c[1:] != c[:-1], True]
    good = np.flatnonzero((precision >= target_precision) & last_of_value)
    return float(c[good[-1]]) if good.size else float(min(1.0, c[0] + 1e-6))


def coverage_precision(
    conf: np.ndarray, correct: np.ndarray, threshold: float
) -> tuple[float, float]:
    """Share of texts at or above the threshold, and the accuracy among them."""
    accepted = conf >= threshold
    cov = float(accepted.mean()) if len(conf) else 0.0
    prec = float(correct[accepted].mean()) if accepted.any() else float("nan")
    return cov, prec


def fit_model(
    examples: list[Example],
    params: TrainParams,
    seed: int = 0,
    extra: list[tuple[str, str]] | None = None,
    log: Callable[[str], None] = print,
) -> tuple[ShippedModel, dict]:
    """Fit features, SVM, calibration and threshold; return the model and validation figures."""
    cfg = params.features
    extra = list(extra or [])
    texts = [e.text for e in examples] + [t for t, _ in extra]
    labels = np.array([e.category for e in examples] + [c for _, c in extra])
    weights = np.r_[np.ones(len(examples)), np.full(len(extra), params.correction_weight)]
    categories = sorted(set(labels))
    if len(categories) < 2:
        raise ValueError("need at least two categories to train")
    y = np.array([categories.index(c) for c in labels])
    feats = featurize(texts, cfg)
    # Prior examples join every fit (never validation, never the idf), with their own weight.
    prior = prior_examples(categories) if params.prior_weight > 0 else []
    prior_feats = featurize([t for t, _ in prior], cfg)
    prior_labels = np.array([c for _, c in prior], dtype=labels.dtype)
    prior_weights = np.full(len(prior), params.prior_weight)

    # One-SMS crops of the longer texts (fit only, like the prior examples; never the idf).
    long_rows = [i for i, t in enumerate(texts) if len(t) > F.SMS_CHARS]
    crop_feats = dict(
        zip(long_rows, featurize([F.sms_crop(texts[i]) for i in long_rows], cfg), strict=True)
    )
    if params.sms_crop_weight <= 0:
        crop_feats = {}

    def fit(rows: np.ndarray, idf: np.ndarray) -> LinearSVC:
        crops = np.array([i for i in rows if i in crop_feats], dtype=int)
        f_fit = [feats[i] for i in rows] + prior_feats + [crop_feats[i] for i in crops]
        return _fit_svm(
            to_matrix(f_fit, idf, cfg),
            np.r_[labels[rows], prior_labels, labels[crops]],
            np.r_[weights[rows], prior_weights, params.sms_crop_weight * weights[crops]],
            params,
            seed,
        )

    # Out-of-fold scores; folds hold out whole months when the data spans several.
    months = np.array([e.date[:7] for e in examples])
    n_val = len(examples)
    if len(set(months)) >= params.folds:
        splits = GroupKFold(n_splits=params.folds).split(np.zeros(n_val), groups=months)
        how = f"{params.folds} folds of whole months"
    else:
        k = max(2, min(params.folds, Counter(labels[:n_val]).most_common()[-1][1]))
        splits = StratifiedKFold(k, shuffle=True, random_state=seed).split(
            np.zeros(n_val), y[:n_val]
        )
        how = f"{k} stratified folds"
    oof = np.zeros((n_val, len(categories)))
    extra_rows = np.arange(n_val, len(texts))
    for fit_rows, val_rows in splits:
        fit_rows = np.r_[fit_rows, extra_rows].astype(int)
        idf = fit_idf([feats[i] for i in fit_rows], cfg.n_features)
        svm = fit(fit_rows, idf)
        oof[val_rows] = _scores(svm, to_matrix([feats[i] for i in val_rows], idf, cfg), categories)

    temperature = fit_temperature(oof, y[:n_val])
    # Confidence from the margin between the two best scores (better than the top probability
    # at ranking right from wrong on month-held-out validation), made a probability by isotonic.
    correct = oof.argmax(1) == y[:n_val]
    margin = top_margin(oof)
    calib_x, calib_y = calibration_table(margin, correct)
    conf = np.interp(margin, calib_x, calib_y)
    threshold = choose_threshold(conf, correct, params.target_precision)
    cov, prec = coverage_precision(conf, correct, threshold)
    validation = {
        "folds": how,
        "accuracy": float(correct.mean()),
        "temperature": temperature,
        "threshold": threshold,
        "coverage": cov,
        "precision": prec,
    }
    log(
        f"validation ({how}): accuracy {correct.mean():.4f}; threshold {threshold:.4f} → "
        f"coverage {cov:.1%} at precision {prec:.1%} (T={temperature:.3f})"
    )

    idf = fit_idf(feats, cfg.n_features)
    svm = fit(np.arange(len(feats)), idf)
    coef = _scores_matrix(svm, categories)
    rows = np.flatnonzero(np.any(coef[0] != 0, axis=1))
    model = ShippedModel(
        cfg=cfg,
        categories=categories,
        rows=rows.astype(np.int64),
        weights=coef[0][rows].astype(np.float16),
        bias=coef[1].astype(np.float32),
        idf=idf[rows],
        idf_unseen=float(np.log(1 + len(feats)) + 1),
        temperature=temperature,
        calib_x=calib_x,
        calib_y=calib_y,
        threshold=threshold,
        calib_on="margin",
    )
    return model, validation


def _scores_matrix(svm: LinearSVC, categories: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(weights of shape (n_features, n_categories), bias) in the order of `categories`."""
    coef, bias = svm.coef_, svm.intercept_
    if coef.shape[0] == 1:  # binary: sklearn keeps one row for the second class
        coef, bias = np.vstack([-coef, coef]), np.r_[-bias, bias]
    order = [list(svm.classes_).index(c) for c in categories]
    return np.asarray(coef[order].T, dtype=np.float32), np.asarray(bias[order], dtype=np.float32)


def describe(examples: list[Example], extra, params: TrainParams, seed: int) -> dict:
    """What a training run used: files, rows, dates, categories, parameters."""
    dates = sorted(e.date for e in examples if e.date)
    return {
        "files": sorted({e.source for e in examples}),
        "rows": len(examples),
        "corrections": len(extra or []),
        "date_range": [dates[0], dates[-1]] if dates else None,
        "categories": dict(Counter(e.category for e in examples).most_common()),
        "params": asdict(params),
        "seed": seed,
        "normalizer": F.normalizer_name(),
    }


def train(
    csv_paths: Iterable[str | Path] | None = None,
    extra_examples: list[tuple[str, str]] | None = None,
    seed: int = 0,
    out_dir: str | Path = MODEL_DIR,
    params: TrainParams | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    """Train on complaint CSVs (+ operators' corrections) and write the model; returns a report."""
    params = params or TrainParams()
    examples = load_complaints(csv_paths)
    extra = list(extra_examples or [])
    check_categories([(e.text, e.category) for e in examples] + extra)
    info = describe(examples, extra, params, seed)
    log(
        f"training on {info['files']}: {info['rows']} rows with a category, "
        f"{info['corrections']} corrections, dates {info['date_range']}"
    )
    log(f"parameters: {info['params']}; seed {seed}; normaliser {info['normalizer']}")
    model, validation = fit_model(examples, params, seed, extra, log)
    model.info = {**info, "validation": validation}
    path = model.save(out_dir)
    forget_models()
    size = sum(p.stat().st_size for p in Path(path).iterdir())
    log(f"model written to {path} ({size / 1e6:.2f} MB, {len(model.rows)} weighted buckets)")
    return {**model.info, "out_dir": str(path), "size_bytes": size}
