"""The 公众号 edition (issue 14): WeChat's rules on every demo item and on a fixture item with
links, images, nested lists, tables and macros; nothing of the page's text lost; the command;
the preview's 复制到公众号 button clicked in Chromium and the clipboard read back."""
from __future__ import annotations

import os
import re
import subprocess

import pytest
from PIL import Image

import wechat_rules as rules
from conftest import ENGINE_COMMAND, TODAY, site_text
from macros.content import models as m
from macros.index import stats
from macros.content.periods import parse as parse_period
from macros.output.render import number, zh_date
from tools.nginx import free_port

ITEM = "docs/news/2023/2023-09-01-wx.md"
# everything the edition reshapes: links (outside, repeated, to WeChat, inside the site, an
# anchor), an image, nested ordered and unordered lists, a wide table and macros
ITEM_TEXT = """---
title: 公众号版测试：秋季学期开学
date: 2023-09-01
section: teach
topics: [t1]
source: repost
source_name: 青川日报
author: 教务处 李明
---
秋季学期开学，详见[市委官网通知](https://www.qingchuan.example.gov/tz/1)和[公众号原文](https://mp.weixin.qq.com/s/AbC123)。

![学员在红岩岭旧址前合影](images/photo.png)

## 课程安排

1. 理论教育
    - 专题讲座
        1. 上午场
        2. 下午场
    - 研讨交流
2. 党性教育，参见[新闻甲](../2023/2023-02-01-a.md)与[官网](https://www.qingchuan.example.gov/tz/1)
3. 现场教学

报到安排：

- 第一周报到
- 第二周开课，见[本页课程安排](#_1)

| 班次 | 一月 | 二月 | 三月 | 四月 | 五月 | 六月 | 七月 | 八月 | 九月 | 十月 |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
| 中青班 | 12 | 14 | 16 | 18 | 20 | 22 | 24 | 26 | 28 | 30 |

> 引自《青川日报》报道。

本年度共培训 {{ figures("2023").trainings.all.trainees | number }} 人次（{{ period_label("2023") }}）。

{{ training_table("2023") }}
"""


@pytest.fixture
def item(small):
    """The small school with the fixture item and its picture."""
    small.write(ITEM, ITEM_TEXT)
    small.path("docs/news/2023/images").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (640, 360), (200, 180, 160)).save(small.path("docs/news/2023/images/photo.png"))
    return small


def wechat(project, path: str, *extra: str) -> subprocess.CompletedProcess:
    return project.run("-m", "macros", "--today", TODAY.isoformat(), "wechat", path, *extra)


def test_the_rules_catch_what_wechat_breaks():
    bad = ('<div class="x" style="position: absolute; color: #000; font-size: 12px; line-height: 1.5">'
           '<ul><li>项</li></ul><a href="https://example.org/">外链</a>'
           '<img src="/local.png" alt="图"><table><tr><td>1</td></tr></table>'
           '<p style="color: var(--c)">文字<sup>[1]</sup></p></div>')
    found = "\n".join(rules.problems(bad, "https://example.test/"))
    for expected in ("not a <section>", "attribute class", "position: absolute", "pure black", "a list element",
                     "outside mp.weixin.qq.com", "not an absolute URL", "max-width is None", "not the alt text",
                     "outside a sideways scroller", "CSS variable", "font size 12.0", "line height 1.5",
                     "reference marks [1] and 参考链接 [] differ"):
        assert expected in found


# --- the fixture item -------------------------------------------------------------------


