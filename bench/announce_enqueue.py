"""Benchmark: enqueue one announcement to 10,000 mothers, and the worker's send rate over a real run.

    .venv/bin/python bench/announce_enqueue.py [--recipients 10000] [--database-url URL]
                                               [--rate 50] [--messages 300]

1. Enqueue: a posyandu with N consenting mothers; the time of one firing (audience query, daily-limit
   count, one bulk INSERT of N outbox rows, commit), then of a second firing of the same run (adds 0).
   Goal: < 2 s for 10,000. Runs on a fresh SQLite file, and on ``--database-url`` too when given (its
   own rows are deleted afterwards; use a scratch database).
2. Rate: ``--messages`` announcement rows sent by one ``bot.worker`` with the log transport and the real
   clock at ``SEND_RATE=--rate``; the rate is measured from the transport's timestamps of the first and
   last send. Goal: within ±5 % of the configured rate.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import load_settings
from bot.runtime import build_runtime
from bot.worker import OutboxWorker, run_forever
from db.models import Announcement, Contact, OutboxMessage, OutboxStatus, Posyandu, utcnow
from db.session import make_engine, make_session_factory, upgrade
from flows.announcements import broadcast as announcements
from flows.core.settings import FlowSettings


def _daytime_zone() -> str:
    """A fixed-offset zone where it is about noon now, so the daytime rule lets everything go."""
    offset = 12 - dt.datetime.now(dt.UTC).hour
    offset = max(-12, min(14, offset))
    return f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"


def populate(sessions: sessionmaker[Session], count: int, zone: str) -> tuple[int, int]:
    """A posyandu with ``count`` consenting mothers and one announcement to all of them."""
    tag = uuid.uuid4().hex[:8]
    now = utcnow()
    with sessions() as session, session.begin():
        post = Posyandu(name=f"Bench {tag}", timezone=zone)
        session.add(post)
        session.flush()
        prefix = f"+6289{int(tag, 16) % 10_000:04d}"
        session.execute(
            insert(Contact),
            [
                {
                    "phone": f"{prefix}{i:06d}",
                    "role": "ibu",
                    "name": f"Ibu {i}",
                    "posyandu_id": post.id,
                    "consent_given_at": now,
                    "registered_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(count)
            ],
        )
        announcement = announcements.create(
            session, post, text="Posyandu besok pukul 08.00. Bawa Buku KIA.", audience="all",
            repeat=announcements.ONCE, now=now, created_by=None, send_at=now,
        )  # fmt: skip
        return post.id, announcement.id


def fire(sessions: sessionmaker[Session], announcement_id: int, settings: FlowSettings) -> tuple[float, int]:
    start = time.perf_counter()
    now = utcnow()
    with sessions() as session, session.begin():
        announcement = session.get(Announcement, announcement_id)
        assert announcement is not None
        result = announcements.fan_out(session, announcement, now.date(), now, settings)
    return time.perf_counter() - start, result.added


def cleanup(sessions: sessionmaker[Session], posyandu_id: int, announcement_id: int) -> None:
    with sessions() as session, session.begin():
        session.execute(
            delete(OutboxMessage).where(OutboxMessage.ref == announcements.ref_of(announcement_id))
        )
        session.execute(delete(Announcement).where(Announcement.id == announcement_id))
        session.execute(delete(Contact).where(Contact.posyandu_id == posyandu_id))
        session.execute(delete(Posyandu).where(Posyandu.id == posyandu_id))


def bench_enqueue(url: str, count: int, keep: bool) -> dict[str, object]:
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    settings = FlowSettings(daily_recipient_limit=10 * count)
    posyandu_id, announcement_id = populate(sessions, count, "Asia/Jakarta")
    first, added = fire(sessions, announcement_id, settings)
    again, added_again = fire(sessions, announcement_id, settings)
    if not keep:
        cleanup(sessions, posyandu_id, announcement_id)
    engine.dispose()
    return {
        "database": engine.dialect.name,
        "recipients": count,
        "enqueue_seconds": round(first, 3),
        "rows_added": added,
        "second_firing_seconds": round(again, 3),
        "second_firing_rows_added": added_again,
        "goal_met": first < 2.0,
    }


def bench_rate(rate: float, messages: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as directory:
        settings = load_settings(
            {
                "DATABASE_URL": f"sqlite:///{directory}/rate.db",
                "TRANSPORT": "log",
                "LOG_DIR": f"{directory}/outbound",
                "SEND_RATE": rate,
            },
            environ={},
        )
        runtime = build_runtime(settings)
        sessions = runtime.sessions
        _posyandu, announcement_id = populate(sessions, messages, _daytime_zone())
        fire(sessions, announcement_id, FlowSettings(daily_recipient_limit=10 * messages))
        stop = threading.Event()
        worker = OutboxWorker(runtime)
        thread = threading.Thread(
            target=run_forever, args=(runtime, stop), kwargs={"worker": worker, "idle_seconds": 0.05}
        )
        started = time.perf_counter()
        thread.start()
        deadline = started + messages / rate * 3 + 30
        while time.perf_counter() < deadline:
            with sessions() as session:
                left = session.scalar(
                    select(OutboxMessage.id)
                    .where(OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)))
                    .limit(1)
                )
            if left is None:
                break
            time.sleep(0.2)
        stop.set()
        thread.join()
        records = runtime.transport.records()  # type: ignore[attr-defined]
        runtime.engine.dispose()
    stamps = sorted(dt.datetime.fromisoformat(record["at"]) for record in records)
    span = (stamps[-1] - stamps[0]).total_seconds()
    measured = (len(stamps) - 1) / span if span > 0 else float("inf")
    return {
        "configured_rate": rate,
        "messages_sent": len(stamps),
        "seconds_first_to_last": round(span, 3),
        "measured_rate": round(measured, 2),
        "deviation_percent": round((measured - rate) / rate * 100, 2),
        "goal_met": abs(measured - rate) / rate <= 0.05 and len(stamps) == messages,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--database-url", help="also run the enqueue benchmark on this (scratch) database")
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark rows")
    args = parser.parse_args()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as directory:
        results["enqueue_sqlite"] = bench_enqueue(
            f"sqlite:///{directory}/bench.db", args.recipients, args.keep
        )
    if args.database_url:
        results["enqueue_other"] = bench_enqueue(args.database_url, args.recipients, args.keep)
    results["worker_rate"] = bench_rate(args.rate, args.messages)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
