"""Figures for a period, from the index only.

This is the one computation behind the statistics pages, the bulletins and
`python -m macros stats --json`. The shape of the result is fixed by
shared/spec/content-model.md (keys may be added, never renamed).
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from ..content import models as m
from ..content.periods import Period, parse
from .site import Site

TRAINING_TYPES = ("main", "social")
SOURCES = ("original", "repost")
KINDS = ("full-time", "part-time")


def figures(site: Site, period: Period | str) -> dict:
    period = parse(period) if isinstance(period, str) else period
    return {
        "period": period.code,
        "label": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "trainings": trainings(site, period),
        "news": news(site, period),
        "notes": notes(site, period),
        "instructors": instructors(site, period),
        "courses": courses(site, period),
        "research": research(site, period),
    }


def class_figures(classes: Iterable[m.Training]) -> dict:
    classes = list(classes)
    rated = [c for c in classes if c.satisfaction is not None]
    rated_trainees = sum(c.trainees for c in rated)
    return {
        "classes": len(classes),
        "trainees": sum(c.trainees for c in classes),
        "days": sum(c.days for c in classes),
        "person_days": sum(c.trainees * c.days for c in classes),
        # trainee-weighted mean over the classes that were rated
        "satisfaction": (sum(c.satisfaction * c.trainees for c in rated) / rated_trainees)
        if rated_trainees else None,
    }


def trainings(site: Site, period: Period) -> dict:
    held = [c for c in site.trainings.values() if c.start in period]
    class_types = dict.fromkeys(c.class_type for c in held)  # in order of first class
    return {
        "all": class_figures(held),
        "by_type": {t: class_figures(c for c in held if c.type == t) for t in TRAINING_TYPES},
        "by_class_type": {t: class_figures(c for c in held if c.class_type == t) for t in class_types},
    }


def news(site: Site, period: Period) -> dict:
    items = [n for n in site.news if n.date in period]
    return {
        "total": len(items),
        "original": sum(n.source == "original" for n in items),
        "repost": sum(n.source == "repost" for n in items),
        "by_section": {s: sum(n.section == s for n in items) for s in site.sections},
        "by_section_source": {
            s: {src: sum(n.section == s and n.source == src for n in items) for src in SOURCES}
            for s in site.sections
        },
        # files published with the items (附件: PDF, DOCX …), by type, in the order of models.ATTACHMENT_TYPES
        "attachments": sum(len(n.attachments) for n in items),
        "attachments_by_type": {t: sum(a.type == t for n in items for a in n.attachments)
                                for t in m.ATTACHMENT_TYPES.values()},
    }


def notes(site: Site, period: Period) -> dict:
    items = [n for n in site.notes if n.date in period]
    return {"total": len(items), "by_column": {c: sum(n.column == c for n in items) for c in site.columns}}


def instructors(site: Site, period: Period) -> dict:
    """The pool at the end of the period; `joined` is a year, taken as 1 January of it."""
    last = min(period.end, site.today)
    pool = [i for i in site.instructors.values() if dt.date(i.joined, 1, 1) <= last]
    joined = [i for i in pool if dt.date(i.joined, 1, 1) in period]
    categories = [c for c in m.INSTRUCTOR_CATEGORIES if any(i.category == c for i in pool)]
    return {
        "total": len(pool),
        "joined": len(joined),
        "by_kind": {k: sum(i.kind == k for i in pool) for k in KINDS},
        "by_category": {c: sum(i.category == c for i in pool) for c in categories},
    }


def courses(site: Site, period: Period) -> dict:
    """The catalog as it stands. A course's status is only known as it is now (no history is
    kept), so rebuilding a past catalog from `since` would mix today's status with old years."""
    listed = list(site.courses.values())
    active = [c for c in listed if c.status == "active"]
    categories = [c for c in m.COURSE_CATEGORIES if any(x.category == c for x in active)]
    hours = sum(c.hours for c in active)
    by_hours = {cat: sum(c.hours for c in active if c.category == cat) for cat in categories}
    share = {cat: (h / hours if hours else 0.0) for cat, h in by_hours.items()}
    return {
        "active": len(active),
        "trial": sum(c.status == "trial" for c in listed),
        "retired": sum(c.status == "retired" for c in listed),
        "by_category": {cat: sum(c.category == cat for c in active) for cat in categories},
        "hours": hours,
        "hours_by_category": by_hours,
        "hours_share": share,
        # the school reports 理论教育 and 党性教育 together
        "hours_share_theory_and_party_spirit": (by_hours.get("理论教育", 0) + by_hours.get("党性教育", 0)) / hours
        if hours else 0.0,
    }


def research(site: Site, period: Period) -> dict:
    def within(day: dt.date | None) -> bool:
        return day is not None and day in period and day <= site.today

    projects = list(site.research.values())
    approved = [p for p in projects if within(p.approved)]
    completed = [p for p in projects if within(p.completed)]
    awarded = [p for p in projects if p.award and within(p.award.date)]
    levels = [lv for lv in m.RESEARCH_LEVELS if any(p.level == lv for p in approved + completed + awarded)]
    return {
        "approved": len(approved),
        "completed": len(completed),
        "awarded": len(awarded),
        "by_level": {
            lv: {
                "approved": sum(p.level == lv for p in approved),
                "completed": sum(p.level == lv for p in completed),
                "awarded": sum(p.level == lv for p in awarded),
            }
            for lv in levels
        },
    }


def columns(site: Site, period: Period) -> dict:
    """Study-note columns (专栏) open at the end of the period (by `started`), and those opened in it."""
    last = min(period.end, site.today)
    open_ = [c for c in site.columns.values() if c.started <= last]
    return {"maintained": len(open_), "opened": sum(c.started in period for c in open_),
            "opened_ids": [c.id for c in open_ if c.started in period]}


def topic_started(site: Site) -> dict[str, dt.date]:
    """A topic (专题) has no date of its own: it is taken as open from its first published news
    item or note (its sub-topics' included); a topic with none has no date and is left out."""
    started = {}
    for topic in site.topics:
        items = site.topic_items(topic)
        dates = [page.date for page in items["news"] + items["notes"]]
        if dates:
            started[topic] = min(dates)
    return started


def topics(site: Site, period: Period) -> dict:
    """Topics open at the end of the period, those opened in it, and those with nothing dated yet."""
    last = min(period.end, site.today)
    started = topic_started(site)
    open_ = [t for t, day in started.items() if day <= last]
    return {"maintained": len(open_), "opened": sum(started[t] in period for t in open_),
            "opened_ids": [t for t in open_ if started[t] in period],
            "undated": [t for t in site.topics if t not in started]}


def change(now: float | int | None, before: float | int | None) -> str:
    """Year-over-year change as a reader says it: 增长 12.5%、下降 3.0%、持平."""
    if not before or now is None:
        return "—"
    ratio = (now - before) / before
    if abs(ratio) < 0.0005:
        return "持平"
    return f"{'增长' if ratio > 0 else '下降'} {abs(ratio) * 100:.1f}%"
