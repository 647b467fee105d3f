"""The index, built once per build: records by id, by topic, by column, cross-links.

Everything that pages, macros and figures need is looked up here; nothing
re-reads files or re-sorts lists per page.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field

from ..content import models as m
from ..content.publishing import Publishing


TOPIC_KINDS = ("news", "notes", "courses", "instructors", "research", "trainings")


def published(page: m.Page, today: dt.date) -> bool:
    """A draft, an item dated after the build day, or one still waiting for review (when
    mkdocs.yml requires it) is published nowhere and counts nowhere."""
    return not page.draft and page.date <= today and not getattr(page, "waiting", None)


def by_id(records) -> dict:
    return {record.id: record for record in records}


def _by_post(leaders) -> list[m.Leader]:
    """Grouped by post, in the order the posts first appear, each post's holders by start."""
    order: dict[str, int] = {}
    for leader in leaders:
        order.setdefault(leader.post, len(order))
    return sorted(leaders, key=lambda l: (order[l.post], l.start))


@dataclass
class Site:
    today: dt.date
    sections: dict[str, m.Section]
    columns: dict[str, m.Column]
    topics: dict[str, m.Topic]
    courses: dict[str, m.Course]
    instructors: dict[str, m.Instructor]
    trainings: dict[str, m.Training]  # held: started on or before today
    research: dict[str, m.Research]
    news: list[m.NewsItem]  # published, newest first
    notes: list[m.Note]  # published, newest first
    bulletins: list[m.Bulletin]  # published, by issue number
    unpublished: list[m.Page] = field(default_factory=list)  # drafts and future items
    notes_by_column: dict[str, list[m.Note]] = field(default_factory=dict)  # series order
    courses_by_instructor: dict[str, list[m.Course]] = field(default_factory=dict)
    research_by_lead: dict[str, list[m.Research]] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)  # topic id → sub-topic ids
    # topic id → kind ("news", "notes", "courses", "instructors", "research", "trainings") → records
    by_topic: dict[str, dict[str, list]] = field(default_factory=dict)
    news_by_section: dict[str, list[m.NewsItem]] = field(default_factory=dict)  # newest first
    news_by_year: dict[int, list[m.NewsItem]] = field(default_factory=dict)  # newest first
    news_oldest_first: list[m.NewsItem] = field(default_factory=list)
    position: dict[int, int] = field(default_factory=dict)  # id(page) → index in its series
    by_src: dict[str, m.Page] = field(default_factory=dict)  # docs path → published record
    publishing: Publishing = field(default_factory=Publishing)  # mkdocs.yml extra.publishing
    terms: tuple[m.Term, ...] = ()  # data/terms.yaml
    bulletin: m.BulletinSettings = field(default_factory=m.BulletinSettings)  # mkdocs.yml extra.bulletin
    departments: dict[str, m.Department] = field(default_factory=dict)  # data/departments.yaml, in order
    leaders: list[m.Leader] = field(default_factory=list)  # data/leaders.yaml, by post as written, then start
    privacy: m.Privacy | None = None  # mkdocs.yml extra.privacy
    overview: frozenset[str] = frozenset()  # "leaders", "departments": the data files the school keeps (pages)

    @classmethod
    def build(cls, *, today, publishing=None, terms=(), bulletin=None, departments=(), leaders=(), privacy=None,
              overview=frozenset(),
              sections, columns, topics, courses, instructors, trainings, research,
              news, notes, bulletins) -> "Site":
        is_published = functools.partial(published, today=today)
        newest = lambda page: (page.date, page.file)  # noqa: E731
        site = cls(
            today=today,
            sections=by_id(sections), columns=by_id(columns), topics=by_id(topics),
            courses=by_id(courses), instructors=by_id(instructors),
            trainings=by_id(sorted((t for t in trainings if t.start <= today), key=lambda t: (t.start, t.id))),
            research=by_id(research),
            news=sorted(filter(is_published, news), key=newest, reverse=True),
            notes=sorted(filter(is_published, notes), key=newest, reverse=True),
            bulletins=sorted(filter(is_published, bulletins), key=lambda b: b.issue),
            unpublished=[p for p in [*news, *notes, *bulletins] if not is_published(p)],
            publishing=publishing or Publishing(), terms=tuple(terms), bulletin=bulletin or m.BulletinSettings(),
            departments=by_id(sorted(departments, key=lambda d: d.order if d.order is not None else 10**6)),
            leaders=_by_post(leaders), privacy=privacy, overview=frozenset(overview),
        )
        for column in site.columns:
            site.notes_by_column[column] = []
        for note in reversed(site.notes):
            series = site.notes_by_column.setdefault(note.column, [])
            series.append(note)
            note.number = len(series)
        for course in site.courses.values():
            for instructor in course.instructors:
                site.courses_by_instructor.setdefault(instructor, []).append(course)
        for project in site.research.values():
            site.research_by_lead.setdefault(project.lead, []).append(project)
        children = defaultdict(list)
        for topic in site.topics.values():
            if topic.parent:
                children[topic.parent].append(topic.id)
        site.children = dict(children)
        site.by_topic = {t: {kind: [] for kind in TOPIC_KINDS} for t in site.topics}
        tagged = [
            ("news", site.news, "topics"), ("notes", site.notes, "topics"),
            ("courses", site.courses.values(), "topics"), ("instructors", site.instructors.values(), "expertise"),
            ("research", site.research.values(), "topics"), ("trainings", site.trainings.values(), "topics"),
        ]
        for kind, records, key in tagged:
            for record in records:
                for topic in getattr(record, key):
                    site.by_topic[topic][kind].append(record)
        site.news_by_section = {s: [] for s in site.sections}
        for item in site.news:
            site.news_by_section[item.section].append(item)
            site.news_by_year.setdefault(item.date.year, []).append(item)
        site.news_oldest_first = list(reversed(site.news))
        site.by_src = {page.src: page for page in [*site.news, *site.notes, *site.bulletins, *site.unpublished]}
        for series in [site.news_oldest_first, *site.notes_by_column.values()]:
            site.position.update({id(page): i for i, page in enumerate(series)})
        return site

    def current_leaders(self) -> list[m.Leader]:
        """Who holds each post today, posts in the order the file first names them."""
        return [leader for leader in self.leaders if leader.holds(self.today)]

    def leaders_by_post(self) -> list[tuple[str, list[m.Leader]]]:
        """Every post with all its holders up to today, the latest first (历任领导)."""
        posts: dict[str, list[m.Leader]] = {}
        for leader in self.leaders:
            if leader.start <= self.today:
                posts.setdefault(leader.post, []).append(leader)
        return [(post, sorted(held, key=lambda l: l.start, reverse=True)) for post, held in posts.items()]

    def topic_items(self, topic: str) -> dict[str, list]:
        """Everything on a topic, its sub-topics' items included (each record once)."""
        merged = {kind: list(records) for kind, records in self.by_topic[topic].items()}
        for child in self.descendants(topic):
            for kind, records in self.by_topic[child].items():
                seen = {id(r) for r in merged[kind]}
                merged[kind] += [r for r in records if id(r) not in seen]
        return merged

    def descendants(self, topic: str) -> list[str]:
        found, queue = [], list(self.children.get(topic, []))
        while queue:
            child = queue.pop(0)
            found.append(child)
            queue += self.children.get(child, [])
        return found

    def neighbours(self, page: m.Page) -> tuple[m.Page | None, m.Page | None]:
        """(previous, next) in time: among all news, or among the notes of the page's column."""
        if id(page) not in self.position:  # a draft shown in a preview has no place in a series
            return None, None
        series = self.notes_by_column[page.column] if isinstance(page, m.Note) else self.news_oldest_first
        index = self.position[id(page)]
        return (series[index - 1] if index > 0 else None,
                series[index + 1] if index + 1 < len(series) else None)

    def is_published(self, page: m.Page) -> bool:
        return published(page, self.today)

    def drafts(self) -> list[m.Page]:
        return [p for p in self.unpublished if p.draft]

    def waiting(self) -> list[m.Page]:
        """Items that are not drafts but still wait for a review step (三审)."""
        return [p for p in self.unpublished if not p.draft and getattr(p, "waiting", None)]

    def scheduled(self) -> list[m.Page]:
        """Items whose date has not come yet (published by a later build)."""
        return [p for p in self.unpublished if not p.draft and not getattr(p, "waiting", None)]

    def summary(self) -> str:
        """One line for `python -m macros check`."""
        def count(kind) -> str:
            held = [p for p in self.unpublished if isinstance(p, kind)]
            drafts = sum(p.draft for p in held)
            waiting = sum(1 for p in held if not p.draft and getattr(p, "waiting", None))
            future = len(held) - drafts - waiting
            pending = f"、待审 {waiting}" if self.publishing.review_required else ""
            return f"（另有草稿 {drafts}{pending}、未到发布日期 {future}）" if held else ""

        return (
            f"检查通过：新闻 {len(self.news)} 条{count(m.NewsItem)}，"
            f"学习笔记 {len(self.notes)} 篇{count(m.Note)}，简报 {len(self.bulletins)} 期{count(m.Bulletin)}，"
            f"课程 {len(self.courses)} 门，师资 {len(self.instructors)} 人，"
            f"培训班次 {len(self.trainings)} 个，科研课题 {len(self.research)} 项，"
            f"板块 {len(self.sections)} 个，专栏 {len(self.columns)} 个，专题 {len(self.topics)} 个；没有发现问题。"
        )
