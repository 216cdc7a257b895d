"""How the whole analysis treats SMS from anywhere: category, forwarding, and who receives it.

Run: python -m benchmarks.sms_bench [--region 33.22 | --region none] [--show-failures]

Reads benchmarks/data/written_sms.tsv: SMS the project wrote in the style of texts to 1708, each
with the category an operator would file it under and the agencies that would be right to receive
it. Every SMS goes through `analysis.analyse`, as the worker runs it, with the region hint given
(the file's agencies are written for Kabupaten Semarang, or for the place an SMS names). Surabaya's labelled file measures the
model; this measures what the service does with SMS unlike that file: other regions, other
categories, national bodies, Javanese and Sundanese words.

Reported per round of writing (each round was run before anything was changed for it; the failures
of rounds "a", "c", "f", "i", "k" and "o" then chose cues and rules, rounds "b", "d", "e", "g",
"h", "j", "l", "m", "n" and "p" were written to check them, "q" to look at the level of government
and "r" at long SMS of two or three parts):
- right category: the category the analysis gives is the operator's;
- forwarded: sent to an agency without an operator, and of those, to a right one;
- forwarded wrong: an agency not in the list, or any agency where the list starts with "!" (an
  accusation against an official must not reach an office before an operator has read it);
- suggestions: of the SMS left for an operator, how many come with a right agency suggested;
- asked where: left because only the place is missing, so the worker asks the citizen by SMS
  (`--region none` runs without the hint, as an SMS from a number of no regional channel).
"""

from __future__ import annotations

import argparse
import csv
from dataclasses import dataclass
from pathlib import Path

from sms_gateway.analysis import analyse

DATA = Path(__file__).with_name("data") / "written_sms.tsv"


@dataclass(frozen=True)
class Case:
    round: str
    category: str
    agencies: frozenset[str]  # right to receive it (forwarded, or suggested to the operator)
    operator_only: bool  # no agency may receive it before an operator has read it ("!")
    text: str


@dataclass(frozen=True)
class Outcome:
    case: Case
    category: str | None
    agency: str | None  # forwarded to, or None when left for an operator
    suggested: str | None
    confidence: float
    asked: bool  # left only for want of a place: the citizen is asked where

    @property
    def category_right(self) -> bool:
        return self.category == self.case.category

    @property
    def forwarded_right(self) -> bool:
        return self.agency is not None and not self.forwarded_wrong

    @property
    def forwarded_wrong(self) -> bool:
        return self.agency is not None and (
            self.case.operator_only or self.agency not in self.case.agencies
        )


def load(path: Path = DATA) -> list[Case]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    cases = []
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        agencies = row["agencies"]
        operator_only = agencies.startswith("!")
        cases.append(
            Case(
                row["round"],
                row["category"],
                frozenset(agencies.lstrip("!").split("|")),
                operator_only,
                row["text"],
            )
        )
    return cases


def run(cases: list[Case], region: str | None) -> list[Outcome]:
    out = []
    for case in cases:
        a = analyse(case.text, region)
        forwarded = a.agency_code if not a.needs_triage else None
        suggested = a.routing.get("suggested_agency") if forwarded is None else None
        asked = forwarded is None and a.needs_place
        out.append(Outcome(case, a.category, forwarded, suggested, a.confidence, asked))
    return out


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.0f}%)" if d else "0/0"


def report(outcomes: list[Outcome], show_failures: bool) -> None:
    groups = {"all": outcomes}
    for r in sorted({o.case.round for o in outcomes}):
        groups[f"round {r}"] = [o for o in outcomes if o.case.round == r]
    print(f"{'':10} {'right category':>16} {'forwarded':>12} {'to a right agency':>18} "
          f"{'forwarded wrong':>16} {'left, right suggestion':>23} {'asked where':>12}")  # fmt: skip
    for name, group in groups.items():
        forwarded = [o for o in group if o.agency is not None]
        left = [o for o in group if o.agency is None]
        print(
            f"{name:10} {_pct(sum(o.category_right for o in group), len(group)):>16} "
            f"{_pct(len(forwarded), len(group)):>12} "
            f"{_pct(sum(o.forwarded_right for o in forwarded), len(forwarded)):>18} "
            f"{sum(o.forwarded_wrong for o in group):>16} "
            f"{_pct(sum(o.suggested in o.case.agencies for o in left), len(left)):>23} "
            f"{sum(o.asked for o in group):>12}"
        )
    if show_failures:
        print("\nwrong category or forwarded wrong:")
        for o in outcomes:
            if not o.category_right or o.forwarded_wrong:
                where = f"→ {o.agency}" if o.agency else "(left for an operator)"
                print(f"  [{o.case.round}] {o.category} {o.confidence:.2f} {where}: {o.case.text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--region", default="33.22", help="region hint (default: 33.22; none: no hint)"
    )
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args()
    region = None if args.region.lower() in ("", "none") else args.region
    report(run(load(), region), args.show_failures)


if __name__ == "__main__":
    main()
