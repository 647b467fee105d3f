"""A value written as a placeholder (「请填写…」, what the starters of `new` leave to fill) is a
problem of its own, named once with file, line, record and field, and the record is not published;
so is the starter's placeholder paragraph left in a news item's or note's body."""
from __future__ import annotations


def test_a_placeholder_in_a_data_record_is_named_once_without_the_models_own_error(small):
    small.edit("data/instructors.yaml", "  kind: full-time", "  kind: 请填写 full-time（专职）或 part-time（兼职）")
    assert small.problems() == [  # no 「专职或兼职写的是…，不符合要求」 beside it, nor for the courses that name i1
        "data/instructors.yaml 第 3 行，记录「i1」，字段「kind」：还没有填写专职或兼职："
        "请把「请填写 full-time（专职）或 part-time（兼职）」换成实际内容"]


def test_a_placeholder_in_front_matter(small):
    small.edit("docs/news/2023/2023-02-01-a.md", "source: original", "source: 请填写 original（原创）或 repost（转载）")
    assert small.problems() == [
        "docs/news/2023/2023-02-01-a.md 第 6 行，记录「新闻甲」，字段「source」：还没有填写原创或转载："
        "请把「请填写 original（原创）或 repost（转载）」换成实际内容"]


def test_a_placeholder_in_a_list(small):
    small.edit("data/courses.yaml", "  instructors: [i1]\n", "  instructors: [i1, 请填写授课教师的编号]\n")
    assert small.problems() == [
        "data/courses.yaml 第 6 行，记录「c1」，字段「instructors」：还没有填写授课教师：请把「请填写授课教师的编号」换成实际内容"]


def test_several_placeholders_each_named(small):
    small.edit("data/instructors.yaml", "  category: 校内教师", "  category: 请填写师资类别\n  bio: 请填写个人简介")
    assert small.problems() == [
        "data/instructors.yaml 第 4 行，记录「i1」，字段「category」：还没有填写师资类别：请把「请填写师资类别」换成实际内容",
        "data/instructors.yaml 第 5 行，记录「i1」，字段「bio」：还没有填写个人简介：请把「请填写个人简介」换成实际内容"]


def test_the_starters_body_paragraph(small):
    small.edit("docs/news/2023/2023-02-01-a.md", "正文甲。", "（请把这一段换成新闻正文。可以用「## 小标题」分段。）")
    assert small.problems() == [
        "docs/news/2023/2023-02-01-a.md 第 10 行，字段「正文」：还没有填写正文："
        "请把「（请把这一段换成新闻正文。可以用「## 小标题」分段。）」这一段换成实际内容"]


def test_a_value_that_only_contains_the_words_is_not_a_placeholder(small):
    small.edit("data/instructors.yaml", "  category: 校内教师", "  category: 校内教师\n  bio: 授课结束后请填写评估表。")
    small.edit("docs/news/2023/2023-02-01-a.md", "正文甲。", "正文甲。（请把这一段读完。）请填写报名表。")
    site = small.load()
    assert site.instructors["i1"].bio == "授课结束后请填写评估表。"
    assert any(n.title == "新闻甲" for n in site.news)
