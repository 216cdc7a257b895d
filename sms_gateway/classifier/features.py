"""Hashed word and character n-gram features, numpy only (shared by training and prediction).

The shipped model holds numbers only (data rule 1): every n-gram is turned into a bucket number by
a stable hash (crc32 for words, a 64-bit polynomial hash with a murmur finaliser for characters),
so no vocabulary is ever stored. The same code runs at training and prediction time.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np

SMS_CHARS = 160  # one GSM-7 SMS
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d+")
_U64 = np.uint64
_MASK32 = _U64(0xFFFFFFFF)
_PRIME = _U64(0x100000001B3)
_FMIX1 = _U64(0xFF51AFD7ED558CCD)
_FMIX2 = _U64(0xC4CEB9FE1A85EC53)
_BIGRAM_SEED = _U64(0x9E3779B97F4A7C15)
_KEYWORD_SEED = _U64(0x6A09E667F3BCC908)


@dataclass(frozen=True)
class FeatureConfig:
    """How texts become hashed features; stored with the model so predict matches train."""

    word_bits: int = 18
    char_bits: int = 19
    char_min: int = 2
    char_max: int = 5
    word_bigrams: bool = True
    mask_digits: bool = True
    keywords: bool = False  # one pseudo-token per category whose cues occur (keywords.py)
    # 0: the pseudo-tokens are words among the others. Above 0: a block of their own
    # (2^keyword_bits buckets), L2-normalised alone and scaled by this, so a cue counts as much
    # in a long complaint as in a short SMS.
    keyword_block: float = 0.0
    keyword_bits: int = 10

    @property
    def n_word(self) -> int:
        return 1 << self.word_bits

    @property
    def n_char(self) -> int:
        return 1 << self.char_bits

    @property
    def n_keyword(self) -> int:
        return (1 << self.keyword_bits) if self.keyword_block > 0 else 0

    @property
    def n_features(self) -> int:
        return self.n_word + self.n_char + self.n_keyword


def _placeholder_normalize(text: str) -> str:
    return " ".join(text.lower().split())


def normalizer():
    """The understanding step's `normalize`, or lowercase+strip while that module is absent."""
    try:
        from sms_gateway.understand.normalize import normalize
    except ImportError:
        return _placeholder_normalize
    return normalize


def normalizer_name() -> str:
    """Which normaliser is in use (recorded in the model config)."""
    return "placeholder" if normalizer() is _placeholder_normalize else "understand.normalize"


def sms_crop(text: str, limit: int = SMS_CHARS) -> str:
    """The text cut to one SMS (`limit` characters), at the last word boundary before the cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > 0 else cut


def tokens(normalized: str, mask_digits: bool = True) -> list[str]:
    """Word tokens of an already normalised text; digit runs collapse to one shape token."""
    text = normalized.lower()
    if mask_digits:
        text = _DIGITS.sub("0", text)
    return _TOKEN.findall(text)


def _fmix64(h: np.ndarray) -> np.ndarray:
    # Arrays wrap silently on overflow, which is what a hash wants.
    h = h ^ (h >> _U64(33))
    h = h * _FMIX1
    h = h ^ (h >> _U64(33))
    h = h * _FMIX2
    return h ^ (h >> _U64(33))


def word_hashes(toks: list[str], bigrams: bool = True) -> np.ndarray:
    """Stable 64-bit hashes of word unigrams (and bigrams)."""
    if not toks:
        return np.zeros(0, dtype=_U64)
    th = np.fromiter((zlib.crc32(t.encode("utf-8")) for t in toks), dtype=_U64, count=len(toks))
    uni = _fmix64(th)
    if not bigrams or len(toks) < 2:
        return uni
    bi = _fmix64((th[:-1] << _U64(32)) ^ th[1:] ^ _BIGRAM_SEED)
    return np.concatenate([uni, bi])


def char_hashes(toks: list[str], n_min: int = 2, n_max: int = 5) -> np.ndarray:
    """Stable 64-bit hashes of char n-grams inside space-padded words (like sklearn's char_wb)."""
    if not toks:
        return np.zeros(0, dtype=_U64)
    padded = " " + "  ".join(toks) + " "
    codes = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(_U64)
    # Word id of each position: a gram is kept only if it stays inside one padded word.
    lengths = np.fromiter((len(t) + 2 for t in toks), dtype=np.int64, count=len(toks))
    word_id = np.repeat(np.arange(len(toks)), lengths)
    out = []
    size = len(codes)
    for n in range(n_min, n_max + 1):
        if size < n:
            break
        m = size - n + 1
        h = np.full(m, _U64(n), dtype=_U64)
        for k in range(n):
            h = h * _PRIME + codes[k : k + m]
        keep = word_id[:m] == word_id[n - 1 : n - 1 + m]
        out.append(h[keep])
    if not out:
        return np.zeros(0, dtype=_U64)
    return _fmix64(np.concatenate(out))


def keyword_hashes(toks: list[str]) -> np.ndarray:
    """One hash per cue found (repeated per category): the pseudo-token "kw:<CATEGORY>"."""
    from .keywords import matches

    found = matches(toks)
    if not found:
        return np.zeros(0, dtype=_U64)
    th = np.array([zlib.crc32(f"kw:{name}".encode()) for name, _ in found], dtype=_U64)
    return _fmix64(np.repeat(th, [n for _, n in found]) ^ _KEYWORD_SEED)


def hashed_counts(text: str, cfg: FeatureConfig, normalize=None) -> tuple[np.ndarray, np.ndarray]:
    """Feature indices (sorted, unique) and raw counts of one text; words first, then characters."""
    norm = (normalize or normalizer())(text)
    toks = tokens(norm, cfg.mask_digits)
    wh = word_hashes(toks, cfg.word_bigrams)
    kh = np.zeros(0, dtype=_U64)
    if cfg.keywords:
        kh = keyword_hashes(tokens(norm, False) if cfg.mask_digits else toks)
        if cfg.keyword_block <= 0:
            wh, kh = np.concatenate([wh, kh]), np.zeros(0, dtype=_U64)
    w = (wh & _MASK32) % _U64(cfg.n_word)
    c = (char_hashes(toks, cfg.char_min, cfg.char_max) & _MASK32) % _U64(cfg.n_char) + _U64(
        cfg.n_word
    )
    parts = [w, c]
    if kh.size:
        parts.append((kh & _MASK32) % _U64(cfg.n_keyword) + _U64(cfg.n_word + cfg.n_char))
    idx, counts = np.unique(np.concatenate(parts).astype(np.int64), return_counts=True)
    return idx, counts.astype(np.float32)


def weigh(idx: np.ndarray, counts: np.ndarray, idf: np.ndarray, cfg: FeatureConfig) -> np.ndarray:
    """Sublinear tf × idf, L2-normalised separately in each block (words, characters, and the
    cues when they have a block of their own, scaled by `cfg.keyword_block`)."""
    vals = ((1.0 + np.log(counts)) * idf).astype(np.float32)
    is_word = idx < cfg.n_word
    is_char = ~is_word & (idx < cfg.n_word + cfg.n_char)
    blocks = [(is_word, 1.0), (is_char, 1.0)]
    if cfg.n_keyword:
        blocks.append((idx >= cfg.n_word + cfg.n_char, cfg.keyword_block))
    for block, scale in blocks:
        part = vals[block]
        norm = float(np.sqrt(np.dot(part, part)))
        if norm > 0:
            vals[block] = part * np.float32(scale / norm)
    return vals
