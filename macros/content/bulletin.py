"""The 报头 and 报尾 of the printed bulletins: mkdocs.yml → `extra: bulletin:`, read without MkDocs.

    extra:
      bulletin:
        name: 党校工作简报                  # 简报名称（报头，红色大字）
        issuer: 中共青川市委党校办公室      # 编发单位（不写则用 filing 的主办单位）
        report_to: [市委办公室, 市委组织部]  # 报：上级机关
        copy_to: [市委宣传部]               # 送：平级和不相隶属的单位
        issue_to: [各教研部、处室]          # 发：下级单位
        copies: 60                          # 共印份数

A bulletin's front matter may write `report_to`, `copy_to`, `issue_to` or `copies` for that
issue alone, and `note:` (编者按). Its numbers (第N期 of its year, 总第N期) are never written:
`number()` counts them from the bulletins' order by date.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import config as configuration
from . import models as m
from .validate import Collector, validate
from .yamlsrc import Mapping

KEY = "bulletin"


def read(root: Path, out, config_file: str = "mkdocs.yml") -> m.BulletinSettings:
    """The settings (defaults when the section is absent); problems go to `out` (a Collector)."""
    settings = configuration.read(root, config_file)
    extra = settings.data.get("extra") if settings.readable else None
    section = extra.get(KEY) if isinstance(extra, Mapping) else None
    if section is None:
        return m.BulletinSettings()
    mine = Collector(out.root)
    record = validate(mine, m.BulletinSettings, section, config_file, extra.lines.get(KEY, extra.line))
    for problem in mine.problems:  # the field as mkdocs.yml nests it: extra.bulletin.copies
        out.add(problem.file, problem.line, "", f"extra.{KEY}.{problem.field}" if problem.field else f"extra.{KEY}",
                problem.message)
    return record or m.BulletinSettings()


def number(bulletins: list[m.Bulletin]) -> None:
    """Set `total` (总第N期) and `number` (第N期 of the year) on the bulletins that are not
    drafts, in the order of their dates (then file names)."""
    by_year: dict[int, int] = {}
    for total, bulletin in enumerate(sorted((b for b in bulletins if not b.draft), key=lambda b: (b.date, b.file)), 1):
        bulletin.total = total
        by_year[bulletin.date.year] = bulletin.number = by_year.get(bulletin.date.year, 0) + 1


@dataclass(frozen=True)
class Imprint:
    """Everything a printed bulletin shows around its text."""

    name: str          # 党校工作简报
    issuer: str        # 编发单位
    year: int
    number: int        # 第N期
    total: int         # 总第N期
    date: str          # 2026年12月1日
    note: str          # 编者按, or ""
    report_to: tuple[str, ...]
    copy_to: tuple[str, ...]
    issue_to: tuple[str, ...]
    copies: int | None

    @property
    def issue_line(self) -> str:
        return f"第{self.number}期（总第{self.total}期）"


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def imprint(settings: m.BulletinSettings, bulletin: m.Bulletin, sponsor: str = "") -> Imprint:
    """The settings with the bulletin's own overrides."""
    def pick(key: str):
        own = getattr(bulletin, key)
        return own if own is not None else getattr(settings, key)
    return Imprint(
        name=settings.name, issuer=settings.issuer or sponsor, year=bulletin.date.year,
        number=bulletin.number, total=bulletin.total, date=chinese_date(bulletin.date), note=bulletin.note or "",
        report_to=tuple(pick("report_to")), copy_to=tuple(pick("copy_to")), issue_to=tuple(pick("issue_to")),
        copies=pick("copies"),
    )
