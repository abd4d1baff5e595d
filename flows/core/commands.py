"""Commands a message starts with (``UMUMKAN <text>``, ``BATALKAN 12``, ``SASARAN``): declared by the
feature that runs them, gathered by the conversation, dispatched by a desk (``flows.kader.desk``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flows.core.engine import Turn

#: What may follow ``BATALKAN``: a number, ``#12`` or ``12``.
NUMBER = re.compile(r"^#?\s*(\d+)\s*$")


def anything(rest: str) -> bool:
    return True


def nothing(rest: str) -> bool:
    return not rest


def a_number(rest: str) -> bool:
    return NUMBER.match(rest) is not None


def number_in(rest: str) -> int:
    """The number of ``a_number`` text."""
    match = NUMBER.match(rest)
    assert match is not None
    return int(match[1])


@dataclass(frozen=True)
class Command:
    """``word`` first (any case), then what ``accepts`` allows; ``run`` gets the rest of the message."""

    word: str
    run: Callable[[Turn, str], None]
    #: Whether the text after the word makes the message this command (else it is no command at all).
    accepts: Callable[[str], bool] = anything


def find(text: str, commands: Sequence[Command]) -> tuple[Command, str] | None:
    """The command ``text`` is, with the text after its word; None when it is none of them."""
    words = "|".join(re.escape(command.word) for command in commands)
    match = re.match(rf"^\s*({words})\b[\s:,.-]*(.*)$", text, re.IGNORECASE | re.DOTALL)
    if match is None:
        return None
    command = next(c for c in commands if c.word == match[1].lower())
    rest = match[2].strip()
    return (command, rest) if command.accepts(rest) else None
