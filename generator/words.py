"""Counts in plain English: '1 measure', '2 measures', never '1 measures' or 'measure(s)'."""

from __future__ import annotations

_IRREGULAR = {"authority": "authorities", "was": "were", "is": "are", "this": "these"}


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """'1 theme' / '3 themes' / '0 themes'; `plural_noun` for a plural that is not noun + 's'."""
    if count == 1:
        return f"{count} {noun}"
    return f"{count:,} {plural_noun or _IRREGULAR.get(noun) or _regular(noun)}"


def noun(count: int, singular: str, plural_noun: str | None = None) -> str:
    """The noun alone, for `count` things: 'column' for 1, 'columns' otherwise."""
    return plural(count, singular, plural_noun).split(" ", 1)[1]


def _regular(noun: str) -> str:
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"
