"""Triage figures: recall on danger messages, false alarms on ordinary ones, per-sign recall, speed.

Run: ``.venv/bin/python bench/triage_eval.py``. Prints the tuning set (tests/data/triage_*.tsv) and the
held-out set (bench/data/triage_heldout.tsv, written after tuning and never used for it) side by side.
A danger message counts as recalled when it gets at least its expected level and every expected sign.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.triage import LEVELS, triage  # noqa: E402

TUNING_DANGER = ROOT / "tests" / "data" / "triage_danger.tsv"
TUNING_ORDINARY = ROOT / "tests" / "data" / "triage_ordinary.tsv"
HELDOUT = ROOT / "bench" / "data" / "triage_heldout.tsv"


@dataclass
class Case:
    text: str
    signs: list[str]
    level: str
    age_days: int | None


@dataclass
class Figures:
    name: str
    danger: int = 0
    recalled: int = 0
    ordinary: int = 0
    alarms: int = 0
    per_sign: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def read_cases(path: Path, ordinary_only: bool = False) -> list[Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if ordinary_only or len(cells) < 3 or cells[2].strip() == "biasa":
            cases.append(Case(cells[0], [], "biasa", None))
            continue
        age = int(cells[3]) if len(cells) > 3 and cells[3].strip() else None
        cases.append(Case(cells[0], [s for s in cells[1].split(",") if s], cells[2].strip(), age))
    return cases


def evaluate(name: str, cases: list[Case]) -> Figures:
    figures = Figures(name)
    for case in cases:
        start = time.perf_counter()
        result = triage(case.text + " ", age_days=case.age_days)  # fresh string: no normalisation cache
        figures.seconds.append(time.perf_counter() - start)
        if case.level == "biasa":
            figures.ordinary += 1
            if result.level != "biasa":
                figures.alarms += 1
                figures.false_alarms.append(f"{case.text}  -> {result.level} {result.signs}")
            continue
        figures.danger += 1
        ok = LEVELS.index(result.level) >= LEVELS.index(case.level) and set(case.signs) <= set(result.signs)
        figures.recalled += ok
        if not ok:
            figures.misses.append(f"{case.text}  -> {result.level} {result.signs}, expected {case.signs}")
        for sign in case.signs:
            figures.per_sign[sign][1] += 1
            figures.per_sign[sign][0] += sign in result.signs
    return figures


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "   - "


def main() -> None:
    triage("warm up")
    tuning = evaluate("tuning", read_cases(TUNING_DANGER) + read_cases(TUNING_ORDINARY, ordinary_only=True))
    heldout = evaluate("held-out", read_cases(HELDOUT))
    print(f"{'':24}{'tuning':>18}{'held-out':>18}")
    for label, get in (
        ("danger recall", lambda f: f"{percent(f.recalled, f.danger)} ({f.recalled}/{f.danger})"),
        ("false alarm rate", lambda f: f"{percent(f.alarms, f.ordinary)} ({f.alarms}/{f.ordinary})"),
        ("median time / message", lambda f: f"{1000 * statistics.median(f.seconds):.3f} ms"),
        ("p95 time / message", lambda f: f"{1000 * sorted(f.seconds)[int(0.95 * len(f.seconds))]:.3f} ms"),
    ):
        print(f"{label:24}{get(tuning):>18}{get(heldout):>18}")
    print("\nper-sign recall (recalled/total)")
    for sign in sorted(set(tuning.per_sign) | set(heldout.per_sign)):
        cells = []
        for figures in (tuning, heldout):
            got, total = figures.per_sign.get(sign, [0, 0])
            cells.append(f"{got}/{total}" if total else "-")
        print(f"  {sign:26}{cells[0]:>10}{cells[1]:>10}")
    for figures in (tuning, heldout):
        if figures.misses:
            print(f"\nmissed ({figures.name}):\n  " + "\n  ".join(figures.misses))
        if figures.false_alarms:
            print(f"\nfalse alarms ({figures.name}):\n  " + "\n  ".join(figures.false_alarms))


if __name__ == "__main__":
    main()
