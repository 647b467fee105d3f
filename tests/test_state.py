"""The state of a build or preview is one object (macros/engine/state.py): hooks.py and the
adapter keep nothing in module globals that one event leaves for the next."""
from __future__ import annotations

import ast
from pathlib import Path

from macros.engine.state import STATE, BuildState

ROOT = Path(__file__).resolve().parents[1]
WATCHED = ["hooks.py", "macros/engine/mkdocs_adapter.py", "macros/engine/parallel.py"]


def module_state(path: Path) -> list[str]:
    """Names a module binds at its top level that are not constants (UPPER_CASE), functions,
    classes or imports: state in disguise. `global` statements too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = [t for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets = [node.target]
        for target in targets:
            if not target.id.isupper() and target.id not in ("state", "log") and not target.id.startswith("__"):
                found.append(f"{path.name}: {target.id}")
    found += [f"{path.name}: global {', '.join(n.names)}" for n in ast.walk(tree) if isinstance(n, ast.Global)]
    return found


def test_no_module_globals_hold_the_build():
    assert [name for rel in WATCHED for name in module_state(ROOT / rel)] == []


def test_the_check_finds_a_planted_global(tmp_path):
    planted = tmp_path / "hooks.py"
    planted.write_text("_seen = set()\n\ndef on_files(files, config):\n    global _seen\n    _seen = set()\n",
                       encoding="utf-8")
    assert module_state(planted) == ["hooks.py: _seen", "hooks.py: global _seen"]


def test_a_new_build_forgets_the_last_ones_index_and_problems_not_the_preview():
    state = BuildState(serving=True, built={"index.html"})
    state.site, state.render_problems = object(), ["a problem"]
    config = object()
    state.begin(config)
    assert state.config_id == id(config) and state.site is None and state.render_problems == []
    assert state.serving and state.built == {"index.html"}
    assert isinstance(STATE, BuildState)
