"""Finding an authority the way an officer names it: by code or by name, in any case.

Every command that takes an authority (build --store, benchmark --highlight, store history,
changes and accept) looks it up here, so 'E10000016', 'e10000016' and 'Northshire' all work, and a
near miss is answered with a suggestion.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

from generator.collection.dialect import is_postgres
from generator.collection.store import Authority, Store
from scorecard.errors import ScorecardError

SHOWN = 20  # authorities listed in a message before "and N more"


def store_authorities(store: Store) -> list[Authority]:
    """The authorities a store knows: those on its list, then any other code with returns."""
    listed = {authority.code: authority for authority in store.authorities()}
    codes = dict.fromkeys([*listed, *store.submissions()["authority"]])
    return [listed.get(code, Authority(code)) for code in codes]


def find_authority(store: Store, text: str) -> Authority:
    """The authority `text` names in the store (code or name); ScorecardError naming the store."""
    return match_authority(text, store_authorities(store), str(store.path))


def match_authority(text: str, authorities: Sequence[Authority], where: str) -> Authority:
    """The one authority whose code, else whose name, is `text` (any case, spaces collapsed)."""
    wanted = " ".join(str(text).split()).casefold()
    for key in (lambda a: a.code, lambda a: a.name):
        found = [a for a in authorities if key(a) and " ".join(key(a).split()).casefold() == wanted]
        if len(found) == 1:
            return found[0]
        if found:
            raise ScorecardError(f"{where}: {text!r} names {len(found)} authorities "
                                 f"({', '.join(a.code for a in found)}); give the code")
    labels = {a.code: f"{a.code} ({a.name})" if a.name else a.code for a in authorities}
    spellings = {spelling.casefold(): a.code for a in authorities for spelling in (a.code, a.name) if spelling}
    near = difflib.get_close_matches(wanted, list(spellings), n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(dict.fromkeys(labels[spellings[n]] for n in near))}? " if near else ""
    listed = list(labels.values())
    shown = ", ".join(listed[:SHOWN]) + (f" and {len(listed) - SHOWN} more" if len(listed) > SHOWN else "")
    raise ScorecardError(f"{where}: no authority {text!r} (by code or name); {hint}"
                         f"authorities: {shown or 'none yet'}")


def read_authorities(path: str | Path) -> list[Authority]:
    """Authorities from a CSV or .xlsx table: code, name, region, neighbours (';' or '|' separated)."""
    from generator.inputs import read_table

    table = read_table(path, "authorities")
    table.require(["code"], "authorities: code, name, region, neighbours")
    result, seen = [], {}
    for index, row in enumerate(table.records()):
        code = row["code"].strip()
        if not code:
            raise ScorecardError(f"{table.where(index, 'code')}: blank authority code")
        if code in seen:
            raise ScorecardError(f"{table.where(index, 'code')}: {code!r} twice (also {seen[code]})")
        seen[code] = table.where(index)
        neighbours = tuple(n.strip() for n in (row.get("neighbours") or "").replace("|", ";").split(";")
                           if n.strip())
        result.append(Authority(code, (row.get("name") or "").strip(), (row.get("region") or "").strip(),
                                neighbours))
    if not result:
        raise ScorecardError(f"{table.header_place}: no authorities listed (a header row only)")
    return result


def existing_store(path: str | Path) -> Store:
    """Open a store that must already exist (reading it must not create one, nor write into a
    file that is not a store); ScorecardError naming the path otherwise. A postgresql:// URL
    is a database server's store (a shared hub's): Store says if it cannot be reached."""
    if is_postgres(path):
        return Store(path)
    path = Path(path)
    if not path.exists():
        raise ScorecardError(f"no store at {path}: run `scorecard collect` first")
    if path.is_dir():
        raise ScorecardError(f"{path}: is a folder, not a store (.sqlite file)")
    with path.open("rb") as handle:
        head = handle.read(16)
    if head != b"SQLite format 3\0":
        raise ScorecardError(f"{path}: not a Scorecard store (not an SQLite file); give the "
                             ".sqlite file that `scorecard collect` wrote")
    return Store(path)
