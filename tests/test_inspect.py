"""`python -m macros inspect` (issue 13) on a copy of the demo with planted veto items: each is
reported by `inspect` and `check` with file and line, and the unreviewed item is absent from
the built site. Worked out by hand from the demo's dates:

on 2025-12-23 the newest news of each section is 学校要闻 2025-10-30 (54 days, limit 7),
教学培训 2025-09-09 (105, 7), 科研咨政 2025-10-16 (68, 14), 机关党建 2025-07-01 (175, 14),
县区党校 2025-11-18 (35, 30), 媒体聚焦 2025-08-20 (125, 30): six stale sections.
With 县区党校 and 媒体聚焦 made notice-type sections (180 days), on 2025-10-31 only 教学培训
(52 days since 2025-09-09, limit 7), 科研咨政 (15, 14) and 机关党建 (122, 14) are stale;
县区党校 (164 days) and 媒体聚焦 (72) are within 180, 学校要闻 (1) within 7."""
from __future__ import annotations

import dataclasses
import json

import pytest

from conftest import DEMO, TODAY, copy_project, site_text
from macros.editorial import inspection

NOTE = "docs/notes/reading-club/2023-03-10-xiangtu-zhongguo.md"
NEWS = "docs/news/2025/2025-11-18-xianqu-dangxiao-liandong-xuanjiang.md"
WAITING = "docs/news/2025/2025-12-22-niandu-jiaoxue-jihua-lunzheng.md"


@pytest.fixture
def planted(tmp_path):
    project = copy_project(DEMO, tmp_path / "demo")
    project.append("data/columns.yaml", "- id: policy-reading\n  name: 政策解读\n  editor: 办公室 张敏\n  started: 2025-01-01\n")
    project.edit(NOTE, "## 读书会开张\n", "## 读书会开张\n\n领读人身份证号 11010519491231002X，报名请打 13812345678。\n")
    project.edit(NEWS, "---\n\n", "---\n\n深入学习贯彻党的20大精神，坚持人民当家做主。\n\n", )
    project.edit("data/instructors.yaml", "  bio: 长期从事", "  bio: 手机 15912345678。长期从事")
    project.edit(NOTE, "## 读书会开张\n", "## 读书会开张\n\n![合影](images/no-such-photo.jpg) 见[上一期](../no-such-note.md)。\n")
    return project


def findings(project, today: str) -> tuple[int, dict]:
    result = project.run("-m", "macros", "inspect", "--today", today, "--json")
    return result.returncode, json.loads(result.stdout)


def where(data: dict, kind: str) -> list[tuple]:
    return [(f["file"], f["line"]) for f in data["findings"] if f["kind"] == kind]


def test_every_planted_item_is_reported_with_file_and_line(planted):
    code, data = findings(planted, "2025-12-23")
    assert code == 1 and data["passed"] is False
    assert where(data, "stale") == [("data/sections.yaml", 4), ("data/sections.yaml", 9), ("data/sections.yaml", 14),
                                    ("data/sections.yaml", 19), ("data/sections.yaml", 24), ("data/sections.yaml", 29)]
    # and the 通知公告 and 信息公开 sections, whose first items are of 2026
    assert where(data, "empty") == [("data/columns.yaml", 17), ("data/sections.yaml", 34), ("data/sections.yaml", 39)]
    assert where(data, "personal") == [("data/instructors.yaml", 21), (NOTE, 14), (NOTE, 14)]
    assert where(data, "term") == [(NEWS, 12), (NEWS, 12)]
    assert where(data, "waiting") == [(WAITING, 9)]
    assert where(data, "image") == [(NOTE, 12)] and where(data, "link") == [(NOTE, 12)]
    assert data["vetoes"] == ["6 个栏目超过更新期限（5 个及以上即单项否决）", "严重表述错误 2 处", "公开了个人信息 3 处"]
    messages = [f["message"] for f in data["findings"]]
    assert "表述错误：写成了「人民当家做主」，应为「人民当家作主」（出处：《中华人民共和国宪法》、党的二十大报告）" in messages
    assert ("专栏「政策解读」（policy-reading）还没有发布过笔记：空白栏目在检查中算作问题，"
            "请发布内容，或在 data/columns.yaml 中删去这个专栏") in messages
    assert ("板块「机关党建」（party-building）已 175 天没有更新（最近一条是 2025-07-01），要求每 14 天至少更新一次；"
            "责任编辑：机关党委 刘洁（动态类）") in messages
    assert "找不到图片「images/no-such-photo.jpg」：请检查文件名和路径（相对于这个文件）" in messages
    assert "链接「../no-such-note.md」指向的页面或文件不存在：请检查路径，或确认目标页面已经发布" in messages
    assert "《我校召开2026年度教学计划论证会》还缺终审（终审人：林国栋），审核通过前不会发布" in messages


def test_check_reports_the_same_veto_items_and_fails(planted):
    result = planted.run("-m", "macros", "check")
    assert result.returncode == 1
    for line in [
        "data/instructors.yaml 第 21 行：疑似个人手机号「159****5678」",
        f"{NOTE} 第 14 行：疑似身份证号「110***********002X」：个人信息不得公开发布，请删除",
        f"{NOTE} 第 14 行：疑似个人手机号「138****5678」",
        f"{NEWS} 第 12 行：表述错误：写成了「党的20大」，应为「党的二十大」",
        f"{NEWS} 第 12 行：表述错误：写成了「人民当家做主」，应为「人民当家作主」",
    ]:
        assert line in result.stderr
    assert "检查未通过：发现 5 个问题。" in result.stderr


