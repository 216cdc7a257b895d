"""The shipped routing rules: coverage of categories and targets that resolve."""

import io
import json
from pathlib import Path

import pytest

from sms_gateway.directory import (
    CsvImportError,
    agencies,
    check_rules,
    export_rules_csv,
    load_rules,
    route,
)

CATEGORIES = Path(__file__).resolve().parents[2] / "sms_gateway" / "data" / "lapor-categories.json"
SAMPLE_REGIONS = ["35.78", "33.02", "11.71", "31.71", "31.01", "94.01", "65.04", "35.78.05", "35"]


@pytest.fixture(scope="module")
def categories() -> dict[str, list[str]]:
    return json.loads(CATEGORIES.read_text(encoding="utf-8"))


def test_every_category_has_a_rule_and_every_rule_names_a_known_category(categories):
    problems = check_rules(load_rules(), (a.code for a in agencies()), categories)
    assert problems == []


def test_every_subcategory_named_in_a_rule_exists(categories):
    for rule in load_rules():
        for sub in rule.subcategories:
            assert sub in categories[rule.category], (rule.id, sub)


def test_every_rule_resolves_to_an_agency_or_triage_in_sample_regions():
    known = {a.code for a in agencies()}
    for rule in load_rules():
        sub = rule.subcategories[0] if rule.subcategories else None
        text = rule.keywords[0] if rule.keywords else ""
        for region in SAMPLE_REGIONS:
            d = route(rule.category, region, text, subcategory=sub, rules=[rule])
            assert d.agency_code in known or d.needs_triage, (rule.id, region, d)
            if rule.target != "triage" and not (rule.level == "kabupaten_kota" and region == "35"):
                assert not d.needs_triage, (rule.id, region, d.explanation)


def test_rule_file_survives_a_round_trip():
    buf = io.StringIO()
    export_rules_csv(load_rules(), buf)
    buf.seek(0)
    assert load_rules(buf) == load_rules()


def test_bad_rule_rows_are_reported_with_line_numbers():
    text = (
        "id,category,subcategory,keywords,level,target,priority,note\n"
        "R1,KESEHATAN,,,kabupaten_kota,fn:obat,90,\n"
        "R2,KESEHATAN,,,kabupaten_kota,PLN,x,\n"
        "R1,KESEHATAN,,,nasional,gov,90,\n"
    )
    with pytest.raises(CsvImportError) as err:
        load_rules(io.StringIO(text))
    problems = "\n".join(err.value.problems)
    assert "line 2: target 'fn:obat' names an unknown function" in problems
    assert "line 3: target 'PLN' is a national agency; level must be nasional" in problems
    assert "line 3: priority 'x'" in problems
    assert "line 4: target 'gov' is regional" in problems
    assert "line 4: id 'R1' already used on line 2" in problems
