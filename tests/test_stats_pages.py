"""The statistics pages show exactly the figures of `python -m macros stats --json`."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from macros.index import stats
from macros.output.pages import data_years


class _Figures(HTMLParser):
    """Collects every element marked data-figure="PERIOD path.to.figure" with its text."""

    def __init__(self):
        super().__init__()
        self.found, self._open = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._open.append([attrs.get("data-figure"), ""])

    def handle_endtag(self, tag):
        if self._open:
            key, text = self._open.pop()
            if key:
                self.found.append((key, text.strip()))
            if self._open:
                self._open[-1][1] += text

    def handle_data(self, data):
        if self._open:
            self._open[-1][1] += data


def figures_on(html: str) -> list[tuple[str, str, str]]:
    parser = _Figures()
    parser.feed(html)
    return [(*key.split(" ", 1), text) for key, text in parser.found]


def lookup(figures: dict, path: str):
    for part in path.split("."):
        figures = figures[part]
    return figures


def shown(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value <= 1 and not value.is_integer():
        return f"{value * 100:.1f}%"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")


def test_stats_pages_exist_for_every_year_with_data(demo):
    site = demo.load()
    years = data_years(site)
    assert {2023, 2024, 2025} <= set(years)
    for year in years:
        assert (demo.site / "stats" / str(year) / "index.html").exists()


def test_every_figure_on_the_stats_pages_equals_stats_json(demo):
    site = demo.load()
    pages = [demo.site / "stats/index.html"] + [demo.site / f"stats/{y}/index.html" for y in data_years(site)]
    checked = 0
    json_cache = {}
    for path in pages:
        for period, key, text in figures_on(path.read_text(encoding="utf-8")):
            if period not in json_cache:
                result = demo.run("-m", "macros", "stats", "--period", period, "--json")
                assert result.returncode == 0, result.stderr
                json_cache[period] = json.loads(result.stdout)
            value = lookup(json_cache[period], key)
            if key.startswith("courses.hours_share") or key.endswith("satisfaction"):
                expected = "—" if value is None else f"{value * 100:.1f}%"
            else:
                expected = shown(value)
            assert text == expected, (path.name, period, key)
            checked += 1
    assert checked > 200


def test_training_figures_by_hand_on_the_small_site(small):
    assert small.build().returncode == 0
    found = {(p, k): t for p, k, t in figures_on((small.path("site/stats/2023/index.html")).read_text(encoding="utf-8"))}
    assert found[("2023H1", "trainings.all.person_days")] == "900"
    assert found[("2023H1", "trainings.all.satisfaction")] == "92.0%"
    assert found[("2023", "trainings.all.trainees")] == "250"
    assert found[("2023H2", "trainings.all.classes")] == "1"


def test_charts_are_inline_svg_with_titles_and_tables_and_no_script(demo):
    charts = 0
    for path in [demo.site / "stats/index.html", demo.site / "stats/2024/index.html"]:
        html = path.read_text(encoding="utf-8")
        article = html[html.find("<article"): html.find("</article>")]
        assert "<script" not in article
        for figure in re.findall(r'<figure class="qc-chart".*?</figure>', article, flags=re.S):
            assert "<svg" in figure and "<title" in figure and "<figcaption>" in figure
            assert "<table>" in figure
            assert "http" not in figure.replace('xmlns="http://www.w3.org/2000/svg"', "")
            charts += 1
    assert charts >= 4 + 3


def test_bulletin_figures_equal_stats_json(demo):
    figures = stats.figures(demo.load(), "2023H1")
    html = (demo.site / "bulletins/2023-h1/index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", html)
    t = figures["trainings"]["all"]
    assert f"上半年共举办各类培训班 {t['classes']} 期，培训 {t['trainees']:,} 人次" in text
    assert f"折合 {t['person_days']:,} 人天" in text
    assert f"满意度 {t['satisfaction'] * 100:.1f}%" in text
    assert f"发布工作动态 {figures['news']['total']} 条，其中原创 {figures['news']['original']} 条" in text
    assert f"新立项课题 {figures['research']['approved']} 项" in text


@pytest.mark.parametrize("slug", ["2023-h1", "2024"])
def test_no_placeholder_figure_in_bulletins(demo, slug):
    html = (demo.site / f"bulletins/{slug}/index.html").read_text(encoding="utf-8")
    article = re.sub(r"<[^>]+>", " ", html[html.find("<article"): html.find("</article>")])
    assert not re.search(r"(?<![A-Za-z])(X{1,3}|\*{1,3})(?![A-Za-z])", article)
