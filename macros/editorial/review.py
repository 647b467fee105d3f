"""`python -m macros review`: what waits for whom (三审：初审、复审、终审).

With `extra.publishing.review_required: true` in mkdocs.yml, a news item or note is published
only when its front matter names all three reviewers; until then it waits for the first step
it lacks. Drafts are not waiting for anyone: their editor has not finished them.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..content import models as m, signoff
from ..index.site import Site


def waiting(site: Site) -> list[m.Page]:
    return sorted(site.waiting(), key=lambda p: (p.date, p.file))


def reviewer(site: Site, page: m.Page, step: str) -> str:
    """Who may sign off `step`: the names in mkdocs.yml, and for a first review also the
    section's or column's editor (content/signoff.py decides; this only says it)."""
    owner = site.sections.get(getattr(page, "section", "")) or site.columns.get(getattr(page, "column", ""))
    names = signoff.allowed(site.publishing, step, owner.editor if owner is not None else None)
    return "、".join(names) or "未指定（可在 mkdocs.yml 的 extra: publishing: reviewers 中填写）"


def _done(page: m.Page) -> str:
    review = page.review
    signed = [f"{label} {getattr(review, step).name}" for step, label in m.REVIEW_STEPS.items()
              if review is not None and getattr(review, step) is not None]
    return "已" + "、".join(signed) if signed else "还没有任何审核"


def line_of_review(root: Path, page: m.Page) -> int:
    """The line of `review:` in the item's file, or 1 (the front matter) if it has none."""
    path = root / page.file
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.match(r"review\s*:", line):
            return number
        if number > 1 and line.strip() == "---":
            break
    return 1


def pending(site: Site, page: m.Page) -> str:
    """One line for `check` and `inspect`: what the item lacks, and who signs it off next."""
    missing = "、".join(m.REVIEW_STEPS[s] for s in page.waiting)
    step = page.waiting[0]
    return (f"《{page.title}》还缺{missing}（{m.REVIEW_STEPS[step]}人：{reviewer(site, page, step)}），"
            "审核通过前不会发布")


def report(site: Site) -> str:
    day = site.today.isoformat()
    if not site.publishing.review_required:
        return ("mkdocs.yml 没有要求审核（extra: publishing: review_required: true），"
                f"新闻和笔记到日期即发布（按 {day} 计算）。")
    items = waiting(site)
    if not items:
        return f"没有待审的新闻和学习笔记（按 {day} 计算）。"
    lines = []
    for step, label in m.REVIEW_STEPS.items():
        mine = [p for p in items if p.waiting[0] == step]
        if not mine:
            continue
        lines.append(f"等待{label}：{len(mine)} 条")
        for page in mine:
            missing = "、".join(m.REVIEW_STEPS[s] for s in page.waiting)
            lines.append(f"  {page.file}：《{page.title}》（{page.date.isoformat()}），"
                         f"{_done(page)}，还缺{missing}；{label}人：{reviewer(site, page, step)}")
    lines.append(f"共 {len(items)} 条待审（按 {day} 计算），审核通过前不会发布。")
    return "\n".join(lines)


def as_json(site: Site) -> dict:
    return {
        "today": site.today.isoformat(),
        "review_required": site.publishing.review_required,
        "waiting": [{
            "file": p.file, "title": p.title, "date": p.date.isoformat(), "missing": p.waiting,
            "next": p.waiting[0], "reviewer": reviewer(site, p, p.waiting[0]),
        } for p in waiting(site)],
    }
