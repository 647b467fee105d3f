"""Figures on the small fixture, against numbers worked out by hand from its data files."""
from __future__ import annotations

import json

import pytest

from macros.index import stats
from macros.content.periods import PeriodError, parse


def test_trainings_2023h1(small):
    # k1 40×10 days, k2 60×5 days, k3 100×2 days; k4 starts in July; k5 has not started yet
    t = stats.figures(small.load(), "2023H1")["trainings"]
    assert t["all"] == {"classes": 3, "trainees": 200, "days": 17, "person_days": 900,
                        "satisfaction": pytest.approx((0.95 * 40 + 0.90 * 60) / 100)}
    assert t["by_type"]["main"] == {"classes": 2, "trainees": 100, "days": 15, "person_days": 700,
                                    "satisfaction": pytest.approx(0.92)}
    # the social class has no satisfaction: it is left out of the mean, not counted as 0
    assert t["by_type"]["social"] == {"classes": 1, "trainees": 100, "days": 2, "person_days": 200,
                                      "satisfaction": None}
    assert set(t["by_class_type"]) == {"中青班", "科级班", "企业班"}
    assert t["by_class_type"]["中青班"]["person_days"] == 400


def test_trainings_whole_year(small):
    t = stats.figures(small.load(), "2023")["trainings"]["all"]
    assert (t["classes"], t["trainees"], t["days"], t["person_days"]) == (4, 250, 22, 1150)
    assert t["satisfaction"] == pytest.approx((38 + 54 + 0.99 * 50) / 150)


def test_news_and_notes(small):
    f = stats.figures(small.load(), "2023H1")
    # the draft (2023-04) and the 2099 item count nowhere; 2023-08-01 is in H2
    assert f["news"]["total"] == 2
    assert (f["news"]["original"], f["news"]["repost"]) == (1, 1)
    assert f["news"]["by_section"] == {"news-a": 1, "teach": 1}
    assert f["notes"] == {"total": 1, "by_column": {"col": 1}}
    assert stats.figures(small.load(), "2023")["news"]["total"] == 3


def test_instructors_at_the_end_of_the_period(small):
    site = small.load()
    f = stats.figures(site, "2023H1")["instructors"]
    assert f == {"total": 2, "joined": 1, "by_kind": {"full-time": 1, "part-time": 1},
                 "by_category": {"校内教师": 1, "专家学者": 1}}
    assert stats.figures(site, "2024")["instructors"]["total"] == 3
    assert stats.figures(site, "2023H2")["instructors"]["joined"] == 0


def test_courses(small):
    c = stats.figures(small.load(), "2024")["courses"]
    assert (c["active"], c["trial"], c["retired"]) == (3, 1, 1)
    assert c["by_category"] == {"理论教育": 1, "党性教育": 1, "专业化能力": 1}
    assert c["hours_share"] == pytest.approx({"理论教育": 4 / 12, "党性教育": 6 / 12, "专业化能力": 2 / 12})
    assert c["hours_share_theory_and_party_spirit"] == pytest.approx(10 / 12)


def test_research(small):
    site = small.load()
    h1 = stats.figures(site, "2023H1")["research"]
    assert (h1["approved"], h1["completed"], h1["awarded"]) == (2, 1, 0)  # r1, r3; r2
    assert h1["by_level"]["省级"] == {"approved": 1, "completed": 0, "awarded": 0}
    y24 = stats.figures(site, "2024")["research"]
    assert (y24["approved"], y24["completed"], y24["awarded"]) == (0, 0, 1)


def test_quarter_and_month(small):
    site = small.load()
    assert stats.figures(site, "2023Q1")["trainings"]["all"]["classes"] == 1
    assert stats.figures(site, "2023-06")["trainings"]["all"]["classes"] == 1  # k3; k2 started in May
    assert stats.figures(site, "2023-05")["trainings"]["all"]["days"] == 5


def test_periods():
    assert parse("2023H2").label == "2023年下半年"
    assert parse("2024Q1").end.isoformat() == "2024-03-31"
    assert parse("2024-2").end.isoformat() == "2024-02-29"
    assert parse("2024H1").year_before().code == "2023H1"
    with pytest.raises(PeriodError, match="2023H3"):
        parse("2023H3")


def test_cli_prints_the_same_figures(small):
    result = small.run("-m", "macros", "--today", "2026-11-23", "stats", "--period", "2023H1", "--json")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed == json.loads(json.dumps(stats.figures(small.load(), "2023H1")))
    assert printed["trainings"]["all"]["person_days"] == 900


def test_cli_check_summary(small):
    result = small.run("-m", "macros", "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("检查通过：新闻 3 条（另有草稿 1、未到发布日期 1）")


def test_cli_check_reports_problems_without_traceback(small):
    small.edit("data/courses.yaml", "  hours: 4", "  hours: 0")
    small.edit("docs/news/2023/2023-03-01-b.md", "section: 教学培训", "section: 教学陪训")
    result = small.run("-m", "macros", "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "未知的板块「教学陪训」，是否是「教学培训」？" in result.stderr
    assert "课时应大于 0" in result.stderr
    assert "检查未通过：发现 2 个问题。" in result.stderr
