"""Documentation that cannot drift: generated references are current, and nothing public
(a command, an Excel function, a core function or class) goes undocumented."""

from __future__ import annotations

import argparse
import inspect
from pathlib import Path

import pytest

from generator.cli import build_parser
from generator.cli.reference import REFERENCES, public_api
from udfs import functions

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("filename", sorted(REFERENCES))
def test_generated_reference_is_current(filename):
    """docs/cli.md and docs/api.md equal what the code generates now (run python -m generator.cli.reference)."""
    on_disk = (ROOT / "docs" / filename).read_text(encoding="utf-8")
    assert on_disk == REFERENCES[filename](), f"docs/{filename} is stale: run python -m generator.cli.reference"


def test_every_command_says_what_it_does():
    """Every sub-command has a help line in its parent's --help or a description of its own."""
    commands = list(_commands(build_parser(), "scorecard"))
    assert "scorecard catalogue list" in dict(commands)  # the walk reaches sub-sub-commands
    assert [path for path, text in commands if not text.strip()] == []


def _commands(parser, path):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, child in action.choices.items():
                yield f"{path} {name}", helps.get(name, "") or child.description or ""
                yield from _commands(child, f"{path} {name}")


def test_every_core_function_and_class_has_a_docstring():
    """Every public function and class in scorecard/ has a docstring, so docs/api.md says something."""
    missing = [f"{module}.{name}" for module, name, value in public_api() if not inspect.getdoc(value)]
    assert missing == []


def _function_table(text: str) -> list[str]:
    """The rows of docs/functions.md's reference table: the unbroken run of table lines under its header (a
    line of prose inside the table ends it, and Markdown shows the rows after it as plain text)."""
    lines = text.splitlines()
    start = lines.index("| function | what it gives |")
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


@pytest.mark.parametrize("name", functions.__all__)
def test_every_excel_function_is_in_the_function_reference_and_addin_readme(name):
    """Each Excel function is a row of docs/functions.md's reference table and is listed in addin/README.md."""
    rows = _function_table((ROOT / "docs" / "functions.md").read_text(encoding="utf-8"))
    assert any(row.startswith(f"| `{name.upper()}(") for row in rows)
    assert f"`{name.upper()}`" in (ROOT / "addin" / "README.md").read_text(encoding="utf-8")


def test_readme_gives_the_two_commands_first():
    """The README's first code block is make demo and make test, as the guide requires."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    assert "make demo" in first_block and "make test" in first_block


def test_every_collection_problem_code_is_documented():
    """Each problem code a return can get is explained in docs/collection.md."""
    from generator.collection.problems import PROBLEM_CODES

    text = (ROOT / "docs" / "collection.md").read_text(encoding="utf-8")
    assert [code for code in PROBLEM_CODES if f"`{code}`" not in text] == []


def test_the_servers_requirements_file_is_the_server_extra():
    """addin/server/requirements.txt (what addin/README.md tells IT to install) lists the xlwings pin and exactly
    the `server` extra of pyproject.toml, so the two cannot drift apart."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = (ROOT / "addin" / "server" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    listed = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    xlwings = [dependency.split("#")[0].strip() for dependency in project["dependencies"]
               if dependency.startswith("xlwings")]
    assert sorted(listed) == sorted(xlwings + project["optional-dependencies"]["server"])
