"""`python -m macros init`: the demo becomes an empty school of its own; the demo's values never
go out on a real domain (`check` and the build refuse them)."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from PIL import Image

from macros import cli
from macros.content import demo as demo_values

from conftest import DEMO, ROOT, TODAY, Project

OPTIONS = ["--name", "中共滇池市委党校", "--organizer", "滇池行政学院", "--url", "https://www.dcdx.gov.cn",
           "--address", "滇池市五华区学府路1号", "--phone", "0871-6543210", "--icp", "滇ICP备20240517号-2",
           "--police", "滇公网安备53010202000176号", "--site-code", "5301000012"]
ENGINE = ("macros", "hooks.py", "tools")  # linked; overrides/ is copied (the site refuses a linked theme folder)


def options(**changed: str) -> list[str]:
    """OPTIONS with some values changed: options(url="…")."""
    args = list(OPTIONS)
    for name, value in changed.items():
        args[args.index("--" + name.replace("_", "-")) + 1] = value
    return args


def copy_demo(target: Path) -> Project:
    """The demo's content (tests/fixtures/demo: docs/, data/, mkdocs.yml) copied; the engine
    linked, as it is not to change."""
    target.mkdir()
    for folder in ("docs", "data"):
        shutil.copytree(DEMO / folder, target / folder)
    shutil.copy(DEMO / "mkdocs.yml", target / "mkdocs.yml")
    for name in ENGINE:
        (target / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "overrides", target / "overrides")
    return Project(target)


def init(project: Project, *args: str) -> subprocess.CompletedProcess:
    """init as a script runs it: no terminal, so no question."""
    env = {**os.environ, "SITE_TODAY": TODAY.isoformat()}
    return subprocess.run([sys.executable, "-m", "macros", "init", *args], cwd=project.root, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)


def files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def demo_copy(tmp_path) -> Project:
    return copy_demo(tmp_path / "school")


def test_init_makes_an_empty_school_that_checks_and_builds(demo_copy):
    before = (DEMO / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    result = init(demo_copy, *OPTIONS)
    assert result.returncode == 0, result.stderr
    assert "已建立「中共滇池市委党校」的网站（https://www.dcdx.gov.cn/）" in result.stdout

    # mkdocs.yml: the school's values, every other line (comments included) as it was
    text = demo_copy.path("mkdocs.yml").read_text(encoding="utf-8")
    after = text.splitlines()
    changed = {re.match(r"^\s*([\w-]+):", line)[1] for line in set(before) ^ set(after)}
    assert changed == {"site_name", "site_url", "site_description", "copyright", "sponsor", "organizer", "address",
                       "phone", "icp", "police", "site_code", "conac_logo", "reviewers", "public_numbers",
                       "handler", "contact"}
    assert [line for line in before if line.lstrip().startswith("#")] == [line for line in after if line.lstrip().startswith("#")]
    assert "    icp: 滇ICP备20240517号-2            # ICP备案号（工信部，beian.miit.gov.cn）" in after
    assert '    site_code: "5301000012"             # 网站标识码（10 位）' in after
    config = yaml.safe_load(text.replace("!!python/object/apply:pymdownx.slugs.slugify", ""))
    assert config["site_name"] == "中共滇池市委党校" and config["site_url"] == "https://www.dcdx.gov.cn/"
    assert config["extra"]["filing"] == {
        "sponsor": "中共滇池市委党校", "organizer": "滇池行政学院", "address": "滇池市五华区学府路1号",
        "phone": "0871-6543210", "icp": "滇ICP备20240517号-2", "police": "滇公网安备53010202000176号",
        "site_code": "5301000012"}
    assert config["extra"]["publishing"]["public_numbers"] == ["0871-6543210"]
    # the reviewers are left for the school to name: the check says so until they are written
    check = demo_copy.run("-m", "macros", "check")
    assert check.returncode == 1 and "检查未通过：发现 2 个问题" in check.stderr, check.stderr
    assert "但还没有写可以复审的人的姓名（现在写的是「请填写复审人姓名」）" in check.stderr
    assert "但还没有写可以终审的人的姓名（现在写的是「请填写终审人姓名」）" in check.stderr
    demo_copy.edit("mkdocs.yml", "second: [请填写复审人姓名], final: [请填写终审人姓名]", "second: [周春], final: [吴夏]")
    assert config["nav"] == yaml.safe_load((DEMO / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:", 1)[1]
                                           .join(["nav:", ""]))["nav"]

    # docs/: a skeleton; data/: minimal, the wrong formulations and topics kept
    assert files(demo_copy.path("docs")) == {"index.md", "about/index.md", "about/contact.md", "assets/share-card.png"}
    assert demo_copy.path("docs/news").is_dir() and demo_copy.path("docs/notes/theory-notes").is_dir()
    for name in ("terms.yaml", "topics.yaml"):
        assert demo_copy.path(f"data/{name}").read_bytes() == (DEMO / "data" / name).read_bytes()
    for name in ("courses", "instructors", "trainings", "research", "departments", "leaders"):
        data = demo_copy.path(f"data/{name}.yaml").read_text(encoding="utf-8")
        assert yaml.safe_load(data) is None and data.startswith("# ")  # the fields' explanations kept
    site = demo_copy.load()
    assert [s.name for s in site.sections.values()] == ["学校要闻", "教学培训", "科研咨政", "机关党建"]
    assert [(c.id, c.editor, c.started) for c in site.columns.values()] == [("theory-notes", "办公室", TODAY)]
    assert not site.news and not site.courses and not site.instructors and len(site.terms) > 40
    with Image.open(demo_copy.path("docs/assets/share-card.png")) as card:
        assert card.size == (1200, 630)
    assert demo_copy.path("docs/assets/share-card.png").read_bytes() != (ROOT / "docs/assets/share-card.png").read_bytes()

    check = demo_copy.run("-m", "macros", "check")
    assert check.returncode == 0, check.stderr
    assert "新闻 0 条" in check.stdout and "板块 4 个，专栏 1 个" in check.stdout
    build = demo_copy.build()
    assert build.returncode == 0, build.stderr[-3000:]
    html = (demo_copy.root / "site" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in html and "中共滇池市委党校" in html
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">滇ICP备20240517号-2</a>' in html
    assert "recordcode=53010202000176" in html and "党政机关网站标识" not in html
    built = "\n".join(p.read_text(encoding="utf-8") for p in (demo_copy.root / "site").rglob("*.html"))
    for demo in ("青川", "qcdx", "12345678", "63010202000123", "6301000012", "林国栋"):
        assert demo not in built, demo

    # the engine is untouched (linked here: the repository's own files still in place)
    assert all(demo_copy.path(name).is_symlink() for name in ENGINE)
    assert _files(demo_copy.path("overrides")) == _files(ROOT / "overrides")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_init_refuses_a_site_that_is_not_the_demo_unless_forced(demo_copy):
    assert init(demo_copy, *OPTIONS).returncode == 0
    demo_copy.write("docs/news/2026/2026-11-20-kaixue.md", "---\ntitle: 开学\ndate: 2026-11-20\nsection: 学校要闻\n---\n正文\n")
    again = init(demo_copy, *options(url="https://new.dcdx.gov.cn/"))
    assert again.returncode == 1
    assert "没有做任何修改：mkdocs.yml 的网站名称是「中共滇池市委党校」，不是演示学校「青川市委党校」" in again.stderr
    assert "请加上 --force" in again.stderr
    assert demo_copy.path("docs/news/2026/2026-11-20-kaixue.md").is_file()
    forced = init(demo_copy, *options(url="https://new.dcdx.gov.cn/"), "--force")
    assert forced.returncode == 0, forced.stderr
    assert not demo_copy.path("docs/news/2026").exists()
    assert "site_url: https://new.dcdx.gov.cn/" in demo_copy.path("mkdocs.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("option, value, expected", [
    ("--icp", "川ICP备14021561号", "--icp：ICP备案号「川ICP备14021561号」的省份简称不对：四川的ICP备案号（工信部）写「蜀」"),
    ("--police", "滇公网安备52010202000176号", "--police：公网安备号「滇公网安备52010202000176号」的数字以 52 开头，但「滇」的地区代码是 53"),
    ("--url", "www.dcdx.gov.cn", "--url：网站地址「www.dcdx.gov.cn」不对"),
    ("--site-code", "53010000", "--site-code：网站标识码「53010000」格式不对"),
])
def test_every_value_is_checked_before_anything_changes(demo_copy, option, value, expected):
    result = init(demo_copy, *options(**{option[2:]: value}))
    assert result.returncode == 1 and expected in result.stderr, result.stderr
    assert demo_copy.path("mkdocs.yml").read_bytes() == (DEMO / "mkdocs.yml").read_bytes()
    assert files(demo_copy.path("docs")) == files(DEMO / "docs")


def test_off_a_terminal_missing_values_are_named(demo_copy):
    result = init(demo_copy, "--name", "中共滇池市委党校")
    assert result.returncode == 1
    assert "缺少：--url（网站地址）、--address（学校地址）、--phone（办公室电话）、--icp（ICP备案号）" in result.stderr
    assert demo_copy.path("mkdocs.yml").read_bytes() == (DEMO / "mkdocs.yml").read_bytes()


def test_on_a_terminal_it_asks_in_chinese_and_again_after_a_wrong_answer(demo_copy, monkeypatch, capsys):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    answers = iter(["中共滇池市委党校", "", "", "https://www.dcdx.gov.cn/", "滇池市五华区学府路1号", "0871-6543210",
                    "云ICP备20240517号-2", "滇ICP备20240517号-2", "滇公网安备53010202000176号", "5301000012", "y"])
    asked = []
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or next(answers))
    assert cli.main(["--root", str(demo_copy.root), "--today", TODAY.isoformat(), "init"]) == 0
    assert asked[0].startswith("学校名称") and asked[6] == asked[7] == "ICP备案号（工信部，例如 滇ICP备20240517号-2）："
    assert "云南的ICP备案号（工信部）写「滇」，不是「云」" in capsys.readouterr().err
    assert asked[-1].startswith("将删除演示学校的新闻")
    filing = yaml.safe_load(demo_copy.path("mkdocs.yml").read_text(encoding="utf-8").split("\nextra:", 1)[1]
                            .join(["extra:", ""]).split("\nextra_css:")[0])["extra"]["filing"]
    assert filing["sponsor"] == "中共滇池市委党校" and "organizer" not in filing and filing["icp"] == "滇ICP备20240517号-2"


def test_sections_columns_and_the_official_logo_may_be_given(demo_copy, tmp_path):
    logo = tmp_path / "official.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', encoding="utf-8")
    result = init(demo_copy, *OPTIONS, "--section", "yaowen:学校要闻", "--section", "tongzhi：通知公告",
                  "--column", "dushu:党校读书会:图书馆 李华", "--conac-logo", str(logo),
                  "--conac-url", "https://bszs.conac.cn/sitename?method=show&id=1")
    assert result.returncode == 0, result.stderr
    text = demo_copy.path("mkdocs.yml").read_text(encoding="utf-8")
    assert "    conac_logo: assets/filing/conac.svg  # 党政机关网站标识：docs/ 下的本地图片（没有可删去）" in text
    assert "    conac_url: https://bszs.conac.cn/sitename?method=show&id=1\n" in text
    assert demo_copy.path("docs/assets/filing/conac.svg").read_bytes() == logo.read_bytes()
    demo_copy.edit("mkdocs.yml", "second: [请填写复审人姓名], final: [请填写终审人姓名]", "second: [周春], final: [吴夏]")
    site = demo_copy.load()
    assert [(s.id, s.name) for s in site.sections.values()] == [("yaowen", "学校要闻"), ("tongzhi", "通知公告")]
    assert [(c.id, c.name, c.editor) for c in site.columns.values()] == [("dushu", "党校读书会", "图书馆 李华")]
    bad = init(copy_demo(demo_copy.root.parent / "other"), *OPTIONS, "--section", "要闻")
    assert bad.returncode == 2 and "新闻板块「要闻」应写成 编号:名称" in bad.stderr


# --- what is still the demo's ---------------------------------------------------------


@pytest.mark.parametrize("url, placeholder", [
    ("https://qcdx.example.cn/", True), ("https://example.org/", True), ("http://127.0.0.1:8000/", True),
    ("http://localhost/", True), ("https://example.test/", True), ("", True),
    ("https://www.qcdx.gov.cn/", False), ("https://dx.example-school.cn/", False),
])
def test_placeholder_addresses(url, placeholder):
    assert demo_values.placeholder_host(url) is placeholder


def test_the_demo_on_a_real_domain_says_what_is_still_the_demos(demo_copy):
    demo_copy.edit("mkdocs.yml", "site_url: https://qcdx.example.cn/", "site_url: https://www.qcdx.gov.cn/")
    check = demo_copy.run("-m", "macros", "check")
    assert check.returncode == 1
    assert ("mkdocs.yml 第 2 行，字段「site_url」：网站地址是正式域名「www.qcdx.gov.cn」，"
            "但下面这些还是演示学校（青川市委党校）的虚构内容，不能发布") in check.stderr
    for shown in ("第 1 行 site_name（网站名称）：青川市委党校", "extra.filing.icp（ICP备案号）：青ICP备12345678号-1",
                  "extra.filing.police（公网安备号）：青公网安备63010202000123号", "extra.filing.site_code（网站标识码）：6301000012",
                  "extra.filing.address（地址）：青川市临江区学府路88号",
                  "extra.filing.conac_logo（党政机关网站标识）：assets/filing/dzjg.svg 是演示用的示意图"):
        assert shown in check.stderr, shown
    assert "检查未通过：发现 1 个问题" in check.stderr
    build = demo_copy.build()
    assert build.returncode != 0 and "演示学校（青川市委党校）的虚构内容" in build.stderr + build.stdout
    assert not (demo_copy.root / "site" / "index.html").exists()

    # one real number among the demo's: only the others are listed
    demo_copy.edit("mkdocs.yml", "icp: 青ICP备12345678号-1", "icp: 青ICP备20190321号-1")
    [problem] = demo_copy.problems()
    assert "extra.filing.icp" not in problem and "extra.filing.police" in problem
