"""Lists of allowed values written for people (data files' comment headers, the guide, the
starters) held to the models' own lists (`models.choices`): one list, never three (issue 25).

A line that names a field (`format：…`, `format: 讲授式  # …`) and two or more values of its list
is taken to list that field's values, and must name all of them. A comment line indented after
`#` continues the line before it."""
from __future__ import annotations

import re
from pathlib import Path

from macros.content import models as m
from macros.index.load import DATA_FILES

RECORD_MODELS = [model for model, _ in DATA_FILES.values()] + [m.NewsItem, m.Note, m.Bulletin]


def choice_lists() -> dict[tuple[str, str], tuple[str, ...]]:
    """(model name, field) → the allowed values, for every field that has a fixed list."""
    found = {}
    for model in RECORD_MODELS:
        for name in model.model_fields:
            options = m.choices(model, name)
            if options and len(options) > 2:  # two-value switches (专职/兼职) are not lists to keep
                found[(model.__name__, name)] = options
    return found


def _words(line: str) -> set[str]:
    return set(re.findall(r"[\w（）()-]+", line))


def _logical_lines(text: str) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(r"^#\s{2,}\S", line) and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + line[1:])
        else:
            lines.append((number, line))
    return lines


def incomplete_lists(path: Path, text: str | None = None) -> list[str]:
    """Each line of the file that lists some but not all values of one field's list."""
    text = path.read_text(encoding="utf-8") if text is None else text
    lists = choice_lists()
    problems = []
    for number, line in _logical_lines(text):
        words = _words(line)
        for (model, field), options in lists.items():
            if not re.search(rf"(?<![\w.]){field}\s*[:：]", line):
                continue
            named = [o for o in options if o in words]
            if len(named) >= 2 and len(named) < len(options):
                missing = "、".join(o for o in options if o not in words)
                problems.append(f"{path.name} 第 {number} 行列出了 {model}.{field} 的 {len(named)} 个可选值，少了：{missing}")
    return problems
