"""A learned safety net under the danger-sign rules: catches emergencies worded in ways no rule lists.

The rules of :mod:`flows.triage` stay the transparent floor: every sign they find counts. This model
only adds: when the rules find no ``darurat`` sign in a report, and the model is confident enough that
the message describes an emergency happening now, the message becomes ``darurat`` with the sign the
model finds most likely.

- Data: the project's own labelled messages in ``messages_id/content/triage_examples/`` (the team's
  sets and every blind round after its first, untouched scoring), plus the FAQ examples as ordinary
  questions. No network, no large model.
- Features: :class:`flows.textclf.TextFeatures` (character 2–5 and word 1–2 n-grams).
- Models: a logistic regression for "emergency now" (class weights balanced) and one for which
  darurat sign it is.
- Threshold: chosen by 5-fold cross-validation on the training data as the highest one that still
  catches ``TARGET_RECALL`` of the emergencies in the held-out folds (recall first, not accuracy),
  never below ``MIN_THRESHOLD``.
- Built on first use and cached on disk by :mod:`flows.textclf`, keyed by a hash of the data.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression

from flows.knowledge.textclf import TextFeatures, cached, cross_validated, files_hash
from flows.knowledge.textnorm import normalize
from messages_id import CONTENT_DIR

EXAMPLES_DIR = CONTENT_DIR / "triage_examples"
FAQ_DIR = CONTENT_DIR / "faq"
TARGET_RECALL = 0.95
#: never fire below this probability, whatever the cross-validation says (keeps false alarms down)
MIN_THRESHOLD = 0.3
#: a segera reading is less costly to miss than a false alarm is to give: a higher floor
MIN_URGENT_THRESHOLD = 0.6
#: the net reads sentences (3 different words at least), not answers: "10", "ya", "2 bulan" are left
#: to the rules
MIN_WORDS = 3
SETTINGS = (
    f"v5 char_wb2-5 word1-2 C=16 recall={TARGET_RECALL} min={MIN_THRESHOLD} urgent>={MIN_URGENT_THRESHOLD}"
)


@dataclass(frozen=True)
class Example:
    text: str
    danger: bool  # a darurat sign happening now
    sign: str | None  # the sign, when exactly one is named and it is happening now
    urgent: bool = False  # a darurat or segera sign happening now
    #: now | question | past when the message is about a sign (labelled), else None
    kind: str | None = None


# --- data ----------------------------------------------------------------------------------------


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if row and row[0]]


def _read_team(path: Path) -> list[Example]:
    """Team sets: ``text  signs  level  [age]`` lines (``#`` comments), or bare ordinary texts."""
    examples = []
    for row in _rows(path):
        if row[0].startswith("#"):
            continue
        if len(row) == 1:
            examples.append(Example(row[0], False, None))
            continue
        signs = [s for s in row[1].split(",") if s and s != "-"]
        level = row[2].strip()
        examples.append(_example(row[0], level, signs, kind="now" if signs else None))
    return examples


def _example(text: str, level: str, signs: list[str], *, kind: str | None) -> Example:
    urgent = kind == "now" and level in ("darurat", "segera")
    sign = signs[0] if urgent and len(signs) == 1 else None
    return Example(text, urgent and level == "darurat", sign, urgent, kind)


def _read_blind(path: Path) -> list[Example]:
    """Blind rounds after their first run: ``text  level  signs  kind  lang`` with a header."""
    rows = _rows(path)
    examples = []
    for row in rows[1:]:
        if len(row) < 4:
            continue
        signs = [s for s in row[2].split(",") if s and s != "-"]
        kind = row[3].strip()
        examples.append(_example(row[0], row[1].strip(), signs, kind=kind if kind != "ordinary" else None))
    return examples


def _faq_questions() -> list[Example]:
    examples: list[Example] = []
    for path in sorted(FAQ_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        items: Iterable[Any] = data.get("examples", [])
        if path.name.startswith("_"):
            items = [e for intent in data.get("intents", []) for e in intent.get("examples", [])]
        examples.extend(Example(str(text), False, None) for text in items)
    return examples


def training_examples() -> list[Example]:
    examples: list[Example] = []
    for path in sorted(EXAMPLES_DIR.glob("*.tsv")):
        examples.extend(_read_blind(path) if path.name.startswith("blind_") else _read_team(path))
    return examples + _faq_questions()


# --- the model -----------------------------------------------------------------------------------


@dataclass
class Net:
    features: TextFeatures
    danger: LogisticRegression
    signs: LogisticRegression | None
    threshold: float
    cv_recall: float
    cv_false_alarms: float
    urgent: LogisticRegression | None = None
    urgent_threshold: float = 1.0
    #: P(a general question or a past event | the message is about a sign)
    not_now: LogisticRegression | None = None

    def probability(self, normalised: str) -> float:
        return float(self.danger.predict_proba(self.features.transform([normalised]))[0, 1])

    def urgent_probability(self, normalised: str) -> float:
        if self.urgent is None:
            return 0.0
        return float(self.urgent.predict_proba(self.features.transform([normalised]))[0, 1])

    def not_now_probability(self, normalised: str) -> float | None:
        if self.not_now is None:
            return None
        return float(self.not_now.predict_proba(self.features.transform([normalised]))[0, 1])

    def likely_sign(self, normalised: str, among: frozenset[str] | None = None) -> str | None:
        """The most likely sign (of ``among``, when given)."""
        if self.signs is None:
            return None
        probabilities = self.signs.predict_proba(self.features.transform([normalised]))[0]
        ranked = sorted(zip(self.signs.classes_, probabilities, strict=True), key=lambda pair: -pair[1])
        for sign, _probability in ranked:
            if among is None or sign in among:
                return str(sign)
        return None


def _fit(texts: list[str], labels: np.ndarray) -> tuple[TextFeatures, LogisticRegression]:
    features = TextFeatures()
    model = LogisticRegression(C=16.0, class_weight="balanced", max_iter=3000)
    model.fit(features.fit_transform(texts), labels)
    return features, model


def _fold_scores(train: list[str], labels: np.ndarray, test: list[str]) -> np.ndarray:
    features, model = _fit(train, labels)
    return np.asarray(model.predict_proba(features.transform(test))[:, 1])


def _choose_threshold(texts: list[str], labels: np.ndarray) -> tuple[float, float, float]:
    """Cross-validated: the highest threshold keeping TARGET_RECALL of the positives."""
    return _threshold_for(cross_validated(texts, labels, _fold_scores), labels)


def _threshold_for(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    danger = np.sort(scores[labels == 1])
    cut = danger[int(np.floor((1 - TARGET_RECALL) * len(danger)))] if len(danger) else 1.0
    threshold = max(MIN_THRESHOLD, float(cut) - 1e-9)
    recall = float(np.mean(scores[labels == 1] >= threshold)) if len(danger) else 0.0
    false_alarms = float(np.mean(scores[labels == 0] >= threshold))
    return threshold, recall, false_alarms


def build(examples: list[Example]) -> Net:
    texts = [normalize(e.text) for e in examples]
    labels = np.array([int(e.danger) for e in examples])
    threshold, recall, false_alarms = _choose_threshold(texts, labels)
    features, danger = _fit(texts, labels)
    signed = [(t, e.sign) for t, e in zip(texts, examples, strict=True) if e.sign]
    signs = None
    if len({s for _, s in signed}) >= 2:
        signs = LogisticRegression(C=4.0, max_iter=2000)
        signs.fit(features.transform([t for t, _ in signed]), [s for _, s in signed])
    urgent_labels = np.array([int(e.urgent) for e in examples])
    urgent_threshold, _recall, _false = _choose_threshold(texts, urgent_labels)
    urgent_threshold = max(urgent_threshold, MIN_URGENT_THRESHOLD)
    urgent = LogisticRegression(C=16.0, class_weight="balanced", max_iter=3000)
    urgent.fit(features.transform(texts), urgent_labels)
    about = [(t, e.kind != "now") for t, e in zip(texts, examples, strict=True) if e.kind]
    not_now = None
    if len({label for _, label in about}) == 2:
        not_now = LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000)
        not_now.fit(features.transform([t for t, _ in about]), [int(label) for _, label in about])
    return Net(features, danger, signs, threshold, recall, false_alarms, urgent, urgent_threshold, not_now)


@cache
def net() -> Net:
    """The trained net, from the disk cache when its data has not changed."""
    paths = [*sorted(EXAMPLES_DIR.glob("*.tsv")), *sorted(FAQ_DIR.glob("*.yaml")), Path(__file__)]
    key = files_hash(paths, SETTINGS)
    return cached("safety-net", key, Net, lambda: build(training_examples()))


def not_now(normalised: str) -> float | None:
    """How likely a message about a sign is a general question or a past event (None: no model)."""
    return net().not_now_probability(normalised)


def emergency_sign(normalised: str, darurat: frozenset[str], segera: frozenset[str]) -> str | None:
    """The sign the net sees in a normalised message: a darurat one when it is confident of an
    emergency, else a segera one when it is confident of something urgent, else None."""
    if len({word for word in normalised.split() if word.isalpha()}) < MIN_WORDS:
        return None
    model = net()
    if model.probability(normalised) >= model.threshold:
        return model.likely_sign(normalised, darurat)
    if model.urgent_probability(normalised) >= model.urgent_threshold:
        return model.likely_sign(normalised, segera)
    return None
