"""The daily immunization reminder selection over a synthetic population, against a plain SELECT.

    .venv/bin/python bench/reminders_selection.py [--children 1000000] [--sqlite PATH]
        [--postgres postgresql+psycopg://...] [--repeat 9]

For each database the benchmark builds the real schema (Alembic), generates the population with numpy
(bounded: ``--children`` children, 0-59 months old, about one mother per 1.25 children, 5,000 posyandu
in WIB/WITA/WIT meeting on a fixed day of the month, 2 % of mothers opted out and 3 % without consent,
past doses recorded for 85-95 % of them, and the reminder log as the scheduler leaves it: every
step already past for the pending doses whose posyandu day is up to 60 days back or a week ahead), then times:

- the selection: ``flows.immunization.reminders.select_due`` for one local date — exactly what
  ``posyandu-bot reminders due --date`` runs (h-7, h-1, h0 and the three overdue follow-ups, joined with
  child, mother, consent and opt-out flags, posyandu, minus what was already enqueued);
- the plain SELECT: ``SELECT *`` of a table holding exactly the rows the selection returned.

Both go through the same SQLAlchemy session and fetch every row, with the garbage collector paused
while a run is timed (as ``timeit`` does: a collection during the 50,000-row fetch otherwise doubles
a run at random); the best and the median of ``--repeat`` runs are reported, with their ratios.
The data is dropped at the end (SQLite: the temporary file is removed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import BigInteger, Column, Date, Engine, MetaData, String, Table, select, text
from sqlalchemy.orm import Session

from db.models import DoseDue
from db.session import make_engine, upgrade
from flows.immunization.reminders import STEP_OFFSETS, select_due
from flows.knowledge.immunization_schedule import national_schedule

DAY = dt.date(2026, 6, 15)
ZONES = np.array(["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"])
POSYANDU = 5000
SEED = 20260615


def _span_days(span) -> float:  # type: ignore[no-untyped-def]
    return 0.0 if span is None else span.months * 30.4375 + span.weeks * 7 + span.days


def generate(children: int) -> dict[str, dict[str, np.ndarray]]:
    """The synthetic population as columns (numpy arrays), ready for bulk loading."""
    rng = np.random.default_rng(SEED)
    day = np.datetime64(DAY.isoformat())
    mothers = int(children / 1.25)
    posyandu_zone = rng.choice(ZONES, size=POSYANDU, p=[0.7, 0.2, 0.1])
    meeting_day = rng.integers(1, 29, size=POSYANDU)
    mother_posyandu = rng.integers(1, POSYANDU + 1, size=mothers)
    consent = rng.random(mothers) >= 0.03
    opted_out = rng.random(mothers) < 0.02
    child_mother = np.concatenate(
        [np.arange(1, mothers + 1), rng.integers(1, mothers + 1, size=children - mothers)]
    )
    rng.shuffle(child_mother)
    dob = day - rng.integers(0, 1826, size=children).astype("timedelta64[D]")
    due_rows: list[tuple[np.ndarray, ...]] = []
    for dose in national_schedule().doses:
        due = dob + np.round(_span_days(dose.recommended)).astype("timedelta64[D]")
        until = dob + np.round(_span_days(dose.until)).astype("timedelta64[D]") if dose.until else None
        # The posyandu day: that posyandu's meeting day in the due month, or in the next month.
        meet = meeting_day[mother_posyandu[child_mother - 1] - 1]
        month = due.astype("datetime64[M]")
        same = month.astype("datetime64[D]") + (meet - 1).astype("timedelta64[D]")
        target = np.where(
            same >= due, same, (month + 1).astype("datetime64[D]") + (meet - 1).astype("timedelta64[D]")
        )
        past = target < day - np.timedelta64(35, "D")
        recent = (target < day) & ~past
        given = (past & (rng.random(children) < 0.9)) | (recent & (rng.random(children) < 0.5))
        keep = ~given
        if until is not None:
            keep &= until >= day - np.timedelta64(60, "D")  # long-lapsed doses were dropped by refresh
        ids = np.nonzero(keep)[0]
        due_rows.append(
            (
                ids + 1,
                np.full(ids.size, dose.id),
                due[ids],
                until[ids]
                if until is not None
                else np.full(ids.size, np.datetime64("NaT"), dtype="datetime64[D]"),
                target[ids],
            )
        )
    dose_due = {
        name: np.concatenate([part[i] for part in due_rows])
        for i, name in enumerate(("child_id", "vaccine", "due", "until", "target"))
    }
    order = np.lexsort((dose_due["vaccine"], dose_due["child_id"]))
    dose_due = {name: column[order] for name, column in dose_due.items()}
    # The reminder log as the scheduler leaves it: for every pending dose with a posyandu day from
    # 60 days back to a week ahead, each step whose sending day is already past.
    log: dict[str, list[np.ndarray]] = {"child_id": [], "vaccine": [], "step": [], "target": []}
    active = (dose_due["target"] >= day - np.timedelta64(60, "D")) & (
        dose_due["target"] < day + np.timedelta64(7, "D")
    )
    for step, offset in STEP_OFFSETS.items():
        sent = active & (dose_due["target"] + np.timedelta64(offset, "D") < day)
        log["child_id"].append(dose_due["child_id"][sent])
        log["vaccine"].append(dose_due["vaccine"][sent])
        log["step"].append(np.full(int(sent.sum()), step))
        log["target"].append(dose_due["target"][sent])
    return {
        "posyandu": {"id": np.arange(1, POSYANDU + 1), "timezone": posyandu_zone},
        "contact": {
            "id": np.arange(1, mothers + 1),
            "posyandu_id": mother_posyandu,
            "consent": consent,
            "opted_out": opted_out,
        },
        "child": {"id": np.arange(1, children + 1), "mother_id": child_mother, "dob": dob},
        "dose_due": dose_due,
        "immunization_reminder": {name: np.concatenate(parts) for name, parts in log.items()},
    }


def _rows(data: dict[str, dict[str, np.ndarray]], table: str) -> tuple[list[str], list[list[object]]]:
    """(columns, rows) in database form: text dates, NULLs as None."""
    now = "2026-01-01 00:00:00"
    cols = data[table]
    if table == "posyandu":
        ids = cols["id"].tolist()
        return ["id", "name", "timezone", "created_at"], [
            [i, f"Posyandu {i}", zone, now] for i, zone in zip(ids, cols["timezone"].tolist(), strict=True)
        ]
    if table == "contact":
        consent = np.where(cols["consent"], now, None).tolist()
        opted = np.where(cols["opted_out"], now, None).tolist()
        return [
            "id",
            "phone",
            "role",
            "name",
            "posyandu_id",
            "consent_given_at",
            "opted_out_at",
            "registered_at",
            "created_at",
            "updated_at",
        ], [
            [i, f"+628{i:010d}", "ibu", f"Ibu {i}", p, c, o, now, now, now]
            for i, p, c, o in zip(
                cols["id"].tolist(), cols["posyandu_id"].tolist(), consent, opted, strict=True
            )
        ]
    if table == "child":
        return ["id", "mother_id", "name", "sex", "date_of_birth", "created_at"], [
            [i, m, f"Anak {i}", "L" if i % 2 else "P", d, now]
            for i, m, d in zip(
                cols["id"].tolist(), cols["mother_id"].tolist(), cols["dob"].astype(str).tolist(), strict=True
            )
        ]
    if table == "dose_due":
        until = cols["until"].astype(str)
        return ["child_id", "vaccine", "due", "until", "target"], [
            [c, v, d, None if u == "NaT" else u, t]
            for c, v, d, u, t in zip(
                cols["child_id"].tolist(),
                cols["vaccine"].tolist(),
                cols["due"].astype(str).tolist(),
                until.tolist(),
                cols["target"].astype(str).tolist(),
                strict=True,
            )
        ]
    return ["child_id", "vaccine", "step", "target", "outcome", "created_at"], [
        [c, v, s, t, "enqueued", now]
        for c, v, s, t in zip(
            cols["child_id"].tolist(),
            cols["vaccine"].tolist(),
            cols["step"].tolist(),
            cols["target"].astype(str).tolist(),
            strict=True,
        )
    ]


TABLES = ("posyandu", "contact", "child", "dose_due", "immunization_reminder")
SECONDARY_INDEXES = {"dose_due": ["ix_dose_due_target"]}


def load(engine: Engine, data: dict[str, dict[str, np.ndarray]]) -> None:
    """Bulk-load the population (secondary indexes built after the load, as a restore would)."""
    indexes = [index for index in DoseDue.__table__.indexes if index.name in SECONDARY_INDEXES["dose_due"]]
    with engine.begin() as connection:
        for index in indexes:
            index.drop(connection)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for table in TABLES:
            columns, rows = _rows(data, table)
            if engine.dialect.name == "postgresql":
                buffer = io.StringIO()
                for row in rows:
                    buffer.write("\t".join("\\N" if value is None else str(value) for value in row) + "\n")
                buffer.seek(0)
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                    while chunk := buffer.read(1 << 20):
                        copy.write(chunk)
            else:
                marks = ", ".join("?" for _ in columns)
                cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
            del rows
        raw.commit()
    finally:
        raw.close()
    with engine.begin() as connection:
        for index in indexes:
            index.create(connection)
        connection.execute(text("ANALYZE"))


EXPECTED = Table(
    "bench_expected",
    MetaData(),
    Column("contact_id", BigInteger),
    Column("phone", String(20)),
    Column("mother", String(120)),
    Column("child_id", BigInteger),
    Column("child", String(120)),
    Column("vaccine", String(20)),
    Column("step", String(10)),
    Column("target", Date),
    Column("due", Date),
    Column("timezone", String(40)),
    Column("posyandu_id", BigInteger),
    Column("posyandu", String(120)),
)


def _seconds(action: Callable[[], list[Any]]) -> tuple[float, int]:
    """One timed run with the garbage collector paused: its seconds and how many rows it returned."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        rows = action()
        return time.perf_counter() - start, len(rows)
    finally:
        gc.enable()


