"""No message a mother receives is longer than 1,000 characters."""

from __future__ import annotations

from flows.core.messages import MAX_CHARS, split_long


def test_short_messages_are_untouched() -> None:
    assert split_long("Halo Bunda") == ["Halo Bunda"]


def test_long_text_is_split_at_paragraphs_and_keeps_every_word() -> None:
    paragraphs = [f"Paragraf {n}: " + "kata " * 60 for n in range(12)]
    body = "\n\n".join(p.strip() for p in paragraphs)
    parts = split_long(body)
    assert len(parts) > 1
    assert all(len(part) <= MAX_CHARS for part in parts)
    assert " ".join(" ".join(parts).split()) == " ".join(body.split())
    assert all(part.startswith("Paragraf") for part in parts)


def test_a_single_huge_paragraph_is_split_between_words() -> None:
    body = "anak " * 700
    parts = split_long(body.strip())
    assert all(len(part) <= MAX_CHARS for part in parts)
    assert sum(part.count("anak") for part in parts) == 700
