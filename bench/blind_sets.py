"""Blind evaluation sets: messages written by people who saw only the health facts, never the rules.

Layout: ``bench/data/blind/roundN/triage.tsv`` and ``faq.tsv``, each with a header line, and the
figures of the first run over them (before anything was tuned on them) in ``FIRST_RUN.md``. The round
with the highest number is the latest held-out set; earlier rounds have joined the tuning data.

triage.tsv: ``text  level  signs  kind  lang`` — level darurat | segera | biasa; signs comma-separated;
kind now | question | past | ordinary; lang id | jv | su | betawi | other regional forms.
faq.tsv: ``text  topic  lang`` — topic a topic id, or ``none`` when out of scope.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

BLIND_DIR = Path(__file__).resolve().parent / "data" / "blind"
OUT_OF_SCOPE = "none"
#: The signs where a single miss is one too many (the issue's deadliest signs).
DEADLIEST = (
    "perdarahan_nifas",
    "perdarahan_hamil",
    "kejang",
    "sesak_napas",
    "tidak_bernapas",
    "kebiruan",
    "preeklampsia",
    "ketuban_pecah",
    "tidak_bisa_minum",
    "lemas_tidak_sadar",
    "demam_bayi_muda",
    "pikiran_bunuh_diri",
)


@dataclass(frozen=True)
class TriageRow:
    text: str
    level: str
    signs: tuple[str, ...]
    kind: str
    lang: str


@dataclass(frozen=True)
class FaqRow:
    text: str
    topic: str | None
    lang: str


def rounds() -> list[Path]:
    """Round folders, oldest first."""
    found = [p for p in BLIND_DIR.glob("round*") if p.is_dir() and p.name[5:].isdigit()]
    return sorted(found, key=lambda p: int(p.name[5:]))


def latest_round() -> Path:
    return rounds()[-1]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [row for row in reader if (row.get("text") or "").strip()]


def read_triage(path: Path) -> list[TriageRow]:
    return [
        TriageRow(
            text=row["text"].strip(),
            level=row["level"].strip(),
            signs=tuple(s.strip() for s in (row.get("signs") or "").split(",") if s.strip()),
            kind=(row.get("kind") or "").strip() or "now",
            lang=(row.get("lang") or "").strip() or "id",
        )
        for row in _rows(path)
    ]


def read_faq(path: Path) -> list[FaqRow]:
    rows = []
    for row in _rows(path):
        topic = row["topic"].strip()
        rows.append(
            FaqRow(
                text=row["text"].strip(),
                topic=None if topic in (OUT_OF_SCOPE, "-", "") else topic,
                lang=(row.get("lang") or "").strip() or "id",
            )
        )
    return rows
