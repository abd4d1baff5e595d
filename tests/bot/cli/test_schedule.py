"""`posyandu-bot schedule` keeps its contract: one JSON list by due date, exit 2 on a usage error."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

from bot.cli.main import cli

KEYS = ["vaccine", "due", "until", "status", "given_on"]
CONTRACT_IDS = set(
    "hb0 bcg opv1 opv2 opv3 opv4 dpt_hb_hib1 dpt_hb_hib2 dpt_hb_hib3 dpt_hb_hib4 pcv1 pcv2 pcv3 "
    "rv1 rv2 rv3 ipv1 ipv2 mr1 mr2".split()
)


def run_schedule(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["schedule", *args], env=env)


def doses(result: Result) -> dict[str, dict[str, object]]:
    return {entry["vaccine"]: entry for entry in json.loads(result.stdout)}


def test_output_is_one_json_list_in_due_date_order_with_the_contract_keys() -> None:
    result = run_schedule(
        "--dob", "2026-01-31", "--today", "2026-04-01",
        "--given", "hb0=2026-01-31", "--given", "bcg=2026-02-20",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.strip().splitlines()) == 1
    entries = json.loads(result.stdout)
    assert isinstance(entries, list)
    assert all(list(entry) == KEYS for entry in entries)
    assert {entry["vaccine"] for entry in entries} == CONTRACT_IDS
    assert [entry["due"] for entry in entries] == sorted(entry["due"] for entry in entries)
    assert entries[0] == {
        "vaccine": "hb0",
        "due": "2026-01-31",
        "until": "2026-02-07",
        "status": "given",
        "given_on": "2026-01-31",
    }
    by_id = {entry["vaccine"]: entry for entry in entries}
    assert by_id["bcg"] == {
        "vaccine": "bcg",
        "due": "2026-02-28",  # born 31 January: 1 month is the last day of February
        "until": "2027-01-30",
        "status": "given",
        "given_on": "2026-02-20",
    }
    assert by_id["opv1"]["status"] == "overdue"
    assert by_id["rv1"] == {
        "vaccine": "rv1",
        "due": "2026-03-31",
        "until": "2026-06-29",
        "status": "overdue",
        "given_on": None,
    }
    assert by_id["opv3"]["status"] == "upcoming"


def test_every_status_of_the_contract_can_come_out() -> None:
    result = run_schedule("--dob", "2025-01-15", "--today", "2025-06-15", "--given", "opv1=2025-02-15")
    statuses = {vaccine: entry["status"] for vaccine, entry in doses(result).items()}
    assert statuses["opv1"] == "given"
    assert statuses["rv1"] == "expired"
    assert statuses["opv2"] == "overdue"
    assert statuses["ipv2"] == "upcoming"
    due_soon = run_schedule("--dob", "2025-01-15", "--today", "2025-02-08")
    assert doses(due_soon)["bcg"]["status"] == "due"


def test_a_dose_given_too_early_is_not_reported_as_given() -> None:
    result = run_schedule("--dob", "2025-01-15", "--today", "2025-03-01", "--given", "dpt_hb_hib1=2025-02-19")
    assert result.exit_code == 0
    assert doses(result)["dpt_hb_hib1"] == {
        "vaccine": "dpt_hb_hib1",
        "due": "2025-03-15",
        "until": "2029-12-14",
        "status": "upcoming",
        "given_on": None,
    }


def test_the_same_dose_given_twice_with_the_same_date_is_accepted() -> None:
    result = run_schedule(
        "--dob", "2025-01-15", "--today", "2025-03-01", "--given", "bcg=2025-02-01", "--given", "bcg=2025-02-01"
    )  # fmt: skip
    assert result.exit_code == 0
    assert doses(result)["bcg"]["given_on"] == "2025-02-01"


def test_today_defaults_to_the_local_date_of_the_configured_zone() -> None:
    dob = "2025-01-15"
    for zone in ("Asia/Jakarta", "Asia/Jayapura"):
        local_today = datetime.now(ZoneInfo(zone)).date().isoformat()
        implicit = run_schedule("--dob", dob, env={"POSYANDU_TIMEZONE": zone})
        explicit = run_schedule("--dob", dob, "--today", local_today)
        assert implicit.exit_code == 0, implicit.stderr
        assert implicit.stdout == explicit.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dob", "2025-02-30"], "not a real date"),
        (["--dob", "15-01-2025"], "YYYY-MM-DD"),
        (["--dob", "2025-01-15", "--today", "tomorrow"], "YYYY-MM-DD"),
        (["--dob", "2025-01-15", "--given", "bcg2=2025-02-01"], "unknown vaccine id 'bcg2'"),
        (["--dob", "2025-01-15", "--given", "bcg"], "ID=YYYY-MM-DD"),
        (["--dob", "2025-01-15", "--given", "bcg=01-02-2025"], "YYYY-MM-DD"),
        (["--dob", "2025-01-15", "--given", "bcg=2025-01-01"], "before the date of birth"),
        (["--dob", "2025-01-15", "--today", "2025-02-01", "--given", "bcg=2025-02-10"], "after today"),
        (["--dob", "2025-03-01", "--today", "2025-02-01"], "after today"),
        (
            ["--dob", "2025-01-15", "--given", "bcg=2025-02-01", "--given", "bcg=2025-02-03"],
            "given twice",
        ),
        ([], "Missing option '--dob'"),
    ],
)
def test_bad_input_is_a_usage_error_explained_on_stderr(args: list[str], message: str) -> None:
    result = run_schedule(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr


def test_help_explains_the_statuses() -> None:
    result = run_schedule("--help")
    assert result.exit_code == 0
    for word in ("--dob", "--given", "ID=YYYY-MM-DD", "overdue", "expired", "upcoming"):
        assert word in result.stdout


def test_an_unknown_configured_time_zone_is_a_usage_error() -> None:
    result = run_schedule("--dob", "2025-01-15", env={"POSYANDU_TIMEZONE": "Asia/Atlantis"})
    assert result.exit_code == 2
    assert "Asia/Atlantis" in result.stderr
