"""Which pages exist: records' own files, the pages generated per record and per listing,
and the feeds. All from the index; nothing here knows MkDocs.

Every listing is generated in one pass over the index, so the work grows linearly with the
number of items (Material's blog plugin checks each page against the list of all posts).
"""
from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
from pathlib import Path
from dataclasses import dataclass

from . import charts, images, media, urls
from ..index import stats
from ..content import models as m
from ..content.periods import parse as parse_period
from .render import render, render_xml
from ..index.site import Site

PAGE_SIZE = 20  # news items per listing page
FEED_SIZE = 20  # newest items in a feed


@dataclass(frozen=True)
class Generated:
    """A file the build adds: a Markdown page or a feed, at a path under docs/."""

    src_uri: str
    content: str
    html: str = ""  # a body that goes into the page after Markdown (see _html_page)


def destinations(site: Site) -> dict[str, str]:
    """Source path (relative to docs/) → destination path in site/, for every record
    (the unpublished ones are only built by a preview)."""
    return {page.src: page.url + "index.html" for page in site.by_src.values()}


def withheld(site: Site) -> set[str]:
    """Source paths (relative to docs/) that must not be published by this build."""
    return {page.src for page in site.unpublished}


_last: tuple = (None, [])  # (inputs, pages) of the previous call


def generate(site: Site, site_url: str, site_name: str) -> list[Generated]:
    """Every generated page. Saving a news item's text in `make serve` changes no listing: if
    no record's fields changed since the last call, its pages are reused (a second saved)."""
    global _last
    inputs = (site_url, site_name, site.today, tuple(
        _fields(record)
        for records in (site.sections, site.columns, site.topics, site.courses, site.instructors,
                        site.trainings, site.research)
        for record in records.values()
    ), tuple(_fields(p) for p in [*site.news, *site.notes, *site.bulletins]),
        tuple(_fields(r) for r in [*site.departments.values(), *site.leaders]),
        _fields(site.privacy) if site.privacy else None, site.overview)
    if _last[0] == inputs:
        return _last[1]
    pages = _generate(site, site_url, site_name)
    _last = (inputs, pages)
    return pages


def _fields(record) -> tuple:
    """A record's field values as they are now (lists copied, so that a later change shows),
    but its reading time: what its generated pages are made of. Read from the record itself,
    not through model_dump: 6,000 records a save, 0.3 s against 0.03 s."""
    return tuple((key, tuple(_copied(v) for v in value) if isinstance(value, list) else value)
                 for key, value in vars(record).items() if key != "reading_minutes")


def _copied(value):
    """An attachment as it is now (the loader sets its size in place on every load)."""
    return tuple(vars(value).values()) if isinstance(value, m.Attachment) else value


def _generate(site: Site, site_url: str, site_name: str) -> list[Generated]:
    return [
        *news_listings(site),
        *notes_pages(site),
        *course_pages(site),
        *instructor_pages(site),
        *topic_pages(site),
        Generated(urls.BULLETINS, render("pages/bulletins_index.md", title="工作简报", site=site,
                                         bulletins=site.bulletins,
                                         labels={b.issue: parse_period(b.period).label for b in site.bulletins})),
        *stats_pages(site),
        Generated(urls.SEARCH, render("pages/search.md")),
        *feeds(site, site_url, site_name),
        *about_pages(site),
        *privacy_page(site, site_name),
    ]


# --- 学校概况 and the 个人信息处理规则 -------------------------------------------------------


def about_pages(site: Site) -> list[Generated]:
    """现任领导 and 历任领导 when data/leaders.yaml exists, 机构设置 when data/departments.yaml does
    (an empty file, as `init` leaves it, gives pages that say so, like an empty listing)."""
    out = []
    if "leaders" in site.overview:
        current = site.current_leaders()
        out.append(Generated(urls.LEADERS, render(
            "pages/leaders.md", title="现任领导", site=site, leaders=current, indexed=True,
            description="、".join(f"{l.post}{l.name}" for l in current))))
        out.append(Generated(urls.FORMER_LEADERS, render(
            "pages/former_leaders.md", title="历任领导", site=site, posts=site.leaders_by_post(), indexed=True)))
    if "departments" in site.overview:
        departments = list(site.departments.values())
        out.append(Generated(urls.DEPARTMENTS, render(
            "pages/departments.md", title="机构设置", site=site, departments=departments, indexed=True,
            description="、".join(d.name for d in departments))))
    return out