def test_fewer_than_five_stale_sections_do_not_fail_the_site(tmp_path):
    project = copy_project(DEMO, tmp_path / "demo")
    text = project.path("data/sections.yaml").read_text(encoding="utf-8")
    assert text.count("update_every_days: 30") == 2  # 县区党校, 媒体聚焦
    project.write("data/sections.yaml", text.replace("update_every_days: 30", "kind: 公告类"))
    code, data = findings(project, "2025-10-31")
    assert code == 0 and data["passed"] is True and data["vetoes"] == []
    assert [f["message"].split("（")[0] for f in data["findings"] if f["kind"] == "stale"] == [
        "板块「教学培训」", "板块「科研咨政」", "板块「机关党建」"]
    text = project.run("-m", "macros", "inspect", "--today", "2025-10-31").stdout
    assert text.splitlines()[0] == "网站自查报告（按 2025-10-31 计算）"
    assert text.splitlines()[-1] == "结论：通过，但有 5 个问题需要整改。"  # and 通知公告, 信息公开: empty until 2026


def test_markdown_report_for_the_job_summary(planted, tmp_path):
    report = tmp_path / "inspection.md"
    result = planted.run("-m", "macros", "inspect", "--today", "2025-12-23", "--report", str(report))
    assert result.returncode == 1
    text = report.read_text(encoding="utf-8")
    assert text.startswith("## 网站自查报告（2025-12-23）\n\n**结论：未通过（单项否决）：6 个栏目超过更新期限（5 个及以上即单项否决）；"
                           "严重表述错误 2 处；公开了个人信息 3 处。**\n")
    assert "| 严重表述错误（单项否决） | 2 |" in text
    assert f"| {NEWS} | 12 | 表述错误：写成了「党的20大」，应为「党的二十大」（出处：中国共产党第二十次全国代表大会） |" in text


def test_markdown_report_escapes_table_cells():
    result = inspection.Inspection(__import__("datetime").date(2025, 1, 1),
                                   [inspection.Finding("link", "docs/a|b.md", 3, "链接「x|y」<b>")])
    text = result.markdown()
    assert "| docs/a&#124;b.md | 3 | 链接「x&#124;y」&lt;b&gt; |" in text  # a pipe never splits a cell


def test_content_problems_are_reported_and_fail(small):
    small.edit("docs/news/2023/2023-02-01-a.md", "date: 2023-02-01\n", "")
    small.edit("data/trainings.yaml", "trainees: 40", "trainees: 四十")
    code, data = findings(small, "2023-08-10")
    assert code == 1
    assert [(f["kind"], f["file"], f["line"], f["message"]) for f in data["findings"]] == [
        ("content", "data/trainings.yaml", 7, "记录「k1」，字段「trainees」：培训人次应为整数，写的是「四十」"),
        ("undated", "docs/news/2023/2023-02-01-a.md", 2, "记录「新闻甲」，字段「date」：缺少必填字段「date」（日期）"),
    ]


def test_the_demo_build_leaves_out_the_unreviewed_item(demo):
    text = site_text(demo.site)
    assert "教学计划论证会" not in text
    assert not (demo.site / "news" / "2025" / "niandu-jiaoxue-jihua-lunzheng").exists()
    assert (demo.site / "news" / "2025" / "xianqu-dangxiao-liandong-xuanjiang" / "index.html").exists()


def test_section_kinds_and_their_default_intervals(small):
    small.edit("data/sections.yaml", "  update_every_days: 14\n", "")
    assert small.load().sections["teach"].interval == 14  # a news-type section by default
    small.edit("data/sections.yaml", "  name: 教学培训\n", "  name: 教学培训\n  kind: 公告类\n")
    teach = small.load().sections["teach"]
    assert (teach.kind, teach.interval) == ("notice", 180)
    small.edit("data/sections.yaml", "kind: 公告类", "kind: 通知类")
    assert small.problems() == [
        "data/sections.yaml 第 7 行，记录「teach」，字段「kind」：未知的板块类型「通知类」，应为 news（动态类）、notice（公告类）、disclosure（信息公开类） 之一"]


def test_findings_are_sorted_by_the_problems_kind_not_their_wording(small, monkeypatch):
    # inspection sorts by Problem.kind: a reworded message keeps its place
    from macros.content import screen as screening

    original = screening.screen_text

    def reworded(*args, **kwargs):
        return [dataclasses.replace(p, message="（改写）" + p.message) for p in original(*args, **kwargs)]

    monkeypatch.setattr(screening, "screen_text", reworded)
    small.write("data/terms.yaml", "- correct: 规范的说法\n  wrong: [走样的说法]\n")
    small.edit("docs/news/2023/2023-02-01-a.md", "正文甲。", "正文甲。走样的说法。联系电话 13812345678")
    findings = inspection.inspect(small.root, TODAY, "docs").findings
    assert sorted(f.kind for f in findings if f.message.startswith("（改写）")) == ["personal", "term"]
