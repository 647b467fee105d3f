"""The engine a run names is the engine it tests (DEVELOPING.md#engines): `make test
ENGINE=properdocs` builds with ProperDocs, both in its commands and in this process."""
from __future__ import annotations

import gzip
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import DEMO, ENGINE, OUTPUT_MODULES, ROOT, TODAY, copy_project

OTHER = {"mkdocs": ("properdocs", ".venv-properdocs"), "properdocs": ("mkdocs", ".venv")}[ENGINE]
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def test_the_build_and_this_process_run_the_engine_named(demo):
    import mkdocs

    assert mkdocs.__name__ == ENGINE  # under ProperDocs its alias answers `import mkdocs`
    page = (demo.site / "404.html").read_text(encoding="utf-8")
    generator = re.search(r'<meta name="generator" content="([^"]+)"', page)[1]
    assert ("ProperDocs" in generator) == (ENGINE == "properdocs"), generator


def _comparable(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return GENERATOR.sub(b"", data) if path.name.endswith((".html", ".html.gz")) else data


def test_the_other_engine_builds_the_same_site(demo, tmp_path):
    """The two engines build the demo byte for byte the same but for the generator line: what
    lets .ci/run's second run leave out the tests that only read that build (conftest
    OUTPUT_MODULES). QC_SECOND_ENGINE=1 (.ci/run) makes a missing other engine a failure."""
    python = ROOT / OTHER[1] / "bin" / "python"
    if not python.exists():
        assert os.environ.get("QC_SECOND_ENGINE") != "1", f"{python} is missing: run `make test` first"
        pytest.skip(f"{OTHER[0]} is not installed ({OTHER[1]})")
    project = copy_project(DEMO, tmp_path / "project")
    env = {**os.environ, "SITE_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1", "QC_ENGINE": OTHER[0]}
    result = subprocess.run([str(python), "-m", OTHER[0], "build", "--strict", "--site-dir", str(tmp_path / "site")],
                            cwd=project.root, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    ours = {p.relative_to(demo.site) for p in demo.site.rglob("*") if p.is_file()}
    theirs = {p.relative_to(tmp_path / "site") for p in (tmp_path / "site").rglob("*") if p.is_file()}
    assert ours == theirs, (sorted(ours - theirs)[:5], sorted(theirs - ours)[:5])
    differing = [str(rel) for rel in sorted(ours) if _comparable(demo.site / rel) != _comparable(tmp_path / "site" / rel)]
    assert not differing, differing[:10]
    generators = {GENERATOR.search((demo.site / "404.html").read_bytes())[0],
                  GENERATOR.search((tmp_path / "site" / "404.html").read_bytes())[0]}
    assert len(generators) == 2, generators  # the two builds are the two engines'


def test_the_modules_left_out_on_the_second_engine_start_no_engine():
    """An OUTPUT_MODULES module that builds a fixture or starts the engine itself would go
    untested on the second engine: none may."""
    engine_use = re.compile(r"ENGINE|\.build\(|copy_project|def \w+\([^)]*\bsmall\b|mkdocs serve|"
                            r"\"-m\", \"(mkdocs|properdocs)")  # `small`: the fixture, a project to build
    for name in sorted(OUTPUT_MODULES):
        source = (ROOT / "tests" / f"{name}.py").read_text(encoding="utf-8")
        code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("#"))
        found = engine_use.search(code)
        assert not found, (name, found and found[0])
