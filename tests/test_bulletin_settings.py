"""The printed bulletins' settings (mkdocs.yml extra.bulletin, front-matter overrides) and their
numbers (第N期 of the year, 总第N期), counted from the bulletins' dates: in-process, on `small`."""
from __future__ import annotations

from macros.content import bulletin as bulletin_config

EXTRA = """extra:
  bulletin:
    name: 测试简报
    issuer: 测试学校办公室
    report_to: [上级一, 上级二]
    copy_to: 平级一
    copies: 30
"""


def _bulletin(small, name: str, issue: int | None, day: str, extra: str = "") -> None:
    written = f"issue: {issue}\n" if issue else ""
    small.write(f"docs/bulletins/{name}.md",
                f"---\ntitle: 简报{name}\n{written}period: 2023\ndate: {day}\n{extra}---\n# 简报{name}\n\n正文。\n")


def test_numbers_follow_the_dates_per_year_and_in_all(small):
    _bulletin(small, "c", None, "2024-03-01")
    _bulletin(small, "a", None, "2023-12-30")  # b1 is dated 2023-07-10
    _bulletin(small, "d", 9, "2024-06-01", "draft: true\n")  # a draft takes no number
    site = small.load()
    numbers = {b.slug: (b.number, b.total, b.issue) for b in site.bulletins}
    assert numbers == {"b1": (1, 1, 1), "a": (2, 2, 2), "c": (1, 3, 3)}  # the web's 期号 is the 总第N期


def test_a_written_issue_that_is_not_the_computed_one_is_named(small):
    _bulletin(small, "a", 3, "2023-12-30")
    assert small.problems() == [
        "docs/bulletins/a.md 第 3 行，记录「简报a」，字段「issue」：期号写的是 3，按印发日期排是总第 2 期："
        "删去 issue 这一行（期号会自动算出），或核对这一期和其他各期的日期"]


def test_settings_and_overrides(small):
    small.edit("mkdocs.yml", "extra:\n", EXTRA)
    _bulletin(small, "b2", 2, "2024-01-15", "note: 请各部门对照。\ncopies: 12\nissue_to: [下级一]\n")
    site = small.load()
    by_slug = {b.slug: b for b in site.bulletins}
    plain = bulletin_config.imprint(site.bulletin, by_slug["b1"], "主办单位")
    assert (plain.name, plain.issuer, plain.report_to, plain.copy_to, plain.issue_to, plain.copies, plain.note) == \
        ("测试简报", "测试学校办公室", ("上级一", "上级二"), ("平级一",), (), 30, "")
    own = bulletin_config.imprint(site.bulletin, by_slug["b2"], "主办单位")
    assert (own.issue_line, own.date, own.copies, own.issue_to, own.note) == \
        ("第1期（总第2期）", "2024年1月15日", 12, ("下级一",), "请各部门对照。")


def test_without_settings_the_issuer_is_the_sponsor(small):
    site = small.load()
    imprint = bulletin_config.imprint(site.bulletin, site.bulletins[0], "测试学校")
    assert (imprint.name, imprint.issuer, imprint.copies) == ("工作简报", "测试学校", None)


def test_wrong_settings_are_told_in_chinese_with_the_line(small):
    small.edit("mkdocs.yml", "extra:\n", EXTRA.replace("copies: 30", "copies: 很多\n    cc: [某单位]"))
    line = small.path("mkdocs.yml").read_text(encoding="utf-8").splitlines().index("    copies: 很多") + 1
    problems = small.problems()
    assert f"mkdocs.yml 第 {line} 行，字段「extra.bulletin.copies」：共印份数应为整数，写的是「很多」" in problems, problems
    assert any(p.startswith(f"mkdocs.yml 第 {line + 1} 行") and "未知的字段「cc」" in p and "copy_to" in p
               for p in problems), problems


def test_a_wrong_override_is_told_in_the_bulletin(small):
    _bulletin(small, "b2", 2, "2024-01-15", "copies: 0\n")
    problems = small.problems()
    assert any(p.startswith("docs/bulletins/b2.md 第 6 行") and "copies" in p for p in problems), problems