def test_fixture_item_keeps_wechat_rules(item):
    result = wechat(item, ITEM, "-o", "wx.html")
    assert result.returncode == 0, result.stderr
    fragment = item.path("wx.html").read_text(encoding="utf-8")
    assert rules.problems(fragment, "https://example.test/") == []
    root = rules.parse(fragment)
    text = " ".join(root.text_content().split())

    # links: one number per outside address, in order of appearance; WeChat's own stays a link
    listed = rules.references(root)
    assert listed == {1: "市委官网通知：https://www.qingchuan.example.gov/tz/1",
                      2: "新闻甲：https://example.test/news/2023/a/"}
    assert [a.get("href") for a in root.iter("a")] == ["https://mp.weixin.qq.com/s/AbC123"]
    assert [s.text for s in root.iter("sup")] == ["[1]", "[2]", "[1]"]
    assert "本页课程安排" in text and "#_1" not in fragment  # an anchor on the page: text only

    # the picture: absolute on site_url, captioned by its alt text
    (img,) = root.iter("img")
    assert img.get("src") == "https://example.test/news/2023/images/photo.png"
    assert [c.text for c in img.getparent().iter("figcaption")] == ["学员在红岩岭旧址前合影"]

    # nested lists: flat paragraphs, markers typed by kind and depth, deeper ones indented
    items = [" ".join(p.text_content().split()) for p in root.iter("p")
             if re.match(r"\s*(\d+\.|（\d+）|[①②]|[•◦])", p.text_content())]
    assert items[:8] == ["1. 理论教育", "◦ 专题讲座", "① 上午场", "② 下午场", "◦ 研讨交流",
                         "2. 党性教育，参见新闻甲[2]与官网[1]", "3. 现场教学", "• 第一周报到"]
    paddings = {p.text_content().split()[1]: rules.styles(p).get("padding") for p in root.iter("p")
                if p.text_content().strip().startswith(("1.", "◦", "①"))}
    assert paddings["理论教育"] == "0 0 0 0" and paddings["专题讲座"] == "0 0 0 24px" and paddings["上午场"] == "0 0 0 48px"

    # tables: the wide one and the macro's, each in a scroller
    assert len(list(root.iter("table"))) == 2

    # macros rendered with the site's figures; the source line, date and author kept
    site = item.load()
    trainees = stats.figures(site, parse_period("2023"))["trainings"]["all"]["trainees"]
    assert f"本年度共培训 {number(trainees)} 人次（2023年）" in text
    assert "{{" not in fragment and "figures(" not in fragment
    for training in site.trainings.values():
        if training.start.year == 2023:
            assert training.name in text
    assert "转载自青川日报 · 2023年9月1日 · 作者：教务处 李明" in text
    foot = list(root)[-1]
    assert "测试学校" in foot.text_content() and "关注" in foot.text_content()


def test_fixture_item_loses_no_text_of_its_page(item):
    result = wechat(item, ITEM)
    assert result.returncode == 0, result.stderr
    assert item.build().returncode == 0
    page = item.path("site/news/2023/wx/index.html").read_text(encoding="utf-8")
    assert rules.lost(page, result.stdout) == []
    # the comparison can fail: a paragraph dropped from the edition is found missing
    dropped = result.stdout.replace("引自《青川日报》报道。", "")
    assert rules.lost(page, dropped) == ["引自《青川日报》报道。"]


def test_note_edition_names_its_column(small):
    result = wechat(small, "docs/notes/col/2023-02-10-n1.md")
    assert result.returncode == 0, result.stderr
    assert rules.problems(result.stdout, "https://example.test/") == []
    text = rules.edition_text(result.stdout)
    assert "原创·2023年2月10日·作者：张三·学习笔记·理论学习笔记·第1篇" in text


@pytest.mark.parametrize("path, expected", [
    ("docs/news/2023/2023-04-01-draft.md", "不是已发布的新闻或学习笔记"),
    ("docs/news/2099/2099-01-01-future.md", "不是已发布的新闻或学习笔记"),
    ("docs/bulletins/b1.md", "只有新闻和学习笔记有公众号版"),
    ("docs/news/2023/nothing.md", "不是已发布的新闻或学习笔记"),
])
def test_no_edition_for_what_is_not_a_published_item(small, path, expected):
    result = wechat(small, path)
    assert result.returncode == 1
    assert "没有生成公众号版" in result.stderr and expected in result.stderr
    assert result.stdout == ""


