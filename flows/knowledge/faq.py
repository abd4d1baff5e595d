"""Answers to mothers' free questions: find the FAQ topic a question is about, or decline.

Pipeline (all local, no network): ``textnorm.tokens`` (normalised words) → multi-word phrases and a
synonym/regional-word table (``messages_id/content/faq/_lexicon.yaml``) → Sastrawi stems → BM25
(``bm25s``) over every example question, title and answer sentence of every topic; a topic scores
its best three documents (weighted 1, ½, ¼) plus its score as one joined document.

Whether a question is in scope at all, and the topic's probability, come from the learned models of
:mod:`flows.faq_model` (character and word n-grams): the question as a whole must read as mother and
child health, not share one word with a topic. BM25 adds a small share to the topic ranking. Anything
out of scope gets ``topic=None``, no matches, and a kind reply saying what the bot can help with.
"""

from __future__ import annotations

import difflib
import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import yaml
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from flows.knowledge import faq_model
from flows.knowledge.textnorm import tokens
from messages_id import CONTENT_DIR, _, pgettext

FAQ_DIR: Path = CONTENT_DIR / "faq"
INTENTS_FILE = "_intents.yaml"
LEXICON_FILE = "_lexicon.yaml"
#: Intents recognised like topics but answered by the conversation engine.
INTENT_IDS = ("posyandu_jadwal", "bidan_hubungi", "sapaan")
TOP_K = 3

# bm25s sets its own logger to DEBUG, so every index build would print a line on stderr.
logging.getLogger("bm25s").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Thresholds:
    """When to decline and when to answer outright; tuned with bench/faq_tune.py on the tuning split.

    A question is in scope when the best topic scores at least ``min_score`` and its documents cover
    at least ``min_coverage`` of the question's information (IDF mass), or when they cover at least
    ``full_coverage`` of it whatever the score (short questions such as "imunisasi bayi"). The answer is
    confident when the best topic beats the second by ``min_margin`` (ratio of scores); otherwise the
    conversation offers the closest topics to choose from.
    """

    min_score: float
    min_coverage: float
    full_coverage: float = 0.8
    min_margin: float = 1.25


THRESHOLDS = Thresholds(min_score=10.00, min_coverage=0.20, full_coverage=0.65, min_margin=1.10)


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    answer: str | None
    sources: tuple[str, ...]
    examples: tuple[str, ...]

    @property
    def is_intent(self) -> bool:
        return self.answer is None


@dataclass(frozen=True)
class Match:
    topic: str
    score: float


@dataclass(frozen=True)
class FaqResult:
    topic: str | None
    matches: list[Match]
    answer: str
    confident: bool

    @property
    def is_confident(self) -> bool:
        """Answer outright; otherwise (in scope but unsure) offer the closest topics to choose from."""
        return self.confident


# --- content -------------------------------------------------------------------------------------


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def load_topics() -> dict[str, Topic]:
    """Every FAQ topic (one YAML file each) and every intent of ``_intents.yaml``, by id."""
    topics: dict[str, Topic] = {}
    for path in sorted(FAQ_DIR.glob("[a-z]*.yaml")):
        data = _read_yaml(path)
        topics[data["id"]] = Topic(
            id=data["id"],
            title=data["title"],
            answer=" ".join(data["answer"].split()),
            sources=tuple(data["sources"]),
            examples=tuple(data["examples"]),
        )
    for data in _read_yaml(FAQ_DIR / INTENTS_FILE)["intents"]:
        topics[data["id"]] = Topic(
            id=data["id"], title=data["title"], answer=None, sources=(), examples=tuple(data["examples"])
        )
    return topics


def topic_title(topic_id: str) -> str:
    """Short Indonesian title, for numbered lists."""
    return load_topics()[topic_id].title


def topic_answer(topic_id: str) -> str:
    """The answer a mother reads; intents get a short catalog text (the engine replies to them)."""
    topic = load_topics()[topic_id]
    if topic.answer is not None:
        return topic.answer
    return pgettext("faq intent", topic_id)


def out_of_scope_answer() -> str:
    return _(
        "Sorry, I can only help with questions about the health of mothers and children: immunization, "
        "breastfeeding, feeding and growth of children, stunting, pregnancy and the posyandu. "
        "Type MENU to see what I can do."
    )


# --- text analysis -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    phrases: dict[tuple[str, ...], str]
    synonyms: dict[str, str]
    stopwords: frozenset[str]
    greeting_terms: frozenset[str]
    longest_phrase: int


