"""The transcripts of tests/conversation/transcripts/<persona>/: each replayed on a fresh database.

After an intended change of what the bot says: ``make test PYTEST_ARGS=--update-transcripts`` (or
``UPDATE_TRANSCRIPTS=1 make test``), then review the diff of the transcript files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.conversation.transcript import Replay, Transcript, difference

HERE = Path(__file__).resolve().parent / "transcripts"
PERSONAS = ("mother", "kader", "bidan")
FILES = sorted(path for persona in PERSONAS for path in (HERE / persona).glob("*.txt"))


def _updating(config: pytest.Config) -> bool:
    return bool(config.getoption("--update-transcripts") or os.environ.get("UPDATE_TRANSCRIPTS"))


def test_every_persona_has_a_transcript() -> None:
    assert {path.parent.name for path in FILES} == set(PERSONAS)


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES])
def test_transcript(
    path: Path, sessions: sessionmaker[Session], db_url: str, request: pytest.FixtureRequest
) -> None:
    transcript = Transcript.read(path)
    actual = Replay(sessions, db_url).run(transcript)
    diff = difference(transcript, actual)
    if not diff:
        return
    if not _updating(request.config):
        pytest.fail(
            f"{path.relative_to(HERE.parent)} differs from what the bot says now; after an intended change "
            f"run pytest --update-transcripts and review the diff.\n{diff}",
            pytrace=False,
        )
    path.write_text(transcript.render(actual), encoding="utf-8")
    assert Transcript.read(path).expected() == actual, "the replies cannot be written faithfully"
