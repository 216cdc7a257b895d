"""Light prediction from the shipped model: numpy only, never scikit-learn (safe in the web process)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import features as F
from .keywords import untrained
from .model import ShippedModel, get_model
from .subcategory import subcategory_for


@dataclass(frozen=True)
class Prediction:
    """A top-level SP4N-LAPOR! category, the calibrated chance it is right, and whether to triage.

    With `cue`, the text named a category the model was never trained on (`keywords.UNTRAINED`):
    that category is a suggestion for the operators, the confidence is 0 (the model has no estimate
    for it) and the ticket goes to triage.
    """

    category: str
    confidence: float
    abstain: bool
    subcategory: str | None = None
    cue: str | None = None


def predict(texts: list[str], model_dir: Path | str | None = None) -> list[Prediction]:
    """Classify complaint texts; `abstain` means the ticket goes to the operators' triage queue."""
    return predict_with(get_model(model_dir), texts)


def predict_with(model: ShippedModel, texts: list[str]) -> list[Prediction]:
    """`predict` with a given model object (evaluation uses it on a model not yet saved)."""
    normalize = F.normalizer()
    out: list[Prediction] = []
    for text in texts:
        norm = normalize(text)
        named = untrained(F.tokens(norm, False), model.categories)
        if named is not None:
            category, cue = named
            out.append(Prediction(category, 0.0, True, subcategory_for(category, norm), cue))
            continue
        scores, known_share = model.scores(text, normalize)
        probs = model.probabilities(scores)
        best = int(np.argmax(probs))
        confidence = float(np.clip(model.confidence_of(scores, probs), 0.0, 1.0))
        if known_share < model.min_known:
            # Mostly words never seen in training (gibberish, another language): not ours to guess.
            confidence = min(confidence, known_share)
        category = model.categories[best]
        abstain = confidence < model.threshold
        out.append(
            Prediction(category, round(confidence, 4), abstain, subcategory_for(category, norm))
        )
    return out


def predict_one(text: str, model_dir: Path | str | None = None) -> Prediction:
    """`predict` for a single text."""
    return predict([text], model_dir)[0]
