"""Reading a complaint: personal data, place, category, and the agency that must act.

Pure with respect to the database: ``analyse`` takes text and plain values and returns what it
found; ``processing`` writes it on the ticket. ``classifier predict`` uses the same function, so
the command line and the pipeline can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import directory, places
from .classifier.predict import predict
from .understand import mask_pii

# Below this confidence (or when the classifier abstains) a ticket waits for an operator.
# The classifier's own calibrated threshold (abstain) is the first gate; this floor is a second.
MIN_CONFIDENCE = 0.5
# Sub-categories that accuse an official (extortion, bribery): never forwarded by the machine, so an
# accusation does not reach the office it accuses before an operator has read it.
INTEGRITY = frozenset({"PUNGUTAN LIAR", "KORUPSI, KOLUSI, DAN NEPOTISME"})


@dataclass(frozen=True)
class Analysis:
    """What the machine understood of one complaint, and why."""

    category: str | None
    subcategory: str | None
    confidence: float
    abstain: bool
    region: places.Region | None
    agency_code: str | None
    needs_triage: bool
    reason: str  # a sentence an operator reads: the routing explanation or why triage
    masked_text: str
    pii_kinds: list[str] = field(default_factory=list)
    routing: dict = field(default_factory=dict)
    # Confident, but its rule needs a place the text does not give: the citizen can be asked.
    needs_place: bool = False


def _hint_region(text: str, hint: str | None) -> str | None:
    """The region hint: given by the channel, or a leading region word ("SURABAYA jalan…")."""
    if hint:
        region = places.get(hint)
        return region.code if region else None
    first = text.strip().split(maxsplit=1)
    region = places.region_keyword(first[0].strip(".,:;-")) if first else None
    return region.code if region else None


def analyse(
    text: str,
    region_hint: str | None = None,
    *,
    rules: directory.RuleSet | None = None,
    exclude: frozenset[str] = frozenset(),
) -> Analysis:
    """Classify, locate and route one complaint text."""
    masked = mask_pii(text)
    prediction = predict([text])[0]
    hint = _hint_region(text, region_hint)
    location = places.locate(text, hint=hint)
    region = location.region
    if region is None and hint:
        region = places.get(hint)
    routing: dict = {
        "classifier": {
            "category": prediction.category,
            "confidence": round(prediction.confidence, 4),
            "abstain": prediction.abstain,
        },
        "region": region.as_dict() if region else None,
        "region_evidence": [m.words for m in location.evidence][:5],
    }
    pii_kinds = sorted({finding.kind for finding in masked.findings})

    def route() -> directory.RouteDecision:
        return directory.route(
            prediction.category,
            region.code if region else None,
            text,  # the router reads it through the normaliser itself
            subcategory=prediction.subcategory,
            exclude=exclude,
            rules=rules,
        )

    if prediction.abstain or prediction.confidence < MIN_CONFIDENCE:
        reason = (
            f"Klasifikasi ragu ({prediction.category}, keyakinan {prediction.confidence:.2f}): "
            "perlu diperiksa operator."
        )
        if prediction.cue is not None:
            # A category the model never learnt: suggested with the agency its rules would pick.
            routing["classifier"]["cue"] = prediction.cue
            reason = (
                f'Menyebut "{prediction.cue}": kategori {prediction.category} belum dipelajari '
                "model, perlu dipilih operator."
            )
            if prediction.subcategory in INTEGRITY:
                reason = (
                    f'Dugaan pungli atau suap ("{prediction.cue}"): tidak diteruskan otomatis '
                    "ke instansi yang dilaporkan, perlu dipilih operator."
                )
        if prediction.cue is not None or prediction.confidence >= MIN_CONFIDENCE:
            # The operator's default choice: the agency the rules pick for the likely category
            # (nothing is forwarded on it; below MIN_CONFIDENCE the guess is not worth offering).
            suggestion = route()
            if suggestion.agency_code or suggestion.suggested_code:
                routing["suggested_agency"] = suggestion.agency_code or suggestion.suggested_code
        return Analysis(
            category=prediction.category,
            subcategory=prediction.subcategory,
            confidence=prediction.confidence,
            abstain=True,
            region=region,
            agency_code=None,
            needs_triage=True,
            reason=reason,
            masked_text=masked.text,
            pii_kinds=pii_kinds,
            routing=routing,
        )
    decision = route()
    routing["rule"] = decision.rule_id
    routing["level"] = decision.level
    routing["explanation"] = decision.explanation
    if decision.suggested_code:
        routing["suggested_agency"] = decision.suggested_code
    return Analysis(
        category=prediction.category,
        subcategory=prediction.subcategory,
        confidence=prediction.confidence,
        abstain=False,
        region=region,
        agency_code=decision.agency_code,
        needs_triage=decision.needs_triage,
        reason=decision.explanation,
        masked_text=masked.text,
        pii_kinds=pii_kinds,
        routing=routing,
        needs_place=decision.needs_place,
    )
