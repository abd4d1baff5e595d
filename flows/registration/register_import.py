"""Loading a posyandu register (CSV) of mothers, children and doses given: validate, then upsert.

Columns (header names, any order; see ``examples/register_example.csv``):

- ``nama_ibu``, ``no_hp`` (Indonesian mobile, any usual form), ``nama_anak``, ``jenis_kelamin`` (L/P),
  ``tanggal_lahir`` — required;
- ``persetujuan`` — required, ``ya`` when the mother signed the posyandu's consent form (UU 27/2022:
  health and children's data need her explicit consent; a row without it is rejected, nothing stored);
- one optional column per vaccine id of the schedule (``hb0``, ``bcg``, ``opv1`` ... ``mr2``): the date
  the dose was given, empty when not given.

Dates: ``2026-03-12``, ``12-03-2026``, ``12/3/2026`` or ``12 Maret 2026``. Loading the same file again
adds nothing: a mother is found by phone, a child by mother + name + date of birth, a dose by child
+ vaccine (a dose already recorded keeps its date).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Child, Contact, Event, ImmunizationDose, Posyandu, Role
from flows.core.choices import clean_name, match_option, simplify
from flows.core.dates import DateError, parse_date
from flows.core.phones import InvalidPhone, to_e164
from flows.knowledge.immunization_schedule import national_schedule
from flows.registration.child_questions import MAX_AGE_DAYS, SEXES
from flows.services.immunization_plans import refresh_child

REQUIRED = ("nama_ibu", "no_hp", "nama_anak", "jenis_kelamin", "tanggal_lahir", "persetujuan")
CONSENT_YES = {"ya", "y", "yes", "setuju", "1", "sudah", "true"}


class RegisterFormatError(ValueError):
    """The file itself is unusable (not CSV, required columns missing)."""


@dataclass
class RegisterRow:
    line: int
    mother: str
    phone: str
    child: str
    sex: str
    dob: dt.date
    doses: dict[str, dt.date]


@dataclass
class ImportReport:
    loaded: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)


def _date(text: str, today: dt.date, what: str) -> dt.date:
    try:
        value = parse_date(text, today).value
    except DateError as error:
        raise ValueError(f"{what}: {text!r} is not a date ({error.reason})") from error
    if value > today:
        raise ValueError(f"{what}: {value.isoformat()} is in the future")
    return value


def parse_row(line: int, record: dict[str, str], today: dt.date) -> RegisterRow:
    """One CSV record → a checked row; raises ValueError with the reason."""
    value = {key: (text or "").strip() for key, text in record.items() if key}
    if simplify(value.get("persetujuan", "")) not in CONSENT_YES:
        raise ValueError("no written consent (persetujuan must be 'ya'): nothing stored for this mother")
    mother = clean_name(value.get("nama_ibu", ""))
    if mother is None:
        raise ValueError(f"nama_ibu: {value.get('nama_ibu')!r} is not a name")
    try:
        phone = to_e164(value.get("no_hp", ""))
    except InvalidPhone:
        raise ValueError(f"no_hp: {value.get('no_hp')!r} is not a phone number") from None
    child = clean_name(value.get("nama_anak", ""))
    if child is None:
        raise ValueError(f"nama_anak: {value.get('nama_anak')!r} is not a name")
    sex = match_option(value.get("jenis_kelamin", ""), SEXES)
    if sex is None:
        raise ValueError(f"jenis_kelamin: {value.get('jenis_kelamin')!r} must be L or P")
    dob = _date(value.get("tanggal_lahir", ""), today, "tanggal_lahir")
    if (today - dob).days > MAX_AGE_DAYS:
        raise ValueError(f"tanggal_lahir: {dob.isoformat()} is more than 5 years ago")
    doses = {}
    for vaccine in national_schedule().ids:
        text = value.get(vaccine, "")
        if text and simplify(text) not in {"", "belum", "tidak", "0"}:
            given = _date(text, today, vaccine)
            if given < dob:
                raise ValueError(f"{vaccine}: {given.isoformat()} is before the date of birth")
            doses[vaccine] = given
    return RegisterRow(line, mother, phone, child, sex, dob, doses)


def read_register(lines: Iterable[str]) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header (lower-cased) and the records with their line numbers."""
    reader = csv.DictReader(lines, skipinitialspace=True)
    if reader.fieldnames is None:
        raise RegisterFormatError("the file is empty")
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames]
    missing = [name for name in REQUIRED if name not in reader.fieldnames]
    if missing:
        raise RegisterFormatError(f"missing columns: {', '.join(missing)}")
    records = [
        (reader.line_num, dict(record))
        for record in reader
        if any((v or "").strip() for v in record.values() if isinstance(v, str))
    ]
    return list(reader.fieldnames), records


