"""The slips of a Chinese keyboard in front matter and data files (issue 25): each named as what
it is, on its own line, with the fix, in `check` and the build, all at once."""
from __future__ import annotations

import pytest

from macros.content.yamlsrc import parse, slips

NEWS = "docs/news/2023/2023-02-01-a.md"
TOPICS = "data/topics.yaml"


@pytest.mark.parametrize("file, old, new, line, expected", [
    (NEWS, "source: original", "source：original", 6, "「source：」用了全角冒号「：」：请把第 6 行的全角冒号「：」改成半角冒号「:」"),
    (NEWS, "source: original", "author： 办公室 张敏\nsource: original", 6, "「author：」用了全角冒号「：」"),
    (NEWS, "section: news-a", "section:news-a", 4, "「section:」后面少了一个空格"),
    (NEWS, "title: 新闻甲", 'title: "新闻甲”', 2, "引号没有配对：开头是英文引号「\"」，结尾却是中文引号"),
    (NEWS, "internal:\n  备注", "internal:\n\t备注", 8, "这一行用 Tab 键缩进"),
    (TOPICS, "  name: 红色文化", "  name：红色文化", 4, "「name：」用了全角冒号「：」：请把第 4 行"),
    (TOPICS, "  parent: t1", "  parent:t1", 5, "「parent:」后面少了一个空格"),
], ids=["colon", "author-colon", "no-space", "mixed-quotes", "tab", "data-colon", "data-no-space"])
def test_each_slip_is_named_on_its_line(small, file, old, new, line, expected):
    small.edit(file, old, new)
    problems = small.problems()
    assert any(p.startswith(f"{file} 第 {line} 行") and expected in p for p in problems), problems


def test_all_slips_of_a_file_at_once_and_of_every_file(small):
    small.edit(NEWS, "section: news-a\ntopics: [t1]", "section：news-a\ntopics:[t1]")
    small.edit(TOPICS, "  name: 红色文化", "  name：红色文化")
    problems = small.problems()
    assert [p.split("：")[0] for p in problems if "冒号" in p or "空格" in p] == [
        "data/topics.yaml 第 4 行", f"{NEWS} 第 4 行", f"{NEWS} 第 5 行"]


def test_the_build_stops_with_the_same_message(small):
    small.edit(NEWS, "source: original", "source：original")
    result = small.build()
    assert result.returncode != 0 and "请把第 6 行的全角冒号「：」改成半角冒号「:」" in result.stderr


def test_what_is_not_a_slip_is_left_to_yaml():
    # a colon inside a value, a URL, a comment, a time: valid YAML, no slip
    text = "title: 会议：纪要\nurl: https://example.cn/a\n# 注释：随便写\nat: '10:30'\n"
    assert slips(text) == [] and parse(text, "x.yaml")[1] == []


def test_a_full_width_space_in_a_key_is_named(small):
    small.edit(NEWS, "source: original", "sour\u3000ce: original")
    problems = small.problems()
    assert any("字段名里有全角空格或逗号" in p and "是否是「source」？" in p for p in problems), problems