def test_content_problems_are_reported_not_an_edition(small):
    small.edit("docs/news/2023/2023-02-01-a.md", "section: news-a", "section: 不存在的板块")
    result = wechat(small, "docs/news/2023/2023-02-01-a.md")
    assert result.returncode == 1 and "不存在的板块" in result.stderr and result.stdout == ""


def test_a_macro_error_is_reported_not_an_edition(small):
    small.append("docs/news/2023/2023-02-01-a.md", '\n{{ figures("2023X").news.total }}\n')
    result = wechat(small, "docs/news/2023/2023-02-01-a.md")
    assert result.returncode == 1 and result.stdout == ""
    assert "宏调用出错" in result.stderr and "2023X" in result.stderr and "没有生成公众号版" in result.stderr


# --- every demo item ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_editions(demo):
    """Every published news item and note of the demo school (the copy of tests/fixtures/demo
    that conftest built), converted as the build converts them, and its edition."""
    from test_content import editions

    return editions(demo.root)[0]


def test_every_demo_item_keeps_wechat_rules(demo_editions):
    assert len(demo_editions) > 40
    broken = {src: rules.problems(fragment, "https://qcdx.example.cn/")
              for src, (_, fragment) in demo_editions.items()}
    assert {src: found for src, found in broken.items() if found} == {}


def test_every_demo_item_keeps_its_source_line_date_author_and_school(demo_editions):
    for src, (page, fragment) in demo_editions.items():
        root = rules.parse(fragment)
        meta = " ".join(root.xpath("./p")[0].text_content().split())
        source = "原创" if isinstance(page, m.Note) or page.source == "original" else f"转载自{page.source_name}"
        assert meta.startswith(f"{source} · {zh_date(page.date)}"), src
        if page.author:
            assert f"作者：{page.author}" in meta, src
        assert "青川市委党校" in list(root)[-1].text_content(), src


def test_every_demo_item_loses_no_text_of_its_page(demo, demo_editions):
    for src, (page, fragment) in demo_editions.items():
        built = demo.site / page.url.strip("/") / "index.html"
        assert rules.lost(built.read_text(encoding="utf-8"), fragment) == [], src


def test_the_published_site_has_no_wechat_edition(demo):
    assert [p for p in demo.site.rglob("*") if "wechat" in p.name.lower()] == []
    assert "复制到公众号" not in site_text(demo.site)


# --- the preview: make serve, the button, the clipboard -------------------------------------


def _port() -> int:
    """A free port of this feature's range."""
    return free_port("8150-8199")


@pytest.fixture
def preview(item):
    """`mkdocs serve` of the small school with the fixture item (what `make serve` runs)."""
    from test_preview import fetch

    port = _port()
    env = {**os.environ, "SITE_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([*ENGINE_COMMAND, "serve", "--dirty", "--no-strict", "--no-livereload",
                               "--dev-addr", f"127.0.0.1:{port}"], cwd=item.root, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    origin = f"http://127.0.0.1:{port}"
    try:
        fetch(origin + "/news/2023/wx/wechat/", timeout=120)
        yield origin
    finally:
        server.terminate()
        server.wait(timeout=30)


