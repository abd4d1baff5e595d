"""Held-out evaluation of the FAQ answerer: ``.venv/bin/python bench/faq_eval.py [FILE.tsv] [-v]``.

Prints top-1 and top-3 accuracy on in-scope questions, the share of out-of-scope questions declined,
the share of in-scope questions wrongly declined, and the median time per question.
The held-out file is written after tuning and never used to tune anything.
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from flows import faq

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "bench" / "data" / "faq_heldout.tsv"
OUT_OF_SCOPE = "-"


def load_tsv(path: Path) -> list[tuple[str, str]]:
    """(question, expected topic or "-") rows; lines starting with # are comments."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            question, expected = line.rsplit("\t", 1)
            rows.append((question.strip(), expected.strip()))
    return rows


@dataclass
class Report:
    top1: float
    top3: float
    oos_declined: float
    in_scope_declined: float
    median_ms: float
    misses: list[tuple[str, str, str | None]]

    def lines(self) -> list[str]:
        return [
            f"top-1 accuracy (in scope):      {self.top1:6.1%}",
            f"top-3 accuracy (in scope):      {self.top3:6.1%}",
            f"out-of-scope declined:          {self.oos_declined:6.1%}",
            f"in-scope wrongly declined:      {self.in_scope_declined:6.1%}",
            f"median time per question:       {self.median_ms:6.2f} ms",
        ]


def evaluate(rows: list[tuple[str, str]], thresholds: faq.Thresholds = faq.THRESHOLDS) -> Report:
    faq.index()
    in_scope = [(q, t) for q, t in rows if t != OUT_OF_SCOPE]
    out_scope = [q for q, t in rows if t == OUT_OF_SCOPE]
    top1 = top3 = wrongly_declined = declined = 0
    misses: list[tuple[str, str, str | None]] = []
    timings: list[float] = []
    for question, expected in rows:
        start = time.perf_counter()
        result = faq.answer(question, thresholds)
        timings.append((time.perf_counter() - start) * 1000)
        if expected == OUT_OF_SCOPE:
            declined += result.topic is None
            if result.topic is not None:
                misses.append((question, expected, result.topic))
            continue
        top1 += result.topic == expected
        top3 += expected in [m.topic for m in result.matches]
        wrongly_declined += result.topic is None
        if result.topic != expected:
            misses.append((question, expected, result.topic))
    return Report(
        top1=top1 / len(in_scope),
        top3=top3 / len(in_scope),
        oos_declined=declined / max(len(out_scope), 1),
        in_scope_declined=wrongly_declined / len(in_scope),
        median_ms=statistics.median(timings),
        misses=misses,
    )


def main() -> None:
    paths = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    path = Path(paths[0]) if paths else HELDOUT
    rows = load_tsv(path)
    report = evaluate(rows)
    n_in = sum(t != OUT_OF_SCOPE for _, t in rows)
    print(f"{path.name}: {n_in} in-scope, {len(rows) - n_in} out-of-scope questions")
    print("\n".join(report.lines()))
    if "-v" in sys.argv:
        for question, expected, got in report.misses:
            print(f"  miss: {question!r}: expected {expected}, got {got}")


if __name__ == "__main__":
    main()
