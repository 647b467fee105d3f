"""Half the pages rendered by a fork of the build (macros/engine/parallel.py): the same site, and
what goes wrong in the fork stops the build."""
from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

import pytest

from conftest import ENGINE_COMMAND
from macros.engine import parallel


def _build(project, site: Path, processes: str) -> subprocess.CompletedProcess:
    return subprocess.run([*ENGINE_COMMAND, "build", "--strict", "--site-dir", str(site)],
                          cwd=project.root, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_TODAY": "2026-11-23",
                               "QC_RENDER_PROCESSES": processes})


def test_two_processes_build_the_very_site_one_builds(demo, tmp_path):
    for processes in ("1", "2"):
        result = _build(demo, tmp_path / processes, processes)
        assert result.returncode == 0, result.stderr[-3000:]
        assert "Page skipped" not in result.stderr
    one = {p.relative_to(tmp_path / "1"): p.read_bytes() for p in (tmp_path / "1").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "2"): p.read_bytes() for p in (tmp_path / "2").rglob("*") if p.is_file()}
    assert one.keys() == two.keys() and len([p for p in one if p.suffix == ".html"]) > 100
    assert [p for p in one if one[p] != two[p] and p.suffix != ".gz"] == []


def test_a_page_the_fork_cannot_render_stops_the_build(small, tmp_path):
    small.write("docs/about/broken.md", "---\ntemplate: no-such-template.html\n---\n\n# 坏页\n\n正文。\n")
    result = _build(small, tmp_path / "site", "2")
    assert result.returncode != 0
    assert "no-such-template.html" in result.stderr


class _File:
    def __init__(self, name):
        self.src_uri = name
        self.page = type("P", (), {"meta": {}})()
        self.inclusion = type("I", (), {"is_excluded": staticmethod(lambda: False)})()


class _Files:
    def __init__(self, names):
        self.files = [_File(n) for n in names]

    def documentation_pages(self):
        return self.files


def test_the_forks_warnings_are_logged_here_and_its_errors_raised(monkeypatch, caplog):
    import mkdocs.commands.build as build

    def fake_build_page(page, config, pages, nav, env, excluded=False):
        build.log.warning("坏链接 in %s", page.meta.get("name"))  # mkdocs.… or properdocs.commands.build
        if page.meta.get("name") == "d.md":
            raise ValueError("模板出错")

    monkeypatch.setattr(build, "_build_page", fake_build_page)
    files = _Files(["a.md", "b.md", "c.md", "d.md"])
    for f in files.files:
        f.page.meta["name"] = f.src_uri
    renderer = parallel.Renderer(None, None, files, nav=object())
    # the fork took b.md and d.md; here they are skipped
    assert [f.page.meta.get("template") for f in files.files] == [None, parallel.SKIP_TEMPLATE, None, parallel.SKIP_TEMPLATE]
    with caplog.at_level(logging.WARNING, logger=build.log.name), pytest.raises(RuntimeError, match="模板出错"):
        renderer.finish()
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == ["坏链接 in b.md", "坏链接 in d.md"]
