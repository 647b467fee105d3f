"""Where each record and listing lives, as a path under docs/ (real or generated).

MkDocs turns `courses/ershida.md` into /courses/ershida/ and resolves links written
as `/courses/ershida.md`, so templates link to these paths and MkDocs checks every
link at build time.
"""
from __future__ import annotations

from ..content import models as m

NEWS = "news/index.md"
NOTES = "notes/index.md"
COURSES = "courses/index.md"
INSTRUCTORS = "instructors/index.md"
TOPICS = "topics/index.md"
BULLETINS = "bulletins/index.md"
STATS = "stats/index.md"
SEARCH = "search/index.md"
ABOUT = "about/index.md"  # 学校概况: the school's own prose (简介)
LEADERS = "about/leaders.md"  # 现任领导, from data/leaders.yaml
FORMER_LEADERS = "about/former-leaders.md"  # 历任领导
DEPARTMENTS = "about/departments.md"  # 机构设置, from data/departments.yaml
PRIVACY = "privacy.md"  # 个人信息处理规则, from mkdocs.yml extra.privacy; linked from every footer


def src_of(record) -> str:
    """The docs path of a record's page."""
    if isinstance(record, m.Page):
        return record.src
    if isinstance(record, m.Course):
        return f"courses/{record.id}.md"
    if isinstance(record, m.Instructor):
        return f"instructors/{record.id}.md"
    if isinstance(record, m.Topic):
        return f"topics/{record.id}.md"
    if isinstance(record, m.Section):
        return f"news/section/{record.id}.md"
    if isinstance(record, m.Column):
        return f"notes/{record.id}/index.md"
    if isinstance(record, m.Department):
        return DEPARTMENTS
    raise TypeError(f"no page for {type(record).__name__}")


def archive(year: int) -> str:
    return f"news/archive/{year}.md"


def paged(first: str, number: int) -> str:
    """Page `number` of a listing whose first page is `first` (news/index.md → news/page/2.md)."""
    if number == 1:
        return first
    base = first[: -len("/index.md")] if first.endswith("/index.md") else first[: -len(".md")]
    return f"{base}/page/{number}.md"


def column_feed(column_id: str) -> str:
    return f"notes/{column_id}/feed.xml"


NEWS_FEED = "news/feed.xml"
