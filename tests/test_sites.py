"""Whole sites built with MkDocs, as CI and editors run them."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from conftest import DEMO, Project, site_text


def test_small_site_builds_with_its_urls(small):
    result = small.build()
    assert result.returncode == 0, result.stderr
    site = small.path("site")
    for url in ("news/2023/a/", "news/2023/b/", "news/2023/c/", "notes/col/n1/", "notes/col/n2/", "bulletins/b1/"):
        assert (site / url / "index.html").exists(), url
    bulletin = (site / "bulletins/b1/index.html").read_text(encoding="utf-8")
    assert "培训 3 期、200 人次、满意度 92.0%" in bulletin
    assert "新闻 2 条" in bulletin
    assert 'href="../../news/2023/b/"' in bulletin  # the news list links the item's page


def test_nothing_private_draft_or_future_is_published(small):
    assert small.build().returncode == 0
    text = site_text(small.path("site"))
    for secret in ("SECRET-PHONE-13900000000", "SECRET-TRAINING-NOTE", "SECRET-NEWS-NOTE",
                   "DRAFT-MARKER", "FUTURE-MARKER"):
        assert secret not in text
    assert not small.path("site/news/2099").exists()
    assert not list(small.path("site").rglob("*draft*"))


def test_future_item_is_published_once_its_day_comes(small):
    assert small.build(today=dt.date(2099, 1, 2)).returncode == 0
    assert small.path("site/news/2099/future/index.html").exists()


@pytest.mark.parametrize("breaks, message", [
    (lambda p: p.edit("docs/news/2023/2023-03-01-b.md", "section: 教学培训", "section: 教学陪训"),
     "docs/news/2023/2023-03-01-b.md 第 4 行，记录「新闻乙」，字段「section」：未知的板块「教学陪训」，是否是「教学培训」？"),
    (lambda p: p.append("docs/bulletins/b1.md", "\n{{ figure(period) }}\n"),
     "docs/bulletins/b1.md 第 15 行，字段「figure」：未定义的宏或变量「figure」，是否是「figures」？"),
    (lambda p: p.edit("data/trainings.yaml", "  end: 2023-03-10", "  end: 2023-02-10"),
     "结业日期 2023-02-10 早于开班日期 2023-03-01"),
], ids=["dangling section", "undefined macro", "impossible range"])
def test_broken_site_stops_with_the_message(small, breaks, message):
    breaks(small)
    result = small.build()
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not small.path("site/index.html").exists()  # nothing was published


def test_all_problems_reported_in_one_build(small):
    small.edit("docs/news/2023/2023-03-01-b.md", "source_name: 青川日报\n", "")
    small.edit("data/courses.yaml", "  hours: 4", "  hours: 0")
    small.append("docs/index.md", "\n{{ latest_yaer }}\n")
    small.write("docs/notes/colx/2023-02-11-n3.md", "---\ntitle: 笔记三\ndate: 2023-02-11\nauthor: 张三\n---\n正文\n")
    result = small.build()
    assert result.returncode != 0
    assert "内容检查发现 4 个问题" in result.stderr
    for text in ("source_name", "课时应大于 0", "latest_yaer", "notes/colx"):
        assert text in result.stderr


def test_macro_error_while_rendering_has_no_traceback(small):
    small.append("docs/index.md", '\n{{ figures("2023H3").news.total }}\n')
    result = small.build()
    assert result.returncode != 0
    output = result.stderr + result.stdout
    assert "docs/index.md" in output or "index.md" in output
    assert "统计时段「2023H3」无法识别" in output
    assert "Traceback" not in output


# --- the demo school ---------------------------------------------------------------


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---")[1]) if text.startswith("---") else {}


def _leaves(value) -> list[str]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _leaves(v)]
    if isinstance(value, list):
        return [x for v in value for x in _leaves(v)]
    return [str(value)]


def test_demo_builds_strictly_and_publishes_no_internal_note(demo):
    private = []
    for data in (DEMO / "data").glob("*.yaml"):
        for record in yaml.safe_load(data.read_text(encoding="utf-8")) or []:
            private += _leaves(record.get("internal"))
    for page in (DEMO / "docs").rglob("*.md"):
        private += _leaves(_front_matter(page).get("internal"))
    private = [p for p in private if len(p) >= 6 and p != "None"]
    assert len(private) >= 8, "the demo plants internal notes to check"
    text = site_text(demo.site)
    leaked = [p for p in private if p in text]
    assert leaked == []


def test_demo_drafts_are_not_published(demo):
    drafts = [p for p in (DEMO / "docs").rglob("*.md") if _front_matter(p).get("draft")]
    assert len(drafts) >= 2
    text = site_text(demo.site)
    for page in drafts:
        assert _front_matter(page)["title"] not in text


def test_demo_content_is_large_enough():
    site = Project(DEMO).load()
    news = site.news + [p for p in site.unpublished if p.file.startswith("docs/news/")]
    assert len(news) >= 40
    assert {n.date.year for n in news} >= {2023, 2024, 2025}
    assert len({n.section for n in news}) >= 5
    assert sum(n.source == "repost" for n in news) >= 3
    assert sum(n.pinned for n in news) >= 1 and sum(n.draft for n in news) >= 1
    assert len(site.columns) == 3 and len(site.notes) + len(site.unpublished) - len(news) + len(site.news) >= 18
    assert len(site.notes) >= 18
    assert len(site.courses) >= 30
    assert len(site.instructors) >= 25
    assert {i.category for i in site.instructors.values()} == {
        "校内教师", "领导干部", "专家学者", "企业经营管理人员", "先进典型人物", "优秀基层干部", "乡土人才"}
    assert len(site.topics) >= 12 and any(t.parent for t in site.topics.values())
    assert len(site.trainings) >= 30
    assert {t.type for t in site.trainings.values()} == {"main", "social"}
    assert len({t.class_type for t in site.trainings.values()}) >= 4
    assert {t.start.year for t in site.trainings.values()} >= {2023, 2024, 2025}
    assert len(site.research) >= 15
    assert len(site.bulletins) >= 2 and "2023H1" in {b.period for b in site.bulletins}


def test_demo_bulletin_has_no_hand_typed_figure():
    """Every digit in the 2023H1 bulletin's text comes from a macro (the front matter aside)."""
    text = (DEMO / "docs/bulletins/2023-h1.md").read_text(encoding="utf-8").split("---", 2)[2]
    import re
    outside_macros = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", text, flags=re.S)
    assert re.findall(r"\d", outside_macros) == []


def test_undefined_attribute_while_rendering_names_file_and_line(small):
    small.append("docs/bulletins/b1.md", "\n{{ figures(period).news.totl }}\n")
    result = small.build()
    assert result.returncode != 0
    output = result.stderr + result.stdout
    assert "docs/bulletins/b1.md 第 15 行：宏或变量没有定义" in output and "totl" in output
    assert "Traceback" not in output
