"""The filing footer (mkdocs.yml `extra: filing:`): checked like content, shown on every page."""
from __future__ import annotations

import re

import pytest

from macros import filing
from macros.models import Filing

GOOD = {"sponsor": "中共青川市委党校", "address": "青川市临江区学府路88号", "phone": "0899-6612301",
        "icp": "青ICP备12345678号-1", "police": "青公网安备63010202000123号", "site_code": "6301000012"}


def test_values_are_normalised_and_linked():
    record = Filing.model_validate({**GOOD, "icp": " 青ICP备 12345678号－1", "police": "青公网安备 63010202000123 号",
                                    "site_code": "BM01000001"})
    assert record.icp == "青ICP备12345678号-1"
    assert record.police == "青公网安备 63010202000123号"
    assert record.police_url == "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=63010202000123"
    assert record.site_code == "bm01000001"
    assert record.phone_uri == "tel:08996612301"


def set_filing(small, key: str, value: str) -> int:
    """Write `key: value` under extra.filing (replacing or adding it); its line number."""
    lines = small.path("mkdocs.yml").read_text(encoding="utf-8").splitlines()
    at = next((n for n, text in enumerate(lines) if text.startswith(f"    {key}:")), None)
    if at is None:
        at = lines.index("  filing:") + 1
        lines.insert(at, "")
    lines[at] = f'    {key}: "{value}"'
    small.write("mkdocs.yml", "\n".join(lines) + "\n")
    return at + 1


@pytest.mark.parametrize("key, value, expected", [
    ("icp", "青ICP备12345678", "ICP备案号「青ICP备12345678」格式不对"),
    ("icp", "ICP备12345678号", "格式不对"),
    ("icp", "哈ICP备12345678号-1", "格式不对"),
    ("police", "青公网安备6301020200012号", "14 位数字"),
    ("police", "京公网安备63010202000123号", "以 63 开头，但「京」的地区代码是 11"),
    ("site_code", "630100001", "网站标识码「630100001」格式不对"),
    ("site_code", "ab01000001", "格式不对"),
    ("phone", "请拨打办公室", "电话「请拨打办公室」格式不对"),
    ("conac_logo", "https://bszs.conac.cn/logo.png", "是网址"),
    ("conac_logo", "assets/filing/dzjg.pdf", "应为图片文件"),
    ("conac_url", "bszs.conac.cn/sitename", "应以 https://"),
])
def test_a_malformed_value_names_the_file_key_line_and_value(small, key, value, expected):
    line = set_filing(small, key, value)
    problems = small.problems()
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"mkdocs.yml 第 {line} 行，字段「extra.filing.{key}」："), problems
    assert expected in problems[0]


def test_missing_keys_and_unknown_keys_are_all_reported(small):
    text = small.path("mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^    (icp|sponsor): .*\n", "", text).replace("    site_code:", "    site_cod: x\n    site_code:")
    small.write("mkdocs.yml", text)
    problems = "\n".join(small.problems())
    assert "字段「extra.filing.icp」：缺少必填字段「icp」（ICP备案号）" in problems
    assert "字段「extra.filing.sponsor」：缺少必填字段「sponsor」（主办单位）" in problems
    assert "未知的字段「site_cod」，是否是「site_code」？" in problems


def test_no_filing_at_all_is_a_problem_with_an_example(small):
    text = small.path("mkdocs.yml").read_text(encoding="utf-8")
    small.write("mkdocs.yml", text[:text.index("extra:")])
    [problem] = small.problems()
    assert problem.startswith("mkdocs.yml，字段「extra.filing」：网站缺少页脚的备案信息")
    assert "icp: 青ICP备12345678号-1" in problem


def test_the_logo_must_be_a_local_file_that_exists(small):
    small.edit("mkdocs.yml", "    site_code:", "    conac_logo: assets/dzjg.svg\n    site_code:")
    [problem] = small.problems()
    assert "「extra.filing.conac_logo」：党政机关网站标识的图片「assets/dzjg.svg」不存在" in problem
    small.write("docs/assets/dzjg.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    assert small.load()


def test_mkdocs_tags_in_the_configuration_do_not_stop_the_check(small):
    small.append("mkdocs.yml", "  analytics: !ENV [QC_ANALYTICS, '']\nmarkdown_extensions:\n"
                 "  - toc:\n      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n")
    record, problems = filing.read(small.root)
    assert problems == [] and record.icp == "青ICP备00000000号"


def test_check_and_build_report_a_bad_number_with_the_other_problems(small):
    small.edit("mkdocs.yml", "青ICP备00000000号", "青ICP备0000号")
    small.edit("data/courses.yaml", "title:", "titel:")
    check = small.run("-m", "macros", "check")
    assert check.returncode == 1
    assert "字段「extra.filing.icp」：ICP备案号「青ICP备0000号」格式不对" in check.stderr
    assert "未知的字段「titel」" in check.stderr
    build = small.build()
    assert build.returncode != 0
    assert "ICP备案号「青ICP备0000号」格式不对" in build.stderr + build.stdout
    assert not (small.root / "site" / "index.html").exists()


def test_every_page_of_the_demo_carries_the_footer(demo):
    pages = list(demo.site.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert html.count('class="md-copyright qc-filing"') == 1, page
        for text in ("主办单位：中共青川市委党校", "承办单位：青川行政学院", "地址：青川市临江区学府路88号",
                     '<a href="tel:08996612301">0899-6612301</a>',
                     '<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">青ICP备12345678号-1</a>',
                     'href="https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=63010202000123"',
                     "网站标识码：6301000012", 'alt="党政机关网站标识"'):
            assert text in html, (page, text)
        # the logo is this site's own file, relative to the page (from the site's root on 404.html)
        logo = re.search(r'<img src="([^"]+)" alt="党政机关网站标识"', html).group(1)
        file = demo.site / logo.lstrip("/") if logo.startswith("/") else page.parent / logo
        assert file.resolve() == (demo.site / "assets/filing/dzjg.svg").resolve(), page


def test_footer_values_are_escaped(small):
    small.edit("mkdocs.yml", "sponsor: 测试学校", 'sponsor: "<b>测试</b>&学校"')
    assert small.build().returncode == 0
    html = (small.root / "site" / "index.html").read_text(encoding="utf-8")
    assert "主办单位：&lt;b&gt;测试&lt;/b&gt;&amp;学校" in html
    assert "<b>测试</b>" not in html
