"""`scorecard previews`: render the demo scorecard's pages to PNG for the README."""

from __future__ import annotations

from pathlib import Path

from generator.demo import render_previews


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "previews", help="render the demo scorecard pages to PNG (needs LibreOffice, pdftoppm)",
        description="Build the demo workbooks, print them to PDF with LibreOffice and render "
                    "chosen pages to PNG with pdftoppm.")
    parser.add_argument("--out", default="docs/previews", help="folder for the PNG files")
    parser.set_defaults(handler=run)


def run(args) -> int:
    for path in render_previews(Path(args.out)):
        print(f"wrote {path}")
    return 0
