"""`import_lait`: LAIT's published files into the store, all of one command in one transaction.

The files may come in any order and mix: each is recognised from its name and header
(`generator.national.files.file_kind`) and imported dictionary first, then the authority list,
then the statistical-neighbour editions, then the long data (which needs the first two: from the
same command, or imported before). Every file is read and checked before anything is written, and
the writing is one transaction: a bad file leaves the store exactly as it was.

A file already imported (the same kind and sha256) changes nothing. A different file supersedes:
a newer dictionary or authority list replaces the older one as current; a newer edition file of
the same statistical-neighbour edition replaces its sets; a newer data file becomes current for
every measure and period label it holds. Older rows are all kept.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.national import files, lists
from generator.national.store import NationalStore
from generator.words import plural
from scorecard.errors import ScorecardError


@dataclass
class FileReport:
    """What happened to one file."""

    path: Path
    kind: str
    sha256: str
    rows: int = 0
    status: str = "imported"  # imported | unchanged (already imported)
    edition: str = ""
    new_series: int = 0
    superseded_series: int = 0
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.status == "unchanged":
            return f"{self.path.name}: {self.kind}, already imported (same sha256): nothing changed"
        what = {files.DATA: f"{plural(self.rows, 'value')}; {plural(self.new_series, 'new measure-period')}, "
                            f"{self.superseded_series:,} superseded (older figures kept)",
                files.DICTIONARY: plural(self.rows, "measure"),
                files.AUTHORITIES: plural(self.rows, "area"),
                files.NEIGHBOURS: f"statistical neighbours, {self.edition} edition, "
                                  f"{plural(self.rows, 'authority', 'authorities')}"}[self.kind]
        return f"{self.path.name}: {self.kind}, {what}"


@dataclass
class ImportReport:
    files: list[FileReport]
    seconds: float

    def lines(self) -> list[str]:
        lines = [report.line() for report in self.files]
        lines += [f"  note: {note}" for report in self.files for note in report.notes]
        return lines


def import_lait(paths: Iterable[Path | str], store: Path | str, edition: str | None = None,
                progress: Callable[[int, int, str], None] | None = None) -> ImportReport:
    """Import LAIT files into the store at `store` (created if need be); see the module docstring.

    `edition` names the statistical-neighbour edition when one neighbours file is given and its
    name does not say (``'May 2025'``). `progress(done, total, file)` is called after each file is read.
    """
    started = time.perf_counter()
    paths = [Path(p) for p in paths]
    if not paths:
        raise ScorecardError("no files given: name the LAIT files to import")
    kinds = {path: files.file_kind(path) for path in paths}
    ordered = sorted(paths, key=lambda p: files.KINDS.index(kinds[p]))
    if edition is not None and sum(kinds[p] == files.NEIGHBOURS for p in paths) != 1:
        raise ScorecardError("--edition names one statistical-neighbour file's edition: give exactly one such file")
    with NationalStore(store) as national:
        reports, reads = [], []
        measures = {row.code: row.year_type for row in national.measures().itertuples()}
        areas = {area.code for area in national.areas()}
        for done, path in enumerate(ordered, start=1):
            report = FileReport(path, kinds[path], files.sha256(path))
            reports.append(report)
            if national.find_file(report.kind, report.sha256) is not None:
                report.status = "unchanged"
            else:
                table = _read(path, report, edition, measures, areas)
                if report.kind == files.DICTIONARY:
                    measures = dict(zip(table["code"], table["year_type"], strict=True))
                elif report.kind == files.AUTHORITIES:
                    areas = set(table["code"].tolist())
                reads.append((report, table))
            if progress:
                progress(done, len(ordered), path.name)
        with national.transaction():
            for report, table in reads:
                _write(national, report, table)
    return ImportReport(reports, time.perf_counter() - started)


def _read(path: Path, report: FileReport, edition: str | None, measures: dict[str, str], areas: set[int]):
    if report.kind == files.DICTIONARY:
        table = lists.read_dictionary(path)
    elif report.kind == files.AUTHORITIES:
        table = lists.read_authorities(path)
    elif report.kind == files.NEIGHBOURS:
        report.edition, published = lists.parse_edition(edition) if edition else lists.edition_from_name(path)
        table = lists.read_neighbours(path)
        if areas:
            _check_neighbours(path, table, areas)
        table.attrs["published"] = published
    else:
        if not measures:
            raise ScorecardError(f"{path.name}: import the data dictionary (lait_data_dictionary.csv) first, or "
                                 "in the same command: it says what each measure code is")
        if not areas:
            raise ScorecardError(f"{path.name}: import the authority list (la_code_list.xlsx) first, or in the "
                                 "same command: it says which LA Number is which authority")
        long = files.read_long_data(path, measures, areas)
        report.notes += long.skipped
        table = long.table
    report.rows = len(table) if report.kind != files.NEIGHBOURS else table["authority"].nunique()
    return table


def _check_neighbours(path: Path, table, areas: set[int]) -> None:
    listed = {int(code) for code in table["neighbour"].dropna()} | set(table["authority"].tolist())
    unknown = sorted(listed - areas)
    if unknown:
        raise ScorecardError(f"{path.name}: authority number(s) {', '.join(map(str, unknown))} are not on the "
                             "authority list")


def _write(national: NationalStore, report: FileReport, table) -> None:
    file_id = national.add_file(report.kind, report.path.name, report.sha256, report.rows, report.edition,
                                "\n".join(report.notes))
    if report.kind == files.DICTIONARY:
        national.add_measures(file_id, table)
    elif report.kind == files.AUTHORITIES:
        national.add_areas(file_id, table)
    elif report.kind == files.NEIGHBOURS:
        national.add_edition(file_id, report.edition, table.attrs["published"], table)
    else:
        report.new_series, report.superseded_series = national.add_values(file_id, table)