def privacy_page(site: Site, site_name: str) -> list[Generated]:
    if site.privacy is None:
        return []
    return [Generated(urls.PRIVACY, render(
        "pages/privacy.md", title="个人信息处理规则", site=site, rules=site.privacy, site_name=site_name, indexed=True,
        description=f"{site_name}如何处理访问者的个人信息：收集什么、为什么、保存多久、向谁查询"))]


# --- news ------------------------------------------------------------------------


def _paginate(first: str, title: str, items: list, site: Site, count: str, links=(), feed: str = "",
              show_pinned: bool = False) -> list[Generated]:
    pages = max(1, -(-len(items) // PAGE_SIZE))
    return [
        _html_page(urls.paged(first, number),
            title if number == 1 else f"{title}（第 {number} 页）", render_xml(
                "pages/news_listing.html", site=site, here=urls.paged(first, number), count=count,
                links=list(links), feed=feed, items=items[(number - 1) * PAGE_SIZE: number * PAGE_SIZE],
                number=number, pages=pages, first=first, show_pinned=show_pinned))
        for number in range(1, pages + 1)
    ]


def news_listings(site: Site) -> list[Generated]:
    pinned = [n for n in site.news if n.pinned]
    ordered = pinned + [n for n in site.news if not n.pinned]  # pinned first, then newest first
    links = [(s.name, urls.src_of(s)) for s in site.sections.values()]
    links += [(f"{year}年", urls.archive(year)) for year in sorted(site.news_by_year, reverse=True)]
    out = _paginate(urls.NEWS, "工作动态", ordered, site, f"共 {len(site.news)} 条", links=links,
                    feed=urls.NEWS_FEED, show_pinned=True)
    for section in site.sections.values():
        items = site.news_by_section[section.id]
        count = f"{section.description}（共 {len(items)} 条）" if section.description else f"共 {len(items)} 条"
        if section.kind == "disclosure":  # 信息公开: one page, by year, each item with its files
            out.append(disclosure_page(site, section, items, count))
            continue
        out += _paginate(urls.src_of(section), section.name, items, site, count)
    for year, items in site.news_by_year.items():
        out += _paginate(urls.archive(year), f"{year}年工作动态", items, site, f"共 {len(items)} 条")
    return out


def disclosure_page(site: Site, section: m.Section, items: list, count: str) -> Generated:
    """A 信息公开 section (预决算公开): its items grouped by the year they disclose (`year:`, or
    the item's date), newest year first."""
    years: dict[int, list] = {}
    for item in items:
        years.setdefault(item.year or item.date.year, []).append(item)
    here = urls.src_of(section)
    return _html_page(here, section.name, render_xml(
        "pages/disclosure.html", site=site, here=here, count=count,
        years=sorted(years.items(), reverse=True)), description=section.description)


# --- notes -------------------------------------------------------------------------


def notes_pages(site: Site) -> list[Generated]:
    columns = [(c, site.notes_by_column[c.id]) for c in site.columns.values()]
    out = [Generated(urls.NOTES, render("pages/notes_index.md", title="学习笔记", site=site, columns=columns))]
    for column, series in columns:
        out.append(_html_page(urls.src_of(column), column.name, render_xml(
            "pages/column.html", site=site, here=urls.src_of(column), column=column, series=series),
            description=column.description))
    return out


# --- courses and instructors -----------------------------------------------------------


def course_pages(site: Site) -> list[Generated]:
    listed = [c for c in site.courses.values() if c.status != "retired"]
    groups = [(cat, [c for c in listed if c.category == cat]) for cat in m.COURSE_CATEGORIES]
    out = [Generated(urls.COURSES, render(
        "pages/courses_index.md", title="课程目录", site=site, groups=[g for g in groups if g[1]],
        active=sum(c.status == "active" for c in listed), trial=sum(c.status == "trial" for c in listed),
        retired=[c for c in site.courses.values() if c.status == "retired"]))]
    for course in site.courses.values():
        out.append(Generated(urls.src_of(course), render(
            "pages/course.md", title=course.title, description=course.summary, site=site, course=course,
            indexed=True)))
    return out


def instructor_pages(site: Site) -> list[Generated]:
    people = list(site.instructors.values())
    groups = []
    for kind in ("full-time", "part-time"):
        of_kind = [p for p in people if p.kind == kind]
        categories = [(cat, [p for p in of_kind if p.category == cat]) for cat in m.INSTRUCTOR_CATEGORIES]
        groups.append((kind, [c for c in categories if c[1]], len(of_kind)))
    out = [Generated(urls.INSTRUCTORS, render(
        "pages/instructors_index.md", title="师资库", site=site, groups=groups, total=len(people)))]
    for person in people:
        out.append(Generated(urls.src_of(person), render(
            "pages/instructor.md", title=person.name, description=person.bio, site=site, person=person, indexed=True,
            courses=site.courses_by_instructor.get(person.id, []),
            research=site.research_by_lead.get(person.id, []))))
    return out


# --- topics ------------------------------------------------------------------------


def topic_pages(site: Site) -> list[Generated]:
    rows = []

    def walk(topic_id: str, depth: int) -> None:
        items = site.topic_items(topic_id)
        rows.append((site.topics[topic_id], sum(len(v) for v in items.values()), depth))
        for child in site.children.get(topic_id, []):
            walk(child, depth + 1)

    for topic in site.topics.values():
        if topic.parent is None:
            walk(topic.id, 0)
    out = [Generated(urls.TOPICS, render("pages/topics_index.md", title="专题", site=site, rows=rows))]
    for topic in site.topics.values():
        out.append(_html_page(urls.src_of(topic), topic.name, render_xml(
            "pages/topic.html", site=site, here=urls.src_of(topic), topic=topic,
            parent=site.topics.get(topic.parent) if topic.parent else None,
            children=[site.topics[c] for c in site.children.get(topic.id, [])],
            items=site.topic_items(topic.id)), description=topic.description))
    return out


# --- statistics --------------------------------------------------------------------


@dataclass
class PeriodFigures:
    code: str
    label: str
    figures: dict
    halves: list = None
    previous: "PeriodFigures | None" = None
    charts: dict = None


def _period(site: Site, code: str) -> PeriodFigures:
    period = parse_period(code)
    return PeriodFigures(period.code, period.label, stats.figures(site, period))


def data_years(site: Site) -> list[int]:
    """Years with any training class, news item or research project, up to the build year."""
    years = {c.start.year for c in site.trainings.values()} | set(site.news_by_year)
    years |= {r.approved.year for r in site.research.values() if r.approved <= site.today}
    return sorted(y for y in years if y <= site.today.year)


def _chart(chart: charts.Chart):
    return render_xml("charts/chart.html", chart=chart)


def stats_pages(site: Site) -> list[Generated]:
    years = []
    for year in data_years(site):
        entry = _period(site, str(year))
        entry.halves = [_period(site, f"{year}H1"), _period(site, f"{year}H2")]
        entry.previous = years[-1] if years and years[-1].code == str(year - 1) else None
        f = entry.figures
        entry.charts = {
            "person_days": _chart(charts.bars(
                f"pd-{year}", f"{year}年各班型培训人天", "人天",
                [(name, t["person_days"]) for name, t in f["trainings"]["by_class_type"].items()])),
            "news": _chart(charts.stacked(
                f"news-{year}", f"{year}年各板块工作动态", "条", ["原创", "转载"],
                [(site.sections[s].name, [v["original"], v["repost"]])
                 for s, v in f["news"]["by_section_source"].items()])),
            "instructors": _chart(charts.bars(
                f"pool-{year}", f"{year}年末师资库各类别人数", "人", list(f["instructors"]["by_category"].items()))),
            "hours": _chart(charts.bars(
                f"hours-{year}", "课程目录各类别课时占比", "%",
                [(c, v * 100) for c, v in f["courses"]["hours_share"].items()], fmt=lambda v: f"{v:.1f}%")),
        }
        years.append(entry)
    overview = [
        _chart(charts.columns("trainees-by-year", "历年培训人次", "人次",
                              [(y.label, y.figures["trainings"]["all"]["trainees"]) for y in years])),
        _chart(charts.columns("news-by-year", "历年工作动态条数", "条",
                              [(y.label, y.figures["news"]["total"]) for y in years])),
        _chart(charts.columns("research-by-year", "历年科研课题立项", "项",
                              [(y.label, y.figures["research"]["approved"]) for y in years])),
    ]
    out = [_html_page(urls.STATS, "统计数据", render_xml(
        "pages/stats_index.html", site=site, years=years, charts=overview))]
    for entry in years:
        out.append(_html_page(f"stats/{entry.code}.md", f"{entry.label}统计", render_xml(
            "pages/stats_year.html", site=site, year=entry)))
    return out


def _html_page(src_uri: str, title: str, html: str, description: str = "") -> Generated:
    """A generated page whose body is HTML. Python-Markdown would re-parse a raw HTML block
    tag by tag (slower than rendering it), so the Markdown holds only the title and the HTML
    is added after conversion (`with_html`). A digest of the HTML in the Markdown makes the
    page count as changed whenever its HTML changes (for `mkdocs serve --dirty`)."""
    digest = hashlib.blake2b(html.encode("utf-8"), digest_size=8).hexdigest()
    return Generated(src_uri, render("pages/_html_page.md", title=title, description=description, digest=digest),
                     str(html))


def with_html(page_html: str, generated_html: str) -> str:
    """The converted page (its title) followed by the generated body."""
    return page_html + generated_html


# --- record pages: what surrounds the editor's text ------------------------------------------


_LAZY = re.compile(r"<img (?![^>]*\bloading=)")


def cover_variants(page: m.Page) -> list:
    if not getattr(page, "cover_file", ""):
        return []
    return images.variants(Path(page.cover_file), page.cover_name)


def cover_jobs(site: Site, unpublished: bool = False) -> list[images.Job]:
    """Every cover photo once, with the variants of every item that uses it (drafts' and
    future items' only in a preview: their covers are not published either)."""
    covers: dict[Path, list[str]] = {}
    for item in site.by_src.values():
        if getattr(item, "cover_file", "") and (unpublished or site.is_published(item)):
            covers.setdefault(Path(item.cover_file), []).append(item.cover_name)
    return images.jobs(covers)


def unshown_originals(site: Site, docs_dir: Path) -> set[str]:
    """Cover photographs (docs paths) that no page shows as they are: pages offer the resized
    variants only, so the original (often several MB) is not copied into site/ unless its own
    item's text shows it too (measured: 1 GB of copies per build at 5,000 items, every other one
    with a photo)."""
    docs_dir = docs_dir.resolve()
    out = set()
    for item in site.by_src.values():
        cover = Path(getattr(item, "cover_file", "") or ".")
        poster = getattr(getattr(item, "video", None), "poster_file", "")
        if cover.name and not item.cover_in_text and cover.is_relative_to(docs_dir) and str(cover) != poster:
            out.add(cover.relative_to(docs_dir).as_posix())
    return out


def derived_meta(page: m.Page | None) -> dict:
    """What the loader computed that a page prints as if written in its front matter: a
    bulletin's 期号 (content/pagecheck.py DERIVED_VARIABLES lets the check know it)."""
    return {"issue": page.issue} if isinstance(page, m.Bulletin) else {}


def is_template(markdown: str) -> bool:
    """Whether a page uses macros at all (most news items and notes do not)."""
    return "{{" in markdown or "{%" in markdown or "{#" in markdown


def credits(site: Site, page: m.Page) -> list[tuple[str, str]]:
    """What an article's end credits (label, text): 信息来源 (a department's name) and 摄影 as
    written; with `extra.publishing.show_review`, the review made public: 编辑 the author, 审核
    the first and second reviewers, 签发 the final one (三审: 初审, 复审, 终审)."""
    out = []
    department = getattr(page, "department", None)
    if department:
        out.append(("信息来源", site.departments[department].name if department in site.departments else department))
    if getattr(page, "photographer", None):
        out.append(("摄影", page.photographer))
    review = getattr(page, "review", None)
    if site.publishing.show_review and review is not None:
        if getattr(page, "author", None):
            out.append(("编辑", page.author))
        checked = [step.name for step in (review.first, review.second) if step is not None]
        if checked:
            out.append(("审核", "、".join(dict.fromkeys(checked))))
        if review.final is not None:
            out.append(("签发", review.final.name))
    return out


def frame(site: Site, page: m.Page, html: str) -> str:
    """A news item's or note's HTML with its header (date, section or column, reading time)
    under the title and its footer (topics, previous and next) at the end. Written as HTML
    after Markdown, so the editor's text is converted alone and the frame costs no parsing."""
    if not site.is_published(page):  # only a preview builds it: say so on the page
        html = str(render_xml("pages/frame_unpublished.html", page=page)) + html
    if isinstance(page, m.Bulletin):  # a document of its own: print styles apply to it
        return f'<div class="qc-bulletin">{html}</div>'
    before, after = site.neighbours(page)
    note = page if isinstance(page, m.Note) else None
    values = dict(site=site, page=page, item=page, note=note, before=before, after=after,
                  column=site.columns[page.column] if note else None,
                  cover=[] if getattr(page, "video", None) else cover_variants(page),  # a video's poster is its picture
                  credits=credits(site, page))
    # str(): the page's HTML is already HTML, and Markup + str would escape it
    header = str(render_xml("pages/frame_header.html", **values))
    footer = str(render_xml("pages/frame_footer.html", **values))
    html = _LAZY.sub("<img loading=\"lazy\" decoding=\"async\" ", html)  # images below the fold wait
    if isinstance(page, m.NewsItem):  # the video before the text, its transcript and the attachments after it
        header += media.video_html(page)
        footer = media.transcript_html(page) + media.attachments_html(page) + footer
    if html.lstrip().startswith("<h1"):  # the editor wrote a title: the header goes under it
        cut = html.find("</h1>") + len("</h1>")
        return html[:cut] + header + html[cut:] + footer
    return header + html + footer  # Material puts the title above


# --- feeds -------------------------------------------------------------------------


def _rfc822(day: dt.date) -> str:
    moment = dt.datetime.combine(day, dt.time(8, 0), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return email.utils.format_datetime(moment)


def _feed_items(site_url: str, pages: list[m.Page], category) -> list[dict]:
    return [
        {"title": p.title, "link": site_url + p.url, "pub": _rfc822(p.date),
         "summary": p.summary or "", "category": category(p)}
        for p in pages[:FEED_SIZE]
    ]


def feeds(site: Site, site_url: str, site_name: str) -> list[Generated]:
    """RSS 2.0 for the news and for each column, newest first, with absolute links."""
    base = site_url.rstrip("/") + "/"
    out = [Generated(urls.NEWS_FEED, render_xml(
        "feeds/rss.xml", title=f"{site_name} · 工作动态", link=base + "news/", feed_url=base + urls.NEWS_FEED,
        description=f"{site_name}工作动态", items=_feed_items(base, site.news, lambda p: site.sections[p.section].name),
    ))]
    for column in site.columns.values():
        newest = list(reversed(site.notes_by_column[column.id]))
        out.append(Generated(urls.column_feed(column.id), render_xml(
            "feeds/rss.xml", title=f"{site_name} · {column.name}", link=base + f"notes/{column.id}/",
            feed_url=base + urls.column_feed(column.id), description=column.description or column.name,
            items=_feed_items(base, newest, lambda p: column.name),
        )))
    return out
