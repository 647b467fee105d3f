"""学校概况 from data (issue 22): data/leaders.yaml and data/departments.yaml validated in Chinese,
their pages generated, and a leader's post followed by a wrong name found in published text
with file, line and the right name, without false positives on two schools' full text."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import DEMO, FIXTURES, TODAY
from macros.content import leaders as names
from macros.content import models as m
from macros.content.problems import ContentError
from macros.editorial import inspection
from macros.index import load as loader
from macros.output import pages, urls

OTHER = FIXTURES / "other-school"

LEADERS = """\
- post: 校长
  name: 周正
  start: 2020-01-01
- post: 常务副校长
  name: 林国栋
  duties: 主持日常工作。
  start: 2022-05-01
- post: 常务副校长
  name: 冯建业
  start: 2015-03-01
  end: 2022-05-01
- post: 副校长
  name: 许慧敏
  start: 2019-07-01
- post: 副校长
  name: 王磊
  start: 2021-01-01
"""
DEPARTMENTS = """\
- id: office
  name: 办公室
  duties: 文电会务。
  telephone: 0899-1234567
- id: teaching
  name: 教务处
  telephone: 0899-1234568、0899-1234569-801
  order: 0
"""
NEWS = "docs/news/2023/2023-08-01-c.md"  # dated 2023-08-01


@pytest.fixture
def school(small):
    small.write("data/leaders.yaml", LEADERS)
    small.write("data/departments.yaml", DEPARTMENTS)
    return small


def leader_problems(project) -> list[str]:
    try:
        project.load()
    except ContentError as error:
        return [str(p) for p in error.problems]
    return []


# --- the records ---------------------------------------------------------------------------


def test_the_records_load_and_order(school):
    site = school.load()
    assert [(l.post, l.name) for l in site.current_leaders()] == [
        ("校长", "周正"), ("常务副校长", "林国栋"), ("副校长", "许慧敏"), ("副校长", "王磊")]
    assert [l.name for l in dict(site.leaders_by_post())["常务副校长"]] == ["林国栋", "冯建业"]  # latest first
    assert list(site.departments) == ["teaching", "office"]  # `order` first, then as written
    assert site.departments["teaching"].telephone_uris == [("0899-1234568", "tel:08991234568"),
                                                          ("0899-1234569-801", "tel:08991234569")]


def test_two_holders_of_a_single_post_at_once_are_a_problem(school):
    school.append("data/leaders.yaml", "- post: 常务副校长\n  name: 陈明\n  start: 2023-01-01\n")
    [problem] = leader_problems(school)
    assert problem.startswith("data/leaders.yaml 第 20 行，记录「常务副校长 陈明」，字段「start」：「常务副校长」同一时间只能有一人担任")
    assert "第 4 行的林国栋（2022-05-01 起，至今）还在任" in problem
    assert "请给林国栋写上离任日期 end（不晚于 2023-01-01）" in problem


def test_deputies_may_be_several_but_one_person_not_twice(school):
    school.append("data/leaders.yaml", "- post: 副校长\n  name: 郑海川\n  start: 2023-01-01\n")
    assert leader_problems(school) == []
    school.append("data/leaders.yaml", "- post: 副校长\n  name: 王磊\n  start: 2024-01-01\n")
    [problem] = leader_problems(school)
    assert "王磊担任副校长的时间与第 15 行重复" in problem


def test_field_mistakes_in_chinese(school):
    school.append("data/leaders.yaml", "- post: 副校长\n  name: 副校长 李四\n  start: 2023-01-01\n  end: 2022-01-01\n")
    school.append("data/departments.yaml", "- id: library\n  name: 图书馆\n  telephone: 1380013800\n")
    problems = leader_problems(school)
    assert any("字段「name」：姓名「副校长 李四」应为 2 到 4 个汉字" in p for p in problems)
    assert any("字段「end」：离任日期 2022-01-01 早于任职日期 2023-01-01" in p for p in problems)
    assert any("data/departments.yaml 第 11 行" in p and "电话「1380013800」格式不对" in p for p in problems)
    school.write("data/leaders.yaml", "- post: 校长\n")
    assert any("字段「name」" in p for p in leader_problems(school))


def test_leaders_and_departments_are_optional(small):
    site = small.load()
    assert site.leaders == [] and site.departments == {}
    generated = {g.src_uri for g in pages.generate(site, "/", "x")}
    assert not generated & {urls.LEADERS, urls.FORMER_LEADERS, urls.DEPARTMENTS}
    # an emptied file (what `init` leaves) gives pages that say there is nothing yet
    small.write("data/leaders.yaml", "# 学校领导\n")
    small.write("data/departments.yaml", "# 内设机构\n")
    generated = {g.src_uri: g.content for g in pages.generate(small.load(), "/", "x")}
    assert "暂无现任领导的信息" in generated[urls.LEADERS] and "暂无历任领导的信息" in generated[urls.FORMER_LEADERS]
    assert "暂无机构设置的信息" in generated[urls.DEPARTMENTS]


# --- the pages -----------------------------------------------------------------------------


def test_the_overview_pages(school):
    school.edit("data/leaders.yaml", "  duties: 主持日常工作。", "  duties: 主持<b>日常</b>工作 *全面*")
    site = school.load()
    generated = {g.src_uri: g.content for g in pages.generate(site, "/", "x")}
    current = generated[urls.LEADERS]
    assert "## 常务副校长 林国栋" in current and "冯建业" not in current
    assert "&lt;b&gt;日常&lt;/b&gt;" in current and "&#42;全面&#42;" in current  # escaped, not HTML or Markdown
    former = generated[urls.FORMER_LEADERS]
    assert former.index("林国栋：2022年5月1日至今（现任）") < former.index("冯建业：2015年3月1日—2022年5月1日")
    departments = generated[urls.DEPARTMENTS]
    assert departments.index("## 教务处") < departments.index("## 办公室")
    assert "[0899-1234569-801](tel:08991234569)" in departments
    # a leader who leaves after the build day is still current on it
    school.edit("data/leaders.yaml", "  start: 2022-05-01\n", "  start: 2022-05-01\n  end: 2030-01-01\n")
    assert "林国栋" in {g.src_uri: g.content for g in pages.generate(school.load(), "/", "x")}[urls.LEADERS]


# --- the name check ------------------------------------------------------------------------


def roster() -> names.Roster:
    from macros.content.yamlsrc import parse

    data, _ = parse(LEADERS, "data/leaders.yaml")
    records = [m.Leader.model_validate(dict(item)) for item in data]
    return names.Roster.of(records, ["赵三", "李二"], ["中共测试市委党校", "测试市委党校"])


DAY = dt.date(2023, 8, 1)


@pytest.mark.parametrize("text", [
    "常务副校长主持会议。", "副校长们参加了讨论。", "副校长、教授", "常务副校长终审后发布。", "校长助理参加。",
    "常务副校长林国栋出席。", "副校长许慧敏、王磊参加。", "副校长 许慧敏讲话。", "校长周正，常务副校长林国栋。",
    "原常务副校长冯建业参加座谈。", "时任常务副校长冯建业。", "云台县委党校常务副校长陈大明介绍经验。",
    "清华大学副校长周林国作报告。", "副校长王磊在会上说明情况。", "常务副校长林国栋、副校长许慧敏",
    "副校长说明了情况。", "副校长王某主持。",
    "林国栋常务副校长出席。", "会上，许慧敏副校长讲话。", "王磊 副校长说明情况。", "林国栋、许慧敏副校长参加。",
    "云台县委党校陈大明常务副校长介绍经验。", "由副校长主持。", "我校副校长参加。", "冯建业原常务副校长参加座谈。",
])
def test_ordinary_sentences_and_right_names_are_not_flagged(text):
    assert names.check_text(text, "x.md", DAY, roster()) == []


@pytest.mark.parametrize("text, written, expected", [
    ("常务副校长林国东出席。", "常务副校长林国东", "2023年8月1日的常务副校长是林国栋"),
    ("会上，常务副校长 林囯栋作报告。", "常务副校长 林囯栋", "2023年8月1日的常务副校长是林国栋"),
    ("常务副校长冯建业出席。", "常务副校长冯建业", "2023年8月1日的常务副校长是林国栋"),  # a former holder, after his term
    ("常务副校长许慧敏出席。", "常务副校长许慧敏", "2023年8月1日的常务副校长是林国栋"),  # another leader's post
    ("副校长许惠敏讲话。", "副校长许惠敏", "2023年8月1日的副校长有许慧敏、王磊"),
    ("副校长王蕾，", "副校长王蕾", "2023年8月1日的副校长有许慧敏、王磊"),  # a two-character name, misspelt
    ("副校长赵三讲话。", "副校长赵三", "2023年8月1日的副校长有许慧敏、王磊"),  # an instructor, not a deputy
    ("原常务副校长冯健业。", "常务副校长冯健业", "到2023年8月1日为止担任过常务副校长的是林国栋、冯建业"),
    ("测试市委党校常务副校长林国东", "常务副校长林国东", "常务副校长是林国栋"),  # our own school's name first
    ("林国东常务副校长出席。", "林国东常务副校长", "2023年8月1日的常务副校长是林国栋"),  # the name before the post
    ("会上，许惠敏 副校长讲话。", "许惠敏 副校长", "2023年8月1日的副校长有许慧敏、王磊"),
    ("，王蕾副校长说明", "王蕾副校长", "2023年8月1日的副校长有许慧敏、王磊"),
    ("测试市委党校林国东常务副校长", "林国东常务副校长", "常务副校长是林国栋"),
])
def test_wrong_names_are_flagged_with_the_right_one(text, written, expected):
    [problem] = names.check_text(text, "x.md", DAY, roster())
    assert problem.kind == "leader" and problem.line == 1
    assert f"写的是「{written}」" in problem.message and expected in problem.message


def test_the_item_s_day_decides():
    text = "常务副校长冯建业出席。"
    assert names.check_text(text, "x.md", dt.date(2020, 6, 1), roster()) == []  # in his term
    assert names.check_text(text, "x.md", dt.date(2022, 5, 1), roster())  # the day he left is his successor's
    assert names.check_text("常务副校长陈明出席。", "x.md", dt.date(2010, 1, 1), roster()) == []  # nobody on record


def test_planted_misspelling_in_news_is_a_problem_with_file_line_and_right_name(school):
    school.append(NEWS, "\n第二段。\n\n常务副校长林国东出席会议，副校长许慧敏主持。\n")
    [problem] = leader_problems(school)
    assert problem == (f"{NEWS} 第 11 行，字段「正文」：领导姓名与职务不符：写的是「常务副校长林国东」，"
                       "2023年8月1日的常务副校长是林国栋（见 data/leaders.yaml），请核对姓名和职务")
    school.edit(NEWS, "林国东", "林国栋")
    assert leader_problems(school) == []


def test_drafts_and_internal_notes_are_not_checked_but_front_matter_is(school):
    school.append("docs/news/2023/2023-04-01-draft.md", "\n常务副校长林国东\n")
    school.edit(NEWS, "source: original\n", "source: original\ninternal: 待常务副校长林国东审定\n")
    assert leader_problems(school) == []
    school.edit(NEWS, "source: original\n", "source: original\nsummary: 常务副校长林国东出席\n")
    [problem] = leader_problems(school)
    assert problem.startswith(f"{NEWS} 第 6 行：领导姓名与职务不符")


def test_the_reviewers_in_mkdocs_yml_are_checked_as_of_today(school):
    school.append("mkdocs.yml", "  publishing: {reviewers: {second: 副校长 许慧敏, final: 常务副校长 林国东}}\n")
    [problem] = [p for p in leader_problems(school) if "领导姓名" in p]  # (and signoff.py: names, not posts)
    assert problem.startswith("mkdocs.yml 第 30 行：领导姓名与职务不符：写的是「常务副校长 林国东」，2026年11月23日的常务副校长是林国栋")


def test_inspect_reports_it_as_a_veto(school):
    school.append(NEWS, "\n常务副校长林国东出席。\n")
    result = inspection.inspect(school.root, TODAY)
    [finding] = result.of("leader")
    assert (finding.file, finding.line) == (NEWS, 9)
    assert "领导姓名与职务不符 1 处" in result.vetoes


def test_inspect_counts_an_empty_overview_page_as_an_empty_column(small):
    small.write("data/leaders.yaml", "# 学校领导\n")
    small.write("data/departments.yaml", "- id: office\n  name: 办公室\n")
    empty = [(f.file, f.message[:13]) for f in inspection.inspect(small.root, TODAY).of("empty")]
    assert ("data/leaders.yaml", "学校概况的“现任领导”一页") in empty
    assert not [f for f in empty if f[0] == "data/departments.yaml"]


def _texts(root) -> list[tuple[str, str, dt.date]]:
    """Every text the check reads in a fixture school, with its day (as the loader gives it)."""
    site = loader.load(root, TODAY)
    days = {p.file: p.date for p in site.by_src.values()}
    out = []
    for path in sorted((root / "docs").rglob("*.md")) + sorted((root / "data").glob("*.yaml")) + [root / "mkdocs.yml"]:
        file = path.relative_to(root).as_posix()
        if path.name not in ("leaders.yaml", "terms.yaml"):
            out.append((file, path.read_text(encoding="utf-8"), days.get(file, TODAY)))
    return out


@pytest.mark.parametrize("root", [DEMO, OTHER], ids=["demo", "other-school"])
def test_no_false_positive_and_every_planted_misspelling_found(root):
    """On a fixture school's full text: nothing flagged; then each post + holder's name written
    in it, with one character of the name changed, is flagged on its own line."""
    site = loader.load(root, TODAY)  # loads: no finding on the text as it is
    roster = loader.roster(root, "mkdocs.yml", [(l, None) for l in site.leaders],
                           [(i, None) for i in site.instructors.values()])
    texts = _texts(root)
    assert not [p for file, text, day in texts for p in names.check_text(text, file, day, roster,
                                                                          file.endswith(".md"))]
    pattern = re.compile("(" + "|".join(sorted(roster.posts, key=len, reverse=True)) + ")[ 　]?("
                         + "|".join(sorted({l.name for l in site.leaders}, key=len, reverse=True)) + ")")
    planted = caught = 0
    for file, text, day in texts:
        for match in pattern.finditer(text):
            name = match.group(2)
            for i in range(len(name)):
                wrong = name[:i] + ("东" if name[i] != "东" else "西") + name[i + 1:]
                changed = text[:match.start(2)] + wrong + text[match.end(2):]
                line = text.count("\n", 0, match.start()) + 1
                found = [p for p in names.check_text(changed, file, day, roster, file.endswith(".md"))
                         if p.line == line and wrong in p.message]
                planted += 1
                caught += bool(found)
                # and the same, written name first: 林国东常务副校长
                changed = text[:match.start()] + wrong + match.group(1) + text[match.end():]
                found = [p for p in names.check_text(changed, file, day, roster, file.endswith(".md"))
                         if p.line == line and wrong in p.message]
                planted += 1
                caught += bool(found)
    print(f"\n{root.name}: {caught} of {planted} planted misspellings found")
    assert planted >= 18 and caught == planted
