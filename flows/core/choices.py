"""Reading short answers: menu digits, words and common typos, yes and no."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

YES_WORDS = frozenset(
    "ya iya iyaa iyah iye y yes yup ok oke okay okey setuju stuju sutuju betul benar bener boleh mau sip siap "
    "yoi baik lanjut".split()
)
NO_WORDS = frozenset(
    "tidak tdk tak gak ga gk nggak ngga enggak engga ndak nda no n nope jangan belum blm bukan salah "
    "ogah".split()
)


def simplify(text: str) -> str:
    """Lower case, letters and digits only, single spaces: the form answers are compared in."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


#: Real words a letter away from a keyword or a menu word: never read as its typo ("berat badan" is
#: not BIDAN, "batuk" is not BANTU, "gatal" is not BATAL, "mulas" is not MULAI).
REAL_WORDS = frozenset(
    "badan bian batuk batu buntu mantu banyu bantal batas gatal bacakan bedanya beratnya berdaya "
    "mulas mual mula multi kejar keras keram tubuh tanda tanah tanpa hanya handak banyak datang datar "
    "daftar awal asin emang kembung kebangun membuang tiang sayang sayat supaya sebaya".split()
)


def similar(word: str, target: str) -> bool:
    """Equal, or a likely typo of ``target`` (for words long enough to tell; never a real other word)."""
    if word == target:
        return True
    if min(len(word), len(target)) < 4 or word in REAL_WORDS:
        return False
    return SequenceMatcher(None, word, target).ratio() >= 0.8


@dataclass(frozen=True)
class Option:
    """A numbered menu option: ``value`` is what the flow receives, ``words`` what a user may type."""

    value: str
    words: tuple[str, ...]


def match_option(text: str, options: Sequence[Option]) -> str | None:
    """The option chosen by its number (1-based), a word or a close typo of one; None if unclear."""
    answer = simplify(text)
    if not answer:
        return None
    if answer.isdigit():
        index = int(answer) - 1
        return options[index].value if 0 <= index < len(options) else None
    leading_digit = re.match(r"^(\d+)\b", answer)
    if leading_digit and 0 < int(leading_digit[1]) <= len(options):
        return options[int(leading_digit[1]) - 1].value
    for option in options:
        if any(answer == simplify(word) for word in option.words):
            return option.value
    found = {
        option.value
        for option in options
        for word in option.words
        if (
            (" " not in simplify(word) and any(similar(token, simplify(word)) for token in answer.split()))
            or (" " in simplify(word) and simplify(word) in answer)
        )
    }
    return found.pop() if len(found) == 1 else None


NAME_PATTERN = re.compile(r"^[^\W\d_][\w .'\-]{0,59}$")


def clean_name(text: str) -> str | None:
    """A person's name as typed (``siti aminah`` → ``Siti Aminah``), or None when it is not a name."""
    name = " ".join(text.split()).strip(" .,")
    if not NAME_PATTERN.match(name) or len(name) < 2 or is_yes(name) or is_no(name):
        return None
    return name if any(ch.isupper() for ch in name) else name.title()


def _first_words(text: str) -> Iterable[str]:
    return simplify(text).split()[:3]


def is_yes(text: str) -> bool:
    words = list(_first_words(text))
    return bool(words) and (words[0] in YES_WORDS or simplify(text) == "1") and not is_no(text)


def is_no(text: str) -> bool:
    words = list(_first_words(text))
    return bool(words) and (words[0] in NO_WORDS or simplify(text) == "2")
