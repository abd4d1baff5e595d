"""The learned half of the FAQ: is a question about mother and child health at all, and which topic.

BM25 (:mod:`flows.faq`) finds topics that share words with a question; on its own it answers "jual motor
bekas" because "bekas" appears in a topic, and it cannot read a regional word no example uses. Two
logistic regressions over :class:`flows.textclf.TextFeatures` (character and word n-grams) add what
word overlap cannot:

- **scope**: in scope (every example question of every topic and intent, and labelled in-scope
  questions) against out of scope (labelled ``none`` questions). The decision needs the whole
  question to look like mother-and-child health, not one shared word. Its threshold is chosen by
  cross-validation so that ``TARGET_DECLINED`` of the out-of-scope questions are declined.
- **topic**: a probability per topic, combined with BM25's ranking in :func:`flows.faq.answer`.

Data: the topics' examples (``messages_id/content/faq/*.yaml``) and labelled questions in
``messages_id/content/faq_examples/*.tsv`` (``question  topic``, ``-`` or ``none`` = out of scope: the
team's sets and every blind round after its first, untouched scoring). Trained on first use and cached
by :mod:`flows.textclf`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression

from flows.knowledge.textclf import TextFeatures, cached, cross_validated, files_hash
from flows.knowledge.textnorm import normalize
from messages_id import CONTENT_DIR

FAQ_DIR = CONTENT_DIR / "faq"
EXAMPLES_DIR = CONTENT_DIR / "faq_examples"
OUT_OF_SCOPE_LABELS = frozenset({"-", "none", "null", ""})
TARGET_DECLINED = 0.92
SETTINGS = f"v1 scope C=2 topic C=8 declined={TARGET_DECLINED}"


@dataclass(frozen=True)
class Labelled:
    text: str
    topic: str | None  # None: out of scope


def _topic_examples() -> list[Labelled]:
    rows = []
    for path in sorted(FAQ_DIR.glob("[a-z]*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rows += [Labelled(str(e), data["id"]) for e in [data["title"], *data["examples"]]]
    intents = yaml.safe_load((FAQ_DIR / "_intents.yaml").read_text(encoding="utf-8"))["intents"]
    rows += [Labelled(str(e), intent["id"]) for intent in intents for e in intent["examples"]]
    return rows


def _labelled_questions(known: set[str]) -> list[Labelled]:
    """``question  topic`` files; a header line or ``#`` comments are skipped, unknown topics too."""
    rows = []
    for path in sorted(EXAMPLES_DIR.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) < 2 or not row[0].strip() or row[0].startswith("#") or row[0] == "text":
                    continue
                label = row[1].strip()
                if label in OUT_OF_SCOPE_LABELS:
                    rows.append(Labelled(row[0], None))
                elif label in known:
                    rows.append(Labelled(row[0], label))
    return rows


def training_rows() -> list[Labelled]:
    examples = _topic_examples()
    return examples + _labelled_questions({row.topic for row in examples if row.topic})


@dataclass
class FaqModel:
    features: TextFeatures
    scope: LogisticRegression
    topic: LogisticRegression
    scope_threshold: float
    cv_declined: float
    cv_kept: float

    def read(self, question: str) -> tuple[float, dict[str, float]]:
        """P(in scope) and P(topic) for every topic."""
        features = self.features.transform([normalize(question)])
        in_scope = float(self.scope.predict_proba(features)[0, 1])
        topics = self.topic.predict_proba(features)[0]
        return in_scope, {str(t): float(p) for t, p in zip(self.topic.classes_, topics, strict=True)}


def _scope_model() -> LogisticRegression:
    return LogisticRegression(C=2.0, class_weight="balanced", max_iter=3000)


def _fold_scope(train: list[str], labels: np.ndarray, test: list[str]) -> np.ndarray:
    features = TextFeatures()
    model = _scope_model().fit(features.fit_transform(train), labels)
    return np.asarray(model.predict_proba(features.transform(test))[:, 1])


def build(rows: list[Labelled]) -> FaqModel:
    texts = [normalize(r.text) for r in rows]
    in_scope = np.array([int(r.topic is not None) for r in rows])
    scores = cross_validated(texts, in_scope, _fold_scope)
    outside = np.sort(scores[in_scope == 0])
    threshold = (
        float(outside[min(len(outside) - 1, int(np.ceil(TARGET_DECLINED * len(outside))))])
        if len(outside)
        else 0.5
    )
    features = TextFeatures()
    matrix = features.fit_transform(texts)
    scope = _scope_model().fit(matrix, in_scope)
    topical = [i for i, r in enumerate(rows) if r.topic is not None]
    topic = LogisticRegression(C=8.0, max_iter=3000)
    topic.fit(matrix[topical], [rows[i].topic for i in topical])
    return FaqModel(
        features=features,
        scope=scope,
        topic=topic,
        scope_threshold=threshold,
        cv_declined=float(np.mean(scores[in_scope == 0] < threshold)) if len(outside) else 0.0,
        cv_kept=float(np.mean(scores[in_scope == 1] >= threshold)),
    )


@cache
def model() -> FaqModel:
    paths = [*sorted(FAQ_DIR.glob("*.yaml")), *sorted(EXAMPLES_DIR.glob("*.tsv")), Path(__file__)]
    return cached("faq-model", files_hash(paths, SETTINGS), FaqModel, lambda: build(training_rows()))
