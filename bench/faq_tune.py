"""Pick the FAQ thresholds on tuning data only: ``.venv/bin/python bench/faq_tune.py``.

Tuning data (never the held-out file):
- tests/data/faq_tuning.tsv: paraphrased in-scope questions and out-of-scope questions;
- 5-fold cross-validation over the content's own example questions (each fold's examples are
  scored against an index built without them), for in-scope questions worded unlike any example.

Decline rule (min_score, min_coverage): keep the most in-scope questions with the right topic while
declining at least ``TARGET_DECLINED`` of the out-of-scope ones (a margin above the 75 % goal).
Then min_margin: the smallest best/second score ratio at which ``TARGET_PRECISION`` of the
cross-validated answers given outright are right (below it the conversation offers a choice).
Copy the printed line into ``flows.knowledge.faq.THRESHOLDS``.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from pathlib import Path

import numpy as np
from faq_eval import OUT_OF_SCOPE, load_tsv

from flows.knowledge import faq

TUNING = Path(__file__).resolve().parents[1] / "tests" / "data" / "faq_tuning.tsv"
TARGET_DECLINED = 0.85
TARGET_PRECISION = 0.9
FOLDS = 5


def cross_validated() -> list[tuple[faq.Ranking, str]]:
    topics = faq.load_topics()
    pairs = [(topic.id, example) for topic in topics.values() for example in topic.examples]
    random.Random(1).shuffle(pairs)
    ranked = []
    for fold in range(FOLDS):
        held = set(pairs[fold::FOLDS])
        rest = [
            dataclasses.replace(t, examples=tuple(e for e in t.examples if (t.id, e) not in held))
            for t in topics.values()
        ]
        idx = faq.build_index(rest)
        ranked += [(faq.rank(question, idx), topic) for topic, question in held]
    return ranked


def main() -> None:
    rows = load_tsv(TUNING)
    tuning = [(faq.rank(question), expected) for question, expected in rows]
    out_scope = [r for r, expected in tuning if expected == OUT_OF_SCOPE]
    folds = cross_validated()
    in_scope = [(r, e) for r, e in tuning if e != OUT_OF_SCOPE] + folds
    print(f"{len(in_scope)} in-scope questions ({len(folds)} cross-validated), {len(out_scope)} out of scope")
    best: tuple[float, float, float, float, float] | None = None
    grid = itertools.product(
        np.arange(0.0, 15.01, 0.25), np.arange(0.0, 0.901, 0.05), np.arange(0.6, 1.001, 0.05)
    )
    for min_score, min_coverage, full_coverage in grid:
        rule = faq.Thresholds(float(min_score), float(min_coverage), float(full_coverage))
        declined = sum(not faq.in_scope(r, rule) for r in out_scope) / len(out_scope)
        if declined < TARGET_DECLINED:
            continue
        kept = sum(faq.in_scope(r, rule) and r.matches[0].topic == e for r, e in in_scope) / len(in_scope)
        # more kept, then more declined, then the least strict thresholds
        key = (kept, declined, -float(min_score), -float(min_coverage), float(full_coverage))
        if best is None or key > best:
            best = key
    if best is None:
        print("no rule declines enough out-of-scope questions")
        return
    rule = faq.Thresholds(-best[2], -best[3], best[4])
    print(f"decline: in-scope kept with the right topic {best[0]:.1%}, out-of-scope declined {best[1]:.1%}")
    kept_folds = [(r, e) for r, e in folds if faq.in_scope(r, rule)]
    for margin in np.arange(1.0, 3.01, 0.05):
        rule = dataclasses.replace(rule, min_margin=round(float(margin), 2))
        confident = [(r, e) for r, e in kept_folds if faq.is_confident(r, rule)]
        right = sum(r.matches[0].topic == e for r, e in confident)
        if confident and right / len(confident) >= TARGET_PRECISION:
            print(
                f"outright answers: {len(confident) / len(folds):.1%} of cross-validated questions, "
                f"{right / len(confident):.1%} right"
            )
            break
    print(
        f"THRESHOLDS = Thresholds(min_score={rule.min_score:.2f}, min_coverage={rule.min_coverage:.2f}, "
        f"full_coverage={rule.full_coverage:.2f}, min_margin={rule.min_margin:.2f})"
    )


if __name__ == "__main__":
    main()
