"""The hand-written keyword layer: real category names, prefix and phrase matching, fast."""

from __future__ import annotations

import json

import numpy as np

from sms_gateway.classifier import features as F
from sms_gateway.classifier.keywords import (
    KEYWORDS,
    SERVICES,
    UNTRAINED,
    cue_lists,
    matches,
    untrained,
)
from sms_gateway.classifier.model import ShippedModel
from sms_gateway.classifier.subcategory import RULES, tree
from sms_gateway.classifier.train import prior_examples

GENDER = "KESETARAAN GENDER DAN SOSIAL INKLUSIF"


def test_keyword_categories_are_top_level_names_spelled_as_the_tree():
    assert set(KEYWORDS) <= set(tree())
    assert set(SERVICES) <= set(KEYWORDS)
    for _, cues in cue_lists().values():
        assert len(cues) == len(set(cues))
        assert all(c == c.lower().strip() and c for c in cues)


def test_a_service_has_a_pseudo_token_of_its_own_beside_its_category():
    energy = "ENERGI DAN SUMBER DAYA ALAM"
    found = dict(matches(["listriknya", "padam", "sejak", "pagi", "kata", "petugas", "pln"]))
    assert found[f"{energy}/listrik"] == 3  # listrik padam, petugas pln, pln
    assert found[energy] >= 1  # "listrik" and "pln" are cues of the category too
    # A street light's "padam" names no service.
    assert not any("/" in name for name, _ in matches(["lampu", "pju", "padam"]))


def test_every_cue_is_written_as_the_normaliser_leaves_it():
    # Cues are matched against normalised text: "sembako" could never match, since the
    # normaliser writes it "sembilan bahan pokok" (and "tk" becomes "tidak").
    normalize = F.normalizer()
    lists = [cues for _, cues in cue_lists().values()] + list(UNTRAINED.values())
    lists += [cues for rules in RULES.values() for _, cues in rules]  # sub-categories
    for cue in (c for cues in lists for c in cues):
        written = cue.replace(" # ", " 150 ").replace(" ~ ", " ")  # a number; a gap
        assert normalize(written).lower() == written, cue


def test_a_hash_in_a_cue_stands_for_a_number():
    politics = "POLITIK DAN HUKUM"

    def words(text: str) -> list[str]:
        return text.split(" ")

    fee = words("bikin akta dimintai 150 ribu sama petugasnya")
    assert untrained(fee, known=set()) == (politics, "dimintai # ribu")
    assert untrained(words("sy dimintai ktp asli"), known=set()) is None
    assert untrained(words("dimintai 2 kali datang"), known=set()) is None


def test_untrained_categories_are_named_only_outside_the_models_categories():
    mbg = "PROGRAM MAKAN BERGIZI GRATIS (MBG)"
    words = ["menu", "mbg", "di", "sd", "basi", "katanya", "dari", "sppg"]
    assert untrained(words, known={"PENDIDIKAN DAN KEBUDAYAAN"}) == (mbg, "sppg")
    assert untrained(words, known={mbg}) is None  # a model trained on it decides itself
    assert set(UNTRAINED) <= set(tree()) and not set(UNTRAINED) & set(KEYWORDS)
    # What Surabaya's complaints mean by these words is left alone.
    for text in ("banjir di sawahan", "antre lama di rs haji", "legalisir buku nikah di kua"):
        assert untrained(text.split(), known=set()) is None


def test_single_words_match_as_prefixes_and_phrases_in_order():
    found = dict(matches(["kami", "mau", "ikut", "kelas", "catin", "di", "balai", "rw"]))
    assert found[GENDER] >= 2  # "catin" and "kelas catin"
    assert dict(matches(["sampahnya", "menumpuk"])) == {"LINGKUNGAN HIDUP DAN KEHUTANAN": 1}
    # A phrase needs its words next to each other and in order.
    assert "PERHUBUNGAN" not in dict(matches(["jalan", "ke", "rumah", "lampu"]))
    # Short cues (under four letters) match whole words only.
    assert "KEPENDUDUKAN" not in dict(matches(["kkn", "mahasiswa"]))
    assert matches([]) == []


