"""FAQ figures on blind sets: ``.venv/bin/python bench/faq_eval.py [SET.tsv ...] [-v]``.

With no file, the latest blind round (``bench/data/blind/roundN/faq.tsv``) is scored. Printed: top-1
and top-3 accuracy on in-scope questions, the share of out-of-scope questions declined, the share of
in-scope questions wrongly declined, figures for regional forms, and the time per question.
``-v`` lists the misses.
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.blind_sets import FaqRow, latest_round, read_faq  # noqa: E402
from flows.knowledge import faq  # noqa: E402


@dataclass
class Report:
    in_scope: int = 0
    out_scope: int = 0
    top1: int = 0
    top3: int = 0
    declined: int = 0
    wrongly_declined: int = 0
    regional_in: int = 0
    regional_top1: int = 0
    known_in: int = 0
    known_top1: int = 0
    milliseconds: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        def pct(a: int, b: int) -> str:
            return f"{100 * a / b:5.1f}% ({a}/{b})" if b else "-"

        ms = sorted(self.milliseconds)
        return [
            f"  top-1 (in scope):             {pct(self.top1, self.in_scope)}",
            f"  top-3 (in scope):             {pct(self.top3, self.in_scope)}",
            f"  out of scope declined:        {pct(self.declined, self.out_scope)}",
            f"  in scope wrongly declined:    {pct(self.wrongly_declined, self.in_scope)}",
            f"  top-1 in regional forms:      {pct(self.regional_top1, self.regional_in)}",
            f"  top-1 on topics it has:       {pct(self.known_top1, self.known_in)}",
            f"  time per question: p50 {statistics.median(ms):.3f} ms, p95 {ms[int(0.95 * (len(ms) - 1))]:.3f} ms",
        ]


def evaluate(rows: list[FaqRow]) -> Report:
    faq.answer("warm up")
    report = Report()
    known = set(faq.load_topics())
    for row in rows:
        start = time.perf_counter()
        result = faq.answer(row.text + " ")
        report.milliseconds.append(1000 * (time.perf_counter() - start))
        if row.topic is None:
            report.out_scope += 1
            report.declined += result.topic is None
            if result.topic is not None:
                report.misses.append(f"[none] {row.text}  -> {result.topic}")
            continue
        report.in_scope += 1
        top = [m.topic for m in result.matches]
        report.top1 += result.topic == row.topic
        report.top3 += row.topic in top[:3]
        report.wrongly_declined += result.topic is None
        if row.topic in known:
            report.known_in += 1
            report.known_top1 += result.topic == row.topic
        if row.lang != "id":
            report.regional_in += 1
            report.regional_top1 += result.topic == row.topic
        if result.topic != row.topic:
            report.misses.append(f"[{row.topic}] {row.text}  -> {result.topic} {top}")
    return report


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    paths = [Path(a) for a in argv if not a.startswith("-")] or [latest_round() / "faq.tsv"]
    for path in paths:
        rows = read_faq(path)
        report = evaluate(rows)
        print(f"{path}: {report.in_scope} in scope, {report.out_scope} out of scope")
        print("\n".join(report.lines()))
        if verbose:
            print("\n".join(f"    {m}" for m in report.misses))


if __name__ == "__main__":
    main(sys.argv[1:])
