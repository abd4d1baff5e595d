"""Bulk import of a posyandu's weighing book (CSV) into the children's growth records.

Columns (header names, any order, case-insensitive): ``nama_anak``, ``no_hp_ibu`` (either or both: the
child is found among the mothers of the posyandu), ``tanggal`` (the weighing date), ``berat_kg``,
``panjang_cm`` (either or both; decimal commas welcome) and optionally ``posisi`` (berbaring/berdiri) and
``tanggal_lahir`` (to tell two children of the same name apart). Every row goes through the same checks
as the chat (``flows.growth.record``): an implausible row is rejected with its reason, never stored.
Loading the same file again changes nothing (one measurement per child and day). Alarms of weighings
from the last ``RECENT_DAYS`` open cases for the bidan; mothers are not messaged (back-office catch-up).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Child, Contact, GrowthMeasurement, Posyandu
from flows.core.choices import simplify
from flows.core.dates import DateError, parse_date
from flows.core.phones import InvalidPhone, to_e164
from flows.core.settings import FlowSettings
from flows.growth import alarms as growth_alarms
from flows.growth import record as growth_record
from flows.growth.parse import parse_length, parse_position, parse_weight
from flows.growth.record import Implausible, Reading

RECENT_DAYS = 35
REQUIRED_ONE_OF = (("nama_anak", "no_hp_ibu"), ("berat_kg", "panjang_cm"))
REQUIRED = ("tanggal",)


class MeasurementFileError(ValueError):
    """The file itself is unusable (not CSV, required columns missing)."""


@dataclass
class MeasurementImport:
    stored: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    cases: list[int] = field(default_factory=list)


def _rows(lines: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    sample = list(lines)
    try:
        dialect = csv.Sniffer().sniff("".join(sample[:5]), delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(sample, dialect=dialect)
    header = [_column(name) for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    missing += ["/".join(group) for group in REQUIRED_ONE_OF if not any(name in header for name in group)]
    if missing:
        raise MeasurementFileError(f"missing column(s): {', '.join(missing)}")
    records = []
    for number, record in enumerate(reader, start=2):
        records.append(
            (
                number,
                {
                    _column(k): (v or "").strip()
                    for k, v in record.items()
                    if isinstance(k, str) and isinstance(v, str | None)
                },
            )
        )
    return records


def _column(name: str) -> str:
    """``No HP Ibu`` → ``no_hp_ibu``."""
    return simplify(name).replace(" ", "_")


def _find_child(session: Session, posyandu: Posyandu, record: dict[str, str], today: dt.date) -> Child:
    query = (
        select(Child)
        .join(Contact, Child.mother_id == Contact.id)
        .where(Contact.posyandu_id == posyandu.id, Contact.erased_at.is_(None))
    )
    phone = record.get("no_hp_ibu", "")
    if phone:
        try:
            query = query.where(Contact.phone == to_e164(phone))
        except InvalidPhone as error:
            raise ValueError(f"no_hp_ibu {phone!r} is not a phone number") from error
    children = list(session.scalars(query.order_by(Child.id)))
    name = simplify(record.get("nama_anak", ""))
    if name:
        children = [c for c in children if simplify(c.name) == name]
    born = record.get("tanggal_lahir", "")
    if born and len(children) > 1:
        try:
            dob = parse_date(born, today).value
        except DateError as error:
            raise ValueError(f"tanggal_lahir {born!r} is not a date") from error
        children = [c for c in children if c.date_of_birth == dob]
    if not children:
        raise ValueError("no such child registered at this posyandu")
    if len(children) > 1:
        raise ValueError("more than one child matches: add no_hp_ibu or tanggal_lahir")
    return children[0]


def _reading(record: dict[str, str], today: dt.date) -> Reading:
    raw_date = record.get("tanggal", "")
    try:
        measured = parse_date(raw_date, today).value
    except DateError as error:
        raise ValueError(f"tanggal {raw_date!r} is not a date") from error
    if measured > today:
        raise ValueError(f"tanggal {raw_date!r} is in the future")
    weight = length = None
    if record.get("berat_kg"):
        weight = parse_weight(record["berat_kg"])
        if weight is None:
            raise ValueError(f"berat_kg {record['berat_kg']!r} is not a weight")
    if record.get("panjang_cm"):
        length = parse_length(record["panjang_cm"])
        if length is None:
            raise ValueError(f"panjang_cm {record['panjang_cm']!r} is not a length")
    if weight is None and length is None:
        raise ValueError("no weight and no length")
    position = None
    if record.get("posisi"):
        position = parse_position(record["posisi"])
        if position is None:
            raise ValueError(f"posisi {record['posisi']!r} is not berbaring or berdiri")
    return Reading(measured, weight, length, position)


def _same(row: GrowthMeasurement | None, reading: Reading) -> bool:
    return (
        row is not None
        and row.weight_kg == reading.weight_kg
        and row.length_cm == reading.length_cm
        and row.position == (reading.position.value if reading.position else None)
    )


def import_measurements(
    session: Session,
    lines: Iterable[str],
    posyandu: Posyandu,
    *,
    now: dt.datetime,
    today: dt.date,
    settings: FlowSettings,
) -> MeasurementImport:
    """Check and store every row; a bad row is reported and skipped, the others still load."""
    report = MeasurementImport()
    latest: dict[int, growth_record.Outcome] = {}
    for line, record in _rows(lines):
        try:
            reading = _reading(record, today)
            child = _find_child(session, posyandu, record, today)
            existing = session.scalar(
                select(GrowthMeasurement).where(
                    GrowthMeasurement.child_id == child.id,
                    GrowthMeasurement.measured_on == reading.measured_on,
                )
            )
            if _same(existing, reading):
                report.unchanged += 1
                continue
            with session.begin_nested():
                outcome = growth_record.save(
                    session, child, reading, source="import", recorded_by=None, posyandu_id=posyandu.id
                )
        except Implausible as error:
            report.rejected.append(
                (line, f"implausible ({error.reason}): check the numbers and measure again")
            )
            continue
        except ValueError as error:
            report.rejected.append((line, str(error)))
            continue
        report.stored += 1
        known = latest.get(child.id)
        if known is None or known.measurement.measured_on <= reading.measured_on:
            latest[child.id] = outcome
    for child_id, outcome in latest.items():
        if (today - outcome.measurement.measured_on).days > RECENT_DAYS:
            continue
        found = session.get(Child, child_id)
        assert found is not None
        child = found
        rows = growth_record.history(session, child_id)
        trend = growth_record.trend_of_row(child, rows, outcome.measurement)
        for opened in growth_alarms.raise_alarms(
            session,
            mother=child.mother,
            child=child,
            result=outcome.result,
            trend=trend,
            rows=rows,
            now=now,
            settings=settings,
            today=today,
            actor=None,
            key=f"growth-import:{outcome.measurement.id}",
        ):
            if opened.is_new:
                report.cases.append(opened.case.id)
    return report
