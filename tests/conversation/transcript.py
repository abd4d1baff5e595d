"""Transcripts: a conversation written down as a file, replayed through the real chat path and compared.

A transcript is plain text, one line each::

    # a comment
    @ include village.txt          the lines of another file (the posyandu and its staff) run first
    @ phone siti +6281234500101    the person called ``siti`` writes from this phone
    @ wait 3 hours                 the clock moves on (minutes, hours or days)
    $ users add --role kader ...   a ``posyandu-bot`` command, run on the same database (must succeed)
    > siti: halo                   what a person writes
    > siti [picture]: lihat ini    a message with a picture (``> siti [picture]:`` a picture alone)
    < siti: Halo, selamat datang…  a message the bot sends to somebody, while handling the line above
      | the message's next line     (``|`` alone is an empty line)
    < rina [picture]: …            a message with a picture (the growth chart)

Every ``>`` line goes through ``store_inbound`` and ``process_inbound``, exactly what the WhatsApp
webhook and ``posyandu-bot chat`` run, on a migrated database with the compiled Indonesian catalog; the
``<`` lines under it are every outbox message that line produced, in order, to anybody. The clock
starts on Tuesday 24 November 2026, 10:00 WIB, and moves a minute per line.

``pytest --update-transcripts`` (or ``UPDATE_TRANSCRIPTS=1``) writes what the bot said now into the
files instead of failing: after an intended change of the texts or the flows, review the diff.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.main import cli
from db.models import OutboxMessage
from flows.conversation.inbox import process_inbound, store_inbound
from flows.core.settings import FlowSettings

START = dt.datetime(2026, 11, 24, 3, 0)  # Tuesday 10:00 WIB
PICTURE = " [picture]"
_UNITS = {"minute": "minutes", "minutes": "minutes", "hour": "hours", "hours": "hours"}
_UNITS |= {"day": "days", "days": "days"}


@dataclass
class Reply:
    to: str
    body: str
    picture: bool = False


@dataclass
class Item:
    """One line of the file (a ``<`` message with its ``|`` lines is one item)."""

    kind: str  # "text" (comment, blank, directive, command), "say" or "reply"
    text: str = ""
    who: str = ""
    picture: bool = False
    reply: Reply | None = None


LINE = re.compile(r"^([<>]) (\S+?)( \[picture\])?:(?: (.*))?$")


@dataclass
class Transcript:
    path: Path
    items: list[Item] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> Transcript:
        transcript = cls(path)
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            stripped = line.strip()
            if stripped.startswith("|"):
                last = transcript.items[-1] if transcript.items else None
                if last is None or last.reply is None:
                    raise ValueError(f"{path}:{number}: a | line belongs under a < message")
                rest = stripped[1:]
                last.reply.body += "\n" + (rest[1:] if rest.startswith(" ") else rest)
            elif line.startswith(("> ", "< ")):
                match = LINE.match(line)
                if match is None:
                    raise ValueError(f"{path}:{number}: write '{line[0]} who: text'")
                direction, who, picture, text = match[1], match[2], bool(match[3]), match[4] or ""
                if direction == ">":
                    transcript.items.append(Item("say", text=text, who=who, picture=picture))
                else:
                    transcript.items.append(Item("reply", reply=Reply(who, text, picture)))
            else:
                transcript.items.append(Item("text", text=line))
        while transcript.items and transcript.items[-1].kind == "text" and not transcript.items[-1].text:
            transcript.items.pop()
        return transcript

    def expected(self) -> list[list[Reply]]:
        """The replies written under each ``>`` line."""
        found: list[list[Reply]] = []
        for item in self.items:
            if item.kind == "say":
                found.append([])
            elif item.reply is not None:
                if not found:
                    raise ValueError(f"{self.path}: a < message before any > line")
                found[-1].append(item.reply)
        return found

    def render(self, replies: list[list[Reply]]) -> str:
        """The file with ``replies`` under the ``>`` lines (everything else as it was)."""
        out: list[str] = []
        said = iter(replies)
        for item in self.items:
            if item.kind == "text":
                out.append(item.text)
            elif item.kind == "say":
                out.append(_first_line(">", item.who, item.picture, item.text))
                out += [render_reply(reply) for reply in next(said)]
        return "\n".join(out) + "\n"


def _first_line(direction: str, who: str, picture: bool, text: str) -> str:
    return f"{direction} {who}{PICTURE if picture else ''}:" + (f" {text}" if text else "")


def render_reply(reply: Reply) -> str:
    first, *rest = reply.body.split("\n")
    lines = [_first_line("<", reply.to, reply.picture, first)]
    lines += [f"  | {line}" if line else "  |" for line in rest]
    return "\n".join(lines)


class Replay:
    """Runs a transcript's lines on one database."""

    def __init__(self, sessions: sessionmaker[Session], database_url: str) -> None:
        self.sessions = sessions
        self.database_url = database_url
        self.now = START
        self.phones: dict[str, str] = {}
        self.settings = FlowSettings()
        self._sids = itertools.count(1)

    def run(self, transcript: Transcript) -> list[list[Reply]]:
        replies: list[list[Reply]] = []
        for item in transcript.items:
            if item.kind == "say":
                replies.append(self.say(item.who, item.text, picture=item.picture))
            elif item.kind == "text":
                self.text_line(item.text, transcript.path)
        return replies

    def text_line(self, line: str, path: Path) -> None:
        if line.startswith("@ "):
            self.directive(line[2:].split(), path)
        elif line.startswith("$ "):
            self.command(shlex.split(line[2:]))

    def directive(self, words: list[str], path: Path) -> None:
        match words:
            case ["include", name]:
                included = Transcript.read(path.parent / name)
                for item in included.items:
                    if item.kind != "text":
                        raise ValueError(f"{name}: only @ and $ lines may be included")
                    self.text_line(item.text, path.parent / name)
            case ["phone", who, phone]:
                self.phones[who] = phone
            case ["wait", amount, unit] if unit in _UNITS:
                self.now += dt.timedelta(**{_UNITS[unit]: int(amount)})
            case _:
                raise ValueError(f"{path}: unknown directive @ {' '.join(words)}")

    def command(self, args: list[str]) -> None:
        result = CliRunner().invoke(cli, args, env={"POSYANDU_DATABASE_URL": self.database_url})
        assert result.exit_code == 0, f"$ {shlex.join(args)}\n{result.output}"

    def say(self, who: str, text: str, *, picture: bool = False) -> list[Reply]:
        phone = self.phones[who]
        with self.sessions() as session:
            last = session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1)) or 0
        inbound_id = store_inbound(
            self.sessions,
            message_sid=f"SMtranscript{next(self._sids)}",
            from_phone=phone,
            body=text,
            num_media=1 if picture else 0,
            payload={"Body": text, "NumMedia": "1" if picture else "0"},
            now=self.now,
        )
        assert inbound_id is not None
        process_inbound(self.sessions, inbound_id, now=self.now, settings=self.settings)
        self.now += dt.timedelta(minutes=1)
        names = {phone: who for who, phone in self.phones.items()}
        with self.sessions() as session:
            rows = session.scalars(
                select(OutboxMessage).where(OutboxMessage.id > last).order_by(OutboxMessage.id)
            )
            return [
                Reply(
                    names.get(row.to_phone, row.to_phone),
                    row.body if row.body is not None else f"[template {row.template_name}]",
                    row.media_url is not None,
                )
                for row in rows
            ]


def difference(transcript: Transcript, actual: list[list[Reply]]) -> str:
    """A unified diff from what the file says to what the bot said ('' when they agree)."""
    written = transcript.render(transcript.expected()).splitlines(keepends=True)
    said = transcript.render(actual).splitlines(keepends=True)
    name = str(transcript.path)
    return "".join(difflib.unified_diff(written, said, name, f"{name} (as replayed)"))
