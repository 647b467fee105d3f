"""三审 sign-offs checked against the reviewers configured for each step (issue 25, point 4).

The small site: news a (2023-02-01, section news-a), b (2023-03-01, section teach), c (2023-08-01),
a 2099 item; notes n1, n2 in column col (editor 张三)."""
from __future__ import annotations

import datetime as dt

import pytest

from macros.content import models as m

RULES = """  publishing:
    review_required: true
    reviewers: {first: [赵六], second: [王五, 钱七], final: [李四]}
"""
A = "docs/news/2023/2023-02-01-a.md"
N1 = "docs/notes/col/2023-02-10-n1.md"


def signed(project, file: str, review: str) -> None:
    project.edit(file, "title:", f"review: {review}\ntitle:")


@pytest.fixture
def reviewed(small):
    small.append("mkdocs.yml", RULES)
    return small


def test_steps_signed_by_the_configured_people_publish(reviewed):
    signed(reviewed, A, "{first: 赵六 2023-01-30, second: 钱七 2023-01-31, final: 李四 2023-01-31}")
    signed(reviewed, N1, "{first: 张三 2023-02-09, second: 王五 2023-02-09, final: 李四 2023-02-10}")  # 张三 edits col
    site = reviewed.load()
    assert {n.slug for n in site.news} == {"a"} and {n.slug for n in site.notes} == {"n1"}


def test_a_name_not_on_the_list_is_named_with_the_list_and_the_closest(reviewed):
    signed(reviewed, A, "{first: 赵六 2023-01-30, second: 王武 2023-01-31, final: 张敏 2023-01-31}")
    problems = reviewed.problems()
    assert problems == [
        f"{A} 第 2 行，记录「新闻甲」，字段「review.final」：终审人「张敏」不是可以终审的人（mkdocs.yml 的 "
        "reviewers.final：李四）。请由名单上的人终审，或请管理员把这位同志加进名单",
        f"{A} 第 2 行，记录「新闻甲」，字段「review.second」：复审人「王武」不是可以复审的人（mkdocs.yml 的 "
        "reviewers.second：王五、钱七）。是否是「王五」？请由名单上的人复审，或请管理员把这位同志加进名单",
    ]


def test_the_first_step_may_be_signed_by_the_columns_editor_only_for_its_own_items(reviewed):
    signed(reviewed, A, "{first: 张三 2023-01-30}")  # 张三 edits the column, not the section
    problems = reviewed.problems()
    assert len(problems) == 1 and "初审人「张三」不是可以初审的人（mkdocs.yml 的 reviewers 名单或本板块的责任编辑：赵六）" in problems[0]


def test_block_form_names_the_line_of_the_step(reviewed):
    signed(reviewed, A, "\n  first: 赵六 2023-01-30\n  second: 王五 2023-02-05\n  final: 李四 2023-02-01")
    problems = reviewed.problems()
    assert problems == [f"{A} 第 5 行，记录「新闻甲」，字段「review.final」：终审日期 2023-02-01 早于复审日期 2023-02-05："
                        "三审按初审、复审、终审的顺序进行，请核对日期"]


def test_a_step_needs_its_day_and_not_one_still_to_come(reviewed):
    signed(reviewed, A, "{first: 赵六, second: 王五 2030-01-01}")
    problems = reviewed.problems(today=dt.date(2026, 11, 23))
    assert problems == [
        f"{A} 第 2 行，记录「新闻甲」，字段「review.first」：初审没有写日期：在姓名后面空一格写上初审的日期，例如 first: 赵六 2026-11-23",
        f"{A} 第 2 行，记录「新闻甲」，字段「review.second」：复审日期 2030-01-01 晚于今天（2026-11-23）：签发的日子还没到，请写实际复审的日期",
    ]
    # an item of a later day (here: checked as of 2022) is not held to today
    assert reviewed.problems(today=dt.date(2022, 1, 1)) == [problems[0].replace("2026-11-23", "2022-01-01")]


def test_one_person_cannot_sign_two_steps(reviewed):
    reviewed.edit("mkdocs.yml", "second: [王五, 钱七]", "second: [王五, 李四]")
    signed(reviewed, A, "{first: 赵六 2023-01-30, second: 李四 2023-01-31, final: 李四 2023-01-31}")
    assert reviewed.problems() == [f"{A} 第 2 行，记录「新闻甲」，字段「review.final」：「李四」既复审又终审：三审的每一步要由不同的人签发"]


def test_the_lists_are_names_not_roles(reviewed):
    reviewed.edit("mkdocs.yml", "final: [李四]", "final: 分管校领导 李四")
    assert reviewed.problems() == [
        "mkdocs.yml 第 32 行，字段「reviewers.final.0」：「分管校领导 李四」不是一个姓名：每一步写能签发的人的姓名名单，"
        "例如 [许慧敏] 或 [许慧敏, 林国栋]，不写职务，几个人用逗号隔开写在方括号里"]
    reviewed.edit("mkdocs.yml", "final: 分管校领导 李四", "final: 李四")  # one name needs no brackets
    assert reviewed.load().publishing.reviewers["final"] == ("李四",)


def test_placeholders_left_by_init_are_not_reviewers(reviewed):
    reviewed.edit("mkdocs.yml", "second: [王五, 钱七], final: [李四]", "second: [请填写复审人姓名]")
    assert reviewed.problems() == [
        "mkdocs.yml 第 32 行，字段「reviewers.final」：要求三审（review_required: true），但还没有写可以终审的人的姓名："
        "在 reviewers 里写 final: [姓名]，几个人用逗号隔开",
        "mkdocs.yml 第 32 行，字段「reviewers.second」：要求三审（review_required: true），但还没有写可以复审的人的姓名"
        "（现在写的是「请填写复审人姓名」）：在 reviewers 里写 second: [姓名]，几个人用逗号隔开",
    ]


def test_without_the_rule_names_are_not_checked(small):
    signed(small, A, "{first: 谁都行}")
    assert "a" in {n.slug for n in small.load().news}


@pytest.mark.parametrize("written, name, day", [
    ("张敏 2026-03-06", "张敏", "2026-03-06"),
    ("张敏\u30002026年3月6日", "张敏", "2026-03-06"),  # a full-width space, a Chinese date
    ("张敏", "张敏", None),
    ("欧阳 晓光 2026-03-06", "欧阳 晓光", "2026-03-06"),
])
def test_the_short_form_of_a_step(written, name, day):
    step = m.Review.model_validate({"first": written}).first
    assert (step.name, step.date and step.date.isoformat()) == (name, day)


def test_an_unknown_section_is_named_once_not_again_as_nobody_to_sign(small):
    small.append("mkdocs.yml", "  publishing:\n    review_required: true\n    reviewers: {second: [王五], final: [李四]}\n")
    signed(small, A, "{first: 赵六 2023-01-30, second: 王五 2023-01-31, final: 李四 2023-01-31}")
    small.edit(A, "section: news-a", "section: news-b")
    problems = small.problems()
    assert len(problems) == 1 and "未知的板块「news-b」" in problems[0], problems
