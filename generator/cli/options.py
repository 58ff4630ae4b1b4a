"""Options several commands share, declared once so their name, default and help stay alike."""

from __future__ import annotations

STORE = "scorecard-store.sqlite"
STORE_HELP = "the store: an SQLite file or a postgresql:// URL"


def add_store_option(parser, help: str = STORE_HELP) -> None:  # noqa: A002 - argparse's own word
    """`--store`, defaulting to scorecard-store.sqlite in the current folder."""
    parser.add_argument("--store", default=STORE, help=help)


def add_return_filters(parser) -> None:
    """`--authority` (code or name) and `--period` (any spelling): only those returns."""
    parser.add_argument("--authority", help="only this authority (code or name)")
    parser.add_argument("--period", help="only this period (any spelling)")
