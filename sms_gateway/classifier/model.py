"""The shipped model: hashed-feature weights, calibration and threshold, numbers only (numpy only).

On disk (`model/` beside this file): `model.npz` holds the weights of the features seen in
training (sorted bucket numbers, float16 weights, idf) and `model.json` the feature config,
category names, calibration table, abstention threshold and what the model was trained on.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import features as F

MODEL_DIR = Path(__file__).with_name("model")
_NPZ, _JSON = "model.npz", "model.json"
FORMAT = 1


@dataclass
class ShippedModel:
    """Linear scores on hashed tf-idf features → temperature softmax → isotonic confidence."""

    cfg: F.FeatureConfig
    categories: list[str]
    rows: np.ndarray  # sorted int64 bucket numbers seen in training
    weights: np.ndarray  # (len(rows), n_categories) float16
    bias: np.ndarray  # (n_categories,) float32
    idf: np.ndarray  # (len(rows),) float32
    idf_unseen: float
    temperature: float
    calib_x: np.ndarray  # isotonic knots: top softmax probability → P(correct)
    calib_y: np.ndarray
    threshold: float
    min_known: float = 0.34  # share of word n-grams seen in training below which we abstain
    calib_on: str = "probability"  # what the isotonic table reads: "probability" or "margin"
    info: dict = field(default_factory=dict)

    def features(self, text: str, normalize=None) -> tuple[np.ndarray, np.ndarray, float]:
        """(positions in `rows` of the known features, their weights, share of known word grams)."""
        idx, counts = F.hashed_counts(text, self.cfg, normalize)
        if idx.size == 0:
            return idx, counts, 0.0
        pos = np.searchsorted(self.rows, idx)
        pos[pos >= self.rows.size] = 0
        known = self.rows[pos] == idx
        idf = np.where(known, self.idf[pos], np.float32(self.idf_unseen))
        vals = F.weigh(idx, counts, idf, self.cfg)
        is_word = idx < self.cfg.n_word
        share = float(known[is_word].mean()) if is_word.any() else 0.0
        return pos[known], vals[known], share

    def scores(self, text: str, normalize=None) -> tuple[np.ndarray, float]:
        """Raw linear scores per category and the share of known word n-grams."""
        pos, vals, share = self.features(text, normalize)
        s = vals @ self.weights[pos].astype(np.float32) + self.bias
        return s, share

    def probabilities(self, scores: np.ndarray) -> np.ndarray:
        """Temperature-scaled softmax over categories."""
        z = scores / self.temperature
        z = np.exp(z - z.max(axis=-1, keepdims=True))
        return z / z.sum(axis=-1, keepdims=True)

    def confidence(self, top_probability: np.ndarray | float) -> np.ndarray:
        """Calibrated probability that the top category is right (table read at `x`)."""
        return np.interp(top_probability, self.calib_x, self.calib_y)

    def confidence_of(self, scores: np.ndarray, probs: np.ndarray) -> float:
        """Calibrated confidence of the top category from raw scores and their probabilities."""
        if self.calib_on == "margin":
            top2 = np.sort(scores)[-2:] if scores.size > 1 else np.r_[0.0, scores.max()]
            x = float(top2[-1] - top2[0])
        else:
            x = float(probs.max())
        return float(self.confidence(x))

    def save(self, out_dir: Path | str) -> Path:
        """Write model.npz + model.json to `out_dir` (created if needed).

        Each file is written beside its place and renamed into it, the numbers first: a process
        loading the model meanwhile reads whole files, never one half written.
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        npz_tmp = out / f".{_NPZ}.tmp"
        with npz_tmp.open("wb") as fh:
            self._write_numbers(fh)
        os.replace(npz_tmp, out / _NPZ)
        meta = {
            "format": FORMAT,
            "features": self.cfg.__dict__,
            "categories": self.categories,
            "idf_unseen": self.idf_unseen,
            "temperature": self.temperature,
            "threshold": self.threshold,
            "min_known": self.min_known,
            "calib_on": self.calib_on,
            "info": self.info,
        }
        json_tmp = out / f".{_JSON}.tmp"
        json_tmp.write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n")
        os.replace(json_tmp, out / _JSON)
        return out

    def _write_numbers(self, fh) -> None:  # noqa: ANN001
        np.savez_compressed(
            fh,
            rows=self.rows.astype(np.int32),
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
            idf=self.idf.astype(np.float32),
            calib_x=self.calib_x.astype(np.float64),
            calib_y=self.calib_y.astype(np.float64),
        )

    @classmethod
    def load(cls, model_dir: Path | str = MODEL_DIR) -> ShippedModel:
        """Read a model written by `save`."""
        d = Path(model_dir)
        meta = json.loads((d / _JSON).read_text())
        if meta.get("format") != FORMAT:
            raise ValueError(f"unsupported model format {meta.get('format')!r} in {d}")
        with np.load(d / _NPZ) as z:
            arrays = {k: z[k] for k in z.files}
        return cls(
            cfg=F.FeatureConfig(**meta["features"]),
            categories=list(meta["categories"]),
            rows=arrays["rows"].astype(np.int64),
            weights=arrays["weights"],
            bias=arrays["bias"],
            idf=arrays["idf"],
            idf_unseen=float(meta["idf_unseen"]),
            temperature=float(meta["temperature"]),
            calib_x=arrays["calib_x"],
            calib_y=arrays["calib_y"],
            threshold=float(meta["threshold"]),
            min_known=float(meta.get("min_known", 0.34)),
            calib_on=str(meta.get("calib_on", "probability")),
            info=meta.get("info", {}),
        )


_lock = threading.Lock()
_loaded: dict[str, ShippedModel] = {}
_SHIPPED_KEY = str(MODEL_DIR.resolve())


def get_model(model_dir: Path | str | None = None) -> ShippedModel:
    """The model in `model_dir` (default: the shipped one), loaded once per process."""
    # The shipped model's key is worked out once: resolving a path is a system call, and every
    # prediction asks for the model.
    key = _SHIPPED_KEY if model_dir is None else str(Path(model_dir).resolve())
    model = _loaded.get(key)
    if model is None:
        with _lock:
            model = _loaded.get(key)
            if model is None:
                model = _loaded[key] = ShippedModel.load(key)
    return model


def forget_models() -> None:
    """Drop loaded models (after training a new one in the same process)."""
    with _lock:
        _loaded.clear()
