"""`python -m macros freshness`: which sections are overdue, worked out by hand on the small site.

The small site's published news: news-a (学校要闻, every 7 days) on 2023-02-01; teach
(教学培训, every 14 days) on 2023-03-01 and 2023-08-01. A draft of teach dated
2023-04-01 and a teach item dated 2099-01-01 are not published and must not count.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import yaml

from conftest import DEMO, ROOT, TODAY
from macros.editorial import freshness
from macros.content.models import Section


def late(site) -> list[tuple]:
    return [(o.section.id, o.days, o.last, o.limit, o.editor) for o in freshness.overdue(site)]


def test_days_since_the_newest_published_item(small):
    # 2023-02-01 → 2023-08-01 is 28+31+30+31+30+31 = 181 days, then 9 more
    assert late(small.load(dt.date(2023, 8, 10))) == [("news-a", 190, dt.date(2023, 2, 1), 7, None)]


def test_a_section_is_overdue_only_past_its_limit(small):
    # teach: 2023-08-01 + 14 days = 2023-08-15 is still on time, the 16th is not
    assert [o.section.id for o in freshness.overdue(small.load(dt.date(2023, 8, 15)))] == ["news-a"]
    assert late(small.load(dt.date(2023, 8, 16)))[1] == ("teach", 15, dt.date(2023, 8, 1), 14, None)


def test_a_section_that_never_had_news(small):
    # on 2023-02-05 news-a is 4 days old (fine) and teach has published nothing yet
    assert late(small.load(dt.date(2023, 2, 5))) == [("teach", None, None, 14, None)]
    assert "板块「教学培训」（teach）还没有发布过新闻，要求每 14 天至少更新一次" in freshness.report(
        small.load(dt.date(2023, 2, 5)))


def test_drafts_and_future_items_do_not_count(small):
    # teach's draft of 2023-04-01 is ignored: 2023-03-01 → 2023-04-05 is 31 + 4 days
    assert late(small.load(dt.date(2023, 4, 5))) == [
        ("news-a", 63, dt.date(2023, 2, 1), 7, None),
        ("teach", 35, dt.date(2023, 3, 1), 14, None),
    ]
    # the item dated 2099 is not published on 2026-11-23: 2023-08-01 → 2026-08-01 is
    # 365 + 366 + 365 days, then 31 + 30 + 31 + 22
    assert late(small.load(TODAY))[1] == ("teach", 1210, dt.date(2023, 8, 1), 14, None)


def test_report_names_the_editor(small):
    small.edit("data/sections.yaml", "  description: 要闻\n", "  description: 要闻\n  editor: 办公室 张敏\n")
    site = small.load(dt.date(2023, 8, 10))
    assert late(site) == [("news-a", 190, dt.date(2023, 2, 1), 7, "办公室 张敏")]
    assert freshness.report(site).splitlines() == [
        "板块「学校要闻」（news-a）已 190 天没有更新（最近一条是 2023-02-01），要求每 7 天至少更新一次；责任编辑：办公室 张敏",
        "共 2 个板块，其中 1 个超过更新期限（按 2023-08-10 计算），请责任编辑及时补充新闻。",
    ]


def test_command_prints_one_line_per_overdue_section_and_exits_0(small):
    result = small.run("-m", "macros", "freshness", "--today", "2023-04-05")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "板块「学校要闻」（news-a）已 63 天没有更新（最近一条是 2023-02-01），要求每 7 天至少更新一次；"
        "责任编辑：未指定（可在 data/sections.yaml 中填写 editor）",
        "板块「教学培训」（teach）已 35 天没有更新（最近一条是 2023-03-01），要求每 14 天至少更新一次；"
        "责任编辑：未指定（可在 data/sections.yaml 中填写 editor）",
        "共 2 个板块，其中 2 个超过更新期限（按 2023-04-05 计算），请责任编辑及时补充新闻。",
    ]


def test_today_before_or_after_the_command(small):
    before = small.run("-m", "macros", "--today", "2023-08-10", "freshness", "--json")
    after = small.run("-m", "macros", "--today", "2026-11-23", "freshness", "--today", "2023-08-10", "--json")
    assert before.returncode == after.returncode == 0
    assert json.loads(before.stdout) == json.loads(after.stdout) == {
        "today": "2023-08-10",
        "sections": 2,
        "overdue": [{"section": "news-a", "name": "学校要闻", "days": 190, "last": "2023-02-01",
                     "limit": 7, "editor": None}],
    }


def test_all_fresh_is_one_calm_line(small):
    small.write("docs/news/2023/2023-08-05-d.md", "---\ntitle: 新闻丁\ndate: 2023-08-05\nsection: news-a\n---\n正文丁。\n")
    result = small.run("-m", "macros", "freshness", "--today", "2023-08-10")
    assert result.returncode == 0
    assert result.stdout == "全部 2 个板块都在更新期限内（按 2023-08-10 计算）。\n"
    assert json.loads(small.run("-m", "macros", "freshness", "--today", "2023-08-10", "--json").stdout)["overdue"] == []


def test_broken_content_is_reported_as_by_check(small):
    small.edit("data/sections.yaml", "update_every_days: 14", "update_every_days: 十四")
    result = small.run("-m", "macros", "freshness", "--today", "2023-08-10")
    assert result.returncode == 1
    assert "至少每隔几天更新一次应为整数，写的是「十四」" in result.stderr


def test_every_demo_section_has_an_editor():
    records = yaml.safe_load((DEMO / "data" / "sections.yaml").read_text(encoding="utf-8"))
    sections = [Section.model_validate(record) for record in records]
    assert sections and all(section.editor for section in sections)
    assert Section.label("editor") == "责任编辑"


def test_freshness_and_scaffold_do_not_import_mkdocs():
    code = ("import sys, macros.cli, macros.editorial.freshness, macros.editorial.scaffold; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
