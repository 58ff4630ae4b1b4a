"""Running the `scorecard` command in-process for tests: exit code, stdout and stderr."""

from __future__ import annotations

from generator.cli import main


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    """`scorecard ARGV...` (each argument str()'d): (exit code, what it printed, what it said on stderr)."""
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err
