"""Which pages exist: records' own files, the pages generated per record and per listing,
and the feeds. All from the index; nothing here knows MkDocs.

Every listing is generated in one pass over the index, so the work grows linearly with the
number of items (Material's blog plugin checks each page against the list of all posts).
"""
from __future__ import annotations

import datetime as dt
import email.utils
from dataclasses import dataclass

from . import models as m
from . import urls
from .periods import parse as parse_period
from .render import render, render_xml
from .site import Site

PAGE_SIZE = 20  # news items per listing page
FEED_SIZE = 20  # newest items in a feed


@dataclass(frozen=True)
class Generated:
    """A file the build adds: a Markdown page or a feed, at a path under docs/."""

    src_uri: str
    content: str


def destinations(site: Site) -> dict[str, str]:
    """Source path (relative to docs/) → destination path in site/, for published records."""
    return {page.src: page.url + "index.html" for page in [*site.news, *site.notes, *site.bulletins]}


def withheld(site: Site) -> set[str]:
    """Source paths (relative to docs/) that must not be published by this build."""
    return {page.src for page in site.unpublished}


def generate(site: Site, site_url: str, site_name: str) -> list[Generated]:
    return [
        *news_listings(site),
        *notes_pages(site),
        *course_pages(site),
        *instructor_pages(site),
        *topic_pages(site),
        Generated(urls.BULLETINS, render("pages/bulletins_index.md", title="工作简报", site=site,
                                         bulletins=site.bulletins,
                                         labels={b.issue: parse_period(b.period).label for b in site.bulletins})),
        *feeds(site, site_url, site_name),
    ]


# --- news ------------------------------------------------------------------------


def _paginate(first: str, title: str, items: list, site: Site, intro: str = "", links=(),
              show_pinned: bool = False) -> list[Generated]:
    pages = max(1, -(-len(items) // PAGE_SIZE))
    return [
        Generated(urls.paged(first, number), render(
            "pages/news_listing.md", site=site, title=title if number == 1 else f"{title}（第 {number} 页）",
            intro=intro, links=list(links), items=items[(number - 1) * PAGE_SIZE: number * PAGE_SIZE],
            number=number, pages=pages, first=first, show_pinned=show_pinned,
        ))
        for number in range(1, pages + 1)
    ]


def news_listings(site: Site) -> list[Generated]:
    pinned = [n for n in site.news if n.pinned]
    ordered = pinned + [n for n in site.news if not n.pinned]  # pinned first, then newest first
    links = [(s.name, urls.src_of(s)) for s in site.sections.values()]
    links += [(f"{year}年", urls.archive(year)) for year in sorted(site.news_by_year, reverse=True)]
    out = _paginate(urls.NEWS, "工作动态", ordered, site, links=links, show_pinned=True,
                    intro=f"共 {len(site.news)} 条 · [订阅 RSS](/{urls.NEWS_FEED})")
    for section in site.sections.values():
        items = site.news_by_section[section.id]
        out += _paginate(urls.src_of(section), section.name, items, site,
                         intro=f"{section.description}（共 {len(items)} 条）" if section.description
                         else f"共 {len(items)} 条")
    for year, items in site.news_by_year.items():
        out += _paginate(urls.archive(year), f"{year}年工作动态", items, site, intro=f"共 {len(items)} 条")
    return out


# --- notes -------------------------------------------------------------------------


def notes_pages(site: Site) -> list[Generated]:
    columns = [(c, site.notes_by_column[c.id]) for c in site.columns.values()]
    out = [Generated(urls.NOTES, render("pages/notes_index.md", title="学习笔记", site=site, columns=columns))]
    for column, series in columns:
        out.append(Generated(urls.src_of(column), render(
            "pages/column.md", title=column.name, description=column.description, site=site,
            column=column, series=series)))
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
            "pages/course.md", title=course.title, description=course.summary, site=site, course=course)))
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
            "pages/instructor.md", title=person.name, description=person.bio, site=site, person=person,
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
        out.append(Generated(urls.src_of(topic), render(
            "pages/topic.md", title=topic.name, description=topic.description, site=site, topic=topic,
            parent=site.topics.get(topic.parent) if topic.parent else None,
            children=[site.topics[c] for c in site.children.get(topic.id, [])],
            items=site.topic_items(topic.id))))
    return out


# --- record pages: what surrounds the editor's text ------------------------------------------


def is_template(markdown: str) -> bool:
    """Whether a page uses macros at all (most news items and notes do not)."""
    return "{{" in markdown or "{%" in markdown or "{#" in markdown


def frame(site: Site, page: m.Page, html: str) -> str:
    """A news item's or note's HTML with its header (date, section or column, reading time)
    under the title and its footer (topics, previous and next) at the end. Written as HTML
    after Markdown, so the editor's text is converted alone and the frame costs no parsing."""
    before, after = site.neighbours(page)
    note = page if isinstance(page, m.Note) else None
    values = dict(site=site, page=page, item=page, note=note, before=before, after=after,
                  column=site.columns[page.column] if note else None)
    header = render_xml("pages/frame_header.html", **values)
    footer = render_xml("pages/frame_footer.html", **values)
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
