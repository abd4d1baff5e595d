"""``posyandu-bot faq``: the JSON lines contract of CONTRACTS.md."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.cli.main import cli
from flows.knowledge import faq

KEYS = ["text", "topic", "matches", "answer"]


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["faq", *args], input=stdin)


def test_one_question_gives_one_json_line_with_topic_matches_and_answer() -> None:
    result = run("asip di kulkas tahan brp hari")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert list(record) == KEYS
    assert record["text"] == "asip di kulkas tahan brp hari"
    assert record["topic"] == "asi_perah_simpan"
    assert 1 <= len(record["matches"]) <= 3
    assert record["matches"][0]["topic"] == "asi_perah_simpan"
    scores = [match["score"] for match in record["matches"]]
    assert all(isinstance(score, float) for score in scores)
    assert scores == sorted(scores, reverse=True)
    assert all(list(match) == ["topic", "score"] for match in record["matches"])
    assert record["answer"] == faq.topic_answer("asi_perah_simpan")


def test_out_of_scope_question_has_null_topic_and_a_kind_answer() -> None:
    result = run("harga tiket pesawat ke medan")
    assert result.exit_code == 0
    record = json.loads(result.output)
    assert record["topic"] is None
    assert record["answer"] == faq.out_of_scope_answer()


def test_batch_answers_every_line_and_rejects_an_empty_one_with_exit_1() -> None:
    result = run("--batch", stdin="kapan mulai mpasi\n\nbayi demam abis imunisasi\n")
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) == 3
    assert records[0]["topic"] == "mpasi_mulai"
    assert list(records[1]) == ["error"]
    assert records[2]["topic"] == "imunisasi_efek_samping"


def test_batch_keeps_indonesian_text_readable_and_in_order() -> None:
    questions = ["puting lecet gimana", "cuti melahirkan berapa bulan", "halo bun"]
    result = run("--batch", stdin="\n".join(questions) + "\n")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["text"] for r in records] == questions
    assert [r["topic"] for r in records] == ["asi_payudara_masalah", "asi_kerja_hak", "sapaan"]
    assert "\\u" not in result.output


def test_an_empty_text_is_a_rejected_line_with_exit_1() -> None:
    result = run("   ")
    assert result.exit_code == 1
    assert list(json.loads(result.output)) == ["error"]


def test_no_question_at_all_is_a_usage_error() -> None:
    assert run().exit_code == 2
    assert run("--batch", stdin="").exit_code == 2
    assert run("kapan mpasi", "--batch", stdin="x\n").exit_code == 2


def test_help_explains_the_command() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "--batch" in result.output