def _mother(session: Session, row: RegisterRow, posyandu: Posyandu, now: dt.datetime, source: str) -> Contact:
    contact = session.scalar(select(Contact).where(Contact.phone == row.phone))
    if contact is not None:
        if contact.role != Role.IBU:
            raise ValueError(f"no_hp: {row.phone} belongs to a {contact.role}")
        if contact.posyandu_id not in (None, posyandu.id):
            raise ValueError(f"no_hp: {row.phone} is registered at another posyandu")
        if contact.consent_refused_at is not None or contact.consent_withdrawn_at is not None:
            raise ValueError("the mother refused or withdrew consent in the chat; ask her again first")
        if contact.consent_given_at is None:
            contact.consent_given_at = now
            session.add(
                Event(
                    at=now,
                    actor_id=contact.id,
                    actor_role="kader",
                    kind="consent_given",
                    details={"source": source},
                )
            )
        contact.posyandu_id = posyandu.id
        contact.registered_at = contact.registered_at or now
        contact.name = contact.name or row.mother
        return contact
    contact = Contact(
        phone=row.phone,
        role=Role.IBU,
        name=row.mother,
        posyandu_id=posyandu.id,
        consent_given_at=now,
        registered_at=now,
        created_at=now,
    )
    session.add(contact)
    session.flush()
    session.add(
        Event(
            at=now, actor_id=contact.id, actor_role="kader", kind="consent_given", details={"source": source}
        )
    )
    return contact


def load_row(
    session: Session,
    row: RegisterRow,
    posyandu: Posyandu,
    now: dt.datetime,
    today: dt.date,
    source: str,
    report: ImportReport,
) -> None:
    """Upsert one checked row (inside a savepoint: a rejected row leaves nothing behind)."""
    with session.begin_nested():
        changed = False
        existing = session.scalar(select(Contact).where(Contact.phone == row.phone))
        contact = _mother(session, row, posyandu, now, source)
        changed |= existing is None or existing.consent_given_at == now
        child = session.scalar(
            select(Child).where(
                Child.mother_id == contact.id,
                func.lower(Child.name) == row.child.lower(),
                Child.date_of_birth == row.dob,
            )
        )
        if child is None:
            child = Child(
                mother_id=contact.id, name=row.child, sex=row.sex, date_of_birth=row.dob, created_at=now
            )
            session.add(child)
            session.flush()
            changed = True
        recorded = {
            dose.vaccine: dose
            for dose in session.scalars(select(ImmunizationDose).where(ImmunizationDose.child_id == child.id))
        }
        for vaccine, given_on in row.doses.items():
            if vaccine in recorded:
                if recorded[vaccine].given_on != given_on:
                    report.notes.append(
                        (
                            row.line,
                            f"{vaccine} already recorded on {recorded[vaccine].given_on.isoformat()}; kept",
                        )
                    )
                continue
            session.add(
                ImmunizationDose(
                    child_id=child.id,
                    vaccine=vaccine,
                    given_on=given_on,
                    source="register",
                    recorded_by=None,
                    created_at=now,
                )
            )
            changed = True
        session.flush()
        session.refresh(child)
        if changed:
            refresh_child(session, child, today)
    if changed:
        report.loaded += 1
    else:
        report.unchanged += 1


def import_register(
    session: Session, lines: Iterable[str], posyandu: Posyandu, now: dt.datetime, today: dt.date, source: str
) -> ImportReport:
    """Check and load every row; a bad row is reported and skipped, the others still load."""
    _header, records = read_register(lines)
    report = ImportReport()
    for line, record in records:
        try:
            row = parse_row(line, record, today)
            load_row(session, row, posyandu, now, today, source, report)
        except ValueError as error:
            report.rejected.append((line, str(error)))
    return report
