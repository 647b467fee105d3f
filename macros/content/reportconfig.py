"""`mkdocs.yml` → `extra: report:`, the settings of the 政府网站工作年度报表 (`annual-report`).

    extra:
      report:
        classes:                      # 信息发布的三类：每个新闻板块属于哪一类
          概况类: []
          政务动态: [school-news, teaching, 科研咨政]   # 板块的编号或名称
          信息公开目录: [notices]

The form counts 信息发布 in three classes; which news section belongs to which is the school's
choice, written here once. A class name or a section id that does not exist is a content problem
(file, line, what was written, the closest valid value), reported by `check` and the build with
every other problem, so a mistake is found the day it is written, not on the day of the report.
Knows nothing of MkDocs: the file is read by `config.py`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from . import config as configuration
from .problems import Problem, closest, shown
from .yamlsrc import Mapping

KEY = "extra.report"
CLASSES = ("概况类", "政务动态", "信息公开目录")
EXAMPLE = ("extra:\n  report:\n    classes:\n      概况类: []\n      政务动态: [school-news, teaching]\n"
           "      信息公开目录: []")


@dataclass(frozen=True)
class ReportConfig:
    configured: bool = False  # False: no `extra.report.classes` written
    classes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # class → section ids, in CLASSES order


def read(root: Path | str, config_file: str, sections: dict[str, str]) -> tuple[ReportConfig, list[Problem]]:
    """The classes (section ids), or an empty ReportConfig and every problem found. `sections`:
    id → name of every news section; a section may be written by its id or its name."""
    settings = configuration.read(Path(root), config_file)
    if not settings.readable:
        return ReportConfig(), []  # MkDocs reports an unreadable configuration itself
    extra = settings.extra
    report = extra.get("report")
    if report is None:
        return ReportConfig(), []
    line = extra.lines.get("report", extra.line)
    if not isinstance(report, Mapping):
        return ReportConfig(), [Problem(config_file, line, "", KEY, f"应当写成「classes: …」的形式，写的是「{shown(report)}」。例如：\n{EXAMPLE}")]
    problems = []
    for key in report:
        if key != "classes":
            problems.append(Problem(config_file, report.lines.get(key, line), "", f"{KEY}.{key}",
                                    f"未知的字段「{key}」，这里只能写 classes（信息发布的分类）"))
    classes = report.get("classes")
    where = report.lines.get("classes", line)
    if classes is None:
        return ReportConfig(), problems + [Problem(config_file, line, "", f"{KEY}.classes",
                                                   f"缺少 classes：写明每个新闻板块属于信息发布的哪一类，例如：\n{EXAMPLE}")]
    if not isinstance(classes, Mapping):
        return ReportConfig(), problems + [Problem(config_file, where, "", f"{KEY}.classes",
                                                   f"应当写成「类别: [板块编号, …]」，写的是「{shown(classes)}」。例如：\n{EXAMPLE}")]
    known = list(sections)
    by_name = {name: id_ for id_, name in sections.items()}
    found: dict[str, tuple[str, ...]] = {}
    placed: dict[str, str] = {}  # section id → its class
    for name, ids in classes.items():
        at = classes.lines.get(name, where)
        label = f"{KEY}.classes.{name}"
        if name not in CLASSES:
            guess = closest(str(name), CLASSES)
            hint = f"，是否是「{guess}」？" if guess else ""
            problems.append(Problem(config_file, at, "", label,
                                    f"未知的信息发布类别「{name}」{hint}类别只能是{'、'.join(CLASSES)}"))
            continue
        if ids is None:
            ids = []
        if isinstance(ids, str):
            ids = [ids]
        if not isinstance(ids, list):
            problems.append(Problem(config_file, at, "", label,
                                    f"应当是新闻板块编号的列表，例如 [school-news, teaching]，写的是「{shown(ids)}」"))
            continue
        resolved = []
        for section in ids:
            section = by_name.get(str(section), str(section))
            if section not in known:
                guess = closest(section, known)
                hint = f"是否是「{guess}」？" if guess else ""
                problems.append(Problem(config_file, at, "", label,
                                        f"没有编号为「{section}」的新闻板块（data/sections.yaml）。{hint}"
                                        f"现有的板块：{'、'.join(known) or '无'}"))
            elif section in placed and placed[section] != name:
                problems.append(Problem(config_file, at, "", label,
                                        f"板块「{section}」已经归入「{placed[section]}」，一个板块只能属于一类"))
            else:
                placed[section] = name
                resolved.append(section)
        found[name] = tuple(dict.fromkeys(resolved))
    if problems:
        return ReportConfig(), problems
    return ReportConfig(True, {name: found.get(name, ()) for name in CLASSES}), []
