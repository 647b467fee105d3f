"""Search: the index (macros/output/search.py) and the search page (overrides/assets/search.js).

The index is checked against the pages' own text, token by token; the page is checked in
Chromium at 360 px as a reader uses it: the header's magnifier tapped, queries typed. Queries
are drawn from the built demo (tests/fixtures/demo) by tools/search_queries.py (four kinds, each found literally in
1-3 pages); the wanted pages must be among the first five results.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from macros.output import search
from tools import phone
from tools import search_queries as sq

PER_KIND = 20  # 80 queries: a few seconds in the browser


# --- the index, without a browser --------------------------------------------------------


def test_text_and_queries_are_cut_by_the_same_rule():
    assert search.tokens("《乡土中国》") == {"乡土", "土中", "中国"}
    assert search.tokens("罗文斌") == {"罗文", "文斌"}
    assert search.tokens("ＧＤＰ增长 2023年") == {"gd", "dp", "p增", "增长", "20", "02", "23", "3年"}  # full width, case
    assert search.tokens("党") == search.tokens("党 校") == set()


def test_plain_text_keeps_phrases_and_drops_the_pager():
    html = ('<h1>标题</h1>\n<p>党的<a href="x">二十大</a>\n精神 &amp; A  b</p><table><tr><th>项目</th>\n'
            '<th>内容</th></tr></table><nav class="qc-pager"><a>上一条：别的标题</a></nav><p>2023年1月</p>')
    assert search.plain_text(html) == "党的二十大精神 & A b\n项目\n内容\n2023年1月"


def test_the_meta_line_is_searchable_but_not_the_excerpts_text():
    html = ('<h1>标题</h1>\n<p class="qc-meta">\n2024年3月5日 · <a href="s/">教学动态</a> · 原创 · 办公室张敏\n'
            ' · 约 2 分钟读完</p>\n<p>正文第一段。</p><p class="qc-meta">另一行</p>')
    content, meta = search.split_meta(html)
    assert search.plain_text(content) == "正文第一段。\n另一行"  # only the first, the record's own
    assert meta == "2024年3月5日 · 教学动态 · 原创 · 办公室张敏 · 约 2 分钟读完"
    assert search.split_meta("<p>无</p>") == ("<p>无</p>", "")


def test_record_pages_keep_their_meta_line_apart(demo):
    idx = demo.site / search.DIRECTORY
    meta = json.loads((idx / "meta.json").read_text(encoding="utf-8"))
    pages = [json.loads((idx / "f" / f"{i}.json").read_text(encoding="utf-8")) for i in range(meta["pages"])]
    news = [p for p in pages if p["k"] == "新闻"]
    assert news and all(p.get("m") for p in news), [p["u"] for p in news if not p.get("m")][:3]
    assert not [p["u"] for p in pages if "分钟读完" in p["x"]], "a meta line left in the excerpt's text"


def _shards(idx: Path) -> dict[str, tuple[list[int], list[int]]]:
    """Every shard decoded: token → (pages, pages with it in the title)."""
    out = {}
    for shard in (idx / "s").glob("*.bin"):
        data, at = shard.read_bytes(), 0

        def varint():
            nonlocal at
            value = shift = 0
            while True:
                byte = data[at]
                at += 1
                value |= (byte & 0x7F) << shift
                shift += 7
                if byte < 0x80:
                    return value

        def ids():
            previous, got = -1, []
            for _ in range(varint()):
                previous += varint()
                got.append(previous)
            return got

        while at < len(data):
            length = varint()
            token = data[at:at + length].decode("utf-8")
            at += length
            out[token] = (ids(), ids())
    return out


def test_the_index_lists_every_page_that_holds_a_token(demo):
    idx = demo.site / search.DIRECTORY
    meta = json.loads((idx / "meta.json").read_text(encoding="utf-8"))
    pages = [json.loads((idx / "f" / f"{i}.json").read_text(encoding="utf-8")) for i in range(meta["pages"])]
    index = _shards(idx)
    expected: dict[str, set[int]] = {}
    in_title: dict[str, set[int]] = {}
    for pid, page in enumerate(pages):
        for token in search.tokens(page["t"] + "\n" + page["x"] + "\n" + page.get("m", "")):
            expected.setdefault(token, set()).add(pid)
        for token in search.tokens(page["t"]):
            in_title.setdefault(token, set()).add(pid)
    assert set(index) == set(expected)
    for token, ids in expected.items():
        assert index[token][0] == sorted(ids), token
        assert index[token][1] == sorted(in_title.get(token, ())), token
    # and each token is in the shard its hash names, as the browser looks it up
    sample = sorted(expected)[:50]
    for token in sample:
        shard = (idx / "s" / f"{search.zlib.crc32(token.encode()) & (meta['shards'] - 1):x}.bin").read_bytes()
        assert token.encode() in shard


def test_records_and_ordinary_pages_are_searchable_listings_are_not(demo):
    idx = demo.site / search.DIRECTORY
    urls = {json.loads(f.read_text(encoding="utf-8"))["u"] for f in (idx / "f").glob("*.json")}
    kinds = {json.loads(f.read_text(encoding="utf-8"))["k"] for f in (idx / "f").glob("*.json")}
    assert {"新闻", "学习笔记", "课程", "师资", "简报", "页面"} <= kinds
    for pattern in (r"news/\d{4}/[^/]+/", r"notes/[^/]+/[^/]+/", r"courses/[^/]+/", r"instructors/[^/]+/"):
        built = {str(p.parent.relative_to(demo.site)) + "/" for p in demo.site.glob("**/index.html")}
        records = {u for u in built if re.fullmatch(pattern, u) and not u.startswith(("news/page", "news/section",
                                                                                        "news/archive", "notes/page"))}
        assert records and records <= urls, (pattern, sorted(records - urls)[:5])
    listings = {"news/", "notes/", "courses/", "instructors/", "topics/", "stats/", "search/", "bulletins/"}
    assert not urls & listings, urls & listings
    assert not [u for u in urls if u.startswith(("topics/", "stats/", "news/page/", "news/section/"))]


def test_only_the_search_page_loads_the_search_script(demo):
    loading = [p for p in demo.site.glob("**/*.html") if "assets/search.js" in p.read_text(encoding="utf-8")]
    assert loading == [demo.site / "search" / "index.html"]
    article = re.search(r"<article.*?</article>", loading[0].read_text(encoding="utf-8"), re.S).group(0)
    assert not re.search(r"<script(?![^>]*\bsrc=)", article), "an inline script on the search page"
    assert not re.search(r"<style|\sstyle=", article), "inline styles on the search page"


# --- the search page in Chromium -------------------------------------------------------


@pytest.fixture(scope="module")
def searching(browser, origin):
    """One phone, on the search page reached from /news/ through the header's magnifier."""
    context = phone.open_phone(browser, origin)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    sq.open_search(page, origin)
    yield page
    assert not errors, errors
    context.close()


