"""SMS commands: STATUS/CEK, INFO, BATAL, NILAI, BANTUAN, STOP, MULAI, BAHASA (and English aliases).

The rule that tells a command from a complaint: a message is a command only when its FIRST word is
a command keyword (exactly, in any case, or one edit away for keywords of four letters or more) AND
everything after that word has the shape of that command's arguments:

- STATUS/CEK, BATAL: nothing, or one number (digits with spaces, dashes, dots or slashes, optionally
  after "no", "no.", "nomor", "#", "laporan", "tiket"), then at most courtesy words ("dong", "pak",
  "terima kasih").
- INFO: a number of at least six digits, then free text (the detail to add). Bare "INFO" asks how.
- NILAI: a number (six digits or more), a score 1-5 and an optional comment; or only a bare
  score ("NILAI 5"); or nothing.
- BANTUAN, MULAI: nothing but courtesy words; STOP/BERHENTI may add "sms", "pesan", "notifikasi".
- BAHASA: nothing, or one language name (EN, ID, inggris, indonesia, english...).

Anything else is a complaint that happens to start with a command word: "cek jalan di depan rumah
rusak parah", "stop pungli di kantor desa", "info dong jalan rusak", "nilai rapor anak saya
dipotong". A keyword not at the start ("statusnya belum jelas") is never a command.

For a number the result says whether it is a valid tracking number, number-shaped but wrong (the
reply says "nomor salah"), or missing.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import ClassVar, Literal

from sms_gateway import tracking
from sms_gateway.understand._util import clean, fuzzy_lookup

NumberState = Literal["valid", "invalid", "missing"]


@dataclass(frozen=True)
class TicketNumber:
    """A tracking number as the citizen typed it; ``digits`` is set only when it is valid."""

    typed: str = ""
    digits: str | None = None

    @property
    def state(self) -> NumberState:
        """Whether the number is valid, invalid (number-shaped but wrong) or missing."""
        if self.digits:
            return "valid"
        return "invalid" if self.typed else "missing"


@dataclass(frozen=True)
class Command:
    """Base of all commands; ``keyword`` is the canonical Indonesian keyword."""

    keyword: ClassVar[str] = ""


@dataclass(frozen=True)
class Status(Command):
    """STATUS/CEK <no>: where is my report."""

    keyword: ClassVar[str] = "STATUS"
    number: TicketNumber = TicketNumber()


@dataclass(frozen=True)
class Info(Command):
    """INFO <no> <text>: add detail to a report."""

    keyword: ClassVar[str] = "INFO"
    number: TicketNumber = TicketNumber()
    text: str = ""


@dataclass(frozen=True)
class Cancel(Command):
    """BATAL <no>: withdraw a report."""

    keyword: ClassVar[str] = "BATAL"
    number: TicketNumber = TicketNumber()


@dataclass(frozen=True)
class Rate(Command):
    """NILAI <no> <1-5> [comment]: rate the handling of a resolved report."""

    keyword: ClassVar[str] = "NILAI"
    number: TicketNumber = TicketNumber()
    score: int | None = None
    comment: str = ""


@dataclass(frozen=True)
class Help(Command):
    """BANTUAN/HELP: list the commands."""

    keyword: ClassVar[str] = "BANTUAN"


@dataclass(frozen=True)
class Stop(Command):
    """STOP/BERHENTI: no more status SMS."""

    keyword: ClassVar[str] = "STOP"


@dataclass(frozen=True)
class Start(Command):
    """MULAI/START: status SMS again."""

    keyword: ClassVar[str] = "MULAI"


@dataclass(frozen=True)
class SetLanguage(Command):
    """BAHASA EN|ID: language of replies; ``language`` None when not given."""

    keyword: ClassVar[str] = "BAHASA"
    language: Literal["id", "en"] | None = None


_KEYWORDS = {
    "status": "STATUS", "cek": "STATUS", "check": "STATUS", "lacak": "STATUS", "track": "STATUS",
    "info": "INFO", "batal": "BATAL", "batalkan": "BATAL", "cancel": "BATAL", "nilai": "NILAI",
    "rate": "NILAI", "rating": "NILAI", "bantuan": "BANTUAN", "help": "BANTUAN", "menu": "BANTUAN",
    "stop": "STOP", "berhenti": "STOP", "unsubscribe": "STOP", "unreg": "STOP", "mulai": "MULAI",
    "start": "MULAI", "bahasa": "BAHASA", "language": "BAHASA", "lang": "BAHASA",
}  # fmt: skip
_LANGUAGES = {
    "en": "en", "eng": "en", "english": "en", "inggris": "en", "inggeris": "en", "ing": "en",
    "id": "id", "ind": "id", "indo": "id", "indonesia": "id", "indonesian": "id",
    "bahasa": "id", "melayu": "id",
}  # fmt: skip
_HEAD = re.compile(r"[\s#*!/.]*([^\W\d_]+)[.:,!]?(.*)", re.S)
_FILLERS = re.compile(
    r"(?:(?:no|nomor|nomer|nmr|nmor|number|laporan|lapor|lap|tiket|ticket|report|of|my|saya|sy"
    r"|status|aduan|pengaduan)\b[.:]?\s*|[#:]\s*)*",
    re.I,
)
_COURTESY = re.compile(
    r"(?:[\s.,!?:;)(-]|\b(?:dong|donk|ya|yah|yaa|min|admin|pak|bu|kak|gan|mas|mbak|please|pls|"
    r"plz|tks|thx|thanks|thank you|makasih|mksh|terima kasih|trims|tq|ok|oke|sms|pesan|"
    r"notifikasi|notif|semua|all|dulu|saja|aja|langganan)\b)*",
    re.I,
)
_NUMBER_CHUNK = re.compile(r"#?[.\-/]*(\d(?:[\d.\-/]*\d)?)[.,:;!?\-/]*")
_SCORE = re.compile(r"(?:bintang\s*)?([1-9]\d*|satu|dua|tiga|empat|lima)(?:\s*/\s*5)?\b", re.I)
_SCORE_WORDS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5}
_STOP_WORDS = re.compile(r"\b(?:sms|pesan|notifikasi|notif|langganan)\b", re.I)


@functools.lru_cache(maxsize=4096)  # an SMS's first word is most often a common one
def _keyword(word: str) -> str | None:
    word = word.lower()
    if len(word) < 4:
        return _KEYWORDS.get(word)
    return fuzzy_lookup(word, _KEYWORDS)


def _is_courtesy(rest: str, allow_stop_words: bool = False) -> bool:
    """True when ``rest`` holds nothing but punctuation and courtesy words."""
    if not allow_stop_words and _STOP_WORDS.search(rest):
        return False
    return _COURTESY.fullmatch(rest) is not None


def _take_number(rest: str) -> tuple[TicketNumber, str, int]:
    """The leading number of ``rest`` (chunks up to ten digits), what follows, and its digit count."""
    typed: list[str] = []
    count, pos = 0, 0
    for m in re.finditer(r"\S+", rest):
        chunk = _NUMBER_CHUNK.fullmatch(m.group())
        if not chunk:
            break
        digits = sum(ch.isdigit() for ch in chunk.group(1))
        if typed and count + digits > tracking.LENGTH + 1:
            break
        typed.append(chunk.group(1))
        count, pos = count + digits, m.end()
        if count >= tracking.LENGTH:
            break
    text = " ".join(typed)
    return TicketNumber(text, tracking.normalise(text)), rest[pos:], count


def _score(rest: str) -> tuple[int | None, str, bool]:
    """A leading score 1-5 (None when absent or out of range), the comment, and whether one was typed."""
    m = _SCORE.match(rest.strip())
    if not m:
        return None, rest.strip(), False
    raw = m.group(1).lower()
    value = _SCORE_WORDS.get(raw) or (int(raw) if raw.isdigit() and len(raw) < 3 else 0)
    return (value if 1 <= value <= 5 else None), rest.strip()[m.end() :].strip(" .,:-"), True


def parse_command(text: str) -> Command | None:
    """The command ``text`` is, or None when it is a complaint (see the module docstring)."""
    text = unicodedata.normalize("NFKC", clean(text))[:500]
    head = _HEAD.match(text)
    if not head:
        return None
    keyword = _keyword(head.group(1))
    if keyword is None:
        return None
    rest = head.group(2)
    if keyword in ("BANTUAN", "MULAI", "STOP"):
        if not _is_courtesy(rest, allow_stop_words=keyword == "STOP"):
            return None
        return {"BANTUAN": Help, "MULAI": Start, "STOP": Stop}[keyword]()
    if keyword == "BAHASA":
        return _language(rest)
    rest = rest.lstrip()
    rest = rest[_FILLERS.match(rest).end() :]
    number, after, digits = _take_number(rest)
    if keyword in ("STATUS", "BATAL"):
        if not _is_courtesy(after):
            return None
        return Status(number) if keyword == "STATUS" else Cancel(number)
    if keyword == "INFO":
        if digits == 0 and _is_courtesy(rest):
            return Info()
        return Info(number, after.strip()) if digits >= 6 else None
    return _rate(number, after, digits, rest)


def _language(rest: str) -> SetLanguage | None:
    words = re.findall(r"[^\W\d_]+", rest.lower())
    if not words:
        return SetLanguage() if _is_courtesy(rest) else None
    code = _LANGUAGES.get(words[0]) or fuzzy_lookup(words[0], _LANGUAGES, min_len=5)
    if code is None or not _is_courtesy(rest.lower().split(words[0], 1)[1]):
        return None
    return SetLanguage(code)  # type: ignore[arg-type]


def _rate(number: TicketNumber, after: str, digits: int, rest: str) -> Rate | None:
    if digits == 0:
        if _is_courtesy(rest):
            return Rate()
        score, comment, typed = _score(rest)
        return Rate(score=score) if typed and not comment else None
    if digits < 6:
        # "NILAI 5": a bare score without the number. "nilai 2 anak saya turun" is a complaint.
        score, comment, _ = _score(rest)
        return Rate(score=score) if digits == 1 and _is_courtesy(comment) else None
    score, comment, typed = _score(after)
    if not typed and number.state == "invalid":
        # "NILAI 482719305 5": the score was read as the number's last digit.
        head, _, last = number.typed.rpartition(" ")
        if head and len(last) == 1 and last in "12345":
            number = TicketNumber(head, tracking.normalise(head))
            score = int(last)
    return Rate(number, score, comment)
