"""Commands that read, only read (issue 19, point 3): after a build, `check`, `stats`,
`freshness`, `review`, `inspect`, `wechat` and `annual-report` leave every file of the project as it was, byte
for byte and to the nanosecond (site/, the cover cache, the sources), and write no temporary
file either; `inspect --report F`, `wechat -o F` and `annual-report --out F` write F and nothing else, `new` the new
file and nothing else. `wechat` used to start the build's background work when it converted
its page: the search index was written again with no page in it, the site's search found
nothing, and the cover workers' files were left in the temporary folder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from test_cover_cache import photo

SKIPPED = {"__pycache__"}


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under `root` (symbolic links as links, not followed): path → what it holds."""
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIPPED]
        for name in dirs + files:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            stat = path.lstat()
            if path.is_symlink():
                found[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                found[rel] = ("dir",)
            else:
                found[rel] = ("file", path.read_bytes(), stat.st_mtime_ns, stat.st_mode)
    return found


def changes(before: dict, after: dict) -> dict[str, str]:
    out = {}
    for rel in sorted(before.keys() | after.keys()):
        if rel not in after:
            out[rel] = "removed"
        elif rel not in before:
            out[rel] = "added"
        elif before[rel] != after[rel]:
            out[rel] = "changed"
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The small fixture built once, with a cover (so that covers are cached) and an unused
    variant planted in the cache (which a full build would prune)."""
    from conftest import FIXTURES, copy_project

    project = copy_project(FIXTURES / "small", tmp_path_factory.mktemp("readonly") / "small")
    photo(project.path("docs/news/2023/images/c.jpg"), (120, 120, 30))
    project.edit("docs/news/2023/2023-08-01-c.md", "source: original", "source: original\ncover: images/c.jpg")
    result = project.build()
    assert result.returncode == 0, result.stderr[-3000:]
    assert list(project.path("site/covers").glob("*-720.jpg"))
    assert project.path("site/search/idx/meta.json").is_file()
    stale = next(project.path(".cache/covers").glob("*/")) / ("0" * 64 + "-unused.jpg")
    stale.write_bytes(b"a variant no page uses any more")
    return project


READ_ONLY = {
    "check": ["check"],
    "stats": ["stats", "--period", "2023"],
    "stats-json": ["stats", "--period", "2023H1", "--json"],
    "freshness": ["freshness"],
    "review": ["review", "--json"],
    "inspect": ["inspect"],
    "inspect-json": ["inspect", "--json"],
    "wechat": ["wechat", "docs/news/2023/2023-08-01-c.md"],
    "wechat-refused": ["wechat", "docs/news/2023/2023-04-01-draft.md"],
    "annual-report": ["annual-report", "2023"],
    "annual-report-json": ["annual-report", "2023", "--json"],
}


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """Runs a command with a temporary folder of its own, so that a file left there is seen;
    returns its result and what it left there."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.delenv("QC_COVER_CACHE", raising=False)  # the cache beside mkdocs.yml, snapshotted

    def run(project, *args):
        result = project.run("-m", "macros", *args)
        return result, sorted(p.name for p in scratch.iterdir())
    return run


@pytest.mark.parametrize("name", READ_ONLY)
def test_a_read_only_command_writes_nothing(built, isolated, name):
    before = snapshot(built.root)
    result, left = isolated(built, *READ_ONLY[name])
    assert result.returncode in (0, 1), result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert changes(before, snapshot(built.root)) == {}
    assert left == [], "files left in the temporary folder"


def test_wechat_leaves_the_search_index_whole(built, isolated):
    meta = built.path("site/search/idx/meta.json")
    pages = meta.read_text(encoding="utf-8")
    result, _ = isolated(built, "wechat", "docs/news/2023/2023-02-01-a.md")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "正文甲" in result.stdout
    assert meta.read_text(encoding="utf-8") == pages
    assert '"pages": 0' not in pages


@pytest.mark.parametrize("args, written", [
    (["wechat", "docs/news/2023/2023-02-01-a.md", "-o", "edition.html"], "edition.html"),
    (["inspect", "--report", "inspection.md"], "inspection.md"),
    (["annual-report", "2023", "--out", "report.md"], "report.md"),
])
def test_a_command_asked_to_write_a_file_writes_that_file_only(built, isolated, args, written):
    before = snapshot(built.root)
    result, left = isolated(built, *args)
    assert result.returncode in (0, 1), result.stderr[-3000:]
    try:
        assert changes(before, snapshot(built.root)) == {written: "added"}
        assert built.path(written).stat().st_size > 0
    finally:
        built.path(written).unlink(missing_ok=True)
    assert left == []


@pytest.mark.parametrize("args, new_file", [
    (["new", "news", "新的新闻", "--slug", "xin-xinwen"], "docs/news/2026/2026-11-23-xin-xinwen.md"),
    (["new", "note", "新的笔记", "--slug", "xin-biji", "--column", "col"], "docs/notes/col/2026-11-23-xin-biji.md"),
])
def test_new_writes_the_new_file_only(built, isolated, args, new_file):
    before = snapshot(built.root)
    result, left = isolated(built, *args)
    assert result.returncode == 0, result.stderr[-3000:]
    try:
        added = {rel: what for rel, what in changes(before, snapshot(built.root)).items()
                 if not (what == "added" and snapshot_is_dir(built.root / rel))}
        assert added == {new_file: "added"}
    finally:
        built.path(new_file).unlink(missing_ok=True)
        if built.path(new_file).parent.is_dir() and not any(built.path(new_file).parent.iterdir()):
            built.path(new_file).parent.rmdir()  # as it was, for the tests after this one
    assert left == []


def snapshot_is_dir(path: Path) -> bool:
    """A folder made to hold the new file (docs/news/2026/) is no file written."""
    return path.is_dir() and not path.is_symlink()