@pytest.fixture(scope="module")
def pages(demo):
    return sq.read_pages(demo.site)


def test_recall_of_queries_drawn_from_the_site(searching, demo):
    from test_content import search_recall  # the same measure holds any school's content

    share, missed, queries = search_recall(searching, demo.site, PER_KIND)
    kinds = {kind: sum(q.kind == kind for q in queries) for kind in sq.KINDS}
    assert len(queries) >= 60 and min(kinds.values()) >= 15, kinds
    print(f"\nsearch recall on the demo: {share:.1%} of the wanted pages in the first five results, "
          f"{len(queries)} queries {kinds}")
    print("missed:", missed)
    assert share >= 0.95, missed


KNOWN = ["乡土中国", "习近平谈治国理政", "绿水青山也是金山银山", "罗文斌", "田秀英", "费孝通", "差序格局"]


@pytest.mark.parametrize("query", KNOWN)
def test_queries_that_pagefind_missed_are_found(searching, pages, query):
    wanted = sq.containing(pages, query)
    assert wanted, f"{query} is not in the demo any more: choose another"
    found = sq.type_query(searching, query)
    if len(wanted) <= 5:
        assert set(wanted) <= set(found[:5]), (wanted, found)
    else:  # more pages hold it than a screen shows: the first five all hold it
        assert len(found) >= 5 and set(found[:5]) <= set(wanted), (wanted, found)


def _titles(page) -> list[str]:
    return page.eval_on_selector_all("#qc-search-results > li > a", "els => els.map(e => e.textContent)")


@pytest.mark.parametrize("name, person", [("罗文斌", "/instructors/luo-wenbin/"), ("林国栋", "/instructors/lin-guodong/"),
                                          ("田秀英", "/instructors/tian-xiuying/")])
def test_a_name_puts_that_persons_page_first(searching, name, person):
    assert sq.type_query(searching, name)[0] == person


@pytest.mark.parametrize("query", ["乡土中国", "乡村振兴", "二十大", "林国栋", "培训班", "党校"])
def test_titles_holding_the_query_come_first(searching, query):
    sq.type_query(searching, query)
    holds = [query in title for title in _titles(searching)]
    assert holds and True in holds, f"no result titled with {query}: choose another query"
    assert holds == sorted(holds, reverse=True), list(zip(_titles(searching), holds))


