"""Inbound throughput: the whole webhook path against a bare endpoint that only commits one row.

Both apps are served by waitress on 127.0.0.1 in this process, one after the other, with the same
client (``requests``, a few concurrent threads, a bounded number of requests), so the ratio shows what
the signature check, storing, the conversation engine and the outbox cost on top of one commit.

    .venv/bin/python bench/webhook_throughput.py [--requests 400] [--clients 4] [--threads 4]

The full path is the real app (SQLite, log transport, Twilio signature required); each request is a
signed incoming WhatsApp message from one of 50 phones, processed inline (replies in the outbox
before the 200). The bare endpoint inserts the message SID and body into a one-table SQLite file.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
from flask import Flask, request
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, func, insert, select
from twilio.request_validator import RequestValidator
from waitress import create_server

from bot import create_app, runtime_of
from db.models import InboundMessage, InboundStatus, OutboxMessage
from db.session import make_engine

TOKEN = "bench-auth-token"
TEXTS = ["halo", "1", "Siti Aminah", "menu", "kapan imunisasi campak?", "🙏", "2", "BANTUAN"]


def bare_app(database: Path) -> Flask:
    engine = make_engine(f"sqlite:///{database}")
    metadata = MetaData()
    table = Table(
        "message",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("sid", String(64), unique=True),
        Column("body", Text),
    )
    metadata.create_all(engine)
    app = Flask("bare")

    @app.post("/bare")
    def bare() -> tuple[str, int, dict[str, str]]:
        with engine.begin() as connection:
            connection.execute(
                insert(table).values(sid=request.form["MessageSid"], body=request.form["Body"])
            )
        return "<Response/>", 200, {"Content-Type": "text/xml"}

    app.extensions["engine"] = engine
    app.extensions["table"] = table
    return app


def serve(app: Flask, threads: int) -> tuple[Any, str]:
    server: Any = create_server(app, host="127.0.0.1", port=0, threads=threads)
    threading.Thread(target=server.run, daemon=True).start()
    return server, f"http://127.0.0.1:{server.effective_port}"


def forms(count: int, prefix: str) -> list[dict[str, str]]:
    return [
        {
            "MessageSid": f"SM{prefix}{n:08d}",
            "From": f"whatsapp:+62812{n % 50:07d}",
            "To": "whatsapp:+14155238886",
            "Body": TEXTS[(n // 50) % len(TEXTS)],
            "NumMedia": "0",
        }
        for n in range(count)
    ]


def drive(url: str, payloads: list[dict[str, str]], clients: int, sign: bool) -> tuple[float, list[float]]:
    """Send every payload (split over ``clients`` threads); returns wall seconds and per-request latencies."""
    validator = RequestValidator(TOKEN)
    prepared = [
        (form, {"X-Twilio-Signature": validator.compute_signature(url, form)} if sign else {})
        for form in payloads
    ]
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client(part: list[tuple[dict[str, str], dict[str, str]]]) -> None:
        with requests.Session() as session:
            for form, headers in part:
                started = time.perf_counter()
                response = session.post(url, data=form, headers=headers, timeout=30)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if response.status_code != 200:
                        failures.append(f"{response.status_code} {response.text[:80]}")

    parts = [prepared[n::clients] for n in range(clients)]
    threads = [threading.Thread(target=client, args=(part,)) for part in parts]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{len(failures)} requests failed, e.g. {failures[0]}")
    return wall, latencies


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(
    name: str, url: str, count: int, clients: int, sign: bool, check: Callable[[], str]
) -> dict[str, Any]:
    drive(url, forms(20, f"{name}warm"), clients, sign)  # warm-up: connections, caches, first queries
    wall, latencies = drive(url, forms(count, name), clients, sign)
    return {
        "name": name,
        "rate": count / wall,
        "p50": percentile(latencies, 0.50) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "mean": statistics.fmean(latencies) * 1000,
        "check": check(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="measured requests per endpoint")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    parser.add_argument("--threads", type=int, default=4, help="waitress worker threads")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth" is expected here

    with tempfile.TemporaryDirectory(prefix="posyandu-bench-") as tmp:
        bare = bare_app(Path(tmp) / "bare.db")
        bare_server, bare_base = serve(bare, args.threads)
        full = create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp}/posyandu.db",
                "TRANSPORT": "log",
                "TWILIO_AUTH_TOKEN": TOKEN,
                "LOG_DIR": f"{tmp}/outbound",
            }
        )
        full_server, full_base = serve(full, args.threads)
        runtime = runtime_of(full)

        def bare_check() -> str:
            table = bare.extensions["table"]
            with bare.extensions["engine"].connect() as connection:
                rows = connection.execute(select(func.count()).select_from(table)).scalar()
            return f"{rows} rows committed"

        def full_check() -> str:
            with runtime.sessions() as session:
                processed = session.scalar(
                    select(func.count()).where(InboundMessage.status == InboundStatus.PROCESSED)
                )
                replies = session.scalar(select(func.count()).select_from(OutboxMessage))
            return f"{processed} messages processed, {replies} replies in the outbox"

        results = [
            measure("bare", f"{bare_base}/bare", args.requests, args.clients, False, bare_check),
            measure(
                "full", f"{full_base}/webhooks/twilio/whatsapp", args.requests, args.clients, True, full_check
            ),
        ]
        for server in (bare_server, full_server):
            server.close()
        runtime.engine.dispose()

    print(
        f"{args.requests} requests per endpoint, {args.clients} clients, waitress {args.threads} threads, SQLite"
    )
    print(f"{'endpoint':<10} {'msg/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8}  check")
    for r in results:
        print(
            f"{r['name']:<10} {r['rate']:>8.1f} {r['p50']:>8.1f} {r['p99']:>8.1f} {r['mean']:>8.1f}  {r['check']}"
        )
    print(f"full path / bare commit throughput: {results[1]['rate'] / results[0]['rate']:.2f}")


if __name__ == "__main__":
    main()
