"""Heading ids that a reader can share: they keep the Chinese, are unique, and links to them resolve."""
from __future__ import annotations

import re
from collections import Counter

_HEADING = re.compile(r'<h([1-6])[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_heading_ids_keep_the_chinese_and_are_unique(demo):
    checked = 0
    for path in demo.site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        ids = Counter(re.findall(r'\bid="([^"]+)"', html))
        for _, anchor, inner in _HEADING.findall(html):
            text = re.sub(r"<[^>]+>", "", inner)
            if _CJK.search(text) and not re.fullmatch(r"[a-z][a-z0-9-]*", anchor):  # ids set by a template
                assert _CJK.search(anchor), f"{path}: heading {text!r} has id {anchor!r}"
                checked += 1
            assert ids[anchor] == 1, f"{path}: id {anchor!r} used {ids[anchor]} times"
        for target in re.findall(r'href="#([^"]+)"', html):
            from urllib.parse import unquote
            assert unquote(target) in ids, f"{path}: link to #{target} has no target"
    assert checked > 100  # the catalog, the pool, every course and instructor page
