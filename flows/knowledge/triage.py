"""Danger-sign triage: which tanda bahaya a mother's message reports, and how urgent it is.

``triage(text, age_days=None, pregnant=None)`` returns the level (``darurat`` go now, ``segera`` within
24 hours, ``biasa`` no danger sign found), the sign ids (DOMAIN.md §2) and short first-aid advice.
It never diagnoses: it only recognises the words of the Buku KIA / MTBS danger signs.

Design (recall first: a missed danger sign is the worst failure):
- the text is normalised by :mod:`flows.knowledge.textnorm` (slang, stretched letters, reduplication, numbers);
- each sign has patterns in ``messages_id/content/triage_signs.yaml``: slots of word alternatives that
  must all occur, in any order, within a small window of words;
- a word matches a pattern word exactly, with a clitic (``-nya``), by prefix (``kejang*``) or, from five
  letters, with one typo (Damerau distance 1) when the typed word is not itself a dictionary word
  (Sastrawi's root list), so ``kejnag`` is ``kejang`` but ``lemak`` never becomes ``lemas``;
- a slot right after a negation (``tidak``, ``bukan``, ``belum``, possibly with ``ada``/``pernah`` in
  between) does not count, unless the negation is part of the pattern (``tidak bisa`` + ``minum``);
- numbers are read: temperatures, breaths per minute, blood pressure, the child's age and how long a
  symptom has lasted; age changes the sign where the facts say so (fever under 2 months is darurat).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from flows.knowledge import discourse, safety_net
from flows.knowledge.textnorm import is_number, normalize
from messages_id import CONTENT_DIR, MAX_MESSAGE_CHARS, pgettext

SIGNS_FILE = CONTENT_DIR / "triage_signs.yaml"
LEVELS = ("biasa", "segera", "darurat")
ADVICE_CONTEXT = "triage_advice"
LONG_FEVER_ADVICE = "demam_lama"
#: advice keys (context triage_advice) for a question about signs or a past event, and for vague signs
INTRO_KEYS = {"question": "question_intro", "past": "past_intro"}
CONFIRM_NOW_KEY = "confirm_now"
UNCLEAR_SUFFIX = "_tanya"
DEFAULT_WINDOW = 7
CLITICS = ("nya", "lah", "kah", "pun", "ku", "mu")
FUZZY_MIN_LENGTH = 5
MAX_COMBINATIONS = 256
DURATION_REACH = 8

_RATIO = re.compile(r"^(\d{2,3})/(\d{2,3})$")


@dataclass(frozen=True)
class TriageResult:
    level: str
    signs: list[str]
    advice: str
    #: how the message is meant: ``now`` (a report), ``question``, ``past``, or ``ordinary`` (no sign)
    kind: str = "ordinary"
    #: signs found only vaguely ("keluar darah" after birth, no amount): a clarifying question was added
    unclear: tuple[str, ...] = ()


# --- compiled data -------------------------------------------------------------------------------

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Slot:
    phrases: tuple[Phrase, ...]
    firsts: frozenset[str]
    self_negating: frozenset[Phrase]  # phrases that carry their own negation (tidak bisa ...)


@dataclass(frozen=True)
class Pattern:
    source: str
    slots: tuple[Slot, ...]
    window: int


@dataclass(frozen=True)
class DurationRule:
    pattern: Pattern
    days: float


@dataclass(frozen=True)
class Sign:
    id: str
    level: str
    patterns: tuple[Pattern, ...]
    unless: tuple[Pattern, ...]
    require_all: frozenset[str]
    require_any: frozenset[str]
    forbid: frozenset[str]
    min_days: tuple[DurationRule, ...]
    suppressed_by: frozenset[str]
    implied_by: frozenset[str]
    who: frozenset[str] = frozenset()
    vague: tuple[Pattern, ...] = ()
    vague_unless: tuple[Pattern, ...] = ()


@dataclass(frozen=True)
class Rules:
    signs: tuple[Sign, ...]
    terms: dict[str, tuple[Phrase, ...]]
    words: frozenset[str]
    prefixes: frozenset[str]
    numbers: dict[str, Any]
    ages: dict[str, Any]
    negation_cues: tuple[Phrase, ...]
    negation_bridges: tuple[Phrase, ...]
    negation_enders: frozenset[str]
    negation_after: tuple[Phrase, ...]
    context_patterns: dict[str, Pattern]
    advice_first: tuple[str, ...]
    mother_who: frozenset[str] = frozenset()
    no_warm_feed: frozenset[str] = frozenset()


def _phrase(text: str) -> Phrase:
    return tuple(normalize_pattern_words(text))


def normalize_pattern_words(text: str) -> list[str]:
    """Pattern words go through the same normalisation as messages (``*`` kept)."""
    words = []
    for raw in text.split():
        star = raw.endswith("*")
        normal = normalize(raw.rstrip("*")).split()
        if not normal:
            continue
        if star:
            normal[-1] += "*"
        words.extend(normal)
    return words


def _compile_pattern(source: str, terms: dict[str, tuple[Phrase, ...]], negations: frozenset[str]) -> Pattern:
    body, _, window_text = source.partition("~")
    window = int(window_text) if window_text.strip() else DEFAULT_WINDOW
    slots = []
    for slot_text in body.split(" + "):
        phrases: list[Phrase] = []
        for alternative in slot_text.split("|"):
            alternative = alternative.strip()
            if alternative.startswith("@"):
                phrases.extend(terms[alternative[1:]])
            elif alternative:
                phrases.append(_phrase(alternative))
        phrases = [p for p in phrases if p]
        slots.append(
            Slot(
                phrases=tuple(dict.fromkeys(phrases)),
                firsts=frozenset(p[0] for p in phrases),
                self_negating=frozenset(p for p in phrases if any(word in negations for word in p)),
            )
        )
    return Pattern(source=source, slots=tuple(slots), window=max(window, 1))


@cache
def rules() -> Rules:
    """The sign table, compiled once."""
    with SIGNS_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    terms: dict[str, tuple[Phrase, ...]] = {}
    for name, entries in data["terms"].items():
        terms[name] = tuple(p for p in (_phrase(str(entry)) for entry in entries) if p)
    negation = data["negation"]
    cues = tuple(_phrase(c) for c in negation["cues"])
    cue_words = frozenset(word for cue in cues for word in cue)

    def compile_all(sources: Iterable[str]) -> tuple[Pattern, ...]:
        return tuple(_compile_pattern(s, terms, cue_words) for s in sources)

    signs = []
    for sign_id, spec in data["signs"].items():
        context = spec.get("context", {})
        min_days = tuple(
            DurationRule(_compile_pattern(rule["pattern"], terms, cue_words), float(rule["days"]))
            for rule in spec.get("min_days", [])
        )
        signs.append(
            Sign(
                id=sign_id,
                level=spec["level"],
                patterns=compile_all(spec.get("patterns", [])),
                unless=compile_all(spec.get("unless", [])),
                require_all=frozenset(context.get("require_all", ())),
                require_any=frozenset(context.get("require_any", ())),
                forbid=frozenset(context.get("forbid", ())),
                min_days=min_days,
                suppressed_by=frozenset(spec.get("suppressed_by", ())),
                implied_by=frozenset(spec.get("implied_by", ())),
                who=frozenset(spec.get("who", ())),
                vague=compile_all(spec.get("vague", [])),
                vague_unless=compile_all(spec.get("vague_unless", [])),
            )
        )
    context_patterns = {
        name: _compile_pattern("@" + name, terms, cue_words)
        for name in ("anak", "newborn", "hamil", "nifas", "fetus", "not_child")
    }
    every_phrase: list[Phrase] = [p for phrases in terms.values() for p in phrases]
    for sign in signs:
        for pattern in (
            *sign.patterns,
            *sign.unless,
            *sign.vague,
            *sign.vague_unless,
            *(r.pattern for r in sign.min_days),
        ):
            every_phrase.extend(p for slot in pattern.slots for p in slot.phrases)
    words = frozenset(w for p in every_phrase for w in p if not w.endswith("*"))
    prefixes = frozenset(w[:-1] for p in every_phrase for w in p if w.endswith("*"))
    return Rules(
        signs=tuple(signs),
        terms=terms,
        words=words,
        prefixes=prefixes,
        numbers=data["numbers"],
        ages=data["ages"],
        negation_cues=cues,
        negation_bridges=tuple(_phrase(b) for b in negation["bridges"]),
        negation_enders=frozenset(negation["after_enders"]),
        negation_after=tuple(_phrase(a) for a in negation["after"]),
        context_patterns=context_patterns,
        advice_first=tuple(data["advice_first"]),
        mother_who=frozenset(data["advice_who"]["mother"]),
        no_warm_feed=frozenset(data["advice_who"]["no_warm_feed"]),
    )


# --- word matching -------------------------------------------------------------------------------


@cache
def dictionary_words() -> frozenset[str]:
    """Indonesian root words (Sastrawi's list): a typed real word is never read as a typo."""
    path = resources.files("Sastrawi").joinpath("Stemmer/data/kata-dasar.txt")
    return frozenset(path.read_text(encoding="utf-8").split())


@cache
def _deletion_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    vocabulary = rules().words | rules().prefixes
    for word in vocabulary:
        if len(word) < FUZZY_MIN_LENGTH or not word.isalpha():
            continue
        for variant in _deletions(word):
            index.setdefault(variant, set()).add(word)
    return {key: frozenset(value) for key, value in index.items()}


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _within_one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein (optimal string alignment) distance <= 1."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


@lru_cache(maxsize=20_000)
def word_keys(token: str) -> frozenset[str]:
    """Pattern words this typed token stands for (prefix words carry their ``*``)."""
    rule = rules()
    forms = [token]
    single = re.sub(r"(.)\1", r"\1", token)
    if single != token:
        forms.append(single)  # stepp, panass, sesakk
    for clitic in CLITICS:
        if token.endswith(clitic) and len(token) - len(clitic) >= 3:
            forms.append(token[: -len(clitic)])
    keys: set[str] = set()
    for form in forms:
        if form in rule.words:
            keys.add(form)
        for length in range(2, len(form) + 1):
            if form[:length] in rule.prefixes:
                keys.add(form[:length] + "*")
    if keys or len(token) < FUZZY_MIN_LENGTH or not token.isalpha() or token in dictionary_words():
        return frozenset(keys)
    index = _deletion_index()
    for variant in _deletions(token):
        for candidate in index.get(variant, ()):
            if _within_one_edit(token, candidate):
                keys.add(candidate)
                if candidate in rule.prefixes:
                    keys.add(candidate + "*")
    return frozenset(keys)


# --- pattern matching ----------------------------------------------------------------------------


@dataclass
class Message:
    words: list[str]
    keys: list[frozenset[str]]
    present: frozenset[str]

    @classmethod
    def read(cls, text: str) -> Message:
        words = normalize(text).split()
        keys = [word_keys(w) for w in words]
        return cls(words=words, keys=keys, present=frozenset().union(*keys) if keys else frozenset())

    def phrase_at(self, phrase: Phrase, start: int) -> bool:
        if start + len(phrase) > len(self.words):
            return False
        return all(word in self.keys[start + offset] for offset, word in enumerate(phrase))

    def occurrences(self, slot: Slot) -> list[tuple[int, int, Phrase]]:
        if slot.firsts.isdisjoint(self.present):
            return []
        found = []
        for start in range(len(self.words)):
            if slot.firsts.isdisjoint(self.keys[start]):
                continue
            for phrase in slot.phrases:
                if phrase[0] in self.keys[start] and self.phrase_at(phrase, start):
                    found.append((start, start + len(phrase), phrase))
        return found


@dataclass
class Match:
    spans: list[tuple[int, int]] = field(default_factory=list)

    def positions(self) -> set[int]:
        return {i for start, end in self.spans for i in range(start, end)}


def _negated(message: Message, start: int, end: int, protected: set[int], rule: Rules) -> bool:
    """A negation before the words (``tidak ada demam``) or right after them (``demam sudah tidak``)."""
    cursor = start
    while cursor > 0:
        stepped = False
        for cue in rule.negation_cues:
            begin = cursor - len(cue)
            if begin >= 0 and tuple(message.words[begin:cursor]) == cue:
                return not any(i in protected for i in range(begin, cursor))
        for bridge in rule.negation_bridges:
            begin = cursor - len(bridge)
            if begin >= 0 and tuple(message.words[begin:cursor]) == bridge and cursor - begin > 0:
                cursor, stepped = begin, True
                break
        if not stepped:
            break
        if start - cursor > 3:
            break
    for after in rule.negation_after:
        stop = end + len(after)
        if tuple(message.words[end:stop]) == after:
            following = message.words[stop] if stop < len(message.words) else ""
            if not following or following in rule.negation_enders:
                return True
    return False


def find(
    pattern: Pattern,
    message: Message,
    covered: set[int] | None = None,
    negation: bool = True,
    first_only: bool = True,
) -> list[Match]:
    """Matches of ``pattern`` (slots inside the window, not negated, not covered by an ``unless``)."""
    per_slot: list[list[tuple[int, int, Phrase]]] = []
    for slot in pattern.slots:
        spans = message.occurrences(slot)
        if not spans:
            return []
        per_slot.append(spans)
    protected = {i for spans in per_slot for start, end, _ in spans for i in range(start, end)}
    rule = rules()
    usable: list[list[tuple[int, int]]] = []
    for slot, spans in zip(pattern.slots, per_slot, strict=True):
        kept = []
        for start, end, phrase in spans:
            if covered and any(i in covered for i in range(start, end)):
                continue
            if negation and phrase not in slot.self_negating:
                own = protected - set(range(start, end))
                if _negated(message, start, end, own, rule):
                    continue
            kept.append((start, end))
        if not kept:
            return []
        usable.append(kept)
    matches = []
    for combination in itertools.islice(itertools.product(*usable), MAX_COMBINATIONS):
        low = min(start for start, _ in combination)
        high = max(end for _, end in combination)
        if high - low <= pattern.window:
            matches.append(Match(spans=list(combination)))
            if first_only:
                break
    return matches


def _covered_by(patterns: Sequence[Pattern], message: Message) -> set[int]:
    covered: set[int] = set()
    for pattern in patterns:
        for match in find(pattern, message, negation=False, first_only=False):
            covered |= match.positions()
    return covered


# --- numbers, ages, durations --------------------------------------------------------------------


@dataclass
class Facts:
    contexts: set[str]
    age_days: float | None
    temperatures: list[float]
    breaths_per_minute: list[float]
    pressures: list[tuple[int, int]]
    durations: list[tuple[int, float]]  # (word index, days)
    unclear: list[str] = field(default_factory=list)


def _unit_days(word: str, units: dict[str, float]) -> float | None:
    return float(units[word]) if word in units else None


def _read_ages_and_durations(message: Message, rule: Rules) -> tuple[float | None, list[tuple[int, float]]]:
    ages = rule.ages
    units = ages["units"]
    age_words = set(ages["age_words"])
    pregnancy_words = set(ages["pregnancy_words"])
    words = message.words
    age: float | None = None
    durations = []
    for index, word in enumerate(words):
        if not is_number(word) or index + 1 >= len(words):
            continue
        per_unit = _unit_days(words[index + 1], units)
        if per_unit is None:
            continue
        days = float(word) * per_unit
        before = words[max(0, index - 3) : index]
        if any(w in pregnancy_words for w in before):
            continue
        owner = before[-2] if len(before) >= 2 and before[-1] == "saya" else before[-1] if before else ""
        if owner in age_words:  # "umur 3 bulan", "bayi saya 3 minggu": the child's age, not a duration
            if age is None:
                age = days
            continue
        durations.append((index, days))
    return age, durations


def _read_numbers(message: Message, rule: Rules, facts: Facts) -> None:
    numbers = rule.numbers
    words = message.words
    low, high = numbers["temperature_range"]
    temperature_words = set(numbers["temperature_words"])
    breathing_words = set(numbers["breathing_words"])
    pressure_words = set(numbers["pressure_words"])
    ambient_words = set(numbers["ambient_words"])
    unit_words = set(rule.ages["units"]) | {
        "kali",
        "kg",
        "kilo",
        "gram",
        "gr",
        "ml",
        "cm",
        "menit",
        "jam",
        "persen",
    }
    for index, word in enumerate(words):
        ratio = _RATIO.match(word)
        if ratio:
            systolic, diastolic = int(ratio.group(1)), int(ratio.group(2))
            if 80 <= systolic <= 260 and 40 <= diastolic <= 160 and systolic > diastolic:
                facts.pressures.append((systolic, diastolic))
            continue
        if not is_number(word):
            continue
        value = float(word)
        following = words[index + 1] if index + 1 < len(words) else ""
        before = set(words[max(0, index - 4) : index])
        if before & breathing_words and 15 <= value <= 150 and following in {"kali", "per", "menit", ""}:
            facts.breaths_per_minute.append(value)
            continue
        if before & pressure_words and following.isdigit() and 80 <= value <= 260:
            diastolic = int(following)
            if 40 <= diastolic <= 160 and value > diastolic:
                facts.pressures.append((int(value), diastolic))
                continue
        if not low <= value <= high or following in unit_words:
            continue
        if before & ambient_words:  # "cuaca 35 derajat", "suhu kamar 30": the weather, not a body
            continue
        if "." in word or following == "derajat" or before & temperature_words:
            facts.temperatures.append(value)


def _contexts(message: Message, rule: Rules, age_days: float | None, pregnant: bool | None) -> set[str]:
    found = set()
    fetus = _covered_by([rule.context_patterns["fetus"]], message)
    not_child = fetus | _covered_by([rule.context_patterns["not_child"]], message)
    if find(rule.context_patterns["anak"], message, covered=not_child, negation=False):
        found.add("child")
    if find(rule.context_patterns["newborn"], message, negation=False):
        found.add("newborn")
    if pregnant or find(rule.context_patterns["hamil"], message, negation=False) or fetus:
        found.add("pregnant")
    if find(rule.context_patterns["nifas"], message, negation=False):
        found.add("postpartum")
    if age_days is not None:
        found.add("child")
        if age_days < rule.ages["newborn_below_days"]:
            found.add("newborn")
    others = set(rule.ages["other_adults"])
    own = [
        i
        for i, word in enumerate(message.words)
        if word == "saya" and (i == 0 or message.words[i - 1] not in others)
    ]
    if not found and not own and others.intersection(message.words):
        # about grandmother's blood pressure or the husband's finger: another adult, not this
        # mother or her child (who is passed in as age_days / pregnant when known)
        found.add("other_adult_only")
    mother = bool(found & {"pregnant", "postpartum"}) or bool(own)
    if mother and "child" not in found:
        found.add("mother_only")
    if "child" in found and not found & {"pregnant", "postpartum"}:
        found.add("child_only")
    if "postpartum" in found and "pregnant" not in found:
        found.add("postpartum_only")
    if mother:
        found.add("mother")
    return found


def read_facts(message: Message, age_days: int | None, pregnant: bool | None) -> Facts:
    rule = rules()
    text_age, durations = _read_ages_and_durations(message, rule)
    age = float(age_days) if age_days is not None else text_age
    facts = Facts(
        contexts=_contexts(message, rule, age, pregnant),
        age_days=age,
        temperatures=[],
        breaths_per_minute=[],
        pressures=[],
        durations=durations,
    )
    _read_numbers(message, rule, facts)
    return facts


# --- signs ---------------------------------------------------------------------------------------


def _context_allows(sign: Sign, contexts: set[str]) -> bool:
    if sign.forbid & contexts or not sign.require_all <= contexts:
        return False
    return not sign.require_any or bool(sign.require_any & contexts)


def _lasts(rule: DurationRule, message: Message, facts: Facts, covered: set[int]) -> bool:
    long_enough = [index for index, days in facts.durations if days >= rule.days]
    if not long_enough:
        return False
    for match in find(rule.pattern, message, covered=covered, first_only=False):
        start = min(s for s, _ in match.spans)
        if any(abs(index - start) <= DURATION_REACH for index in long_enough):
            return True
    return False


def _pattern_signs(
    message: Message, facts: Facts, *, negation: bool = True, unless: bool = True, context: bool = True
) -> list[str]:
    found = []
    for sign in rules().signs:
        if context and not _context_allows(sign, facts.contexts):
            continue
        covered = _covered_by(sign.unless, message) if sign.unless and unless else set()
        if any(find(p, message, covered=covered, negation=negation) for p in sign.patterns) or any(
            _lasts(r, message, facts, covered) for r in sign.min_days
        ):
            found.append(sign.id)
    return found


def _vague_signs(message: Message, facts: Facts, found: set[str]) -> list[str]:
    """Life-threatening topics named without the detail that grades them (bleeding, no amount)."""
    vague = []
    for sign in rules().signs:
        if not sign.vague or sign.id in found or not _context_allows(sign, facts.contexts):
            continue
        covered = _covered_by((*sign.unless, *sign.vague_unless), message)
        if any(find(p, message, covered=covered) for p in sign.vague):
            vague.append(sign.id)
    return vague


def _number_signs(facts: Facts) -> list[str]:
    numbers = rules().numbers
    contexts = facts.contexts
    found = []
    if facts.temperatures:
        hottest, coldest = max(facts.temperatures), min(facts.temperatures)
        if "mother_only" in contexts:
            if hottest >= numbers["mother_fever_from"] and contexts & {"pregnant", "postpartum"}:
                found.append("demam_tinggi_ibu")
        else:
            if hottest >= numbers["fever_from"]:
                found.append("demam")
            if coldest < numbers["cold_below"]:
                found.append("hipotermia_bayi")
    if facts.breaths_per_minute and "mother_only" not in contexts:
        threshold = _fast_breathing_threshold(facts.age_days, contexts)
        if max(facts.breaths_per_minute) >= threshold:
            found.append("sesak_napas")
    if facts.pressures and "child_only" not in contexts:
        severe_sys, severe_dia = numbers["severe_pressure"]
        high_sys, high_dia = numbers["high_pressure"]
        if any(s >= severe_sys or d >= severe_dia for s, d in facts.pressures):
            found.append("preeklampsia")
        elif any(s >= high_sys or d >= high_dia for s, d in facts.pressures):
            found.append("tekanan_darah_tinggi")
    return found


def _fast_breathing_threshold(age_days: float | None, contexts: set[str]) -> float:
    bands = rules().numbers["fast_breathing"]
    if age_days is None:
        # unknown age: a newborn's own cut-off if the message says newborn, else the most sensitive one
        return float(bands[0]["from"]) if "newborn" in contexts else float(bands[-1]["from"])
    for band in bands:
        if age_days < band["below_days"]:
            return float(band["from"])
    return float(bands[-1]["from"])


def _is_young_infant(facts: Facts) -> bool:
    limit = rules().ages["infant_below_days"]
    if facts.age_days is not None:
        return facts.age_days < limit
    return bool(facts.contexts & {"newborn", "postpartum"})


def _long_fever(message: Message, facts: Facts) -> bool:
    limit = rules().ages["long_fever_days"]
    fever = _compile_pattern("@demam", rules().terms, frozenset())
    return _lasts(DurationRule(fever, limit), message, facts, set())


def detect(text: str, age_days: int | None = None, pregnant: bool | None = None) -> tuple[list[str], Facts]:
    """Sign ids found in ``text`` (table order) and the facts read from it.

    Signs found only vaguely (see ``vague`` in the sign table) are included and listed in
    ``facts.unclear``: recall first, the advice then asks the one question that grades them.
    """
    message = Message.read(text)
    facts = read_facts(message, age_days, pregnant)
    if "other_adult_only" in facts.contexts:
        return [], facts
    found = set(_pattern_signs(message, facts)) | set(_number_signs(facts))
    facts.unclear = _vague_signs(message, facts, found)
    found |= set(facts.unclear)
    if "demam" in found and _is_young_infant(facts):
        found.discard("demam")
        found.add("demam_bayi_muda")
    found |= {
        sign.id for sign in rules().signs if sign.implied_by & found and _context_allows(sign, facts.contexts)
    }
    order = {sign.id: index for index, sign in enumerate(rules().signs)}
    by_id = {sign.id: sign for sign in rules().signs}
    kept = [s for s in found if not (by_id[s].suppressed_by & found)]
    return sorted(kept, key=order.__getitem__), facts


def level_of(signs: Iterable[str]) -> str:
    by_id = {sign.id: sign for sign in rules().signs}
    return max((by_id[s].level for s in signs), key=LEVELS.index, default="biasa")


def _who_notes(level: str, signs: Sequence[str], contexts: set[str]) -> list[str]:
    """Generic lines that fit who is in danger: the child kept warm and fed, or the mother not alone."""
    if level != "darurat" or not signs:
        return []
    rule = rules()
    by_id = {sign.id: sign for sign in rule.signs}
    mother = any(by_id[s].who <= rule.mother_who for s in signs) or "mother_only" in contexts
    child = any(not by_id[s].who <= rule.mother_who for s in signs) and "mother_only" not in contexts
    notes = []
    if child and not rule.no_warm_feed & set(signs):
        notes.append("darurat_anak")
    if mother:
        notes.append("darurat_ibu")
    return notes


def advice_for(
    level: str,
    signs: Sequence[str],
    notes: Sequence[str] = (),
    *,
    contexts: set[str] | None = None,
    kind: str = "now",
    unclear: Sequence[str] = (),
) -> str:
    """The text for the level, each sign's first aid, then notes, while it all fits one message.

    A question about signs or a past event gets the same first aid under its own opening, and ends by
    asking whether it is happening now; a vague sign ends with the one question that grades it.
    """
    if kind in ("question", "past") and signs:
        head = [pgettext(ADVICE_CONTEXT, INTRO_KEYS[kind])]
        tail = [pgettext(ADVICE_CONTEXT, CONFIRM_NOW_KEY)]
    else:
        head = [pgettext(ADVICE_CONTEXT, level)]
        tail = [pgettext(ADVICE_CONTEXT, sign + UNCLEAR_SUFFIX) for sign in unclear]
    rule = rules()
    by_id = {sign.id: sign for sign in rule.signs}
    first = {sign_id: index for index, sign_id in enumerate(rule.advice_first)}
    ranked = sorted(signs, key=lambda s: (first.get(s, len(first)), -LEVELS.index(by_id[s].level)))
    who = _who_notes(level, signs, contexts or set()) if kind not in ("question", "past") else []
    parts = list(head)
    budget = MAX_MESSAGE_CHARS - sum(len(t) + 2 for t in tail)
    for key in [*ranked, *who, *notes]:
        text = pgettext(ADVICE_CONTEXT, key)
        if text == key or text in parts or len("\n\n".join([*parts, text])) > budget:
            continue
        parts.append(text)
    return "\n\n".join([*parts, *(t for t in tail if t not in parts)])


NET_NEGATION_REACH = 2
#: the learned reading of report vs question/past wins over the cue rules when it is this sure
NOT_NOW_SURE, NOW_SURE = 0.7, 0.3


def _kind(message: Message, signs: list[str]) -> str:
    """Report, general question or past event: the cue rules, overruled by the learned model when it
    is sure (both ways); a sign that stays urgent keeps a recent report a report."""
    ruled = discourse.kind_of(message.words, signs)
    learned = safety_net.not_now(" ".join(message.words))
    if learned is None or NOW_SURE < learned < NOT_NOW_SURE:
        return ruled
    if learned <= NOW_SURE:
        return discourse.NOW
    if ruled != discourse.NOW:
        return ruled
    return discourse.PAST if discourse.mentions_past(message.words) else discourse.QUESTION


def _without_negated(words: list[str]) -> list[str]:
    """The words the net reads: a negation and the words it denies are left out ("sudah tidak muntah")."""
    cues = {cue[0] for cue in rules().negation_cues if len(cue) == 1}
    kept, skip = [], 0
    for word in words:
        if word in cues:
            skip = NET_NEGATION_REACH
            continue
        if skip:
            skip -= 1
            continue
        kept.append(word)
    return kept


def _understood(message: Message, facts: Facts) -> bool:
    """The rules read sign words or numbers here and found them denied, low or harmless."""
    if facts.temperatures or facts.breaths_per_minute or facts.pressures or not message.words:
        return True
    if "other_adult_only" in facts.contexts:
        return True
    if _pattern_signs(message, facts, negation=False, unless=False, context=False):
        return True
    # a sign that needs a duration ("batuk" for 14 days) whose words are here with a shorter one
    return any(
        find(rule.pattern, message, negation=False) for sign in rules().signs for rule in sign.min_days
    )


def triage(text: str, age_days: int | None = None, pregnant: bool | None = None) -> TriageResult:
    """Level, danger-sign ids and advice for one message (``age_days``: the child's age, if known).

    A question about signs or a past event that is over keeps its signs but has level ``biasa``: it is
    answered with the first aid and "is this happening now? reply YA" instead of an alarm.
    """
    message = Message.read(text)
    signs, facts = detect(text, age_days, pregnant)
    if not signs and not _understood(message, facts):  # the net covers what the rules could not read
        by_level = {level: frozenset(s.id for s in rules().signs if s.level == level) for level in LEVELS}
        learned = safety_net.emergency_sign(
            " ".join(_without_negated(message.words)), by_level["darurat"], by_level["segera"]
        )
        if learned and learned not in signs:
            order = {sign.id: index for index, sign in enumerate(rules().signs)}
            signs = sorted([*signs, learned], key=order.__getitem__)
    kind = _kind(message, signs) if signs else "ordinary"
    level = level_of(signs) if kind in ("now", "ordinary") else "biasa"
    notes = [LONG_FEVER_ADVICE] if "demam" in signs and _long_fever(message, facts) else []
    unclear = tuple(s for s in facts.unclear if s in signs) if kind == "now" else ()
    advice = advice_for(level, signs, notes, contexts=facts.contexts, kind=kind, unclear=unclear)
    return TriageResult(level=level, signs=signs, advice=advice, kind=kind, unclear=unclear)
