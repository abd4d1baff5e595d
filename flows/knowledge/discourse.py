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

from flows.knowledge.textnorm import normalize
from messages_id import CONTENT_DIR

CUES_FILE = CONTENT_DIR / "discourse.yaml"
NOW, QUESTION, PAST = "now", "question", "past"

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Cues:
    conditional: tuple[Phrase, ...]
    preamble: frozenset[str]
    hypothetical: tuple[Phrase, ...]
    opening: tuple[Phrase, ...]
    general: tuple[Phrase, ...]
    report_subject: tuple[Phrase, ...]
    past: tuple[Phrase, ...]
    distant: tuple[Phrase, ...]
    resolved: tuple[Phrase, ...]
    now: tuple[Phrase, ...]
    ongoing: tuple[Phrase, ...]
    now_word: str
    now_word_not_before: frozenset[str]
    stays_urgent: frozenset[str]


def _phrases(entries: Sequence[str]) -> tuple[Phrase, ...]:
    return tuple(p for p in (tuple(normalize(str(e)).split()) for e in entries) if p)


@cache
def cues() -> Cues:
    with CUES_FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return Cues(
        conditional=_phrases(data["conditional"]),
        preamble=frozenset(w for p in _phrases(data["preamble"]) for w in p),
        hypothetical=_phrases(data["hypothetical"]),
        opening=_phrases(data["opening"]),
        general=_phrases(data["general"]),
        report_subject=_phrases(data["report_subject"]),
        past=_phrases(data["past"]),
        distant=_phrases(data["distant"]),
        resolved=_phrases(data["resolved"]),
        now=_phrases(data["now"]),
        ongoing=_phrases(data["ongoing"]),
        now_word=normalize(data["now_word"]),
        now_word_not_before=frozenset(normalize(w) for w in data["now_word_not_before"]),
        stays_urgent=frozenset(data["stays_urgent"]),
    )


def _all(words: Sequence[str], phrases: Sequence[Phrase]) -> list[int]:
    """Every index where one of ``phrases`` starts."""
    return [
        index
        for index in range(len(words))
        if any(tuple(words[index : index + len(p)]) == p for p in phrases)
    ]


def _first(words: Sequence[str], phrases: Sequence[Phrase]) -> int | None:
    """Index of the first word where one of ``phrases`` starts, or None."""
    found = _all(words, phrases)
    return found[0] if found else None


def _opening(words: Sequence[str], cue: Cues) -> int | None:
    """Where a condition or a general opening ("tanda ...", "apa benar ...") starts the message, after
    greetings or "mau tanya" at most; or None."""
    for index, word in enumerate(words):
        if any(tuple(words[index : index + len(p)]) == p for p in (*cue.conditional, *cue.opening)):
            return index
        if word not in cue.preamble:
            return None
    return None


def _now_marks(words: Sequence[str], cue: Cues) -> list[int]:
    """Where the message says "now"; a bare "sekarang" counts unless good news follows it or
    something long past comes before it."""
    marks = _all(words, cue.now)
    distant = _first(words, cue.distant)
    for index, word in enumerate(words):
        if word != cue.now_word:
            continue
        following = words[index + 1 : index + 3]
        if cue.now_word_not_before.intersection(following):
            continue
        if distant is not None and distant < index:
            continue
        marks.append(index)
    return sorted(marks)


def kind_of(words: Sequence[str], signs: Sequence[str] = ()) -> str:
    """``now``, ``question`` or ``past`` for a normalised message split into words.

    ``signs``: the signs found; one of ``stays_urgent`` that happened recently ("tadi sore tenggelam,
    sekarang sudah napas") is ``now`` even when the message says the child is well again.
    """
    cue = cues()
    if _first(words, cue.ongoing) is not None:
        return NOW
    now = _now_marks(words, cue)
    resolved = _all(words, cue.resolved)
    if now:
        over = bool(resolved) and resolved[-1] > now[-1] and not cue.stays_urgent.intersection(signs)
        return PAST if over else NOW
    subject = _first(words, cue.report_subject)
    asked = [i for i in (_opening(words, cue), _first(words, cue.general)) if i is not None]
    if asked and (subject is None or min(asked) < subject):
        return QUESTION
    if _first(words, cue.hypothetical) is not None:
        return QUESTION
    if _first(words, cue.past) is not None and (resolved or _first(words, cue.distant) is not None):
        return PAST
    return NOW


def mentions_past(words: Sequence[str]) -> bool:
    """Whether the message speaks of something before now (for telling a past event from a question)."""
    cue = cues()
    return _first(words, cue.past) is not None or _first(words, cue.distant) is not None