def timed(engine: Engine, repeat: int) -> tuple[list[float], list[float], int]:
    """Seconds of each run of the selection and of the plain SELECT of the same rows, and the row count.

    The plain SELECT reads a table holding exactly the selected rows, with the same column types,
    through the same session, so both pay the same fetch and type conversion per row. The runs
    alternate, so a slower moment of the machine weighs on both.
    """
    selection_runs: list[float] = []
    plain_runs: list[float] = []
    with Session(engine) as session:
        rows = select_due(session, DAY)
        EXPECTED.drop(session.connection(), checkfirst=True)
        EXPECTED.create(session.connection())
        if rows:
            session.execute(EXPECTED.insert(), [row._asdict() for row in rows])
        session.commit()
        for _ in range(repeat):
            seconds, selected = _seconds(lambda: select_due(session, DAY))
            selection_runs.append(seconds)
            session.rollback()
            seconds, plain = _seconds(lambda: list(session.execute(select(EXPECTED)).all()))
            plain_runs.append(seconds)
            session.rollback()
            assert selected == plain == len(rows)
    return selection_runs, plain_runs, len(rows)


def run(url: str, data: dict[str, dict[str, np.ndarray]], repeat: int, keep: bool = False) -> None:
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    started = time.perf_counter()
    load(engine, data)
    loaded = time.perf_counter() - started
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    selection, plain, count = timed(engine, repeat)
    best, median = min(selection), statistics.median(selection)
    plain_best, plain_median = min(plain), statistics.median(plain)
    print(
        f"{engine.dialect.name:<10} children={len(data['child']['id']):,} "
        f"dose_due={len(data['dose_due']['child_id']):,} "
        f"reminder_log={len(data['immunization_reminder']['child_id']):,} load={loaded:.0f}s rows={count:,}\n"
        f"           selection best={best:.3f}s median={median:.3f}s  "
        f"plain select best={plain_best:.3f}s median={plain_median:.3f}s  "
        f"ratio best={best / plain_best:.2f} median={median / plain_median:.2f}"
    )
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql" and not keep:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--sqlite", help="SQLite file to use (default: a temporary file, removed after)")
    parser.add_argument("--postgres", help="PostgreSQL URL (its public schema is dropped and rebuilt)")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL data (to look at plans)")
    args = parser.parse_args()
    started = time.perf_counter()
    data = generate(args.children)
    print(f"generated in {time.perf_counter() - started:.0f}s (local date {DAY.isoformat()})")
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(args.sqlite) if args.sqlite else Path(folder) / "bench.db"
            run(f"sqlite:///{path}", data, args.repeat)
    if args.postgres:
        run(args.postgres, data, args.repeat, keep=args.keep)


if __name__ == "__main__":
    main()
