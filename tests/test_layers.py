"""The package's layers (DEVELOPING.md#layers): the contract in .importlinter, checked by
import-linter, and no import cycle between any two modules of macros/."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--config", str(root / ".importlinter"), "--no-cache"], cwd=root,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                          timeout=120)


def test_the_import_contract_holds():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    target.mkdir()
    shutil.copytree(ROOT / "macros", target / "macros", ignore=shutil.ignore_patterns("__pycache__", "templates"))
    shutil.copy(ROOT / ".importlinter", target / ".importlinter")
    return target


@pytest.mark.parametrize("module, line, broken", [
    ("content/clock.py", "from ..output import pages", "macros.content.clock -> macros.output.pages"),
    ("index/stats.py", "import mkdocs.config", "macros.index.stats -> mkdocs"),
], ids=["a-lower-layer-imports-a-higher-one", "mkdocs-outside-the-engine"])
def test_a_planted_import_breaks_the_contract(tmp_path, module, line, broken):
    copy = _copy(tmp_path)
    path = copy / "macros" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = lint(copy)
    assert result.returncode == 1 and broken in result.stdout, result.stdout


def cycles(graph, modules: set[str]) -> list[list[str]]:
    """Every cycle of imports among `modules` (each found once, from its smallest name)."""
    found = []
    for start in sorted(modules):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph.find_modules_directly_imported_by(node) & modules):
                if nxt == start:
                    found.append(path)
                elif nxt > start and nxt not in path:
                    stack.append((nxt, path + [nxt]))
    return found


def test_no_module_imports_itself_through_others():
    graph = grimp.build_graph("macros")
    modules = {m for m in graph.modules if m.startswith("macros.") and not graph.find_children(m)}
    assert cycles(graph, modules) == []


def test_the_cycle_finder_finds_a_planted_cycle(tmp_path, monkeypatch):
    copy = _copy(tmp_path)
    site = copy / "macros" / "index" / "site.py"
    site.write_text(site.read_text(encoding="utf-8") + "\nfrom . import stats  # noqa\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(copy))
    for name in [n for n in sys.modules if n == "macros" or n.startswith("macros.")]:
        monkeypatch.delitem(sys.modules, name)
    graph = grimp.build_graph("macros", cache_dir=None)
    modules = {m for m in graph.modules if m.startswith("macros.") and not graph.find_children(m)}
    assert ["macros.index.site", "macros.index.stats"] in cycles(graph, modules)