# what Chromium computes for every piece of text of the edition: size, line height, colour
COMPUTED_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.getElementById('qc-wechat-edition'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const style = getComputedStyle(node.parentElement);
    out.push([node.textContent.trim().slice(0, 20), parseFloat(style.fontSize),
              style.lineHeight === 'normal' ? 0 : parseFloat(style.lineHeight) / parseFloat(style.fontSize),
              style.color]);
  }
  return out;
}"""

READ_CLIPBOARD = """async () => {
  const out = {};
  for (const item of await navigator.clipboard.read()) {
    for (const type of item.types) out[type] = await (await item.getType(type)).text();
  }
  return out;
}"""


def test_preview_offers_the_edition_and_copies_it(item, preview, browser):
    from test_preview import fetch
    from tools import phone

    page_html = fetch(preview + "/news/2023/wx/")
    assert 'href="wechat/"' in page_html  # the item's preview page links to its edition
    expected = wechat(item, ITEM).stdout
    context = phone.open_phone(browser, preview)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=preview)
    try:
        tab = context.new_page()
        seen = phone.visit(tab, preview, "/news/2023/wx/wechat/")
        assert seen.status == 200 and seen.errors == [] and seen.foreign(preview) == []
        assert "script" not in [e.tag for e in rules.parse(tab.inner_html("#qc-wechat-edition")).iter()]
        tab.screenshot(path=str(item.path("wechat-preview.png")), full_page=True)
        texts = tab.evaluate(COMPUTED_TEXT)
        assert len(texts) > 50
        assert [t for t in texts if not 15 <= t[1] <= 17 or t[2] < 1.75 or t[3] == "rgb(0, 0, 0)"] == []
        widest = tab.evaluate("Math.max(...[...document.querySelectorAll('#qc-wechat-edition img')]"
                              ".map(i => i.getBoundingClientRect().width / i.parentElement.clientWidth))")
        assert 0 < widest <= 1
        tab.get_by_role("button", name="复制到公众号").click()
        tab.wait_for_function("document.getElementById('qc-wechat-status').textContent.startsWith('已复制。')")  # the Clipboard API, not the fallback
        copied = tab.evaluate(READ_CLIPBOARD)
    finally:
        context.close()
    assert set(copied) >= {"text/html", "text/plain"}
    # the rich copy is the edition: its rules hold and its text is the edition's text
    (edition,) = rules.lhtml.fromstring(copied["text/html"]).xpath("//section[not(ancestor::section)]")
    edition = rules.lhtml.tostring(edition, encoding="unicode")
    assert rules.edition_text(edition) == rules.edition_text(expected)
    assert rules.problems(edition, "https://example.test/") == []
    assert "data-wechat-src" not in copied["text/html"]
    assert expected.strip() in copied["text/html"]  # byte for byte what the command writes
    assert "秋季学期开学" in copied["text/plain"] and "<section" not in copied["text/plain"]


def test_copy_falls_back_to_selecting_the_edition(item, preview, browser):
    from tools import phone

    context = phone.open_phone(browser, preview)
    context.grant_permissions(["clipboard-read"], origin=preview)  # to read back what was copied
    # the Clipboard API refuses to write (an older browser, a page not on localhost or https)
    context.add_init_script("navigator.clipboard.write = () => Promise.reject(new Error('refused'));")
    try:
        tab = context.new_page()
        phone.visit(tab, preview, "/news/2023/wx/wechat/")
        tab.get_by_role("button", name="复制到公众号").click()
        tab.wait_for_function("document.getElementById('qc-wechat-status').textContent.length > 0")
        selected = tab.evaluate("window.getSelection().toString()")
        status = tab.inner_text("#qc-wechat-status")
        copied = tab.evaluate(READ_CLIPBOARD)
    finally:
        context.close()
    expected = wechat(item, ITEM).stdout
    selected = "".join(selected.split())
    assert [b for b in rules.blocks(rules.parse(expected)) if b not in selected] == []  # all of it selected
    assert "全文已选中" in status
    # the copy command copied the edition with the pictures' published addresses
    (edition,) = rules.lhtml.fromstring(copied["text/html"]).xpath("//section[not(ancestor::section)]")
    edition = rules.lhtml.tostring(edition, encoding="unicode")
    assert rules.problems(edition, "https://example.test/") == []
    assert rules.edition_text(edition) == rules.edition_text(expected)
    assert expected.strip() in copied["text/html"]
