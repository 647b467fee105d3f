"""An article's credits (issue 22): 信息来源 (a department of data/departments.yaml, or as written
when the school keeps none), 摄影, and the review made public (编辑 / 审核 / 签发 from `review:`)
when mkdocs.yml's `extra.publishing.show_review` says so; off by default, escaped."""
from __future__ import annotations

from macros.output import pages

NEWS = "docs/news/2023/2023-08-01-c.md"
FRONT = "source: original\n"
CREDITED = ("source: original\nauthor: 办公室 <张敏>\ndepartment: 教务处\nphotographer: 周<宁>\n"
            "review: {first: 王磊, second: 许慧敏, final: 林国栋}\n")


def footer(project) -> str:
    site = project.load()
    [item] = [n for n in site.news if n.file == NEWS]
    return pages.frame(site, item, "<p>正文</p>")


def test_source_and_photographer_shown_review_off_by_default(small):
    small.edit(NEWS, FRONT, CREDITED)
    html = footer(small)
    assert '<p class="qc-meta qc-credits"><span>信息来源：教务处</span> <span>摄影：周&lt;宁&gt;</span></p>' in html
    assert "签发" not in html and "审核" not in html


def test_review_line_when_switched_on(small):
    small.edit(NEWS, FRONT, CREDITED)
    small.append("mkdocs.yml", "  publishing: {show_review: true}\n")
    html = footer(small)
    assert ("<span>编辑：办公室 &lt;张敏&gt;</span> <span>审核：王磊、许慧敏</span> <span>签发：林国栋</span>") in html


def test_no_credits_no_line(small):
    small.append("mkdocs.yml", "  publishing: {show_review: true}\n")
    assert "qc-credits" not in footer(small)


def test_the_department_is_one_of_data_departments_yaml_when_it_exists(small):
    small.edit(NEWS, FRONT, "source: original\ndepartment: 教物处\n")
    assert "教物处" in footer(small)  # no departments.yaml: as written
    small.write("data/departments.yaml", "- id: teaching\n  name: 教务处\n- id: office\n  name: 办公室\n")
    [problem] = small.problems()
    assert problem == f"{NEWS} 第 6 行，记录「新闻丙」，字段「department」：未知的信息来源（处室）「教物处」，是否是「教务处」？"
    small.edit(NEWS, "department: 教物处", "department: teaching")
    assert "<span>信息来源：教务处</span>" in footer(small)
