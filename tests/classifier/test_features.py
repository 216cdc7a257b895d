"""Hashed features: stable across processes, inside their range, char grams inside words."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from sms_gateway.classifier import features as F

CFG = F.FeatureConfig()
GOLDEN_JALAN = 11033152182305133754
TEXT = "Lampu jalan di gang 3 mati, mohon segera diperbaiki"


def test_hashes_do_not_depend_on_python_hash_seed():
    code = (
        "from sms_gateway.classifier import features as F;"
        f"i,c=F.hashed_counts({TEXT!r}, F.FeatureConfig(), F._placeholder_normalize);"
        "print(list(i[:5]), int(i.sum()), float(c.sum()))"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outs) == 1


def test_word_hash_is_a_fixed_function():
    # crc32("jalan") run through the murmur finaliser: a change here invalidates shipped models.
    h = F.word_hashes(["jalan"], bigrams=False)
    assert int(h[0]) == int(F._fmix64(np.array([18558058], np.uint64))[0])
    assert int(h[0]) == GOLDEN_JALAN
    assert F.word_hashes(["jalan", "rusak"]).size == 3


def test_indices_fall_in_their_blocks():
    idx, counts = F.hashed_counts(TEXT, CFG, F._placeholder_normalize)
    assert idx.min() >= 0 and idx.max() < CFG.n_features
    assert np.all(np.diff(idx) > 0)
    assert (idx < CFG.n_word).any() and (idx >= CFG.n_word).any()
    assert counts.min() >= 1


def test_char_grams_stay_inside_padded_words():
    two_words = F.char_hashes(["ab", "cd"], 2, 2)
    separately = np.concatenate([F.char_hashes(["ab"], 2, 2), F.char_hashes(["cd"], 2, 2)])
    assert sorted(two_words.tolist()) == sorted(separately.tolist())
    assert F.char_hashes(["ab"], 2, 2).size == 3  # " a", "ab", "b "


def test_digits_collapse_so_house_numbers_do_not_become_features():
    a = F.hashed_counts("rumah no 12", CFG, F._placeholder_normalize)[0]
    b = F.hashed_counts("rumah no 47", CFG, F._placeholder_normalize)[0]
    assert np.array_equal(a, b)


def test_empty_text_has_no_features():
    idx, counts = F.hashed_counts("", CFG)
    assert idx.size == 0 and counts.size == 0


def test_weighting_normalises_each_block():
    idx, counts = F.hashed_counts(TEXT, CFG, F._placeholder_normalize)
    vals = F.weigh(idx, counts, np.ones(idx.size, np.float32), CFG)
    words = idx < CFG.n_word
    assert np.isclose(np.linalg.norm(vals[words]), 1.0)
    assert np.isclose(np.linalg.norm(vals[~words]), 1.0)


def test_cues_in_a_block_of_their_own_weigh_the_same_in_a_long_text_as_in_a_short_one():
    cfg = F.FeatureConfig(keywords=True, keyword_block=0.1)
    short = "listrik padam dari pagi"
    long = short + " " + " ".join(f"kata{i}" for i in range(80))  # eighty more words
    cue_values = []
    for text in (short, long):
        idx, counts = F.hashed_counts(text, cfg, F._placeholder_normalize)
        vals = F.weigh(idx, counts, np.ones(idx.size, np.float32), cfg)
        cues = idx >= cfg.n_word + cfg.n_char
        assert cues.any() and idx.max() < cfg.n_features
        cue_values.append(float(np.linalg.norm(vals[cues])))
    assert np.allclose(cue_values, 0.1)
    # Models saved before the block (keyword_block 0) keep their feature space.
    inline = F.FeatureConfig(keywords=True)
    assert inline.n_keyword == 0 and inline.n_features == cfg.n_features - cfg.n_keyword


def test_sms_crop_cuts_long_texts_at_a_word_boundary_within_one_sms():
    from sms_gateway.classifier.features import SMS_CHARS, sms_crop

    long_text = "jalan di depan balai rw kami berlubang " * 10
    cut = sms_crop(long_text)
    assert len(cut) <= SMS_CHARS and long_text.startswith(cut) and not cut.endswith(" ")
    assert long_text[len(cut)] == " "
    assert sms_crop("lampu jalan mati") == "lampu jalan mati"
