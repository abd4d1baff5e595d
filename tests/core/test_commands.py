"""Commands a message starts with: the word in any case, then only what the command accepts."""

from __future__ import annotations

from flows.core.commands import Command, a_number, find, nothing, number_in


def _run(turn: object, rest: str) -> None:
    raise AssertionError("not run by find")


UMUMKAN = Command("umumkan", _run)
LAPORAN = Command("laporan", _run, accepts=nothing)
BATALKAN = Command("batalkan", _run, accepts=a_number)
COMMANDS = (UMUMKAN, LAPORAN, BATALKAN)


def test_the_word_in_any_case_with_the_rest_of_the_message() -> None:
    assert find("Umumkan: posyandu buka\njam 8", COMMANDS) == (UMUMKAN, "posyandu buka\njam 8")
    assert find("  LAPORAN ", COMMANDS) == (LAPORAN, "")
    assert find("batalkan #12", COMMANDS) == (BATALKAN, "#12") and number_in("#12") == 12


def test_what_a_command_does_not_accept_is_no_command() -> None:
    assert find("laporan bulan ini", COMMANDS) is None
    assert find("BATALKAN", COMMANDS) is None  # the global cancel keyword, not a command
    assert find("batalkan semua", COMMANDS) is None
    assert find("umumkanlah", COMMANDS) is None  # a whole word only
    assert find("tolong umumkan", COMMANDS) is None
