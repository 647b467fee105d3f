"""Shared fixtures: editable copies of the fixture projects (tests/fixtures/), and builds of them.

The engine's tests run on fixture sites only: `small` (a tiny school a test may break) and
`demo` (tests/fixtures/demo: the demo school as it was frozen, built once per run). Nothing
here reads the repository's own content (docs/, data/, the school values of mkdocs.yml):
tests/test_content.py alone holds it, to checks that any school's content must pass."""
from __future__ import annotations

import ast
import datetime as dt
import inspect
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from macros.output.library import Library
from macros.index.load import load
from macros.engine.mkdocs_adapter import ENGINE, ENGINE_COMMAND  # noqa: F401  (and `import mkdocs…` works on ProperDocs)
from macros.content.problems import ContentError

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
DEMO = FIXTURES / "demo"
TODAY = dt.date(2026, 11, 23)
# No test depends on the wall clock: every build and command a test starts, and every call of
# macros.content.clock.today() in the tests' own process, publishes for TODAY (tests/test_clock.py
# passes its own environment where it tests the clock itself).
os.environ["SITE_TODAY"] = TODAY.isoformat()


@dataclass
class Project:
    """A throwaway copy of a fixture project that a test may break."""

    root: Path

    def path(self, rel: str) -> Path:
        return self.root / rel

    def write(self, rel: str, text: str) -> None:
        self.path(rel).parent.mkdir(parents=True, exist_ok=True)
        self.path(rel).write_text(text, encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.path(rel).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def append(self, rel: str, text: str) -> None:
        self.write(rel, self.path(rel).read_text(encoding="utf-8") + text)

    def load(self, today: dt.date = TODAY):
        return load(self.root, today, "docs", Library.names())

    def problems(self, today: dt.date = TODAY) -> list[str]:
        """Every problem as the editor reads it; fails the test if loading succeeds."""
        with pytest.raises(ContentError) as caught:
            self.load(today)
        return [str(p) for p in caught.value.problems]

    def run(self, *args: str, today: dt.date = TODAY) -> subprocess.CompletedProcess:
        env = {**os.environ, "SITE_TODAY": today.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
        return subprocess.run([sys.executable, *args], cwd=self.root, env=env,
                              capture_output=True, text=True, timeout=300)

    def build(self, today: dt.date = TODAY) -> subprocess.CompletedProcess:
        return self.run("-m", ENGINE, "build", "--strict", "--site-dir", "site", today=today)


def copy_project(source: Path, target: Path) -> Project:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", ".venv", ".git", "__pycache__", ".cache"))
    for name in ("macros", "hooks.py"):  # the code, shared
        if not (target / name).exists():
            (target / name).symlink_to(ROOT / name)
    if not (target / "overrides").exists():  # the theme's files, copied: the site refuses a link (macros/content/listing.py)
        shutil.copytree(ROOT / "overrides", target / "overrides")
    return Project(target)


@pytest.fixture
def small(tmp_path) -> Project:
    return copy_project(FIXTURES / "small", tmp_path / "small")


def site_text(site: Path) -> str:
    """Everything a reader or a crawler can fetch from a built site, as one text."""
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json", ".js", ".txt"))


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Project:
    """The demo school (tests/fixtures/demo), copied and built strictly once for the whole run,
    as of TODAY. Tests read it, never change it: a test that edits copies it (`copy_project`)."""
    work = tmp_path_factory.mktemp("demo")
    project = copy_project(DEMO, work / "project")
    site = work / "site"
    result = project.run("-m", ENGINE, "build", "--strict", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr[-3000:]
    project.site = site
    return project


# --- the phone tests (tests/test_browser.py, tests/test_weight.py) --------------------------


@pytest.fixture(scope="module")
def origin(demo):
    """The demo site served on 127.0.0.1 for the browser."""
    from tools import phone

    with phone.serve(demo.site) as origin:
        yield origin


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright. Module scope, not session: Playwright's sync API
    allows one instance at a time per thread, and each phone test module starts its own."""
    from playwright.sync_api import sync_playwright

    from tools import phone

    missing = phone.missing_browser()
    if missing:  # fail, never skip: without the browser nothing here is tested
        pytest.fail(missing, pytrace=False)
    with sync_playwright() as playwright:
        browser = phone.launch(playwright)
        yield browser
        browser.close()


# --- markers: the fast layer (`make test-fast`) ---------------------------------------------
#
# build:   starts a build, a command or any other process (the demo's build, `python -m …`)
# browser: drives Chromium (the phone tests)
# server:  starts nginx or `mkdocs serve`
# `make test-fast` runs what has none of them: the in-process tests. A test is marked by the
# fixtures it takes and by what its own code calls; one that starts a process anyway fails in
# the fast run (QC_TEST_FAST=1: `subprocess` refuses), so a missing mark cannot hide.

BUILDING_FIXTURES = {"demo", "origin", "school", "served", "built", "searching", "demo_editions", "preview", "macros_page",
                     "site", "item", "pages", "fake_ssh", "upload_here"}
SERVER_MODULES = {"test_nginx", "test_deploy", "test_preview", "test_preview_problems", "test_columns_served"}
# output: the module reads only the demo's build (the `demo` fixture) or builds nothing, and starts
# no engine itself. The second engine builds the demo byte for byte the same but for its generator
# line (tests/test_engine.py), so .ci/run's second run leaves these out: -m "not output".
OUTPUT_MODULES = {"test_browser", "test_weight", "test_elder", "test_search", "test_nginx", "test_pull",
                  "test_logs", "test_anchors", "test_health", "test_desk_nginx"}
_STARTS_A_PROCESS = re.compile(r"\.build\(|\.run\(|subprocess\.|Popen|\blint\(|\binit\(|\bfindings\(|run_step\(|"
                               r"\bmake\b|serve\(|_cli\(|build_school\(")


def pytest_configure(config):
    for name, what in (("build", "starts a build, a command or another process"),
                       ("browser", "drives Chromium"), ("server", "starts nginx or mkdocs serve"),
                       ("output", "reads only the demo's build, starts no engine (OUTPUT_MODULES)")):
        config.addinivalue_line("markers", f"{name}: {what}")


def _starts_a_process(function, module, depth: int = 3) -> bool:
    """Whether `function`, or a function of the tests it calls (three calls deep), starts one."""
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return False
    if _STARTS_A_PROCESS.search(source):
        return True
    if depth == 0:
        return False
    called = {node.func.id for node in ast.walk(ast.parse(source))
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    for name in called:
        helper = getattr(module, name, None)
        if inspect.isfunction(helper) and helper is not function and \
                getattr(helper, "__module__", "") in (module.__name__, "conftest") and \
                _starts_a_process(helper, sys.modules.get(helper.__module__, module), depth - 1):
            return True
    return False


def pytest_collection_modifyitems(config, items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        function = getattr(item, "function", None)
        module = getattr(item, "module", None)
        try:
            source = inspect.getsource(function) if function else ""
        except (OSError, TypeError):
            source = ""
        if "browser" in names:
            item.add_marker("browser")
        if (module and module.__name__ in SERVER_MODULES) or "mkdocs serve" in source or '"serve"' in source:
            item.add_marker("server")
        if names & BUILDING_FIXTURES or (function and module and _starts_a_process(function, module)):
            item.add_marker("build")
        if module and module.__name__ in OUTPUT_MODULES:
            item.add_marker("output")


@pytest.fixture(autouse=True)
def _fast_means_in_process(request, monkeypatch):
    """In `make test-fast`, a test that starts a process is a test without its mark: say so."""
    if os.environ.get("QC_TEST_FAST") != "1":
        return

    def refuse(*args, **kwargs):
        raise AssertionError(f"{request.node.nodeid} starts a process ({args[1] if len(args) > 1 else args}): "
                             "mark it @pytest.mark.build, or it slows the fast layer")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
