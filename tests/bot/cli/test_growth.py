"""`posyandu-bot growth --batch` keeps its contract: one JSON line per input line, errors on their own line."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.cli.main import cli

RESULT_KEYS = [
    "wfa_z",
    "hfa_z",
    "wfh_z",
    "bmi_z",
    "wfa_status",
    "hfa_status",
    "wfh_status",
    "flags",
    "warnings",
]


def run_growth(
    *lines: str, args: tuple[str, ...] = ("growth", "--batch")
) -> tuple[int, list[dict[str, object]]]:
    result = CliRunner().invoke(cli, list(args), input="".join(line + "\n" for line in lines))
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    return result.exit_code, outputs


def test_mixed_good_and_bad_lines() -> None:
    lines = [
        '{"sex": "L", "age_days": 1001, "weight_kg": 18, "length_cm": 120, "position": "standing"}',
        "this is not json",
        '{"sex": "X", "age_days": 100, "weight_kg": 5, "length_cm": 60}',
        '{"sex": "P", "age_days": 100, "weight_kg": 0, "length_cm": 60}',
        '{"sex": "P", "age_days": 100, "length_cm": 60}',
        '{"sex": "P", "age_days": -3, "weight_kg": 5, "length_cm": 60}',
        '{"sex": "P", "dob": "2025-03-01", "date": "2025-02-01", "weight_kg": 5, "length_cm": 60}',
        '{"sex": "P", "age_days": 100, "weight_kg": 5.6, "length_cm": 58.4, "position": "recumbent"}',
        "[1, 2, 3]",
    ]
    code, outputs = run_growth(*lines)
    assert code == 1
    assert len(outputs) == len(lines)
    errors = [i for i, output in enumerate(outputs) if "error" in output]
    assert errors == [1, 2, 3, 4, 5, 6, 8]
    for i in errors:
        assert list(outputs[i]) == ["error"] and isinstance(outputs[i]["error"], str)
    assert "sex" in str(outputs[2]["error"])
    assert "weight" in str(outputs[3]["error"]) and "weight" in str(outputs[4]["error"])
    assert "before birth" in str(outputs[6]["error"])

    who_check = outputs[0]
    assert list(who_check) == RESULT_KEYS
    assert (who_check["hfa_z"], who_check["wfa_z"], who_check["wfh_z"], who_check["bmi_z"]) == (
        7.31, 2.2, -2.39, -3.01,
    )  # fmt: skip
    assert who_check["hfa_status"] == "tinggi"
    assert who_check["wfa_status"] == "risiko_bb_lebih"
    assert who_check["wfh_status"] == "gizi_kurang"
    assert who_check["flags"] == ["hfa"]
    assert any("re-measure" in warning for warning in who_check["warnings"])  # type: ignore[attr-defined]
    assert list(outputs[7]) == RESULT_KEYS and outputs[7]["flags"] == []


def test_all_good_lines_exit_zero_and_z_scores_have_two_decimals() -> None:
    code, outputs = run_growth(
        '{"sex": "P", "age_days": 400, "weight_kg": 8.63, "length_cm": 74.9, "position": "recumbent"}',
        "",
        '{"sex": "L", "dob": "2024-01-15", "date": "2025-03-01", "weight_kg": 10.2, "length_cm": 80}',
    )
    assert code == 0
    assert len(outputs) == 2  # the blank line is skipped
    for output in outputs:
        assert list(output) == RESULT_KEYS
        for key in ("wfa_z", "hfa_z", "wfh_z", "bmi_z"):
            value = output[key]
            assert isinstance(value, float | int) and round(value, 2) == value


def test_dob_and_date_give_the_same_result_as_age_days() -> None:
    # 2024-01-15 → 2025-03-01 is 411 days
    _, by_dates = run_growth(
        '{"sex": "L", "dob": "2024-01-15", "date": "2025-03-01", "weight_kg": 10.2, "length_cm": 80}'
    )
    _, by_age = run_growth('{"sex": "L", "age_days": 411, "weight_kg": 10.2, "length_cm": 80}')
    assert by_dates == by_age


def test_sixty_months_or_more_is_not_an_error_but_gives_no_z_score() -> None:
    code, outputs = run_growth('{"sex": "L", "age_days": 1827, "weight_kg": 18.5, "length_cm": 110}')
    assert code == 0
    (output,) = outputs
    assert all(output[key] is None for key in RESULT_KEYS[:7])
    assert output["flags"] == [] and "60 months" in str(output["warnings"])


def test_oedema_and_outside_table_give_null_weight_based_values() -> None:
    _, outputs = run_growth(
        '{"sex": "P", "age_days": 500, "weight_kg": 7, "length_cm": 72, "oedema": true}',
        '{"sex": "P", "age_days": 10, "weight_kg": 2.1, "length_cm": 44.5}',
    )
    oedema, small = outputs
    assert (oedema["wfa_z"], oedema["wfh_z"], oedema["bmi_z"], oedema["wfa_status"]) == (
        None,
        None,
        None,
        None,
    )
    assert oedema["hfa_z"] is not None
    assert small["wfh_z"] is None and small["wfh_status"] is None and small["wfa_z"] is not None


def test_without_batch_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["growth"], input="")
    assert result.exit_code == 2
    assert "--batch" in result.output


def test_help_explains_the_input_in_plain_words() -> None:
    result = CliRunner().invoke(cli, ["growth", "--help"])
    assert result.exit_code == 0
    assert "sex is L (boy) or P (girl)" in result.output
    assert "--batch" in result.output
