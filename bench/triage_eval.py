"""Triage figures on blind sets: ``.venv/bin/python bench/triage_eval.py [SET.tsv ...] [-v]``.

With no file, the latest blind round (``bench/data/blind/roundN/triage.tsv``, see bench/blind_sets.py)
is scored. Printed: darurat recall overall and per deadliest sign, false darurat on ordinary messages
(questions and past events included, also per kind), segera caught (segera or darurat), how often the
expected sign ids were named, the figures for messages in regional forms, and the time per message.
``-v`` lists every miss and every false alarm.

The first run over a new blind set is its honest figure: keep it in that round's FIRST_RUN.md before
anything is tuned on the set.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.blind_sets import DEADLIEST, TriageRow, latest_round, read_triage  # noqa: E402
from flows.knowledge.triage import triage  # noqa: E402

URGENT = ("segera", "darurat")


@dataclass
class Tally:
    hit: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.hit += ok
        self.total += 1

    def __str__(self) -> str:
        if not self.total:
            return "-"
        return f"{100 * self.hit / self.total:5.1f}% ({self.hit}/{self.total})"


@dataclass
class Figures:
    darurat: Tally = field(default_factory=Tally)
    darurat_regional: Tally = field(default_factory=Tally)
    segera: Tally = field(default_factory=Tally)
    false_darurat: Tally = field(default_factory=Tally)
    false_urgent: Tally = field(default_factory=Tally)
    sign_named: Tally = field(default_factory=Tally)
    per_kind: dict[str, Tally] = field(default_factory=dict)
    per_sign: dict[str, Tally] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)
    milliseconds: list[float] = field(default_factory=list)


def evaluate(rows: list[TriageRow]) -> Figures:
    figures = Figures()
    triage("warm up")
    for row in rows:
        start = time.perf_counter()
        result = triage(row.text + " ")  # a fresh string: nothing cached from an earlier call
        figures.milliseconds.append(1000 * (time.perf_counter() - start))
        got = f"{result.level} {result.signs}"
        if row.level == "darurat":
            ok = result.level == "darurat"
            figures.darurat.add(ok)
            if row.lang != "id":
                figures.darurat_regional.add(ok)
            for sign in row.signs:
                figures.per_sign.setdefault(sign, Tally()).add(ok)
            if not ok:
                figures.misses.append(f"[{','.join(row.signs)}] {row.text}  -> {got}")
        elif row.level == "segera":
            ok = result.level in URGENT
            figures.segera.add(ok)
            if not ok:
                figures.misses.append(f"[segera {','.join(row.signs)}] {row.text}  -> {got}")
        else:
            alarm = result.level == "darurat"
            figures.false_darurat.add(alarm)
            figures.false_urgent.add(result.level in URGENT)
            figures.per_kind.setdefault(row.kind, Tally()).add(alarm)
            if result.level in URGENT:
                figures.alarms.append(f"[{row.kind}] {row.text}  -> {got}")
        if row.level in URGENT and row.signs:
            figures.sign_named.add(bool(set(row.signs) & set(result.signs)))
    return figures


def report(name: str, rows: list[TriageRow], figures: Figures, verbose: bool) -> str:
    langs = Counter(row.lang for row in rows)
    regional = sum(n for lang, n in langs.items() if lang != "id")
    ms = sorted(figures.milliseconds)
    lines = [
        f"{name}: {len(rows)} messages ({regional} in regional forms, {100 * regional / len(rows):.0f}%)",
        f"  darurat recall:               {figures.darurat}",
        f"    in regional forms:          {figures.darurat_regional}",
        f"  segera caught (segera/darurat): {figures.segera}",
        f"  false darurat, ordinary:      {figures.false_darurat}",
    ]
    for kind, tally in sorted(figures.per_kind.items()):
        lines.append(f"    {kind:26}  {tally}")
    lines += [
        f"  ordinary raised to segera/darurat: {figures.false_urgent}",
        f"  expected sign named (urgent): {figures.sign_named}",
        f"  time per message: p50 {statistics.median(ms):.3f} ms, p95 {ms[int(0.95 * (len(ms) - 1))]:.3f} ms",
        "  deadliest signs (darurat recall):",
    ]
    for sign in DEADLIEST:
        lines.append(f"    {sign:26}  {figures.per_sign.get(sign, Tally())}")
    others = sorted(set(figures.per_sign) - set(DEADLIEST))
    lines.append("  other darurat signs: " + ", ".join(f"{s} {figures.per_sign[s]}" for s in others))
    if verbose:
        lines += ["  missed:", *(f"    {m}" for m in figures.misses)]
        lines += ["  raised on ordinary messages:", *(f"    {a}" for a in figures.alarms)]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    paths = [Path(a) for a in argv if not a.startswith("-")] or [latest_round() / "triage.tsv"]
    for path in paths:
        rows = read_triage(path)
        print(
            report(
                str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path),
                rows,
                evaluate(rows),
                verbose,
            )
        )


if __name__ == "__main__":
    main(sys.argv[1:])
