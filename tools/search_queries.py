"""Queries drawn from a built site's own text, for the recall test and `make bench`.

Four kinds, evenly: book titles in 《》, people's names (teachers' pages, notes' authors),
windows of 4-8 characters of page titles, and 2-3 character words of page texts. A query is
kept when 1-3 pages contain it literally; those pages are the ones it must find.

The pages are those the index lists (site/search/idx/f/*.json: which pages are searchable is
tested elsewhere), but their text is read here from the built HTML with Python's HTML parser,
not from the index, so that a mistake in the indexer's text cannot hide itself.
"""
from __future__ import annotations

import json
import random
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(f"[{CJK}]+")
_WORDY = re.compile(f"[{CJK}0-9A-Za-z]+")
_BOOK = re.compile("《([^《》]{2,16})》")
KINDS = ("book", "name", "title", "word")


@dataclass(frozen=True)
class Page:
    path: str   # /news/2024/x/
    title: str
    text: str   # the page's visible text, title included
    kind: str   # as the index says: 新闻, 师资 …
    meta: str   # the first line under the title (a note's column · number · author · date)


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    wanted: tuple[str, ...]  # paths of the pages that contain it


class _Text(HTMLParser):
    """The text inside <article>, without <nav> (the pager), scripts and drawings."""

    BLOCKS = {"p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br", "table", "ul",
              "ol", "blockquote", "pre", "dt", "dd", "figcaption", "nav"}
    SKIP = {"nav", "script", "style", "svg"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <article>
        self.skip = 0
        self.parts: list[str] = []
        self.meta: list[str] | None = None
        self.meta_done = False

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        if self.depth and tag in self.SKIP:
            self.skip += 1
        if self.depth and tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "p" and "qc-meta" in (dict(attrs).get("class") or "") and not self.meta_done:
            self.meta = []

    def handle_endtag(self, tag):
        if self.depth and tag in self.SKIP and self.skip:
            self.skip -= 1
        if self.depth and tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "p" and self.meta is not None and not self.meta_done:
            self.meta_done = True
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            data = re.sub(r"\s+", " ", data)
            self.parts.append(data)
            if self.meta is not None and not self.meta_done:
                self.meta.append(data)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def read_pages(site: Path) -> list[Page]:
    pages = []
    for fragment in sorted((site / "search" / "idx" / "f").glob("*.json"), key=lambda p: int(p.stem)):
        record = json.loads(fragment.read_text(encoding="utf-8"))
        html = (site / record["u"] / "index.html").read_text(encoding="utf-8")
        parser = _Text()
        parser.feed(html)
        text = "".join(parser.parts)
        text = re.sub(f"(?<=[{CJK}]) (?=[{CJK}])", "", text)  # a wrapped line in the Markdown source
        text = re.sub(r"\s*\n\s*", "\n", text).strip()
        pages.append(Page("/" + record["u"], record["t"], text, record["k"], "".join(parser.meta or [])))
    return pages


def containing(pages: list[Page], query: str, texts: list[str] | None = None) -> list[str]:
    needle = normalise(query)
    texts = texts or [normalise(p.text) for p in pages]
    return [p.path for p, t in zip(pages, texts) if needle in t]


def draw(pages: list[Page], per_kind: int, seed: int = 10) -> list[Query]:
    """Up to `per_kind` queries of each kind, each found literally in 1-3 pages."""
    rng = random.Random(seed)
    texts = [normalise(p.text) for p in pages]
    candidates = {kind: [] for kind in KINDS}
    for page in pages:
        candidates["book"] += _BOOK.findall(page.text)
        if page.kind == "师资":
            candidates["name"].append(page.title)
        if page.kind == "学习笔记" and page.meta.count(" · ") >= 3:
            candidates["name"].append(page.meta.split(" · ")[2].strip())
        for run in _WORDY.findall(page.title):
            if len(run) >= 4:
                size = rng.randint(4, min(8, len(run)))
                start = rng.randrange(len(run) - size + 1)
                candidates["title"].append(run[start:start + size])
        runs = [r for r in _RUN.findall(page.text) if len(r) >= 3]
        for run in rng.sample(runs, min(3, len(runs))):
            size = rng.randint(2, 3)
            start = rng.randrange(len(run) - size + 1)
            candidates["word"].append(run[start:start + size])
    queries = []
    for kind in KINDS:
        pool = sorted(set(candidates[kind]))
        rng.shuffle(pool)
        kept = 0
        for text in pool:
            if kept == per_kind:
                break
            wanted = containing(pages, text, texts)
            if 1 <= len(wanted) <= 3:
                queries.append(Query(kind, text, tuple(wanted)))
                kept += 1
    return queries


def type_query(page, text: str, timeout: float = 15_000) -> list[str]:
    """Replace the search box's text by `text` as typed on a phone; the result paths, in order."""
    box = page.locator("#qc-search-input")
    box.fill("")
    box.press_sequentially(text)
    page.wait_for_function("q => document.getElementById('qc-search-results').getAttribute('data-query') === q",
                           arg=text.strip(), timeout=timeout)
    return page.eval_on_selector_all("#qc-search-results > li > a", "els => els.map(e => e.pathname)")


def open_search(page, origin: str, start: str = "/news/"):
    """From a page, tap the header's magnifier; the search page, its box tapped (keyboard up)."""
    from tools import phone

    seen = phone.visit(page, origin, start)
    page.tap("a.md-header__button[href$='search/']")
    page.wait_for_url("**/search/")
    page.wait_for_selector("#qc-search-input")
    page.tap("#qc-search-input")
    return seen


def recall(results: dict[Query, list[str]], top: int = 5) -> tuple[float, list]:
    """The share of wanted pages in the first `top` results, and the queries that missed."""
    wanted = found = 0
    missed = []
    for query, paths in results.items():
        hits = [w for w in query.wanted if w in paths[:top]]
        wanted += len(query.wanted)
        found += len(hits)
        if len(hits) < len(query.wanted):
            missed.append((query.kind, query.text, query.wanted, paths[:top]))
    return (found / wanted if wanted else 0.0), missed
