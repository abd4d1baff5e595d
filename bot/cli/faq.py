"""``posyandu-bot faq``: which FAQ topic a mother's question is about, and the answer, as JSON lines."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from flows.knowledge import faq as answers

#: Scores are BM25 sums; two decimals tell the topics apart without pretending to more precision.
SCORE_DECIMALS = 2


def result_to_json(text: str, result: answers.FaqResult) -> dict[str, Any]:
    """The contract's output object for one question."""
    return {
        "text": text,
        "topic": result.topic,
        "matches": [{"topic": m.topic, "score": round(m.score, SCORE_DECIMALS)} for m in result.matches],
        "answer": result.answer,
    }


def _answer_line(text: str) -> tuple[dict[str, Any], bool]:
    question = text.rstrip("\r\n")
    if not question.strip():
        return {"error": "empty question: write the question on the line"}, False
    return result_to_json(question, answers.answer(question)), True


@click.command()
@click.argument("text", required=False)
@click.option("--batch", is_flag=True, help="Read questions from stdin, one per line.")
@click.pass_context
def faq(ctx: click.Context, text: str | None, batch: bool) -> None:
    """Find what a mother's question is about and the answer the bot gives.

    Give the question as TEXT, or use --batch to read one question per line from stdin.
    For each question one JSON line comes out: the question (text), the topic id it is about (topic,
    null when it is outside mother and child health), up to three closest topics with their scores
    (matches, best first), and the answer text in Indonesian. An empty line gives {"error": "..."};
    the other lines still run and the exit code is then 1.
    """
    if batch == (text is not None):
        raise click.UsageError("give the question as TEXT, or --batch to read questions from stdin", ctx=ctx)
    lines = [text] if text is not None else sys.stdin.read().splitlines()
    if not lines:
        raise click.UsageError("no question on stdin", ctx=ctx)
    rejected = 0
    for line in lines:
        output, ok = _answer_line(line)
        rejected += not ok
        click.echo(json.dumps(output, ensure_ascii=False))
    if rejected:
        ctx.exit(1)
