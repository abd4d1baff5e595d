"""WhatsApp templates: well-formed for approval, and documented in the README for whoever submits them."""

from __future__ import annotations

import re
from pathlib import Path

from bot.cli.main import COMMANDS
from flows.core.notify import templates

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_each_template_numbers_its_variables_in_order() -> None:
    for template in templates().values():
        numbers = [int(n) for n in re.findall(r"\{\{(\d+)\}\}", template.text)]
        assert sorted(set(numbers)) == list(range(1, len(template.variables) + 1)), template.name
        assert len(template.text) <= 1024, template.name


def test_every_template_text_is_in_the_readme() -> None:
    for template in templates().values():
        assert f"`{template.name}`" in README and template.text.strip() in README, template.name


def test_every_command_is_in_the_readme() -> None:
    for command in COMMANDS:
        assert re.search(rf"`{command}\b", README), command
