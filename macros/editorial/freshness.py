"""Which news sections are overdue: `python -m macros freshness`.

Each section promises a news item at least every `update_every_days` days (by default
14 for a news-type section, 180 for a notice-type one: `Section.interval`). A
section is overdue when more days than that have passed since its newest
published item (drafts and items dated after `site.today` do not count: readers
cannot see them), or when it has never published one. Sections keep the order
of data/sections.yaml, the order editors know them in.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..content import models as m
from ..index.site import Site


@dataclass(frozen=True)
class Overdue:
    """One section that has gone too long without news."""

    section: m.Section
    days: int | None  # days since its newest published item; None if it never had one
    last: dt.date | None  # the date of that item
    limit: int  # update_every_days

    @property
    def editor(self) -> str | None:
        return self.section.editor

    def line(self) -> str:
        name = f"板块「{self.section.name}」（{self.section.id}）"
        if self.days is None:
            state = "还没有发布过新闻"
        else:
            state = f"已 {self.days} 天没有更新（最近一条是 {self.last.isoformat()}）"
        editor = self.editor or "未指定（可在 data/sections.yaml 中填写 editor）"
        return f"{name}{state}，要求每 {self.limit} 天至少更新一次；责任编辑：{editor}"

    def as_dict(self) -> dict:
        return {
            "section": self.section.id,
            "name": self.section.name,
            "days": self.days,
            "last": self.last.isoformat() if self.last else None,
            "limit": self.limit,
            "editor": self.editor,
        }


def late(section: m.Section, last: dt.date | None, today: dt.date) -> Overdue | None:
    """The section as overdue on `today`, its newest published item dated `last`; else None.
    The one rule, for the index (`overdue`) and for the live site's release.json (health.py)."""
    days = (today - last).days if last else None
    if days is None or days > section.interval:
        return Overdue(section, days, last, section.interval)
    return None


def newest(site: Site) -> list[tuple[m.Section, dt.date | None]]:
    """Each section with the date of its newest published item, in the order of data/sections.yaml."""
    return [(section, items[0].date if (items := site.news_by_section.get(section.id, [])) else None)
            for section in site.sections.values()]  # published, newest first


def overdue(site: Site) -> list[Overdue]:
    """Every overdue section as of `site.today`, in the order of data/sections.yaml."""
    return [found for section, last in newest(site) if (found := late(section, last, site.today))]


def report(site: Site) -> str:
    """The Chinese report: one line per overdue section, then a summary line."""
    late = overdue(site)
    total = len(site.sections)
    day = site.today.isoformat()
    if not late:
        return f"全部 {total} 个板块都在更新期限内（按 {day} 计算）。"
    lines = [item.line() for item in late]
    lines.append(f"共 {total} 个板块，其中 {len(late)} 个超过更新期限（按 {day} 计算），请责任编辑及时补充新闻。")
    return "\n".join(lines)


def as_json(site: Site) -> dict:
    return {
        "today": site.today.isoformat(),
        "sections": len(site.sections),
        "overdue": [item.as_dict() for item in overdue(site)],
    }
