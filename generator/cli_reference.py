"""The CLI reference (docs/cli.md), generated from the commands' own --help text.

`python -m generator.cli_reference > docs/cli.md` rewrites it; a test fails when the file
is out of date, so the reference can never drift from what the commands say.
"""

from __future__ import annotations

import argparse
import os

from generator.cli import build_parser


def _subcommands(parser: argparse.ArgumentParser):
    for action in parser._actions:  # argparse offers no public way to walk sub-commands
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.items()


def _sections(parser: argparse.ArgumentParser, path: str):
    yield path, parser.format_help()
    for name, child in _subcommands(parser):
        yield from _sections(child, f"{path} {name}")


def cli_reference() -> str:
    """Markdown: every command's --help, in order."""
    # A fixed width so the reference does not depend on the terminal that generated it.
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    try:
        parts = ["# CLI reference\n", "Generated from `--help` by `python -m generator.cli_reference`.\n"]
        for path, text in _sections(build_parser(), "scorecard"):
            parts.append(f"## `{path}`\n\n```text\n{text.rstrip()}\n```\n")
        return "\n".join(parts)
    finally:
        if previous is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = previous


def command_paths() -> list[str]:
    """Every command path, e.g. 'scorecard catalogue list'."""
    return [path for path, _ in _sections(build_parser(), "scorecard")]


if __name__ == "__main__":
    print(cli_reference(), end="")
