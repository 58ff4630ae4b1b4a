"""No traceback is ever the answer to a user's file: every command, every file it reads, bad files.

The commands are found by walking the argparse tree that `scorecard` itself uses
(`generator.cli.build_parser`), so a new command, or a new file option on an old one, is run here
without anyone remembering to add it. An option that names a file is recognised by its dest or
its help text; one the walk cannot classify fails the coverage test, asking for it to be listed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import traceback
import zipfile
from pathlib import Path

import pytest

from generator.cli import build_parser, main
from generator.collection.store import Store
from generator.collection.templates import write_template
from scorecard.catalogue import load_catalogue

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# dests that name a file (or folder) the command reads
INPUT_DESTS = {"data", "store", "risks", "catalogue", "extend", "authorities", "csv", "path",
               "files", "file", "national", "paths"}
# dests that name something the command writes
OUTPUT_DESTS = {"out", "report"}
# commands whose files are another engineer's (the add-in's .xlam and LAMBDA book)
NOT_HERE = {("addin", "install", "file"), ("addin", "remove", "file")}
# values for required options that are not files
PLAIN_VALUES = {"authority": "Northshire", "period": "2023-24 Q4", "id": "re-referrals-12m-rate",
                "edition": "May 2025", "measure": "ReReferral", "area": "Barnsley",
                "version": "1", "url": "https://example.org", "highlight": "E1",
                "query_id": "1", "comment": "checked with the team"}
FILE_WORDS = ("csv", "file", ".xlsx", "sqlite", "store", "folder", "catalogue", "register")
# options whose help mentions one of those words but which do not name a file
NOT_FILES = {"authority", "dataset", "highlight", "theme", "edition"}


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(command path, parser) for every command that runs something."""
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers:
        yield path, parser
        return
    for action in subparsers:
        for name, child in action.choices.items():
            yield from _leaves(child, (*path, name))


def _parents(parser: argparse.ArgumentParser, path: tuple[str, ...]):
    """The parsers on the way to `path` (for options such as `catalogue --catalogue PATH`)."""
    chain = [parser]
    for name in path:
        action = next(a for a in chain[-1]._actions if isinstance(a, argparse._SubParsersAction))
        chain.append(action.choices[name])
    return chain


def _file_actions():
    """(command path, parser index on the path, action) for every option naming a file read."""
    parser = build_parser()
    found = []
    for path, _leaf in _leaves(parser):
        for depth, level in enumerate(_parents(parser, path)):
            for action in level._actions:
                if action.dest in INPUT_DESTS and (*path, action.dest) not in NOT_HERE:
                    found.append((path, depth, action))
    return found


def test_every_option_naming_a_file_is_classified():
    """Every option whose help mentions a file is an input or an output here, so none is missed."""
    parser = build_parser()
    unknown = []
    for path, _leaf in _leaves(parser):
        for level in _parents(parser, path):
            for action in level._actions:
                if isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
                    continue
                words = f"{action.help or ''} {action.metavar or ''}".lower()
                if any(w in words for w in FILE_WORDS) and action.dest not in INPUT_DESTS | OUTPUT_DESTS | NOT_FILES:
                    unknown.append(f"{' '.join(path)} {action.dest}")
    assert not unknown, f"classify these options in INPUT_DESTS or OUTPUT_DESTS: {unknown}"
    commands = {path[0] for path, _, _ in _file_actions()}
    assert {"benchmark", "build", "catalogue", "collect", "store", "template"} <= commands


