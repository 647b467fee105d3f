"""Wrong official formulations (data/terms.yaml) and personal data in published text
(issue 13): `check` reports each with file and line, and the build fails."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from conftest import DEMO, TODAY
from macros.index import load as loader
from macros.content import screen
from macros.content.models import Term


@pytest.fixture(scope="module")
def terms() -> list[Term]:
    out = loader.Collector(DEMO)
    found = loader._load_terms(out, DEMO / "data" / "terms.yaml")
    assert out.problems == []
    return list(found.entries)


def test_at_least_40_entries_each_with_wrong_forms(terms):
    assert len(terms) >= 40
    assert all(t.correct and t.wrong and t.source for t in terms)
    corrects = [t.correct for t in terms]
    assert len(set(corrects)) == len(corrects)
    for expected in ("习近平新时代中国特色社会主义思想", "党的二十大", "中国式现代化", "全过程人民民主", "新发展理念",
                     "政治意识、大局意识、核心意识、看齐意识", "道路自信、理论自信、制度自信、文化自信"):
        assert expected in corrects


def test_no_wrong_form_is_part_of_any_correct_form(terms):
    for term in terms:
        for wrong in term.wrong:
            assert not any(wrong in other.correct for other in terms), (wrong, term.correct)


def test_the_demo_contains_no_wrong_form(terms):
    found = screen.screen(DEMO, DEMO / "docs", screen.Terms(tuple(terms)), frozenset(), TODAY)
    assert found == []
    # and the screen does read the demo: a correct form is in it
    text = "".join(p.read_text(encoding="utf-8") for p in (DEMO / "docs").rglob("*.md"))
    assert "习近平新时代中国特色社会主义思想" in text


def with_terms(project):
    shutil.copy(DEMO / "data" / "terms.yaml", project.path("data/terms.yaml"))
    return project


def test_wrong_forms_in_bodies_front_matter_and_data(small):
    with_terms(small)
    small.edit("docs/news/2023/2023-02-01-a.md", "正文甲。", "正文甲。\n\n深入学习党的20大精神，增强道路自信、制度自信、理论自信、文化自信。")
    small.edit("docs/news/2023/2023-03-01-b.md", "title: 新闻乙", "title: 学习习近平新时代中国特色社会主义理论")
    small.edit("data/sections.yaml", "description: 要闻", "description: 要闻，筑牢中华民族共同体意识")
    assert small.problems() == [
        "data/sections.yaml 第 3 行：表述错误：写成了「筑牢中华民族共同体意识」，应为「铸牢中华民族共同体意识」"
        "（出处：党的二十大报告、《中国共产党章程》）",
        "docs/news/2023/2023-02-01-a.md 第 12 行：表述错误：写成了「党的20大」，应为「党的二十大」"
        "（出处：中国共产党第二十次全国代表大会）",
        "docs/news/2023/2023-02-01-a.md 第 12 行：表述错误：写成了「道路自信、制度自信、理论自信、文化自信」，"
        "应为「道路自信、理论自信、制度自信、文化自信」（出处：“四个自信”，党的十九大报告）",
        "docs/news/2023/2023-03-01-b.md 第 2 行：表述错误：写成了「习近平新时代中国特色社会主义理论」，"
        "应为「习近平新时代中国特色社会主义思想」（出处：党的十九大报告、《中国共产党章程》）",
    ]


def test_internal_notes_and_drafts_are_not_published_so_not_screened(small):
    with_terms(small)
    small.edit("docs/news/2023/2023-02-01-a.md", "备注: SECRET-NEWS-NOTE", "备注: 党的20大 13912345678\n  另: 党的19大")
    small.edit("docs/news/2023/2023-04-01-draft.md", "---\n", "---\nsummary: 党的20大\n")
    small.load()  # no problem


def test_a_wrong_form_inside_a_correct_formulation_is_not_reported():
    terms = screen.Terms((Term(correct="科学发展观", wrong=["科学发展观思想"]),
                          Term(correct="科学发展观思想体系", wrong=["发展观思想体系论"])))
    assert terms.find("贯彻科学发展观思想体系") == []
    assert [w for w, _ in terms.find("贯彻科学发展观思想。")] == ["科学发展观思想"]


def test_terms_file_mistakes(small):
    small.write("data/terms.yaml", "- correct: 党的二十大\n  wrong: [二十大]\n- correct: 新发展理念\n  wrong: [发展理念]\n"
                                   "- correct: 全过程人民民主\n  wrong: []\n")
    assert small.problems() == [
        "data/terms.yaml 第 2 行，记录「党的二十大」，字段「wrong」：错误写法「二十大」是正确表述「党的二十大」的一部分，"
        "会把正确的写法也当成错误，请删去或写得更完整",
        "data/terms.yaml 第 4 行，记录「新发展理念」，字段「wrong」：错误写法「发展理念」是正确表述「新发展理念」的一部分，"
        "会把正确的写法也当成错误，请删去或写得更完整",
        "data/terms.yaml 第 6 行，记录「全过程人民民主」，字段「wrong」：错误写法至少要写一项",
    ]
    small.write("data/terms.yaml", "- correct: 党的二十大\n  wrong: [党的20大]\n- correct: 二十届三中全会\n  wrong: [二十大]\n")
    assert small.problems() == [
        "data/terms.yaml 第 4 行，记录「二十届三中全会」，字段「wrong」：错误写法「二十大」是另一条正确表述「党的二十大」的一部分，"
        "会把正确的写法也当成错误，请删去或写得更完整",
    ]


# --- personal data -------------------------------------------------------------------


@pytest.mark.parametrize("number, valid", [
    ("11010519491231002X", True),  # the example of GB 11643-1999
    ("440524188001010014", False),  # the other example: born in 1880, a 19xx/20xx year expected
    ("110105194912310021", False),  # wrong check character
    ("110105194902300022", False),  # 30 February
    ("110105209912310021", False),  # born in the future
])
def test_id_numbers(number, valid):
    assert screen.is_id_number(number, TODAY) is valid


def test_id_check_character():
    assert screen.id_check_character("11010519491231002") == "X"
    assert screen.id_check_character("44052418800101001") == "4"


def test_personal_data_in_text_and_data(small):
    small.edit("docs/news/2023/2023-02-01-a.md", "正文甲。", "正文甲。\n\n联系人：王老师 13812345678；身份证号 11010519491231002x。\n"
               "订单号 2023138123456789 与 110105194912310021 不是个人信息。\n电话 +86 139-1234-5678。")
    small.edit("data/sections.yaml", "description: 要闻", "description: 要闻（值班 150 1234 5678）")
    assert small.problems() == [
        "data/sections.yaml 第 3 行：疑似个人手机号「150****5678」：个人手机号不得公开发布，请删除；"
        "学校公开的号码请登记在 mkdocs.yml 的 extra: publishing: public_numbers 中",
        "docs/news/2023/2023-02-01-a.md 第 12 行：疑似个人手机号「138****5678」：个人手机号不得公开发布，请删除；"
        "学校公开的号码请登记在 mkdocs.yml 的 extra: publishing: public_numbers 中",
        "docs/news/2023/2023-02-01-a.md 第 12 行：疑似身份证号「110***********002x」：个人信息不得公开发布，请删除",
        "docs/news/2023/2023-02-01-a.md 第 14 行：疑似个人手机号「139****5678」：个人手机号不得公开发布，请删除；"
        "学校公开的号码请登记在 mkdocs.yml 的 extra: publishing: public_numbers 中",
    ]


def test_public_numbers_are_allowed(small):
    small.edit("docs/news/2023/2023-02-01-a.md", "正文甲。", "正文甲。培训报名热线 138-0000-1234。")
    assert len(small.problems()) == 1
    small.append("mkdocs.yml", "  publishing:\n    public_numbers: [13800001234]\n")
    small.load()


def test_build_fails_on_personal_data(small):
    small.edit("docs/news/2023/2023-02-01-a.md", "正文甲。", "正文甲。13812345678")
    result = small.build()
    assert result.returncode != 0
    assert "docs/news/2023/2023-02-01-a.md 第 10 行：疑似个人手机号「138****5678」" in result.stderr
    assert not small.path("site/news/2023/a/index.html").exists()
