"""Content problems, worded for editors in Chinese.

Loading never stops at the first mistake: every problem found in every file is
collected as a `Problem`, and the build stops once with all of them
(the way MkDocs' own config validation collects `(key, message)` pairs).
"""
from __future__ import annotations

import difflib
import dataclasses
from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one place of one file."""

    file: str  # path relative to the project root, with forward slashes
    line: int  # 1-based; 0 when the whole file is concerned
    record: str = ""  # the record's id or title, if known
    field: str = ""  # the field (key) concerned, if any
    message: str = ""  # what is wrong and what was expected, in Chinese
    # what kind of mistake, for code that sorts problems (never match the message's text):
    # "content" (any), "missing" (a required field absent), "term" (a wrong formulation),
    # "personal" (personal data), "input" (a file that is not a plain file of the project)
    kind: str = dataclasses.field(default="content", compare=False)

    def __str__(self) -> str:
        where = self.file + (f" 第 {self.line} 行" if self.line else "")
        parts = [where]
        if self.record:
            parts.append(f"记录「{self.record}」")
        if self.field:
            parts.append(f"字段「{self.field}」")
        return "，".join(parts) + "：" + self.message


@dataclass
class ContentError(Exception):
    """Raised once, after loading, when any problem was found."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return report(self.problems)


def report(problems: Iterable[Problem]) -> str:
    problems = sorted(set(problems))
    lines = [f"内容检查发现 {len(problems)} 个问题，网站没有发布。请逐条修改后再提交："]
    lines += [f"  {n}. {p}" for n, p in enumerate(problems, 1)]
    return "\n".join(lines)


def closest(value: str, choices: Iterable[str]) -> str | None:
    """The valid value an editor most likely meant, or None."""
    found = difflib.get_close_matches(str(value), list(choices), n=1, cutoff=0.5)
    return found[0] if found else None


def shown(value: object) -> str:
    """A value as the editor wrote it, short enough for one line."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"
