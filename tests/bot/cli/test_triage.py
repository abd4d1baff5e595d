"""``posyandu-bot triage``: the JSON lines contract of CONTRACTS.md."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.cli.main import cli
from flows.knowledge.triage import triage as triage_core

#: the contract's keys, in order; "kind" (now / question / past / ordinary) extends it
KEYS = ["text", "level", "signs", "advice", "kind"]


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["triage", *args], input=stdin)


def test_one_message_gives_one_json_line_with_level_signs_and_advice() -> None:
    result = run("anak sy kejang2 matanya mendelik")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert list(record) == KEYS
    assert record["text"] == "anak sy kejang2 matanya mendelik"
    assert record["level"] == "darurat"
    assert record["signs"] == ["kejang"]
    assert record["advice"] == triage_core("anak sy kejang2 matanya mendelik").advice
    assert record["kind"] == "now"


def test_a_question_about_a_sign_is_biasa_with_its_sign_and_asks_whether_it_is_happening_now() -> None:
    record = json.loads(run("kalau anak kejang harus gimana bun").output)
    assert (record["level"], record["signs"], record["kind"]) == ("biasa", ["kejang"], "question")
    assert "Balas YA" in record["advice"]


def test_ordinary_message_is_biasa_with_no_signs() -> None:
    record = json.loads(run("kapan jadwal imunisasi campak").output)
    assert (record["level"], record["signs"]) == ("biasa", [])
    assert record["advice"]


def test_batch_triages_every_line_and_rejects_an_empty_one_with_exit_1() -> None:
    result = run("--batch", stdin="bayi sy ga mau nenen\n\nanak diare dari pagi\n")
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) == 3
    assert records[0]["signs"] == ["tidak_bisa_minum"] and records[0]["level"] == "darurat"
    assert list(records[1]) == ["error"]
    assert records[2]["signs"] == ["diare"] and records[2]["level"] == "segera"


def test_batch_without_empty_lines_exits_0_and_keeps_text_exactly() -> None:
    result = run("--batch", stdin="Anakku PANAS 39°C!!\nhalo bun\n")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["text"] for r in records] == ["Anakku PANAS 39°C!!", "halo bun"]
    assert [r["level"] for r in records] == ["segera", "biasa"]


def test_age_days_turns_a_fever_under_two_months_into_an_emergency() -> None:
    young = json.loads(run("bayi saya panas", "--age-days", "30").output)
    older = json.loads(run("bayi saya panas", "--age-days", "120").output)
    assert (young["level"], young["signs"]) == ("darurat", ["demam_bayi_muda"])
    assert (older["level"], older["signs"]) == ("segera", ["demam"])


def test_neither_text_nor_batch_is_a_usage_error() -> None:
    assert run().exit_code == 2
    assert run("halo", "--batch").exit_code == 2
    assert run("halo", "--age-days", "-3").exit_code == 2


def test_help_explains_the_levels() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "darurat" in result.output and "--batch" in result.output
