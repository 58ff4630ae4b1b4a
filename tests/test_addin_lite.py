"""The xlwings Lite route: the generated main.py and requirements.txt an officer pastes in."""

from __future__ import annotations

import ast
import sys

import xlwings
from addin_helpers import server_module  # noqa: F401 (fixture)

from addin import lite, routes
from generator.cli import main


def test_shipped_files_are_what_the_command_generates():
    """addin/lite/main.py and requirements.txt are up to date with the code (rerun `scorecard addin lite`)."""
    stale = "addin/lite is out of date with scorecard/ and udfs/: run `scorecard addin lite`"
    assert (lite.LITE_DIR / "main.py").read_text(encoding="utf-8") == lite.main_py(), stale
    assert (lite.LITE_DIR / "requirements.txt").read_text(encoding="utf-8") == lite.requirements_txt(), stale


def test_main_py_imports_only_what_requirements_txt_lists():
    """main.py parses, and imports only xlwings, the standard library, the embedded scorecard/udfs modules
    and packages that requirements.txt lists and Pyodide builds itself (e.g. numpy, pandas)."""
    tree = ast.parse(lite.main_py())
    assignment = next(node for node in tree.body
                      if isinstance(node, ast.Assign) and node.targets[0].id == "_SCORECARD_SOURCES")
    embedded = ast.literal_eval(assignment.value)
    assert list(embedded) == list(lite.EMBEDDED)
    listed = {line.split("==")[0] for line in lite.requirements_txt().splitlines() if line and line[0] != "#"}
    assert set(lite.third_party_imports()) <= lite.PYODIDE_BUILT, "a package Pyodide may not have"
    allowed = {*listed, "scorecard", "udfs", "__future__", *sys.stdlib_module_names}
    for source in [lite.main_py(), *embedded.values()]:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = {node.module.split(".")[0]}
            else:
                continue
            assert roots <= allowed, roots
    assert f"xlwings=={xlwings.__version__}" in lite.requirements_txt().splitlines()
    assert "numpy" in listed


def test_main_py_defines_the_same_functions_with_the_same_metadata(tmp_path, server_module):  # noqa: F811
    """Loaded with Lite's engine (xlwings Server decorators), main.py has exactly the package's functions,
    descriptions and argument docs, and leaves sys.modules as it found it."""
    before = {name: sys.modules.get(name) for name in lite.EMBEDDED}
    path = tmp_path / "main.py"
    path.write_text(lite.main_py(), encoding="utf-8")
    module = routes.load_udfs("server", path=path)
    assert {name: sys.modules.get(name) for name in lite.EMBEDDED} == before
    ours, theirs = routes.udf_functions(module), routes.udf_functions(server_module)
    assert list(ours) == list(theirs)
    for name in ours:
        assert ours[name].__doc__ == theirs[name].__doc__
        assert [a["doc"] for a in ours[name].__xlfunc__["args"]] == [a["doc"] for a in theirs[name].__xlfunc__["args"]]


def test_command_writes_both_files(tmp_path):
    """`scorecard addin lite --out DIR` writes main.py and requirements.txt."""
    assert main(["addin", "lite", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "main.py").read_text(encoding="utf-8") == lite.main_py()
    assert (tmp_path / "requirements.txt").exists()
