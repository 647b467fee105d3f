"""三审 (issue 13): with `extra.publishing.review_required`, a news item or note is published
only once its front matter names 初审, 复审 and 终审; until then it is withheld like a draft,
counted in check's summary, shown in a preview with a 待审 banner, and listed by `review`.

The small site: news a (2023-02-01), b (2023-03-01), c (2023-08-01), a draft and a 2099
item; notes n1, n2 in column col (editor 张三)."""
from __future__ import annotations

import json

import pytest

from macros.output import pages
from macros.editorial import review
from macros.content.models import Review
from macros.content.problems import ContentError

RULES = """  publishing:
    review_required: true
    reviewers: {first: [张三], second: [王五], final: [李四]}
"""
FULL = "review: {first: 张三 2023-01-10, second: 王五 2023-01-11, final: 李四 2023-01-12}\n"
FINAL = ", final: 李四 2023-01-12"


def require_review(project, reviewed=("a", "b", "c", "n1", "n2", "future")):
    project.append("mkdocs.yml", RULES)
    files = {"a": "docs/news/2023/2023-02-01-a.md", "b": "docs/news/2023/2023-03-01-b.md",
             "c": "docs/news/2023/2023-08-01-c.md", "future": "docs/news/2099/2099-01-01-future.md", "n1": "docs/notes/col/2023-02-10-n1.md",
             "n2": "docs/notes/col/2023-07-01-n2.md"}
    for slug in reviewed:
        project.edit(files[slug], "title:", FULL + "title:")
    return files


def test_without_the_rule_nothing_waits(small):
    site = small.load()
    assert {n.slug for n in site.news} == {"a", "b", "c"} and site.waiting() == []
    assert "待审" not in site.summary()
    assert review.report(site).startswith("mkdocs.yml 没有要求审核")


def test_an_item_missing_final_review_is_withheld_and_counted(small):
    files = require_review(small)
    small.edit(files["c"], FINAL, "")
    small.edit(files["n2"], FULL, "review: {first: 张三 2023-01-10}\n")
    site = small.load()
    assert {n.slug for n in site.news} == {"a", "b"}
    assert {n.slug for n in site.notes} == {"n1"}
    assert [(p.slug, p.waiting) for p in site.waiting()] == [("c", ["final"]), ("n2", ["second", "final"])]
    assert "新闻 2 条（另有草稿 1、待审 1、未到发布日期 1），学习笔记 1 篇（另有草稿 0、待审 1、未到发布日期 0）" in site.summary()
    assert pages.withheld(site) >= {"news/2023/2023-08-01-c.md", "notes/col/2023-07-01-n2.md"}
    assert site.news_by_section["teach"][0].slug == "b"  # nor counted anywhere


def test_an_item_with_no_review_waits_for_the_first_step(small):
    # an item dated later waits for its review too: it is reviewed before its day comes
    require_review(small, reviewed=("a", "b", "n1", "n2", "future"))
    site = small.load()
    assert [(p.slug, p.waiting) for p in site.waiting()] == [("c", ["first", "second", "final"])]


def test_review_lists_what_waits_for_whom(small):
    files = require_review(small, reviewed=("a", "b", "n1", "n2", "future"))
    small.edit(files["n2"], FULL, "review: {first: 张三 2023-01-10}\n")
    small.edit(files["b"], FULL, "review: {first: 张三 2023-01-10, second: 王五 2023-01-11}\n")
    result = small.run("-m", "macros", "review")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "等待初审：1 条",
        "  docs/news/2023/2023-08-01-c.md：《新闻丙》（2023-08-01），还没有任何审核，还缺初审、复审、终审；"
        "初审人：张三",
        "等待复审：1 条",
        "  docs/notes/col/2023-07-01-n2.md：《笔记二》（2023-07-01），已初审 张三，还缺复审、终审；复审人：王五",
        "等待终审：1 条",
        "  docs/news/2023/2023-03-01-b.md：《新闻乙》（2023-03-01），已初审 张三、复审 王五，还缺终审；终审人：李四",
        "共 3 条待审（按 2026-11-23 计算），审核通过前不会发布。",
    ]
    data = json.loads(small.run("-m", "macros", "review", "--json").stdout)
    assert data["waiting"][0] == {"file": "docs/news/2023/2023-03-01-b.md", "title": "新闻乙", "date": "2023-03-01",
                                  "missing": ["final"], "next": "final", "reviewer": "李四"}


