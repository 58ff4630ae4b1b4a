"""The `scorecard` command: a thin layer over the library.

Each module in `generator.cli.commands` registers its own sub-commands with
`register(subparsers)` and sets `handler` on its parser; handlers call library functions
and return an exit code. Errors from bad input become one readable line, not a traceback;
what was assumed about an input file (its encoding, the sheet read) is printed as a note.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import warnings

import generator.cli.commands
from generator.inputs import InputNote
from scorecard import __version__
from scorecard.errors import ScorecardError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scorecard",
        description="Scorecard: performance management for children's services, in spreadsheets.",
    )
    parser.add_argument("--version", action="version", version=f"scorecard {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(generator.cli.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"generator.cli.commands.{module_info.name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    with warnings.catch_warnings():
        warnings.simplefilter("always", InputNote)
        warnings.showwarning = _show_note
        try:
            return int(handler(args) or 0)
        except ScorecardError as error:
            print(f"scorecard: error: {error}", file=sys.stderr)
            return 2
        except OSError as error:  # a file the user named: missing, a folder, not allowed ...
            where = f"{error.filename}: " if error.filename else ""
            print(f"scorecard: error: {where}{error.strerror or error}", file=sys.stderr)
            return 2


def _show_note(message, category, filename, lineno, file=None, line=None) -> None:
    """Input notes (an encoding assumed, a sheet chosen) as one 'note:' line; others as usual."""
    if issubclass(category, InputNote):
        print(f"scorecard: note: {message}", file=sys.stderr)
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


if __name__ == "__main__":
    sys.exit(main())
