"""``posyandu-bot triage``: danger signs in a mother's message, the urgency level and advice, as JSON lines."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from flows.knowledge import triage as triage_core


def result_to_json(text: str, result: triage_core.TriageResult) -> dict[str, Any]:
    """The contract's output object for one message."""
    return {
        "text": text,
        "level": result.level,
        "signs": list(result.signs),
        "advice": result.advice,
        "kind": result.kind,
    }


def _triage_line(text: str, age_days: int | None) -> tuple[dict[str, Any], bool]:
    message = text.rstrip("\r\n")
    if not message.strip():
        return {"error": "empty message: write the message on the line"}, False
    return result_to_json(message, triage_core.triage(message, age_days=age_days)), True


@click.command()
@click.argument("text", required=False)
@click.option("--batch", is_flag=True, help="Read messages from stdin, one per line.")
@click.option(
    "--age-days",
    type=click.IntRange(min=0),
    default=None,
    help="The child's age in days, when known (fever under 60 days is an emergency).",
)
@click.pass_context
def triage(ctx: click.Context, text: str | None, batch: bool, age_days: int | None) -> None:
    """Look for danger signs (tanda bahaya) in a mother's message and say how urgent it is.

    Give the message as TEXT, or use --batch to read one message per line from stdin.
    For each message one JSON line comes out: the message (text), the level (darurat: go to a health
    facility now; segera: see the bidan or puskesmas within 24 hours; biasa: no danger sign found), the
    ids of the signs found (signs) and the advice text in Indonesian. It never diagnoses. An empty line
    gives {"error": "..."}; the other lines still run and the exit code is then 1.
    """
    if batch == (text is not None):
        raise click.UsageError("give the message as TEXT, or --batch to read messages from stdin", ctx=ctx)
    lines = [text] if text is not None else sys.stdin.read().splitlines()
    if not lines:
        raise click.UsageError("no message on stdin", ctx=ctx)
    rejected = 0
    for line in lines:
        output, ok = _triage_line(line, age_days)
        rejected += not ok
        click.echo(json.dumps(output, ensure_ascii=False))
    if rejected:
        ctx.exit(1)
