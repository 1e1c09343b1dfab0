"""The docs must describe every CLI command and every output column."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyad.cli import cli
from dyad.output.formats import GDELT_COLUMNS

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_docs_every_command_is_documented_and_has_help(command):
    assert f"## `dyad {command}" in (DOCS / "cli.md").read_text("utf-8")
    assert cli.commands[command].help


@pytest.mark.parametrize("column", GDELT_COLUMNS)
def test_docs_every_gdelt_column_is_documented(column):
    assert column in (DOCS / "formats.md").read_text("utf-8")


def test_docs_readme_quick_start_is_the_two_commands():
    readme = (DOCS.parent / "README.md").read_text("utf-8")
    start = readme.index("## Quick start")
    block = readme[start : readme.index("```", readme.index("```", start) + 3)]
    lines = [line.split("#")[0].strip() for line in block.splitlines()[1:]]
    commands = [line for line in lines if line and not line.startswith("```")]
    assert commands == ["make demo", "make test"]
