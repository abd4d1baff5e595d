"""Small learned text classifiers shared by the danger-sign net and the FAQ: features and a disk cache.

Features are TF-IDF of character n-grams (2–5, inside word boundaries: robust to typos and regional
spellings) and of words (1–2), over text normalised by :mod:`flows.textnorm`. Models are trained from
the project's own labelled files on first use (a few seconds, no network) and cached on disk under a
hash of those files and of the settings (``POSYANDU_CACHE_DIR``, default ``~/.cache/posyandu-bot``),
so a changed example retrains them.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold

FOLDS = 5
SEED = 7
T = TypeVar("T")


@dataclass
class TextFeatures:
    """Character and word TF-IDF, fitted together, transformed together."""

    chars: TfidfVectorizer = field(
        default_factory=lambda: TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True
        )
    )
    words: TfidfVectorizer = field(
        default_factory=lambda: TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), min_df=1, sublinear_tf=True
        )
    )

    def fit_transform(self, texts: list[str]) -> Any:
        return hstack([self.chars.fit_transform(texts), self.words.fit_transform(texts)]).tocsr()

    def transform(self, texts: list[str]) -> Any:
        return hstack([self.chars.transform(texts), self.words.transform(texts)]).tocsr()


def cross_validated(
    texts: list[str], labels: np.ndarray, score: Callable[[list[str], np.ndarray, list[str]], np.ndarray]
) -> np.ndarray:
    """Out-of-fold scores: ``score(train_texts, train_labels, test_texts)`` for each of FOLDS folds."""
    scores = np.zeros(len(texts))
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(texts, labels):
        scores[test] = score([texts[i] for i in train], labels[train], [texts[i] for i in test])
    return scores


def files_hash(paths: Iterable[Path], *extra: str) -> str:
    digest = hashlib.sha256()
    for text in extra:
        digest.update(text.encode())
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _cache_dir() -> Path:
    configured = os.environ.get("POSYANDU_CACHE_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "posyandu-bot"


def cached(name: str, key: str, kind: type[T], build: Callable[[], T]) -> T:
    """The object cached as ``name-key``, or ``build()`` stored there (a read-only cache is fine)."""
    path = _cache_dir() / f"{name}-{key}.pickle"
    if path.exists():
        try:
            with path.open("rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, kind):
                return loaded
        except (OSError, pickle.UnpicklingError, AttributeError, EOFError, ImportError):
            pass
    built = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(built, handle)
        temporary.replace(path)
    except OSError:
        pass
    return built
