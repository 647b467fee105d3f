"""What pages and bulletins can call: macros, filters and their names.

Every macro reads the index (`Site`) and `stats.figures`; Markdown snippets
are written by the small Jinja templates in `macros/templates/`, so code
decides what to show and templates only print it.
"""
from __future__ import annotations

from markupsafe import Markup

from . import pages, render
from ..index import stats
from ..content.pagecheck import Names
from ..content.periods import PeriodError, parse
from ..index.site import Site
from ..index.stats import change

# names mkdocs-macros and Jinja define for every page
BUILTIN_NAMES = {
    "config", "environment", "plugin", "git", "page", "navigation", "files", "macros", "filters",
    "filters_builtin", "extra", "context", "macros_info", "now", "fix_url", "render_file",
    "range", "dict", "lipsum", "cycler", "joiner", "namespace", "loop", "self", "varargs", "kwargs",
}


class MacroError(Exception):
    """A macro called with a value it cannot use; the message is for editors, in Chinese."""


class Library:
    """The macros of one build, bound to its index."""

    def __init__(self, site: Site):
        self.site = site

    def _period(self, period):
        try:
            return parse(period)
        except PeriodError as error:
            raise MacroError(str(error)) from None

    # -- macros -------------------------------------------------------------------

    def figures(self, period: str) -> dict:
        """All figures of a period, e.g. figures("2023H1").trainings.all.trainees"""
        return stats.figures(self.site, self._period(period))

    def period_label(self, period: str) -> str:
        """2023H1 → 2023年上半年"""
        return self._period(period).label

    def news_in(self, period: str, section: str | None = None) -> list:
        """The period's published news, oldest first, optionally of one section."""
        p = self._period(period)
        if section is not None and section not in self.site.sections:
            names = {s.name: s.id for s in self.site.sections.values()}
            if section not in names:
                raise MacroError(f"未知的板块「{section}」，应为 {'、'.join(self.site.sections)} 之一")
            section = names[section]
        return [n for n in reversed(self.site.news) if n.date in p and section in (None, n.section)]

    def news_list(self, period: str) -> str:
        """Markdown: the period's news grouped by section, each a link."""
        items = self.news_in(period)
        groups = [(s, [n for n in items if n.section == s.id]) for s in self.site.sections.values()]
        return self._render("news_list.md", groups=[(s, ns) for s, ns in groups if ns])

    def training_table(self, period: str) -> str:
        """Markdown table: every training class that started in the period."""
        p = self._period(period)
        classes = [c for c in self.site.trainings.values() if c.start in p]
        return self._render("training_table.md", classes=classes)

    def research_list(self, period: str) -> str:
        """Markdown: research approved, completed and awarded in the period."""
        p = self._period(period)
        projects = list(self.site.research.values())
        when = lambda day: day is not None and day in p and day <= self.site.today  # noqa: E731
        return self._render(
            "research_list.md",
            approved=[r for r in projects if when(r.approved)],
            completed=[r for r in projects if when(r.completed)],
            awarded=[r for r in projects if r.award and when(r.award.date)],
        )

    def latest_news(self, count: int = 6) -> str:
        """Markdown: the pinned items, then the newest ones, `count` in all."""
        pinned = [n for n in self.site.news if n.pinned]
        rest = [n for n in self.site.news if not n.pinned]
        return self._render("home_news.md", items=(pinned + rest)[:max(count, len(pinned))], show_pinned=True)

    def columns_overview(self, per_column: int = 2) -> str:
        """Markdown: each column with its newest notes."""
        columns = [(c, list(reversed(self.site.notes_by_column[c.id]))[:per_column],
                    len(self.site.notes_by_column[c.id])) for c in self.site.columns.values()]
        return self._render("home_columns.md", columns=columns)

    def key_figures(self, period: str) -> str:
        """HTML: four key figures of a period as tiles (home page)."""
        p = self._period(period)
        html = render.render_xml("key_figures.html", f=stats.figures(self.site, p), label=p.label)
        return Markup("\n".join(line for line in str(html).splitlines() if line.strip()))

    # -- the home page of a school portal (图片新闻, 通知公告, 常用入口) -----------------------

    def photo_news(self, count: int = 4) -> str:
        """HTML: the newest items with a cover, as a grid of pictures (360 px variants, lazy)."""
        photos = [(n, pages.cover_variants(n)[0]) for n in self.site.news if n.cover_file][:count]
        return self._html("home_photos.html", photos=photos) if photos else Markup("")

    def notice_list(self, count: int = 6) -> str:
        """HTML: the newest items of the 公告类 and 信息公开类 sections, with their dates."""
        kinds = ("notice", "disclosure")
        sections = [s for s in self.site.sections.values() if s.kind in kinds]
        items = [n for n in self.site.news if self.site.sections[n.section].kind in kinds][:count]
        return self._html("home_notices.html", items=items, sections=sections) if items else Markup("")

    def links_row(self, links=None) -> str:
        """Markdown: the quick links of mkdocs.yml (`extra: quick_links:`, each `名称: 页面或网址`),
        as links MkDocs checks."""
        if not links:
            return Markup("")
        if not isinstance(links, dict) or not all(isinstance(v, str) and v for v in links.values()):
            raise MacroError("mkdocs.yml 的 extra.quick_links 应写成「名称: 页面」的形式，"
                             "例如 课程目录: courses/index.md，一行一个")
        return self._render("home_links.md", links=[(str(k), "/" + v.lstrip("/") if v.endswith(".md") else v)
                                                     for k, v in links.items()])

    def _html(self, name: str, **values) -> Markup:
        html = render.render_xml(name, site=self.site, here="index.md", **values)
        return Markup("\n".join(line for line in str(html).splitlines() if line.strip()))

    def _render(self, name: str, **values) -> Markup:
        return render.render(name, site=self.site, **values)

    # -- registration ------------------------------------------------------------

    MACROS = ("figures", "period_label", "news_in", "news_list", "training_table", "research_list",
              "latest_news", "columns_overview", "key_figures", "photo_news", "notice_list", "links_row")

    def macros(self) -> dict:
        return {name: getattr(self, name) for name in self.MACROS}

    VARIABLES = ("build_year", "latest_year")

    def variables(self) -> dict:
        years = [c.start.year for c in self.site.trainings.values()] + [n.date.year for n in self.site.news]
        return {
            "build_year": str(self.site.today.year),
            # the newest year with any record, so that the home page never shows an empty year
            "latest_year": str(max(years, default=self.site.today.year)),
        }

    @staticmethod
    def filters() -> dict:
        return {name: render.FILTERS[name] for name in ("percent", "number", "zh_date")}

    @staticmethod
    def globals() -> dict:
        return {"change": change}

    @classmethod
    def names(cls, extra_variables=()) -> Names:
        """Every name a page may use, for the page check."""
        variables = BUILTIN_NAMES | set(cls.MACROS) | set(cls.VARIABLES) | set(cls.globals())
        return Names(variables | set(extra_variables), set(cls.filters()))