@cache
def lexicon() -> Lexicon:
    data = _read_yaml(FAQ_DIR / LEXICON_FILE)
    phrases: dict[tuple[str, ...], str] = {}
    synonyms: dict[str, str] = {}

    def add(canonical: str, variant: str) -> None:
        words = tuple(tokens(variant))
        if len(words) > 1:
            phrases[words] = canonical
        elif words:
            synonyms[words[0]] = canonical

    for canonical, variants in data["phrases"].items():
        for variant in variants:
            add(canonical, variant)
    for canonical, variants in data["synonyms"].items():
        for variant in variants:
            add(canonical, variant)
    return Lexicon(
        phrases=phrases,
        synonyms=synonyms,
        stopwords=frozenset(data["stopwords"]),
        greeting_terms=frozenset(data["greeting_terms"]),
        longest_phrase=max((len(p) for p in phrases), default=1),
    )


@cache
def _stemmer() -> Any:
    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=20_000)
def term(token: str) -> str | None:
    """The index term of one token: synonym → stem → synonym; None for stopwords."""
    lex = lexicon()
    if token in lex.stopwords:
        return None
    word = lex.synonyms.get(token, token)
    if word in lex.stopwords:
        return None
    stem = word if word in lex.synonyms.values() else _stemmer().stem(word) or word
    stem = lex.synonyms.get(stem, stem)
    return None if stem in lex.stopwords else stem


def _join_phrases(words: list[str], lex: Lexicon) -> list[str]:
    joined: list[str] = []
    index = 0
    while index < len(words):
        for size in range(min(lex.longest_phrase, len(words) - index), 1, -1):
            canonical = lex.phrases.get(tuple(words[index : index + size]))
            if canonical is not None:
                joined.append(canonical)
                index += size
                break
        else:
            joined.append(words[index])
            index += 1
    return joined


def analyse(text: str) -> list[str]:
    """Index terms of a question or example, in order (duplicates kept)."""
    lex = lexicon()
    terms = (term(word) for word in _join_phrases(tokens(text), lex))
    return [t for t in terms if t]


# --- index ---------------------------------------------------------------------------------------

#: Topic score = weighted best example scores + TOPIC_WEIGHT x score of the topic as one document.
EXAMPLE_WEIGHTS = np.array([1.0, 0.5, 0.25])
TOPIC_WEIGHT = 3.0
#: An unknown word this long or longer is read as the indexed term it resembles this much (difflib ratio).
TYPO_MIN_LENGTH = 5
TYPO_SIMILARITY = 0.88
#: A word read as a typo counts this much towards the question's coverage.
TYPO_CREDIT = 0.5


@dataclass
class Index:
    examples: bm25s.BM25  # one document per example question, title and answer sentence
    topics: bm25s.BM25  # one document per topic: all of the above joined
    topic_ids: list[str]
    layout: np.ndarray  # (topics, most documents of a topic): document numbers, padded with -1
    topic_terms: list[frozenset[str]]
    idf: dict[str, float]
    unknown_idf: float
    typos: dict[str, str | None] = field(default_factory=dict)

    def term_idf(self, word: str) -> float:
        return self.idf.get(word, self.unknown_idf)

    def known(self, word: str) -> str | None:
        """``word`` if indexed, else the indexed term it is a typo of (``imunisai``), else None."""
        if word in self.idf:
            return word
        if len(word) < TYPO_MIN_LENGTH:
            return None
        if word not in self.typos:
            close = difflib.get_close_matches(word, self.idf.keys(), n=1, cutoff=TYPO_SIMILARITY)
            self.typos[word] = close[0] if close else None
        return self.typos[word]


def _topic_documents(topic: Topic) -> list[list[str]]:
    texts = [topic.title, *topic.examples]
    if topic.answer:
        texts += topic.answer.split(". ")
    return [doc for doc in map(analyse, texts) if doc]


@cache
def index() -> Index:
    """The index of all content, built once per process (under a second), then shared."""
    return build_index(load_topics().values())


def build_index(topics: Iterable[Topic]) -> Index:
    topic_ids: list[str] = []
    per_topic: list[list[list[str]]] = []
    for topic in topics:
        documents = _topic_documents(topic)
        if documents:
            topic_ids.append(topic.id)
            per_topic.append(documents)
    docs = [doc for documents in per_topic for doc in documents]
    layout = np.full((len(per_topic), max(map(len, per_topic))), -1)
    first = 0
    for row, documents in enumerate(per_topic):
        layout[row, : len(documents)] = np.arange(first, first + len(documents))
        first += len(documents)
    examples = bm25s.BM25()
    examples.index(docs, show_progress=False)
    joined = [[word for doc in documents for word in doc] for documents in per_topic]
    whole_topics = bm25s.BM25(k1=2.0, b=0.75)
    whole_topics.index(joined, show_progress=False)
    frequency: dict[str, int] = {}
    for doc in docs:
        for word in set(doc):
            frequency[word] = frequency.get(word, 0) + 1

    def idf(df: int) -> float:
        return math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))

    return Index(
        examples=examples,
        topics=whole_topics,
        topic_ids=topic_ids,
        layout=layout,
        topic_terms=[frozenset(words) for words in joined],
        idf={word: idf(df) for word, df in frequency.items()},
        unknown_idf=idf(0),
    )


