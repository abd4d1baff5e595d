"""Report, question or past event: how a message about a danger sign is meant.

``kind_of(words)`` reads text already normalised by :mod:`flows.textnorm` and returns

- ``question``: a condition or a general question about signs ("kalau anak kejang harus apa", "apa saja
  tanda bahaya nifas") with nothing that says it is happening now;
- ``past``: something that happened before and is over ("minggu lalu sempat step, sekarang sehat");
- ``now``: everything else: a report, also one phrased as a question ("anak saya kejang gimana ini").

Recall first: ``now`` is the default, and any "now" word (masih, sedang, tadi, dari tadi, tolong ...)
wins. The cue lists live in ``messages_id/content/discourse.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import yaml

from flows.textnorm import normalize
from messages_id import CONTENT_DIR

CUES_FILE = CONTENT_DIR / "discourse.yaml"
NOW, QUESTION, PAST = "now", "question", "past"

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Cues:
    conditional: tuple[Phrase, ...]
    preamble: frozenset[str]
    general: tuple[Phrase, ...]
    report_subject: tuple[Phrase, ...]
    past: tuple[Phrase, ...]
    distant: tuple[Phrase, ...]
    resolved: tuple[Phrase, ...]
    now: tuple[Phrase, ...]
    now_word: str
    now_word_not_before: frozenset[str]


def _phrases(entries: Sequence[str]) -> tuple[Phrase, ...]:
    return tuple(p for p in (tuple(normalize(str(e)).split()) for e in entries) if p)


@cache
def cues() -> Cues:
    with CUES_FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return Cues(
        conditional=_phrases(data["conditional"]),
        preamble=frozenset(w for p in _phrases(data["preamble"]) for w in p),
        general=_phrases(data["general"]),
        report_subject=_phrases(data["report_subject"]),
        past=_phrases(data["past"]),
        distant=_phrases(data["distant"]),
        resolved=_phrases(data["resolved"]),
        now=_phrases(data["now"]),
        now_word=normalize(data["now_word"]),
        now_word_not_before=frozenset(normalize(w) for w in data["now_word_not_before"]),
    )


def _first(words: Sequence[str], phrases: Sequence[Phrase]) -> int | None:
    """Index of the first word where one of ``phrases`` starts, or None."""
    for index in range(len(words)):
        for phrase in phrases:
            if tuple(words[index : index + len(phrase)]) == phrase:
                return index
    return None


def _opening_condition(words: Sequence[str], cue: Cues) -> int | None:
    """Where a condition opens the message (after greetings or "mau tanya" at most), or None."""
    for index, word in enumerate(words):
        if any(tuple(words[index : index + len(p)]) == p for p in cue.conditional):
            return index
        if word not in cue.preamble:
            return None
    return None


def says_now(words: Sequence[str]) -> bool:
    cue = cues()
    if _first(words, cue.now) is not None:
        return True
    for index, word in enumerate(words):
        if word == cue.now_word:
            following = words[index + 1 : index + 3]
            if not cue.now_word_not_before.intersection(following):
                return True
    return False


def kind_of(words: Sequence[str]) -> str:
    """``now``, ``question`` or ``past`` for a normalised message split into words."""
    if says_now(words):
        return NOW
    cue = cues()
    subject = _first(words, cue.report_subject)
    asked = [i for i in (_opening_condition(words, cue), _first(words, cue.general)) if i is not None]
    if asked and (subject is None or min(asked) < subject):
        return QUESTION
    if _first(words, cue.past) is not None and (
        _first(words, cue.resolved) is not None or _first(words, cue.distant) is not None
    ):
        return PAST
    return NOW