def _write_bad_files(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    bad = {}
    bad["empty"] = folder / "empty.csv"
    bad["empty"].write_bytes(b"")
    bad["junk"] = folder / "junk.csv"
    bad["junk"].write_bytes(bytes(range(256)) * 8)
    bad["encoding"] = folder / "encoding.csv"  # bytes that are neither UTF-8 nor Windows-1252
    bad["encoding"].write_bytes(b"code,name\nE1,\x81\x8d\x8f\x90\x9d\n")
    bad["columns"] = folder / "columns.csv"
    bad["columns"].write_text("foo,bar\n1,2\n", encoding="utf-8")
    bad["header_only"] = folder / "header.csv"
    bad["header_only"].write_text("indicator_id,period,actual,target\n", encoding="utf-8")
    bad["xlsx"] = folder / "template.xlsx"  # an .xlsx, but a collection template, not a table
    catalogue = load_catalogue()
    write_template(bad["xlsx"], catalogue, list(catalogue)[:2], _authority(), "2024-25 Q1")
    bad["zip"] = folder / "notexcel.xlsx"
    with zipfile.ZipFile(bad["zip"], "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    bad["xls"] = folder / "legacy.xls"
    bad["xls"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    bad["directory"] = folder / "a_folder"
    bad["directory"].mkdir()
    (bad["directory"] / "inside.txt").write_text("x")
    bad["missing"] = folder / "nothere.csv"
    return bad


def _authority():
    from generator.collection.store import Authority

    return Authority("E1", "Northshire")


@pytest.fixture
def setting(tmp_path_factory):
    """Fresh bad files for each test (collect may turn a missing or empty --store into a store)."""
    root = tmp_path_factory.mktemp("bad_inputs")
    bad = _write_bad_files(root / "bad")
    store = root / "good.sqlite"
    Store(store).close()
    ret = root / "return.xlsx"
    catalogue = load_catalogue()
    write_template(ret, catalogue, list(catalogue)[:2], _authority(), "2024-25 Q1")
    comparators = root / "comparators.csv"
    comparators.write_text("period,indicator_id,area,value\n2024-25 Q1,re-referrals-12m-rate,England,500\n",
                           encoding="utf-8")
    good = {"data": EXAMPLES / "sample_scorecard_data.csv", "store": store, "files": ret,
            "csv": comparators, "paths": Path(__file__).parent / "data" / "lait" / "lait_data_dictionary_slice.csv"}
    return root, bad, good


def _argv(path, depth_of_bad, dest_under_test, bad_value, good, out):
    """Command line for `path` with the bad file at `dest_under_test` (on the parser at
    `depth_of_bad` along the path), good values elsewhere."""
    parser = build_parser()
    levels = _parents(parser, path)
    argv: list[str] = []
    for depth, level in enumerate(levels):
        if depth:
            argv.append(path[depth - 1])
        under_test = next((a for a in level._actions if a.dest == dest_under_test), None) \
            if depth == depth_of_bad else None
        groups = [g for g in level._mutually_exclusive_groups if g.required]
        chosen = {id(under_test) if under_test in g._group_actions
                  else id(g._group_actions[0]) for g in groups}
        in_groups = {id(a) for g in groups for a in g._group_actions}
        positionals = []
        for action in level._actions:
            if isinstance(action, argparse._SubParsersAction | argparse._HelpAction | argparse._VersionAction):
                continue
            if action is under_test:
                value = str(bad_value)
            elif id(action) in in_groups:
                if id(action) not in chosen:
                    continue
                value = _good(action, good, out)
            elif action.required or (not action.option_strings and action.nargs != "?") \
                    or action.dest == "store":
                value = _good(action, good, out)
            else:
                continue
            if action.option_strings:
                argv += [action.option_strings[0], value]
            else:
                positionals.append(value)
        argv += positionals
    return argv


def _good(action, good, out):
    if action.dest in PLAIN_VALUES:
        return PLAIN_VALUES[action.dest]
    if action.dest in OUTPUT_DESTS:
        return str(out)
    if action.dest in good:
        return str(good[action.dest])
    raise AssertionError(f"no good value for required option {action.dest!r}: add one to PLAIN_VALUES")


def _run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse's own usage errors
            code = exit_.code
        except BaseException:  # noqa: BLE001 - the point: a traceback is a failure
            return None, out.getvalue(), err.getvalue() + traceback.format_exc()
    return code, out.getvalue(), err.getvalue()


CASES = [(path, depth, action.dest) for path, depth, action in _file_actions()]


@pytest.mark.parametrize("path,depth,dest", CASES, ids=[f"{' '.join(p)}--{d}" for p, _, d in CASES])
def test_no_traceback_for_any_bad_file(setting, path, depth, dest, tmp_path, monkeypatch):
    """Each bad file, given to this option, gives a one-line error naming it (exit 2), no traceback.

    Returns given to `collect` are reported in the error report (exit 1), not fatal, as the
    collection design says; a store that does not exist yet (or is empty) is created by collect;
    `catalogue validate` lists the problems of a table it could read (exit 1).
    """
    monkeypatch.chdir(tmp_path)  # default outputs (templates/, collection-problems.csv ...) land here
    root, bad, good = setting
    failures = []
    for kind, file in bad.items():
        argv = _argv(path, depth, dest, file, good, tmp_path / f"out_{kind}.xlsx")
        assert str(file) in argv, argv
        code, out, err = _run(argv)
        said = out + err
        if code is None:
            failures.append(f"{kind}: traceback for {argv}:\n{err}")
            continue
        if "Traceback" in said:
            failures.append(f"{kind}: traceback printed for {argv}:\n{said}")
            continue
        if path == ("collect",) and dest == "files" and kind == "xlsx":
            ok = code in (0, 1)  # a blank collection template is a return with nothing in it
        elif path == ("collect",) and dest == "files" and kind not in ("missing", "directory"):
            ok = code == 1 and file.name in said
        elif path == ("collect",) and dest == "store" and kind in ("missing", "empty"):
            ok = code in (0, 1)
        elif path == ("collect",) and dest == "files" and kind == "directory":
            ok = code in (1, 2) and file.name in said
        elif path == ("catalogue", "validate") and kind in ("columns", "header_only", "xlsx"):
            ok = code == 1 and file.name in said
        else:  # notes (an encoding assumed, a sheet chosen) may come before the error
            error = err[err.find("scorecard: error:"):]
            ok = code == 2 and "scorecard: error:" in err and file.name in error
        if not ok:
            failures.append(f"{kind}: exit {code} for {argv}\nstdout: {out}\nstderr: {err}")
    assert not failures, "\n\n".join(failures)


def test_collect_with_no_files_matched_is_an_error(tmp_path, capsys, monkeypatch):
    """`scorecard collect nothere/*.xlsx` matches nothing: an error (exit 2), not '0 stored'."""
    monkeypatch.chdir(tmp_path)
    code = main(["collect", str(tmp_path / "nothere" / "*.xlsx"), "--store", str(tmp_path / "s.sqlite"),
                 "--report", str(tmp_path / "report"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "scorecard: error:" in err and "nothere" in err and "no files" in err


def test_empty_csv_is_a_clear_error_not_pandas(tmp_path, capsys):
    """An empty --data CSV says it is empty (naming the file); pandas' EmptyDataError never shows."""
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code = main(["build", "--data", str(empty), "--authority", "X", "--period", "2023-24 Q4",
                 "--out", str(tmp_path / "o.xlsx")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("scorecard: error:") and "empty.csv" in err and "empty" in err
    assert "EmptyDataError" not in err and "No columns to parse" not in err
