"""Long-running processes: ``serve`` (all in one), ``worker`` (the outbox) and ``scheduler`` (the clock).

Each stops gracefully on Ctrl-C (SIGINT) and on SIGTERM: the worker finishes the row it is sending.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import click

from bot.cli.common import open_runtime
from bot.runtime import flow_settings

EXAMPLE_PHONE = "+6281234567890"


def _this_command() -> str:
    """How the user started us (``.venv/bin/posyandu-bot`` after ``make run``), to repeat it back."""
    invoked = Path(sys.argv[0])
    if invoked.name == "posyandu-bot" and invoked.parent != Path(".") and not shutil.which("posyandu-bot"):
        return os.path.relpath(invoked)
    return "posyandu-bot"


@contextmanager
def _on_stop_signals(handler: Callable[[int, Any], None]) -> Iterator[None]:
    """Call ``handler`` on SIGINT and SIGTERM while inside the block (main thread only)."""
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


@click.command()
@click.option("--idle-seconds", default=1.0, show_default=True, help="Pause when there is nothing to send.")
def worker(idle_seconds: float) -> None:
    """Send the outbox: claim due messages, send them (at most POSYANDU_SEND_RATE per second), retry
    failed ones with backoff, and retry incoming messages whose processing failed.

    Run one or more; they never send the same message twice. Stops cleanly on Ctrl-C or SIGTERM.
    """
    from bot.worker import run_forever

    runtime = open_runtime()
    stop = threading.Event()
    with _on_stop_signals(lambda _signum, _frame: stop.set()):
        run_forever(runtime, stop, idle_seconds=idle_seconds)
    runtime.engine.dispose()


@click.command()
def scheduler() -> None:
    """Run the clock: reminders, broadcasts and housekeeping at their times (exactly one per deployment)."""
    from scheduler.clock import run_blocking

    runtime = open_runtime()
    click.echo("posyandu-bot scheduler running; Ctrl-C to stop.")
    with _on_stop_signals(_interrupt), suppress(KeyboardInterrupt, SystemExit):
        run_blocking(runtime.engine, runtime.sessions, flow_settings(runtime))
    runtime.engine.dispose()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=int, help="Web request threads.")
def serve(host: str, port: int, threads: int) -> None:
    """Run everything in one process: the web app (Twilio webhooks, health check), the outbox worker
    and the scheduler clock. On the embedded default nothing is sent to the network: the log
    transport records outgoing messages in instance/outbound/outbound.jsonl.
    """
    from waitress import create_server

    from bot import create_app, runtime_of
    from bot.worker import run_forever
    from scheduler.clock import start_background

    app = create_app()
    runtime = runtime_of(app)
    stop = threading.Event()
    sender = threading.Thread(target=run_forever, args=(runtime, stop), name="outbox-worker", daemon=True)
    sender.start()
    clock = start_background(runtime.engine, runtime.sessions, flow_settings(runtime))
    server: Any = create_server(app, host=host, port=port, threads=threads)
    base = f"http://{host}:{server.effective_port}"
    settings = runtime.settings
    click.echo(f"posyandu-bot is serving on {base} (transport: {settings.TRANSPORT})")
    click.echo(f"  Twilio webhook:  {(settings.PUBLIC_URL or base).rstrip('/')}/webhooks/twilio/whatsapp")
    click.echo(f"  Chat with the bot in another terminal:  {_this_command()} chat --phone {EXAMPLE_PHONE}")
    click.echo("  Ctrl-C to stop.")
    with _on_stop_signals(_interrupt):
        try:
            server.run()  # returns on KeyboardInterrupt (waitress closes its sockets)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            clock.shutdown(wait=False)
            sender.join(timeout=30)
            server.close()
            runtime.engine.dispose()
    click.echo("posyandu-bot stopped.")