@pytest.mark.parametrize("query", ["差序格局", "罗文斌", "乡村振兴", "一网通办"])
def test_excerpts_are_real_text_with_the_query_marked_whole(searching, pages, query):
    paths = sq.type_query(searching, query)
    texts = {p.path: re.sub(r"\s+", " ", p.text) for p in pages}
    shown = searching.eval_on_selector_all(
        "#qc-search-results > li",
        "els => els.map(e => ({excerpt: e.querySelector('.qc-search__excerpt').textContent,"
        " marks: [...e.querySelectorAll('.qc-search__excerpt mark')].map(m => m.textContent),"
        " meta: e.querySelector('.qc-search__meta').textContent}))")
    assert shown and len(shown) == len(paths)
    for path, item in zip(paths, shown):
        body = item["excerpt"].strip("…")
        assert body and body in texts[path], (path, body)
        if query in body:
            assert item["marks"], (path, body)
        assert all(m == query for m in item["marks"]), item["marks"]
        assert re.fullmatch(r"(新闻|学习笔记|课程|师资|简报|页面)( · \d{4}年\d{1,2}月\d{1,2}日)?", item["meta"]), item


def test_excerpts_start_with_the_text_and_an_author_is_found_by_name(searching, demo):
    idx = demo.site / search.DIRECTORY
    fragments = [json.loads(f.read_text(encoding="utf-8")) for f in (idx / "f").glob("*.json")]
    text = "\n".join(f["t"] + "\n" + f["x"] for f in fragments)
    # an author (the meta line's 4th part) whose name is nowhere else: found by the meta line only
    authors = sorted({parts[3] for f in fragments if f.get("m") and len(parts := f["m"].split(" · ")) == 5
                      and parts[3] not in text and len(parts[3]) >= 2})
    assert authors, "no item with an author named only in its meta line: choose another fixture"
    name = authors[0]
    wanted = sorted(f["u"] for f in fragments if name in f.get("m", ""))
    found = sq.type_query(searching, name)
    assert sorted(found) == sorted("/" + u.lstrip("/") for u in wanted), (name, found, wanted)
    shown = searching.eval_on_selector_all(
        "#qc-search-results > li", "els => els.map(e => [e.querySelector('.qc-search__excerpt').textContent,"
        " [...e.querySelectorAll('.qc-search__excerpt mark')].map(m => m.textContent)])")
    assert all(name in words and marks == [name] for words, marks in shown), shown
    # words of a news item's title that its text does not hold: its excerpt is the text's start,
    # which was the meta line (…原创 · 作者 · 约 2 分钟读完) before it was kept apart
    item, phrase = next((f, run) for f in sorted(fragments, key=lambda f: f["u"]) if f["k"] == "新闻"
                        for run in re.findall(r"[\u4e00-\u9fff]{4}", f["t"]) if run not in f["x"])
    found = sq.type_query(searching, phrase)
    excerpts = searching.eval_on_selector_all(".qc-search__excerpt", "els => els.map(e => e.textContent)")
    shown = excerpts[found.index("/" + item["u"].lstrip("/"))]
    assert shown.startswith(item["x"][:10]) and "分钟读完" not in shown, shown


def test_a_query_in_the_address_runs_at_once(browser, origin):
    context = phone.open_phone(browser, origin)
    page = context.new_page()
    seen = phone.visit(page, origin, "/search/?q=" + "林国栋")
    page.wait_for_selector("#qc-search-results[data-query='林国栋']")
    first = page.eval_on_selector("#qc-search-results > li > a", "e => e.pathname")
    assert first == "/instructors/lin-guodong/"
    assert page.input_value("#qc-search-input") == "林国栋"
    assert not seen.errors and not seen.foreign(origin)
    context.close()


def test_other_pages_fetch_nothing_for_search(browser, origin):
    context = phone.open_phone(browser, origin)
    page = context.new_page()
    for url in ("/", "/news/", "/instructors/lin-guodong/"):
        seen = phone.visit(page, origin, url)
        assert not [r for r in seen.requests if "search" in r], (url, seen.requests)
    context.close()


@pytest.mark.parametrize("query", ["举行2023", "举行202", "2023年工作部署", "023年工作部署"])
def test_a_number_cut_at_the_query_end_still_finds(searching, pages, query):
    wanted = sq.containing(pages, query)
    assert wanted
    assert set(wanted[:5]) <= set(sq.type_query(searching, query)[:5])
