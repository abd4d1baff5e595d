"""``posyandu-bot growth --batch``: WHO z-scores and Permenkes 2/2020 statuses for JSON lines on stdin."""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from typing import Any

import click

from flows.knowledge.growth import (
    GrowthInputError,
    GrowthResult,
    Measurement,
    Position,
    Sex,
    age_in_days,
    assess,
)

_SEXES = {"L": Sex.BOY, "P": Sex.GIRL}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(record: dict[str, Any], key: str) -> date:
    value = record.get(key)
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise GrowthInputError(f"{key} must be a date written YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise GrowthInputError(f"{key} {value!r} is not a real date") from exc


def _age_days(record: dict[str, Any]) -> float:
    has_dates = "dob" in record or "date" in record
    if has_dates:
        from_dates = age_in_days(_date(record, "dob"), _date(record, "date"))
        given = record.get("age_days")
        if given is not None and given != from_dates:
            raise GrowthInputError(f"age_days {given!r} disagrees with dob and date ({from_dates} days)")
        return from_dates
    if "age_days" not in record:
        raise GrowthInputError("age is missing: give age_days, or dob and date (YYYY-MM-DD)")
    age: float = record["age_days"]
    return age


def _required_number(record: dict[str, Any], key: str) -> float:
    if record.get(key) is None:
        raise GrowthInputError(f"{key} is missing")
    value: float = record[key]
    return value


def measurement_from_json(line: str) -> Measurement:
    """Read one input line of the contract into a measurement, or raise GrowthInputError saying why not."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise GrowthInputError(f"line is not JSON: {exc.msg}") from exc
    if not isinstance(record, dict):
        raise GrowthInputError("line must be a JSON object")
    sex = record.get("sex")
    if sex not in _SEXES:
        raise GrowthInputError(f'sex must be "L" (boy) or "P" (girl), got {sex!r}')
    position = record.get("position")
    if position is not None and position not in {p.value for p in Position}:
        raise GrowthInputError(f'position must be "recumbent" or "standing", got {position!r}')
    return Measurement(
        sex=_SEXES[sex],
        age_days=_age_days(record),
        weight_kg=_required_number(record, "weight_kg"),
        length_cm=_required_number(record, "length_cm"),
        position=Position(position) if position is not None else None,
        oedema=record.get("oedema", False),
    )


def result_to_json(result: GrowthResult) -> dict[str, Any]:
    """The contract's output object for one scored measurement."""
    return {
        "wfa_z": result.wfa_z,
        "hfa_z": result.hfa_z,
        "wfh_z": result.wfh_z,
        "bmi_z": result.bmi_z,
        "wfa_status": result.wfa_status,
        "hfa_status": result.hfa_status,
        "wfh_status": result.wfh_status,
        "flags": list(result.flags),
        "warnings": list(result.warnings),
    }


@click.command()
@click.option("--batch", is_flag=True, help="Read the children's measurements from stdin, one per line.")
@click.pass_context
def growth(ctx: click.Context, batch: bool) -> None:
    """Work out WHO growth z-scores and the Permenkes 2/2020 status of children under five.

    Give one measurement per line on stdin as JSON, for example:

    \b
      {"sex": "L", "age_days": 400, "weight_kg": 9.8, "length_cm": 76.5, "position": "recumbent"}
      {"sex": "P", "dob": "2024-01-15", "date": "2025-03-01", "weight_kg": 10.2, "length_cm": 80}

    sex is L (boy) or P (girl). Give the age in days, or the date of birth (dob) and the date of
    measurement (date). position (recumbent = lying down, standing) and oedema (true/false) are optional.

    For each line one JSON line comes out with the weight-for-age, length/height-for-age,
    weight-for-length/height and BMI-for-age z-scores, the statuses, flags for values that are probably
    measuring mistakes, and warnings. A line that cannot be read gives {"error": "..."}; the other lines
    still run and the exit code is then 1. Blank lines are skipped.
    """
    if not batch:
        raise click.UsageError("growth reads measurements from stdin: run it as `growth --batch`", ctx=ctx)
    rejected = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            output = result_to_json(assess(measurement_from_json(line)))
        except GrowthInputError as exc:
            output = {"error": str(exc)}
            rejected += 1
        click.echo(json.dumps(output, ensure_ascii=False))
    if rejected:
        ctx.exit(1)