def test_first_review_waits_for_the_section_editor(small):
    small.edit("data/sections.yaml", "  update_every_days: 14", "  update_every_days: 14\n  editor: 教务处 王磊")
    require_review(small, reviewed=("a", "b", "n1", "n2", "future"))
    assert "初审人：张三、王磊" in review.report(small.load())


def test_preview_banner_names_the_missing_step(small):
    files = require_review(small)
    small.edit(files["c"], FINAL, "")
    site = small.load()
    page = site.by_src["news/2023/2023-08-01-c.md"]
    html = pages.frame(site, page, "<p>正文</p>")
    assert '<p class="admonition-title">待审</p>' in html
    assert "本文还缺少终审，审核通过前只在预览中显示，不会发布到网站" in html
    assert "「final: 姓名」" in html


def test_steps_with_dates_and_mistakes(small):
    files = require_review(small, reviewed=())
    small.edit(files["a"], "title:", "review:\n  first: 张三 2023-01-30\n  second: 王五 2023-01-30\n"
                                     "  final: 李四 2023-01-31\ntitle:")
    site = small.load()
    item = next(n for n in site.news if n.slug == "a")
    assert item.review.first.date.isoformat() == "2023-01-30" and item.review.second.name == "王五"
    small.edit(files["a"], "李四 2023-01-31", "李四 2023-02-30")
    small.edit(files["b"], "title:", "review: {first: 张三, thrid: 李四}\ntitle:")
    problems = small.problems()
    assert ("docs/news/2023/2023-02-01-a.md 第 5 行，记录「新闻甲」，字段「review.final.date」：日期「2023-02-30」无效，"
            "应写成 2023-03-06 这样的「年-月-日」，并且是真实存在的日期") in problems
    assert "docs/news/2023/2023-03-01-b.md 第 2 行，记录「新闻乙」，字段「review.thrid」：未知的字段「thrid」" in problems


def test_a_step_written_as_a_mapping_is_refused_in_chinese(small):
    """The desk shows `first: {name: …, date: …}` empty and drops it on save (tests/test_desk_browser.py
    keeps a one-line step through a save): `check` refuses the mapping, saying how to write it."""
    files = require_review(small, reviewed=())
    small.edit(files["a"], "title:", "review:\n  first: {name: 张三, date: 2023-01-30}\n  second: 王五 2023-01-30\ntitle:")
    problems = [p for p in small.problems() if "review" in p]
    assert len(problems) == 1 and "字段「review.first」" in problems[0] and "「张三 2023-01-30」" in problems[0], problems
    assert "编辑台" in problems[0]


def test_the_rule_itself_is_checked(small):
    small.append("mkdocs.yml", "  publishing:\n    review_required: 也许\n")
    assert small.problems() == [
        "mkdocs.yml 第 31 行，字段「review_required」：是否要求三审后才发布应为 true（是）或 false（否），写的是「也许」"]


def test_review_model_lists_missing_steps_in_order():
    assert Review.model_validate({"second": "王五"}).missing() == ["first", "final"]
    assert Review.model_validate({}).missing() == ["first", "second", "final"]


def test_build_withholds_unreviewed_items(small):
    files = require_review(small)
    small.edit(files["c"], FINAL, "")
    small.edit(files["c"], "正文丙", "UNREVIEWED-MARKER 正文丙")
    result = small.build()
    assert result.returncode == 0, result.stderr[-2000:]
    assert not small.path("site/news/2023/c").exists()
    from conftest import site_text
    assert "UNREVIEWED-MARKER" not in site_text(small.path("site")) and "新闻丙" not in site_text(small.path("site"))
    assert small.path("site/news/2023/b/index.html").exists()


def test_a_record_cached_by_a_preview_forgets_a_rule_since_removed(small):
    # `make serve` keeps each unchanged file's record between loads: the rule is read anew
    require_review(small, reviewed=())
    assert small.load().is_published(small.load().by_src["news/2023/2023-02-01-a.md"]) is False
    text = small.path("mkdocs.yml").read_text(encoding="utf-8")
    small.write("mkdocs.yml", text.replace("review_required: true", "review_required: false"))
    site = small.load()
    assert site.is_published(site.by_src["news/2023/2023-02-01-a.md"])
