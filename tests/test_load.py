"""Loading: every kind of content mistake gives the exact Chinese message an editor reads."""
from __future__ import annotations

import datetime as dt

import pytest

from conftest import TODAY

CASES = {
    "yaml syntax (unclosed quote)": (
        lambda p: p.edit("data/courses.yaml", "  title: 党性课二", '  title: "党性课二'),
        "data/courses.yaml 第 12 行：YAML 格式错误：引号没有配对：开头的引号缺少结尾",
    ),
    "yaml syntax (indentation)": (
        lambda p: p.edit("data/courses.yaml", "  hours: 6", "  hours: 6\n   summary: x"),
        "data/courses.yaml 第 16 行：YAML 格式错误：这一行的缩进和上一行不一致（同一层的字段要左对齐），"
        "或者内容里带有冒号「:」（请把整段内容用引号括起来）",
    ),
    "yaml syntax in front matter": (
        lambda p: p.edit("docs/notes/col/2023-02-10-n1.md", "author: 张三", "author: 张三: 李四"),
        "docs/notes/col/2023-02-10-n1.md 第 4 行：YAML 格式错误：这一行的缩进和上一行不一致（同一层的字段要左对齐），"
        "或者内容里带有冒号「:」（请把整段内容用引号括起来）",
    ),
    "missing required field": (
        lambda p: p.edit("data/courses.yaml", "  format: 案例式\n", ""),
        "data/courses.yaml 第 20 行，记录「c3」，字段「format」：缺少必填字段「format」（教学形式）",
    ),
    "missing field in front matter": (
        lambda p: p.edit("docs/news/2023/2023-08-01-c.md", "section: teach\n", ""),
        "docs/news/2023/2023-08-01-c.md 第 2 行，记录「新闻丙」，字段「section」：缺少必填字段「section」（板块）",
    ),
    "unknown key": (
        lambda p: p.edit("data/courses.yaml", "  hours: 2\n", "  hours: 2\n  titel: 错\n"),
        "data/courses.yaml 第 25 行，记录「c3」，字段「titel」：未知的字段「titel」，是否是「title」？",
    ),
    "empty value": (
        lambda p: p.edit("docs/news/2023/2023-08-01-c.md", "section: teach\n", "section:\n"),
        "docs/news/2023/2023-08-01-c.md 第 4 行，记录「新闻丙」，字段「section」：板块没有填写：「section:」后面是空的。"
        "这一项必须填写",
    ),
    "empty number": (
        lambda p: p.edit("data/trainings.yaml", "  trainees: 40", "  trainees:"),
        "data/trainings.yaml 第 7 行，记录「k1」，字段「trainees」：培训人次没有填写：「trainees:」后面是空的。"
        "这一项必须填写",
    ),
    "empty optional value": (
        lambda p: p.edit("docs/news/2023/2023-08-01-c.md", "section: teach\n", "section: teach\npinned:\n"),
        "docs/news/2023/2023-08-01-c.md 第 5 行，记录「新闻丙」，字段「pinned」：置顶没有填写：「pinned:」后面是空的。"
        "请填上；不需要这一项就删掉这一行",
    ),
    "wrong type": (
        lambda p: p.edit("data/trainings.yaml", "  trainees: 40", "  trainees: 四十"),
        "data/trainings.yaml 第 7 行，记录「k1」，字段「trainees」：培训人次应为整数，写的是「四十」",
    ),
    "bad date": (
        lambda p: p.edit("data/trainings.yaml", "  start: 2023-03-01", "  start: 2023-02-30"),
        "data/trainings.yaml 第 5 行，记录「k1」，字段「start」：日期「2023-02-30」无效，"
        "应写成 2023-03-06 这样的「年-月-日」，并且是真实存在的日期",
    ),
    "end before start": (
        lambda p: p.edit("data/trainings.yaml", "  end: 2023-03-10", "  end: 2023-02-10"),
        "data/trainings.yaml 第 6 行，记录「k1」，字段「end」：结业日期 2023-02-10 早于开班日期 2023-03-01，应不早于开班日期",
    ),
    "completed before approved": (
        lambda p: p.edit("data/research.yaml", "  completed: 2023-04-01", "  completed: 2022-04-01"),
        "data/research.yaml 第 12 行，记录「r2」，字段「completed」：结项日期 2022-04-01 早于立项日期 2022-11-01，应不早于立项日期",
    ),
    "satisfaction over 1": (
        lambda p: p.edit("data/trainings.yaml", "  satisfaction: 0.95", "  satisfaction: 95"),
        "data/trainings.yaml 第 8 行，记录「k1」，字段「satisfaction」：满意度应在 0 到 1 之间（例如 0.96 或 96% 表示 96%），写的是「95」",
    ),
    "hours not positive": (
        lambda p: p.edit("data/courses.yaml", "  hours: 4", "  hours: 0"),
        "data/courses.yaml 第 5 行，记录「c1」，字段「hours」：课时应大于 0，写的是「0」",
    ),
    "duplicate id": (
        lambda p: p.edit("data/courses.yaml", "- id: c2", "- id: c1"),
        "data/courses.yaml 第 11 行，记录「c1」，字段「id」：编号「c1」重复，第 1 行的课程已经用了这个编号",
    ),
    "unknown section (by name)": (
        lambda p: p.edit("docs/news/2023/2023-03-01-b.md", "section: 教学培训", "section: 教学陪训"),
        "docs/news/2023/2023-03-01-b.md 第 4 行，记录「新闻乙」，字段「section」：未知的板块「教学陪训」，是否是「教学培训」？",
    ),
    "note in a folder that is no column": (
        lambda p: p.write("docs/notes/colx/2023-02-11-n3.md", "---\ntitle: 笔记三\ndate: 2023-02-11\nauthor: 张三\n---\n正文\n"),
        "docs/notes/colx/2023-02-11-n3.md：文件夹「notes/colx」不是任何专栏的编号，是否是「col」？",
    ),
    "unknown topic": (
        lambda p: p.edit("docs/news/2023/2023-02-01-a.md", "topics: [t1]", "topics: [党性教肓]"),
        "docs/news/2023/2023-02-01-a.md 第 5 行，记录「新闻甲」，字段「topics」：未知的专题「党性教肓」，是否是「党性教育」？",
    ),
    "instructor written by name": (
        lambda p: p.edit("data/courses.yaml", "  instructors: [i2]", "  instructors: [李二]"),
        "data/courses.yaml 第 25 行，记录「c3」，字段「instructors」：未知的授课教师「李二」，是否是「i2」？",
    ),
    "unknown research lead": (
        lambda p: p.edit("data/research.yaml", "  lead: i2", "  lead: i9"),
        "data/research.yaml 第 13 行，记录「r2」，字段「lead」：未知的课题负责人「i9」，是否是「i3」？",
    ),
    "unknown parent topic": (
        lambda p: p.edit("data/topics.yaml", "  parent: t1", "  parent: t9"),
        "data/topics.yaml 第 5 行，记录「t2」，字段「parent」：未知的上级专题「t9」，是否是「t3」？",
    ),
    "repost without source_name": (
        lambda p: p.edit("docs/news/2023/2023-03-01-b.md", "source_name: 青川日报\n", ""),
        "docs/news/2023/2023-03-01-b.md 第 6 行，记录「新闻乙」，字段「source_name」：转载的新闻必须写明转载来源 source_name，"
        "例如 source_name: 人民日报",
    ),
    "two bulletins with one issue number": (
        lambda p: p.write("docs/bulletins/b2.md", "---\ntitle: 简报二\nissue: 1\nperiod: 2023\ndate: 2024-01-10\n---\n正文\n"),
        "docs/bulletins/b2.md 第 3 行，记录「简报二」，字段「issue」：期号写的是 1，按印发日期排是总第 2 期："
        "删去 issue 这一行（期号会自动算出），或核对这一期和其他各期的日期",
    ),
    "unreadable period": (
        lambda p: p.edit("docs/bulletins/b1.md", "period: 2023H1", "period: 2023H3"),
        "docs/bulletins/b1.md 第 4 行，记录「简报一」，字段「period」：统计时段「2023H3」无法识别，"
        "应写成 2023（全年）、2023H1（上半年）、2023Q2（第二季度）或 2023-05（某月）",
    ),
    "undefined macro": (
        lambda p: p.append("docs/bulletins/b1.md", "\n{{ figure(period) }}\n"),
        "docs/bulletins/b1.md 第 15 行，字段「figure」：未定义的宏或变量「figure」，是否是「figures」？",
    ),
    "undefined variable": (
        lambda p: p.append("docs/index.md", "\n{{ latest_yaer }}\n"),
        "docs/index.md 第 9 行，字段「latest_yaer」：未定义的宏或变量「latest_yaer」，是否是「latest_year」？",
    ),
    "unknown filter": (
        lambda p: p.append("docs/index.md", "\n{{ 0.5 | percnt }}\n"),
        "docs/index.md 第 9 行，字段「percnt」：未知的过滤器「percnt」，是否是「percent」？",
    ),
    "macro syntax": (
        lambda p: p.append("docs/index.md", "\n{{ figures('2023' }}\n"),
        "docs/index.md 第 9 行：宏的写法有误：括号没有配对：少了右括号「)」（unexpected '}', expected ')'）",
    ),
    "unknown enum value": (
        lambda p: p.edit("data/instructors.yaml", "  kind: 兼职", "  kind: 兼值"),
        "data/instructors.yaml 第 9 行，记录「i2」，字段「kind」：未知的师资类型「兼值」，"
        "应为 full-time（专职）、part-time（兼职） 之一；是否是「兼职」？",
    ),
    "unknown course category": (
        lambda p: p.edit("data/courses.yaml", "  category: 知识拓展", "  category: 知识扩展"),
        "data/courses.yaml 第 30 行，记录「c4」，字段「category」：未知的课程类别「知识扩展」，是否是「知识拓展」？",
    ),
    "file name not in the expected form": (
        lambda p: p.write("docs/news/2023/新闻.md", "---\ntitle: x\n---\n"),
        "docs/news/2023/新闻.md：文件位置或文件名不对：应为「news/文件夹/年-月-日-英文名.md」，英文名只用小写字母、数字和短横线，"
        "例如 docs/news/2023/2023-03-06-kaixue-dianli.md",
    ),
    "date differs from the file name": (
        lambda p: p.edit("docs/news/2023/2023-08-01-c.md", "date: 2023-08-01", "date: 2023-08-02"),
        "docs/news/2023/2023-08-01-c.md 第 3 行，记录「新闻丙」，字段「date」：页头的日期 2023-08-02 与文件名中的日期 2023-08-01 不一致。"
        "发布日期是 2023-08-02 的，把文件改名为「2023-08-02-c.md」（改名见编辑指南 EDITING.md#rename）；发布日期是 2023-08-01 的，"
        "把 date 改成 2023-08-01",
    ),
    "key written twice": (
        lambda p: p.edit("data/topics.yaml", "  name: 乡村振兴", "  name: 乡村振兴\n  name: 乡村"),
        "data/topics.yaml 第 8 行，记录「t3」，字段「name」：字段「name」写了两次，请删掉其中一个",
    ),
    "id with capitals": (
        lambda p: p.edit("data/topics.yaml", "- id: t3", "- id: T3"),
        "data/topics.yaml 第 6 行，记录「T3」，字段「id」：编号「T3」不合规范，只能用小写英文字母、数字和短横线「-」，例如 xi-thought-01",
    ),
    "data file that is not a list": (
        lambda p: p.write("data/columns.yaml", "id: col\nname: 专栏\n"),
        "data/columns.yaml 第 1 行：文件内容应当是一个列表：每条专栏以「- id: …」开头",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_mistake_has_its_message(small, case):
    """One mistake, one message: nothing else is reported in its wake."""
    breaks, expected = CASES[case]
    breaks(small)
    assert small.problems() == [expected]


def test_topic_parent_cycle_names_the_loop(small):
    small.edit("data/topics.yaml", "  name: 党性教育", "  name: 党性教育\n  parent: t2")
    assert small.problems() == [
        "data/topics.yaml 第 3 行，记录「t1」，字段「parent」：专题的上级关系形成了循环：t1 → t2 → t1，请去掉其中一个 parent",
        "data/topics.yaml 第 6 行，记录「t2」，字段「parent」：专题的上级关系形成了循环：t2 → t1 → t2，请去掉其中一个 parent",
    ]


def test_every_problem_of_every_file_at_once(small):
    for case in ("unknown key", "bad date", "unknown section (by name)", "undefined macro",
                 "two bulletins with one issue number", "repost without source_name"):
        CASES[case][0](small)
    problems = small.problems()
    for case in ("unknown key", "bad date", "undefined macro", "two bulletins with one issue number"):
        assert CASES[case][1] in problems
    assert len(problems) == 6


def test_a_broken_record_does_not_cascade(small):
    """An instructor with a bad field is reported once, not again at every course that names it."""
    small.edit("data/instructors.yaml", "  kind: 兼职", "  kind: 兼值")
    assert len(small.problems()) == 1


def test_chinese_spellings_are_normalised(small):
    site = small.load()
    assert site.instructors["i2"].kind == "part-time"  # 兼职
    assert site.trainings["k2"].type == "main"  # 主体班次
    assert site.trainings["k2"].satisfaction == pytest.approx(0.90)  # 90%
    news = {n.slug: n for n in site.news}
    assert news["b"].section == "teach"  # 教学培训
    assert news["b"].source == "repost"  # 转载
    assert news["b"].topics == ["t2"]  # 红色文化
    assert site.courses["c2"].topics == ["t2"]
    assert news["a"].date == dt.date(2023, 2, 1)


def test_drafts_and_future_items_are_held_back_but_counted(small):
    site = small.load()
    assert {n.slug for n in site.news} == {"a", "b", "c"}
    assert "k5" not in site.trainings  # a class that has not started counts nowhere
    assert "另有草稿 1、未到发布日期 1" in site.summary()
    later = small.load(dt.date(2099, 1, 1))
    assert "future" in {n.slug for n in later.news}
    assert "k5" in later.trainings


def test_series_order_and_urls(small):
    site = small.load()
    notes = site.notes_by_column["col"]
    assert [(n.slug, n.number, n.url) for n in notes] == [
        ("n1", 1, "notes/col/n1/"), ("n2", 2, "notes/col/n2/")]
    assert {n.url for n in site.news} == {"news/2023/a/", "news/2023/b/", "news/2023/c/"}
    assert site.bulletins[0].url == "bulletins/b1/"


def test_internal_is_never_in_a_dump(small):
    site = small.load()
    assert "SECRET" not in repr(site.instructors["i3"].model_dump())
    assert site.instructors["i3"].internal == {"电话": "SECRET-PHONE-13900000000"}
    assert TODAY.year == 2026


def test_misnamed_data_file_is_reported(small):
    small.write("data/course.yaml", "- id: x\n")
    assert small.problems() == ["data/course.yaml：网站不读取这个文件，是否是「courses.yaml」？"]


def test_ordinary_page_front_matter_error_is_reported(small):
    small.write("docs/about/index.md", "---\ntitle: \"概况\n---\n# 概况\n")
    assert small.problems() == ["docs/about/index.md 第 2 行：YAML 格式错误：引号没有配对：开头的引号缺少结尾"]


def test_number_as_title_is_text(small):
    small.edit("docs/news/2023/2023-08-01-c.md", "title: 新闻丙", "title: 2023")
    assert any(n.title == "2023" for n in small.load().news)


def test_non_utf8_file_is_reported(small):
    small.path("data/topics.yaml").write_bytes("- id: t1\n  name: 党性教育\n".encode("gbk"))
    assert small.problems() == ["data/topics.yaml：文件不是 UTF-8 编码，请用 UTF-8 保存"]


def test_missing_cover_is_reported(small):
    small.edit("docs/news/2023/2023-08-01-c.md", "source: original", "source: original\ncover: images/nope.jpg")
    assert small.problems() == [
        "docs/news/2023/2023-08-01-c.md 第 6 行，记录「新闻丙」，字段「cover」：找不到封面图「images/nope.jpg」：请把图片放进 docs/ 里，"
        "并写相对于这条新闻的路径，例如 images/kaixue.jpg"]


def test_cover_must_be_an_image(small):
    small.write("docs/news/2023/notes.txt", "x")
    small.edit("docs/news/2023/2023-08-01-c.md", "source: original", "source: original\ncover: notes.txt")
    assert small.problems() == [
        "docs/news/2023/2023-08-01-c.md 第 6 行，记录「新闻丙」，字段「cover」：封面图「notes.txt」应为 JPG、PNG 或 WebP 图片"]
