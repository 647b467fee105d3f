"""Share cards (DEVELOPING.md#share-cards): description, Open Graph and canonical URL on every page.

Unit tests of macros/channels/share.py's rules, a fixture site whose summary is full of HTML's special
characters (printed escaped), and every page of the built demo parsed: each record page's
card is checked against its record.
"""
from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
from PIL import Image

from conftest import DEMO
from macros.content import models as m
from macros.channels import share

SITE_URL = "https://qcdx.example.cn/"


class _Head(HTMLParser):
    """The <meta> and <link rel=canonical> of a page: name or property → list of contents."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("name") or attrs.get("property")):
            self.meta.setdefault(attrs.get("name") or attrs["property"], []).append(attrs.get("content"))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.meta.setdefault("canonical", []).append(attrs.get("href"))


def head(path: Path) -> dict[str, str]:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    for key, values in parser.meta.items():
        assert len(values) == 1, f"{path}: {key} printed {len(values)} times: {values}"
    return {key: values[0] for key, values in parser.meta.items()}


# --- the rules ----------------------------------------------------------------------------


def _news(**fields) -> m.NewsItem:
    values = dict(title="标题", date=dt.date(2025, 1, 2), section="news", url="news/2025/x/", src="news/2025/x.md")
    return m.NewsItem(**{**values, **fields})


def test_the_summary_comes_first():
    html = "<p>正文第一句写的是别的事情，而且很长很长很长。</p>"
    assert share.description(_news(summary="摘要写的事。"), "生成页的简介", html, "网站简介") == "摘要写的事。"
    assert share.description(_news(), "生成页的简介", html, "网站简介") == "生成页的简介"


def test_else_the_first_sentences_of_the_text_whole_ones():
    first = "全市县处级领导干部分两期参加专题研讨班，围绕规划建议深入学习研讨。"
    second = "研讨班采取专题辅导、分组研讨和交流发言相结合的方式进行，学员们普遍反映收获很大，" * 2 + "。"
    html = f"<h1>标题不算</h1><p class=\"qc-meta\">2025年1月2日 · 学校要闻</p><p>{first}</p><p>{second}</p>"
    assert share.description(_news(), "", html, "网站简介") == first


def test_a_very_long_first_sentence_is_cut_with_an_ellipsis():
    html = "<p>" + "长" * 300 + "。</p>"
    text = share.description(None, "", html, "网站简介")
    assert len(text) == share.DESCRIPTION_CHARS and text.endswith("…")


def test_a_page_with_little_text_gets_the_site_description():
    html = '<p class="qc-meta">共 44 条 · <a href="feed.xml">订阅 RSS</a></p><ul><li>一条</li></ul>'
    assert share.description(None, "", html, "网站简介：工作动态、学习笔记。") == "网站简介：工作动态、学习笔记。"


def test_a_short_opening_is_followed_by_the_next_paragraph():
    html = "<p>学习心得，连载成系列。</p><p>教研人员研读党的创新理论的心得，一篇一个问题。</p><p>第三段不要。</p>"
    assert share.first_sentences(html) == "学习心得，连载成系列。教研人员研读党的创新理论的心得，一篇一个问题。"


def test_a_record_is_an_article_with_its_date_a_listing_a_website():
    record = share.card(title="标题", url=SITE_URL + "news/2025/x/", site_url=SITE_URL, site_name="学校",
                        site_description="简介", html="<p>正文。</p>", record=_news(summary="摘要。"))
    assert (record.type, record.published, record.description) == ("article", "2025-01-02", "摘要。")
    assert record.image == SITE_URL + share.DEFAULT_IMAGE and (record.image_width, record.image_height) == (1200, 630)
    listing = share.card(title="工作动态", url=SITE_URL + "news/", site_url=SITE_URL, site_name="学校",
                         site_description="简介", html="")
    assert (listing.type, listing.published, listing.description) == ("website", "", "简介")


def test_without_site_url_no_relative_address_is_printed():
    card = share.card(title="t", url="", site_url="", site_name="学校", site_description="简介", html="")
    assert card.image == "" and card.url == ""


# --- printed, escaped -----------------------------------------------------------------------

HOSTILE = '引号"与<b>标签</b>&amp;和\'单引号\'。'


def test_a_school_without_its_card_image_prints_no_image(small):
    # a school that has not drawn docs/assets/share-card.png: no og:image to a missing file
    card = share.card(title="t", url=SITE_URL, site_url=SITE_URL, site_name="学校", site_description="简介",
                      html="", default_image="")
    assert card.image == ""
    small.path("docs/assets/share-card.png").unlink(missing_ok=True)
    assert small.build().returncode == 0
    assert "og:image" not in small.path("site/index.html").read_text(encoding="utf-8")


def test_special_characters_are_escaped_in_the_head(small):
    small.edit("docs/news/2023/2023-02-01-a.md", "source: original\n", f"source: original\nsummary: '{HOSTILE.replace(chr(39), chr(39) * 2)}'\n")
    small.edit("docs/news/2023/2023-02-01-a.md", "title: 新闻甲", 'title: 新闻"甲"<i>')
    result = small.build()
    assert result.returncode == 0, result.stderr[-2000:]
    page = small.path("site/news/2023/a/index.html")
    text = page.read_text(encoding="utf-8")
    assert "<b>标签</b>" not in text.split("</head>")[0] and '"甲"<i>' not in text.split("</head>")[0]
    meta = head(page)
    assert meta["description"] == meta["og:description"] == HOSTILE  # the parser reads back what the editor wrote
    assert meta["og:title"] == '新闻"甲"<i>'
    assert meta["canonical"] == meta["og:url"] == "https://example.test/news/2023/a/"


# --- the demo -----------------------------------------------------------------------------

CARD_KEYS = ("description", "canonical", "og:title", "og:description", "og:type", "og:url", "og:image",
             "og:site_name")


def test_every_page_of_the_demo_has_a_share_card(demo):
    pages = sorted(demo.site.rglob("index.html"))
    assert len(pages) > 100
    for path in pages:
        meta = head(path)
        missing = [key for key in CARD_KEYS if not meta.get(key)]
        assert not missing, f"{path.relative_to(demo.site)}: no {missing}"
        url = SITE_URL + path.parent.relative_to(demo.site).as_posix() + "/"
        assert meta["canonical"] == meta["og:url"] == url.replace(".cn/./", ".cn/"), path
        assert meta["og:image"].startswith(SITE_URL), meta["og:image"]
        image = demo.site / urlparse(meta["og:image"]).path.lstrip("/")
        assert image.is_file(), f"{path}: og:image {meta['og:image']} is not in the site"
        assert 10 <= len(meta["description"]) <= share.DESCRIPTION_CHARS, (path, meta["description"])


def test_every_record_page_of_the_demo_carries_its_record(demo):
    site = demo.load()
    records = [*site.news, *site.notes, *site.bulletins]
    assert len(records) > 50
    covers = 0
    for record in records:
        path = demo.site / record.url.strip("/") / "index.html"
        meta = head(path)
        where = record.url
        assert meta["og:type"] == "article", where
        assert meta["og:title"] == record.title, where
        assert meta["article:published_time"] == record.date.isoformat(), where
        assert meta["og:url"] == SITE_URL + record.url.lstrip("/"), where
        if record.summary:
            assert meta["description"] == meta["og:description"] == share.clip(record.summary), where
        else:  # the opening of the text itself, which the page shows
            assert meta["description"] in _text_of(path), where
        if getattr(record, "cover", None):
            covers += 1
            assert "/covers/" in meta["og:image"] and meta["og:image:alt"] == record.title, where
            with Image.open(demo.site / urlparse(meta["og:image"]).path.lstrip("/")) as image:
                assert image.size == (int(meta["og:image:width"]), int(meta["og:image:height"])), where
        else:
            assert meta["og:image"] == SITE_URL + share.DEFAULT_IMAGE, where
    assert covers >= 2


def _text_of(path: Path) -> str:
    class Text(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.parts = []

        def handle_data(self, data):
            self.parts.append(data)

    parser = Text()
    parser.feed(path.read_text(encoding="utf-8").split("</head>", 1)[1])
    return " ".join("".join(parser.parts).split())


def test_the_default_card_image_is_shipped_at_its_size():
    with Image.open(DEMO / "docs" / share.DEFAULT_IMAGE) as image:
        assert image.size == share.DEFAULT_SIZE == (1200, 630)
    assert (DEMO / "docs" / share.DEFAULT_IMAGE).stat().st_size < 60 * 1024


@pytest.mark.parametrize("url", ["/", "/news/", "/courses/ershida-jingshen-jiedu/", "/instructors/lin-guodong/"])
def test_non_record_pages_are_websites_with_a_description_of_their_own(demo, url):
    meta = head(demo.site / url.strip("/") / "index.html" if url != "/" else demo.site / "index.html")
    assert meta["og:type"] == "website"
    assert "article:published_time" not in meta
