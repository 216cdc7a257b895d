"""analysis.analyse: what an operator is offered when the machine does not forward a complaint."""

from __future__ import annotations

from sms_gateway.analysis import MIN_CONFIDENCE, analyse


def test_a_doubtful_complaint_waits_with_the_agency_of_its_likely_category_suggested():
    # "krl" is rare in the training city: the model leans to transport without being sure.
    a = analyse("krl jurusan bogor telat terus tiap pagi", "33.22")
    assert a.needs_triage and a.agency_code is None  # nothing is forwarded on a suggestion
    assert a.category == "PERHUBUNGAN" and a.confidence >= MIN_CONFIDENCE
    assert a.routing["suggested_agency"] == "KAI"


def test_gibberish_gets_no_suggestion():
    a = analyse("zxqv blorp nnnggg wkwkwk qwerty", "33.22")
    assert a.needs_triage and a.confidence < MIN_CONFIDENCE
    assert "suggested_agency" not in a.routing


def test_an_accusation_against_an_official_suggests_the_inspectorate_and_says_why():
    a = analyse("oknum pegawai kecamatan minta uang pelicin utk tanda tangan", "33.22")
    assert a.needs_triage and a.agency_code is None
    assert (a.category, a.subcategory) == ("POLITIK DAN HUKUM", "PUNGUTAN LIAR")
    assert a.reason.startswith("Dugaan pungli atau suap")
    assert a.routing["suggested_agency"] == "33.22-INSPEKTORAT"


def test_the_written_sms_benchmark_names_real_categories_and_agencies():
    # benchmarks/sms_bench.py scores against this file: a misspelt label would count as a miss.
    from benchmarks.sms_bench import load
    from sms_gateway.classifier.subcategory import tree
    from sms_gateway.directory import agencies

    cases = load()
    codes = {a.code for a in agencies()}
    assert len(cases) >= 180 and {c.round for c in cases} == set("abcde")
    assert len({c.text for c in cases}) == len(cases)
    for case in cases:
        assert case.category in tree(), case.text
        assert case.agencies and case.agencies <= codes, case.text
