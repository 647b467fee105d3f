"""The header, tabs and navigation rendered once per nav_key (overrides/main.html, `fragment`)
are the very pages Material renders for each page on its own."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from conftest import ENGINE, ENGINE_COMMAND
from macros.engine.mkdocs_adapter import Fragments, nav_key

_SPACE = re.compile(r"\s+")


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): _SPACE.sub("", p.read_text(encoding="utf-8"))
            for p in site.rglob("*.html")}


def test_every_page_is_the_same_as_rendered_on_its_own(demo, tmp_path):
    result = demo.run("-m", ENGINE, "build", "--strict", "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr[-3000:]
    off = subprocess.run([*ENGINE_COMMAND, "build", "--strict", "--site-dir", str(tmp_path / "off")],
                         cwd=demo.root, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_TODAY": "2026-11-23", "QC_FRAGMENTS": "off"})
    assert off.returncode == 0, off.stderr[-3000:]
    kept, alone = _pages(tmp_path / "site"), _pages(tmp_path / "off")
    assert kept.keys() == alone.keys() and len(kept) > 100
    different = [name for name in kept if kept[name] != alone[name]]
    assert different == []
    # and each news item's header names that item, not the page its header was first rendered for
    items = [name for name in kept if name.startswith("news/20") and "/page/" not in name]
    assert len(items) > 20
    for name in items:
        title = re.search(r'data-md-component="header-topic"><spanclass="md-ellipsis">(.*?)</span>', kept[name])
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", kept[name])
        assert title and h1 and title.group(1) == re.sub(r"<[^>]+>", "", h1.group(1)), name


class _Page:
    def __init__(self, url):
        self.url = url


class _Nav:
    def __init__(self, pages):
        self.pages = pages


def test_the_key_is_the_relative_links_and_none_for_a_page_in_the_nav():
    home, news = _Page(""), _Page("news/")
    nav = _Nav([home, news])
    assert nav_key(news, nav, "..") is None  # shown active: rendered on its own
    a, b, c = _Page("news/2025/a/"), _Page("news/2025/b/"), _Page("notes/2025/c/")
    assert nav_key(a, nav, "../../..") == nav_key(b, nav, "../../..")
    assert nav_key(a, nav, "../../..") != nav_key(c, nav, "../../..")  # ../../ to news/ from a, not from c
    assert nav_key(_Page("about/"), nav, "..") != nav_key(a, nav, "../../..")


def test_a_fragment_is_rendered_once_per_key():
    calls = []

    def caller():
        calls.append(1)
        return f"<nav>{len(calls)}</nav>"

    fragment = Fragments()
    assert fragment("nav", ("k",), caller=caller) == fragment("nav", ("k",), caller=caller) == "<nav>1</nav>"
    assert fragment("nav", ("other",), caller=caller) == "<nav>2</nav>"
    assert fragment("nav", None, caller=caller) == "<nav>3</nav>"
