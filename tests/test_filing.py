"""The filing footer (mkdocs.yml `extra: filing:`): checked like content, shown on every page."""
from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from macros.content import filing
from macros.content.models import PROVINCES, Filing

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


# Every province-level division of the mainland, as its footers read: (province, ICP number, 公网安备 number).
# Written out, not derived from models.PROVINCES, so that the table is checked against them.
EVERY_PROVINCE = [
    ("北京", "京ICP备05070602号-1", "京公网安备11010502030143号"), ("天津", "津ICP备13002345号-2", "津公网安备12010102000456号"),
    ("河北", "冀ICP备20011234号", "冀公网安备13010202001234号"), ("山西", "晋ICP备16003456号-1", "晋公网安备14010602060123号"),
    ("内蒙古", "蒙ICP备14005124号-2", "蒙公网安备15010502001204号"), ("辽宁", "辽ICP备19012345号-1", "辽公网安备21010202000789号"),
    ("吉林", "吉ICP备18004567号", "吉公网安备22010202000345号"), ("黑龙江", "黑ICP备17001234号-3", "黑公网安备23010302000456号"),
    ("上海", "沪ICP备10012345号-5", "沪公网安备31010402001234号"), ("江苏", "苏ICP备15023456号-1", "苏公网安备32010202010789号"),
    ("浙江", "浙ICP备12034567号-2", "浙公网安备33010602009876号"), ("安徽", "皖ICP备11005678号", "皖公网安备34010402701234号"),
    ("福建", "闽ICP备09001234号-1", "闽公网安备35010202000567号"), ("江西", "赣ICP备13004567号-1", "赣公网安备36010202000234号"),
    ("山东", "鲁ICP备05001234号-3", "鲁公网安备37010202000890号"), ("河南", "豫ICP备14012345号-1", "豫公网安备41010502003456号"),
    ("湖北", "鄂ICP备16007890号-2", "鄂公网安备42010602000123号"), ("湖南", "湘ICP备15001234号", "湘公网安备43010202000678号"),
    ("广东", "粤ICP备2021012345号-1", "粤公网安备44030502004567号"), ("广西", "桂ICP备17003456号-1", "桂公网安备45010302000345号"),
    ("海南", "琼ICP备12000123号", "琼公网安备46010602000234号"), ("重庆", "渝ICP备18001234号-1", "渝公网安备50010302001234号"),
    ("四川", "蜀ICP备14021561号", "川公网安备51010602000097号"), ("贵州", "黔ICP备2025056580号", "贵公网安备52052302000396号"),
    ("云南", "滇ICP备20240517号-2", "滇公网安备53010202000176号"), ("西藏", "藏ICP备19000123号-1", "藏公网安备54010202000088号"),
    ("陕西", "陕ICP备05001612号-1", "陕公网安备61010302000123号"), ("甘肃", "陇ICP备13000456号-1", "甘公网安备62010302000249号"),
    ("青海", "青ICP备12345678号-1", "青公网安备63010202000123号"), ("宁夏", "宁ICP备16000789号", "宁公网安备64010402000567号"),
    ("新疆", "新ICP备13001234号-2", "新公网安备65010202000345号"),
]


def test_the_list_has_every_province_level_division_once():
    assert len(EVERY_PROVINCE) == len(PROVINCES) == 31
    assert {name for name, _, _ in EVERY_PROVINCE} == {p.name for p in PROVINCES}
    assert len({p.code for p in PROVINCES}) == 31 and len({p.icp for p in PROVINCES}) == 31


@pytest.mark.parametrize("province, icp, police", EVERY_PROVINCE, ids=[row[0] for row in EVERY_PROVINCE])
def test_every_province_can_publish(province, icp, police):
    record = Filing.model_validate({**GOOD, "icp": icp, "police": police})
    assert record.icp == icp
    assert record.police == police.replace("公网安备", "公网安备 ")
    assert record.police_code == re.sub(r"\D", "", police)


def test_guizhou_police_numbers_may_be_written_with_either_abbreviation():
    record = Filing.model_validate({**GOOD, "police": "黔公网安备52011102000668号"})
    assert record.police == "黔公网安备 52011102000668号"


@pytest.mark.parametrize("key, value, expected", [
    ("police", "蜀公网安备51010602000097号", "四川的公网安备号（公安部）写「川」，不是「蜀」（「蜀」是ICP备案号的写法）"),
    ("police", "陇公网安备62010302000249号", "甘肃的公网安备号（公安部）写「甘」，不是「陇」"),
    ("icp", "川ICP备14021561号", "四川的ICP备案号（工信部）写「蜀」，不是「川」（「川」是公网安备号的写法）"),
    ("icp", "甘ICP备13000456号-1", "甘肃的ICP备案号（工信部）写「陇」，不是「甘」"),
    ("icp", "云ICP备20240517号-2", "云南的ICP备案号（工信部）写「滇」，不是「云」"),
    ("icp", "贵ICP备2025056580号", "贵州的ICP备案号（工信部）写「黔」，不是「贵」"),
    ("police", "滇公网安备52010202000176号", "数字以 52 开头，但「滇」的地区代码是 53（云南；52 是贵州）"),
    ("police", "川公网安备50010302001234号", "数字以 50 开头，但「川」的地区代码是 51（四川；50 是重庆）"),
    ("police", "青公网安备99010202000123号", "没有以 99 开头的省级地区代码"),
])
def test_a_wrong_combination_says_what_the_registry_writes(key, value, expected):
    with pytest.raises(ValidationError) as caught:
        Filing.model_validate({**GOOD, key: value})
    [error] = caught.value.errors()
    assert expected in error["msg"], error["msg"]


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
    [problem] = [p for p in small.problems() if "「extra.filing」" in p]  # extra.privacy is missing too
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


