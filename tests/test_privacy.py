"""The 个人信息处理规则 (issue 22): mkdocs.yml `extra.privacy` required and checked in Chinese, its
page generated from it, and a link to it in every page's footer."""
from __future__ import annotations

import re

from macros.content import privacy
from macros.output import pages, urls

PRIVACY = "  privacy: {handler: 测试学校办公室, contact: 0899-1234567, purpose: 保障网站安全运行, log_days: 30}\n"


def test_missing_rules_are_a_problem_naming_the_keys(small):
    small.edit("mkdocs.yml", PRIVACY, "")
    [problem] = small.problems()
    assert problem.startswith("mkdocs.yml 第 22 行，字段「extra.privacy」：网站缺少个人信息处理规则")
    for key in ("handler（个人信息处理者", "contact（联系方式", "purpose（处理目的）", "log_days（服务器日志保存天数）"):
        assert key in problem
    assert "log_days: 180" in problem  # an example to copy


def test_each_key_checked(small):
    small.edit("mkdocs.yml", PRIVACY, "  privacy:\n    handler: 办公室\n    log_days: 半年\n    log_dys: 3\n")
    problems = small.problems()
    assert any(p.startswith("mkdocs.yml 第 31 行，字段「extra.privacy.log_days」：服务器日志保存天数应为整数，写的是「半年」") for p in problems), problems
    assert any("字段「extra.privacy.contact」" in p for p in problems)
    assert any("字段「extra.privacy.purpose」" in p for p in problems)
    assert any("「log_dys」" in p and "log_days" in p for p in problems)
    assert len(problems) == 4


def test_the_page_says_what_mkdocs_yml_says_escaped(small):
    small.edit("mkdocs.yml", PRIVACY, PRIVACY.replace("log_days: 30", "log_days: 45, collected: [IP 地址, <访问时间>]")
               .replace("保障网站安全运行", "保障网站安全运行。"))
    site = small.load()
    assert site.privacy.log_days == 45
    [page] = [g for g in pages.generate(site, "/", "测试学校") if g.src_uri == urls.PRIVACY]
    text = page.content
    assert "服务器日志保存 45 天" in text and "个人信息处理者：测试学校办公室" in text
    assert "- &lt;访问时间&gt;" in text and "保障网站安全运行。" in text and "。。" not in text
    assert "搜索词不发送给服务器" in text


def test_the_default_list_is_what_the_server_logs():
    rules = privacy.m.Privacy(handler="a", contact="b", purpose="c", log_days=1)
    assert any("IP" in item for item in rules.collected) and any("User-Agent" in item for item in rules.collected)


def test_every_page_links_to_the_rules(demo):
    html = [p for p in demo.site.rglob("*.html") if p.name != "404.html"]
    assert len(html) > 100
    link = re.compile(r'<a href="(?:(?:\.\./)*privacy/|\./)">个人信息处理规则</a>')  # ./ on the page itself
    missing = [p for p in html if not link.search(p.read_text(encoding="utf-8"))]
    assert missing == []
    assert (demo.site / "privacy" / "index.html").is_file()
