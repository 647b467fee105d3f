"""The guides' chapters are linked by stable anchors, never by number.

Code and messages point editors and IT staff at a chapter as
「见编辑指南“公众号版”一节（EDITING.md#wechat）」: every `EDITING.md#id`, `OPERATIONS.md#id`
(and the other guides') written anywhere in the repository must be an explicit
`<a id="id"></a>` of that file, and no code may name a chapter by its number (第十二章,
第十六节), which changes whenever a chapter is added. Content-agnostic: docs/ and data/ are
the school's, and are not read here.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SELF = Path(__file__).resolve()  # its planted examples are not references
GUIDES = ("README.md", "EDITING.md", "OPERATIONS.md", "DEVELOPING.md", "MEASUREMENTS.md")
CHAPTERED = ("EDITING.md", "OPERATIONS.md")  # every chapter heading has an anchor before it
# where code lives (a chapter number in docs/, data/ or mkdocs.yml would be the school's own text)
CODE = ("macros", "hooks.py", "overrides", "tools", "deploy", "bench", ".github", ".gitlab-ci.yml", ".ci",
        "Makefile")
SKIP_DIRS = {".git", ".venv", ".venv-properdocs", "node_modules", "site", ".cache", "__pycache__", "pdf", ".photos", ".pytest_cache"}
TEXT = {".py", ".md", ".yml", ".yaml", ".html", ".css", ".js", ".sh", ".conf", ".txt", ".xml", ".json", ""}

_REFERENCE = re.compile(r"\b(" + "|".join(re.escape(g) for g in GUIDES) + r")#([A-Za-z0-9_-]+)")
_SELF_LINK = re.compile(r"\]\(#([^)\s]+)\)")
_ANCHOR = re.compile(r'<a id="([^"]+)"></a>')
_CHAPTER = re.compile(r"第\s*[一二三四五六七八九十百零〇0-9]+\s*[章节]")


def _files(root: Path, tops=None):
    starts = [root / t for t in tops] if tops else [root]
    for start in starts:
        if start.is_file():
            yield start
            continue
        if not start.is_dir():
            continue
        for folder, dirs, names in os.walk(start):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            for name in sorted(names):
                path = Path(folder) / name
                if path.suffix in TEXT and path != SELF and path.is_file() and not path.is_symlink():
                    yield path


def anchors(path: Path) -> set[str]:
    return set(_ANCHOR.findall(path.read_text(encoding="utf-8"))) if path.is_file() else set()


def broken_references(root: Path) -> list[str]:
    """Every `GUIDE.md#id` in the repository, and every `(#id)` inside a guide, whose anchor is missing."""
    known = {guide: anchors(root / guide) for guide in GUIDES}
    broken = []
    for path in _files(root):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        rel = path.relative_to(root).as_posix()
        for n, line in enumerate(text.splitlines(), 1):
            for guide, anchor in _REFERENCE.findall(line):
                if anchor not in known[guide]:
                    broken.append(f"{rel}:{n}: {guide}#{anchor}")
            if rel in GUIDES:
                for anchor in _SELF_LINK.findall(line):
                    if anchor not in known[rel]:
                        broken.append(f"{rel}:{n}: #{anchor}")
    return broken


def chapter_numbers(root: Path) -> list[str]:
    """Lines of code that name a chapter by its number."""
    return [f"{path.relative_to(root).as_posix()}:{n}: {match.group(0)}"
            for path in _files(root, CODE)
            for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
            for match in _CHAPTER.finditer(line)]


def unanchored_chapters(root: Path) -> list[str]:
    """`## ` headings of the chaptered guides not directly preceded by an anchor."""
    missing = []
    for guide in CHAPTERED:
        lines = (root / guide).read_text(encoding="utf-8").splitlines()
        fenced = False
        for n, line in enumerate(lines):
            if line.startswith("```"):
                fenced = not fenced
            if not fenced and line.startswith("## ") and not (n and _ANCHOR.fullmatch(lines[n - 1].strip())):
                missing.append(f"{guide}:{n + 1}: {line}")
    return missing


def test_every_guide_reference_names_an_anchor_of_that_guide():
    assert broken_references(ROOT) == []


def test_no_code_names_a_chapter_by_its_number():
    assert chapter_numbers(ROOT) == []


def test_every_chapter_of_the_guides_has_a_stable_anchor():
    assert unanchored_chapters(ROOT) == []
    assert {"news", "notes", "bulletins", "review", "wechat", "filing", "errors"} <= anchors(ROOT / "EDITING.md")
    ids = [a for guide in GUIDES for a in _ANCHOR.findall((ROOT / guide).read_text(encoding="utf-8"))]
    assert all(re.fullmatch(r"[a-z][a-z0-9-]*", a) for a in ids), ids


def test_the_checks_catch_what_is_planted(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    for guide in GUIDES:
        shutil.copy(ROOT / guide, root / guide)
    (root / "macros").mkdir()
    (root / "macros" / "cli.py").write_text(
        'print("见编辑指南“公众号版”一节（EDITING.md#wechat）")\n'
        'print("见编辑指南第十二章（EDITING.md#weixin）")\n'
        'print("见运维手册（OPERATIONS.md#rollback）和（OPERATIONS.md#roll-back）")\n', encoding="utf-8")
    (root / "Makefile").write_text("# 见编辑指南第 16 节\n", encoding="utf-8")
    with (root / "EDITING.md").open("a", encoding="utf-8") as guide:
        guide.write("\n## 没有锚点的一章\n\n见[不存在的一节](#nowhere)。\n")
    assert broken_references(root) == ["EDITING.md:%d: #nowhere" % _last_line(root / "EDITING.md"),
                                       "macros/cli.py:2: EDITING.md#weixin",
                                       "macros/cli.py:3: OPERATIONS.md#roll-back"]
    assert chapter_numbers(root) == ["macros/cli.py:2: 第十二章", "Makefile:1: 第 16 节"]
    assert unanchored_chapters(root) == [f"EDITING.md:{_last_line(root / 'EDITING.md') - 2}: ## 没有锚点的一章"]


def _last_line(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_the_guide_and_the_starters_list_every_allowed_value():
    from listed_choices import incomplete_lists
    files = [ROOT / "EDITING.md", *sorted((ROOT / "macros" / "templates" / "starters").iterdir())]
    assert [p for path in files for p in incomplete_lists(path)] == []


def test_a_list_missing_a_value_is_found():
    from listed_choices import incomplete_lists
    from macros.content.models import COURSE_FORMATS
    line = "# format：教学方式，填 " + "、".join(COURSE_FORMATS[:8]) + " 之一。\n"
    assert incomplete_lists(Path("courses.yaml"), "# 课程目录\n" + line) == [
        f"courses.yaml 第 2 行列出了 Course.format 的 8 个可选值，少了：{'、'.join(COURSE_FORMATS[8:])}"]
    assert incomplete_lists(Path("courses.yaml"), "# format：填 " + "、".join(COURSE_FORMATS) + " 之一") == []
