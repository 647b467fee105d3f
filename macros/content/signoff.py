"""三审 sign-offs that mean something: with `extra.publishing.review_required`, every step a news
item or note names must be signed by a person allowed to sign that step, on a day.

    extra:
      publishing:
        review_required: true
        reviewers:
          first: [王晓燕]        # 初审；各板块、专栏的责任编辑（data/ 的 editor）也可以初审
          second: [许慧敏]       # 复审
          final: [林国栋]        # 终审

    review: {first: 张敏 2026-03-06, second: 许慧敏 2026-03-06, final: 林国栋 2026-03-07}

A step not yet signed is not a problem: the item waits (`review` lists it). A step signed by
someone not on the step's list, without a date, on a day after today or before the step
before it, or by the person who signed another step of the same item, is a problem: the
check and the build stop, in Chinese, with the file and line of the step.

The Git server is what makes a name more than typed text: only the people on `final` may
merge into `main` (OPERATIONS.md#review-server).
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from . import models as m
from .problems import closest
from .publishing import Publishing
from .validate import Collector, Where, is_placeholder


def editor_name(editor: str | None) -> str | None:
    """`办公室 张敏` → 张敏: a section's or column's editor is written with the department."""
    if not editor or not editor.split():
        return None
    return editor.split()[-1]


def allowed(settings: Publishing, step: str, owner_editor: str | None) -> tuple[str, ...]:
    """Who may sign `step` of an item whose section or column has `owner_editor`."""
    names = tuple(n for n in settings.reviewers.get(step, ()) if not is_placeholder(n))
    editor = editor_name(owner_editor) if step == "first" else None
    return names + ((editor,) if editor and editor not in names else ())


def check(out: Collector, settings: Publishing, config_file: str,
          pages: Iterable[tuple[m.Page, Where]], editors: dict[tuple[str, str], str | None],
          today: dt.date) -> None:
    """Report every sign-off that does not hold. `editors`: ("sections" | "columns", id) → the
    editor written in data/ (or None)."""
    if not settings.review_required:
        return
    for step in ("second", "final"):
        if not allowed(settings, step, None):
            label = m.REVIEW_STEPS[step]
            written = "、".join(settings.reviewers.get(step, ()))
            now = f"（现在写的是「{written}」）" if written else ""
            out.add(config_file, settings.line, "", f"reviewers.{step}",
                    f"要求三审（review_required: true），但还没有写可以{label}的人的姓名{now}：在 reviewers 里写 "
                    f"{step}: [姓名]，几个人用逗号隔开")
    for page, where in pages:
        if page.review is None:
            continue
        kind, owner = (("columns", page.column) if isinstance(page, m.Note)
                       else ("sections", getattr(page, "section", "")))
        owner_editor = editors.get((kind, owner))
        review_map = where.mapping.get("review")
        lines = getattr(review_map, "lines", {})
        signed: list[tuple[str, m.ReviewStep]] = []
        for step, label in m.REVIEW_STEPS.items():
            given = getattr(page.review, step)
            if given is None:
                continue
            line = lines.get(step, where.line_of("review"))
            field = f"review.{step}"
            names = allowed(settings, step, owner_editor)
            if names and given.name not in names:
                guess = closest(given.name, names)
                hint = f"是否是「{guess}」？" if guess else ""
                who = "、".join(names)
                by = ("mkdocs.yml 的 reviewers 名单或本" + ("专栏" if kind == "columns" else "板块") + "的责任编辑"
                      if step == "first" else f"mkdocs.yml 的 reviewers.{step}")
                out.add(where.file, line, page.title, field,
                        f"{label}人「{given.name}」不是可以{label}的人（{by}：{who}）。{hint}"
                        f"请由名单上的人{label}，或请管理员把这位同志加进名单")
            elif not names and step == "first" and (kind, owner) in editors:  # an unknown one is named already
                out.add(where.file, line, page.title, field,
                        f"没有人可以初审：本{'专栏' if kind == 'columns' else '板块'}在 data/ 里没有写责任编辑（editor），"
                        "mkdocs.yml 的 reviewers.first 也没有名单")
            if given.date is None:
                out.add(where.file, line, page.title, field,
                        f"{label}没有写日期：在姓名后面空一格写上{label}的日期，例如 {step}: {given.name} {today.isoformat()}")
            elif given.date > today >= page.date:  # an item of a later day is checked when its day comes
                out.add(where.file, line, page.title, field,
                        f"{label}日期 {given.date.isoformat()} 晚于今天（{today.isoformat()}）：签发的日子还没到，请写实际{label}的日期")
            signed.append((step, given))
        for (step_a, a), (step_b, b) in zip(signed, signed[1:]):
            line = lines.get(step_b, where.line_of("review"))
            if a.date and b.date and b.date < a.date:
                out.add(where.file, line, page.title, f"review.{step_b}",
                        f"{m.REVIEW_STEPS[step_b]}日期 {b.date.isoformat()} 早于{m.REVIEW_STEPS[step_a]}日期 "
                        f"{a.date.isoformat()}：三审按初审、复审、终审的顺序进行，请核对日期")
        seen: dict[str, str] = {}
        for step, given in signed:
            if given.name in seen:
                line = lines.get(step, where.line_of("review"))
                out.add(where.file, line, page.title, f"review.{step}",
                        f"「{given.name}」既{m.REVIEW_STEPS[seen[given.name]]}又{m.REVIEW_STEPS[step]}："
                        "三审的每一步要由不同的人签发")
            else:
                seen[given.name] = step