def test_a_long_text_matches_what_its_sentence_matches():
    """Repeating a sentence finds nothing new (the time per text is measured by
    benchmarks/classifier_bench.py, not here)."""
    sentence = "warga mengeluh sampah dan saluran air mampet dekat sekolah dasar"
    once = dict(matches(sentence.split()))
    assert once  # the sentence has cues
    assert set(dict(matches(((sentence + " ") * 30).split()))) == set(once)


def test_keyword_features_only_when_enabled_and_only_in_the_word_block():
    text = "anak saya ikut kelas catin di puspaga"
    plain = F.hashed_counts(text, F.FeatureConfig(), F._placeholder_normalize)[0]
    with_kw = F.hashed_counts(text, F.FeatureConfig(keywords=True), F._placeholder_normalize)[0]
    added = np.setdiff1d(with_kw, plain)
    assert added.size >= 1 and np.all(added < F.FeatureConfig().n_word)
    none = "zzz qqq"
    assert np.array_equal(
        F.hashed_counts(none, F.FeatureConfig(), F._placeholder_normalize)[0],
        F.hashed_counts(none, F.FeatureConfig(keywords=True), F._placeholder_normalize)[0],
    )


def test_keyword_cues_with_digits_survive_digit_masking():
    cfg = F.FeatureConfig(keywords=True)
    a = F.hashed_counts("lapor ke dp3appkb", cfg, F._placeholder_normalize)[0]
    b = F.hashed_counts("lapor ke dp9appkb", cfg, F._placeholder_normalize)[0]
    assert a.size > b.size  # same word features, plus the keyword pseudo-token


def test_prior_examples_cover_only_the_given_categories():
    pri = prior_examples(["PERHUBUNGAN", GENDER])
    assert {c for _, c in pri} == {"PERHUBUNGAN", GENDER}
    texts = {t for t, _ in pri}
    assert "catin" in texts and "pelecehan seksual" in texts  # a cue and a sub-category name
    assert prior_examples([]) == []
    energy = dict(prior_examples(["ENERGI DAN SUMBER DAYA ALAM"]))
    assert energy["pemadaman bergilir"] == "ENERGI DAN SUMBER DAYA ALAM"  # a service's cue


def test_models_saved_before_the_keyword_layer_still_load(synthetic_model, tmp_path):
    out, _ = synthetic_model
    meta = json.loads((out / "model.json").read_text())
    meta["features"].pop("keywords")
    meta.pop("calib_on")
    for name in ("model.npz",):
        (tmp_path / name).write_bytes((out / name).read_bytes())
    (tmp_path / "model.json").write_text(json.dumps(meta))
    old = ShippedModel.load(tmp_path)
    assert old.cfg.keywords is False and old.calib_on == "probability"
    scores = np.array([2.0, 0.5, -1.0])
    conf = old.confidence_of(scores, old.probabilities(scores))
    assert 0.0 <= conf <= 1.0


def test_a_tilde_in_a_cue_stands_for_up_to_three_words():
    power = "ENERGI DAN SUMBER DAYA ALAM/listrik"

    def services(text: str) -> set[str]:
        return {name for name, _ in matches(text.split(" ")) if "/" in name}

    assert services("listrik di kota kami padam") == {power}
    assert services("listrik padam dari pagi") == {power}
    assert services("listrik di rumah ini sudah sering padam") == set()  # four words apart
    assert services("lampu jalan di gang padam") == set()


def test_a_service_named_more_often_than_an_untrained_category_leaves_it_to_the_model():
    def words(text: str) -> list[str]:
        return text.split(" ")

    farm = "PERTANIAN DAN PETERNAKAN"
    # Two fuel cues against one farming cue; farming alone still names its category.
    assert untrained(words("spbu nolak isi pertalite buat petani"), known=set()) is None
    assert untrained(words("pupuk subsidi langka buat petani"), known=set())[0] == farm
    # An accusation stands however many services the text names; a passport does not.
    bribe = words("petugas spbu pertalite minta uang rokok")
    assert untrained(bribe, known=set()) == ("POLITIK DAN HUKUM", "uang rokok")
    abroad = words("kerja di hong kong paspornya ditahan majikan")
    assert untrained(abroad, known=set()) is None
    assert untrained(words("paspor hilang di bandara"), known=set()) == (
        "POLITIK DAN HUKUM",
        "paspor",
    )