# --- retrieval -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranking:
    matches: list[Match]  # up to TOP_K, best first
    coverage: float  # share of the question's IDF mass found in the best topic


def rank(question: str, idx: Index | None = None) -> Ranking:
    """Score every topic for ``question`` (against ``idx``, by default all the content).

    Greeting words next to a question are left out: "makasih bun, mpasi pertama apa" is about MPASI.
    """
    idx = idx or index()
    typed = analyse(question)
    greetings = lexicon().greeting_terms
    question_words = [word for word in typed if word not in greetings]
    if question_words and len(question_words) < len(typed):
        ranking = _rank_terms(question_words, idx)
        if ranking.matches and ranking.matches[0].score >= THRESHOLDS.min_score:
            return ranking
    return _rank_terms(typed, idx)


def _rank_terms(typed: list[str], idx: Index) -> Ranking:
    query = [idx.known(word) or word for word in typed]
    known = [word for word in query if word in idx.idf]
    if not known:
        return Ranking([], 0.0)
    doc_scores = np.append(idx.examples.get_scores(known), 0.0)  # index -1 (padding) scores 0
    best_docs = -np.sort(-doc_scores[idx.layout], axis=1)[:, : len(EXAMPLE_WEIGHTS)]
    scores = best_docs @ EXAMPLE_WEIGHTS[: best_docs.shape[1]] + TOPIC_WEIGHT * idx.topics.get_scores(known)
    order = np.argsort(-scores, kind="stable")[:TOP_K]
    matches = [Match(idx.topic_ids[i], round(float(scores[i]), 3)) for i in order if scores[i] > 0]
    if not matches:
        return Ranking([], 0.0)
    vocabulary = idx.topic_terms[int(order[0])]
    total = covered = 0.0
    for word, read in set(zip(typed, query, strict=True)):
        weight = idx.term_idf(read)
        total += weight
        if read in vocabulary:
            covered += weight * (TYPO_CREDIT if word != read else 1.0)
    return Ranking(matches, covered / total)


def in_scope(ranking: Ranking, thresholds: Thresholds = THRESHOLDS) -> bool:
    """Whether the best topic is close enough to answer at all."""
    if not ranking.matches:
        return False
    if ranking.coverage >= thresholds.full_coverage:
        return True
    return ranking.matches[0].score >= thresholds.min_score and ranking.coverage >= thresholds.min_coverage


def is_confident(ranking: Ranking, thresholds: Thresholds = THRESHOLDS) -> bool:
    """In scope, and the best topic clearly ahead of the next one."""
    if not in_scope(ranking, thresholds):
        return False
    matches = ranking.matches
    return len(matches) == 1 or matches[0].score >= thresholds.min_margin * matches[1].score


#: how much BM25's ranking adds to the learned topic probability (its score over the best one's)
BM25_WEIGHT = 0.1
#: answered outright only when the question has two content words or more, the best topic is clearly
#: likely and well ahead of the next; otherwise the closest topics are offered ("mpasi", "asi")
CONFIDENT_MIN_TERMS = 2
CONFIDENT_SCORE = 0.75
CONFIDENT_MARGIN = 1.5


def answer(question: str, thresholds: Thresholds = THRESHOLDS) -> FaqResult:
    """The topic of ``question`` (None when out of scope), the closest topics, and the text to send.

    ``thresholds`` are the BM25 ranking's own (used by :func:`rank`'s greeting rule). In scope is decided by the learned scope model (:mod:`flows.faq_model`): the question as a whole
    must read as mother-and-child health. The topic is the learned topic probability plus BM25's share
    (its score over the best BM25 score, times ``BM25_WEIGHT``); a question with no content word left
    after the stopwords is declined.
    """
    declined = FaqResult(topic=None, matches=[], answer=out_of_scope_answer(), confident=False)
    if not analyse(question):
        return declined
    learned = faq_model.model()
    scope, probabilities = learned.read(question)
    if scope < learned.scope_threshold:
        return declined
    ranking = rank(question)
    combined = dict(probabilities)
    if ranking.matches:
        best_bm25 = ranking.matches[0].score
        for match in ranking.matches:
            combined[match.topic] = combined.get(match.topic, 0.0) + BM25_WEIGHT * match.score / best_bm25
    order = sorted(combined, key=lambda t: -combined[t])[:TOP_K]
    matches = [Match(t, round(combined[t], 3)) for t in order]
    best = matches[0].topic
    confident = (
        len(analyse(question)) >= CONFIDENT_MIN_TERMS
        and matches[0].score >= CONFIDENT_SCORE
        and (len(matches) == 1 or matches[0].score >= CONFIDENT_MARGIN * matches[1].score)
    )
    return FaqResult(topic=best, matches=matches, answer=topic_answer(best), confident=confident)
