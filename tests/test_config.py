"""One reader of the configuration file (macros/content/config.py): a build or a command given
`-f other.yml` takes its footer, its review rules and its time zone from that file alone."""
from __future__ import annotations

from conftest import ENGINE, site_text
from macros.content import config

RULES = """  publishing:
    review_required: true
    reviewers: {first: 另一份配置的初审人, second: 复审甲, final: 终审乙}
"""


def other_config(project) -> None:
    """other.yml: mkdocs.yml with its own footer sponsor and with 三审 required."""
    text = project.path("mkdocs.yml").read_text(encoding="utf-8")
    assert "    sponsor: 测试学校\n" in text
    project.write("other.yml", text.replace("    sponsor: 测试学校\n", "    sponsor: 另一份配置的主办单位\n") + RULES)


def test_the_file_is_read_once_with_its_lines(small):
    settings = config.read(small.root)
    assert settings.readable and settings.site_name and settings.docs_dir == "docs"
    assert settings.extra["filing"]["sponsor"] == "测试学校"
    assert settings.line("extra") > 0
    assert not config.read(small.root, "missing.yml").readable


def test_a_build_with_f_takes_footer_and_review_rules_from_that_file(small):
    other_config(small)
    result = small.run("-m", ENGINE, "build", "--strict", "-f", "other.yml", "--site-dir", "site")
    assert result.returncode == 0, result.stderr[-2000:]
    text = site_text(small.path("site"))
    assert "另一份配置的主办单位" in text
    # no item of the fixture is reviewed: with other.yml's rule, none is published
    assert not small.path("site/news/2023/a").exists()


def test_commands_take_f_too(small):
    other_config(small)
    plain = small.run("-m", "macros", "review")
    assert "没有要求审核" in plain.stdout
    other = small.run("-m", "macros", "-f", "other.yml", "review")
    assert "初审人：另一份配置的初审人" in other.stdout, other.stdout + other.stderr