# --- opening before the 公网安备 number is issued ----------------------------------------------

PENDING = "    police: {pending: true, opened: 2026-11-10}"


def _pending(small) -> int:
    small.edit("mkdocs.yml", "    police: 青公网安备63000000000000号", PENDING)
    return small.path("mkdocs.yml").read_text(encoding="utf-8").splitlines().index(PENDING) + 1


def test_a_pending_police_number_warns_for_30_days_then_stops_the_build(small):
    import datetime as dt
    line = _pending(small)
    opened = dt.date(2026, 11, 10)
    for day in (opened - dt.timedelta(days=3), opened, opened + dt.timedelta(days=30)):
        site = small.load(day)  # no problem: the site may open and be updated
        assert site
        [notice] = filing.notices(small.root, today=day)
        assert notice.startswith(f"mkdocs.yml 第 {line} 行，字段「extra.filing.police」：公网安备号还在申请中")
        assert "2026-12-10 之前" in notice and f"还有 {(opened + dt.timedelta(days=30) - day).days} 天" in notice
    late = opened + dt.timedelta(days=31)
    [problem] = small.problems(late)
    assert problem.startswith(f"mkdocs.yml 第 {line} 行，字段「extra.filing.police」：")
    assert "2026-11-10 开通，已开通 31 天，已超过 30 天的期限" in problem
    assert filing.notices(small.root, today=late) == []  # a problem now, not a notice
    assert filing.notices(small.root, today=opened) and not filing.notices(small.root)  # no day, no judgement


@pytest.mark.parametrize("written, expected", [
    ("{pending: false, opened: 2026-11-10}", "公网安备号还没有下来时写成 police: {pending: true, opened: 2026-12-01}"),
    ("{pending: true}", "opened 是网站开通的日期"),
    ("{pending: true, opened: 2026-11-10, number: 1}", "不是「"),
    ("{pending: true, opened: 2026-11-31}", "日期「2026-11-31」无效"),
])
def test_a_malformed_pending_police_is_a_problem(small, written, expected):
    small.edit("mkdocs.yml", "    police: 青公网安备63000000000000号", f"    police: {written}")
    [problem] = small.problems()
    assert "字段「extra.filing.police」" in problem and expected in problem, problem


def test_check_prints_the_warning_and_the_footer_leaves_the_number_out(small):
    _pending(small)
    check = small.run("-m", "macros", "--today", "2026-11-23", "check")
    assert check.returncode == 0, check.stderr
    assert "提醒：mkdocs.yml 第" in check.stdout and "还有 17 天" in check.stdout
    build = small.build()
    assert build.returncode == 0, build.stderr[-2000:]
    html = (small.root / "site" / "index.html").read_text(encoding="utf-8")
    assert "青ICP备00000000号" in html and "beian.gov.cn" not in html and "公网安备" not in html
    late = small.run("-m", "macros", "--today", "2026-12-11", "check")
    assert late.returncode == 1 and "已超过 30 天的期限" in late.stderr


# --- site_url before going live -------------------------------------------------------------------

@pytest.mark.parametrize("url", ["https://qcdx.example.cn/", "https://www.example.com/", "http://localhost:8000/",
                                 "http://127.0.0.1/", ""])
def test_a_school_s_own_site_refuses_a_placeholder_site_url(small, url):
    small.edit("mkdocs.yml", "site_url: https://example.test/", f"site_url: {url}" if url else "site_url:")
    [problem] = small.problems()
    assert problem.startswith("mkdocs.yml 第 2 行，字段「site_url」：网站地址 site_url"), problem
    assert "是占位地址，不是学校网站的正式域名" in problem and "https://www.xxdx.gov.cn/" in problem


@pytest.mark.parametrize("url", ["https://www.dcdx.gov.cn/", "https://example.test/", "https://dx.example-school.cn/"])
def test_a_real_or_test_address_passes(small, url):
    small.edit("mkdocs.yml", "site_url: https://example.test/", f"site_url: {url}")
    assert small.load()


def test_the_demo_itself_may_stay_on_example_cn(small):
    small.edit("mkdocs.yml", "site_url: https://example.test/", "site_url: https://qcdx.example.cn/")
    small.edit("mkdocs.yml", "site_name: 测试学校", "site_name: 青川市委党校")
    assert small.load()
