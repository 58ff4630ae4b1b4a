"""Reference docs generated from the code: the CLI (docs/cli.md) from the commands' own
--help text, the Python API of the rules core (docs/api.md) from its docstrings.

`python -m generator.cli.reference` rewrites both; a test fails when either is out of date, or
when a public function or class of the core has no docstring, so the references can never
drift from what the code says.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import os
import pkgutil
from pathlib import Path

import scorecard
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
        parts = ["# CLI reference\n", "Generated from `--help` by `python -m generator.cli.reference`.\n"]
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


def public_api() -> list[tuple[str, str, object]]:
    """(module, name, object) for every public function and class of the rules core."""
    found = []
    for info in sorted(pkgutil.iter_modules(scorecard.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"scorecard.{info.name}")
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(value) or inspect.isclass(value):
                found.append((module.__name__, name, value))
    return found


def api_reference() -> str:
    """Markdown: each core module's docstring, then its public functions and classes."""
    parts = ["# Python API of the rules core\n", "Generated from docstrings by `python -m generator.cli.reference`.\n"]
    current = None
    for module_name, name, value in public_api():
        if module_name != current:
            current = module_name
            module_doc = inspect.getdoc(importlib.import_module(module_name)) or ""
            parts.append(f"## `{module_name}`\n\n{module_doc}\n")
        signature = ""
        if inspect.isfunction(value):
            signature = str(inspect.signature(value)).replace("'", '"')
        kind = "class " if inspect.isclass(value) else ""
        parts.append(f"### `{kind}{name}{signature}`\n\n{inspect.getdoc(value) or ''}\n")
    return "\n".join(parts)


REFERENCES = {"cli.md": cli_reference, "api.md": api_reference}


def write_references(docs: Path = Path("docs")) -> list[Path]:
    """Rewrite every generated reference under `docs`."""
    written = []
    for filename, render in REFERENCES.items():
        path = docs / filename
        path.write_text(render(), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_references():
        print(f"wrote {path}")
