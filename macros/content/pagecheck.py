"""Every page's macros checked before anything is rendered.

mkdocs-macros, with `on_error_fail`, prints a Python traceback and exits on the
first undefined name. Editors need the file, the line and a suggestion instead,
for every page at once, and `python -m macros check` needs it without MkDocs:
so each page is parsed with Jinja here and its free names are compared with
the names the site defines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from jinja2 import meta

from . import listing
from .problems import Problem, closest
from .yamlsrc import parse, split_front_matter



@dataclass
class Names:
    """The names a page may use: variables and macros, and filters."""

    variables: set[str] = field(default_factory=set)
    filters: set[str] = field(default_factory=set)


_SYNTAX_HINTS = [
    ("expected ')'", "括号没有配对：少了右括号「)」"),
    ("unexpected '}'", "花括号没有配对，应写成 {{ 名称 }}"),
    ("unexpected end of template", "模板没有结束：{{ 要有 }} 配对，{% for %} 要有 {% endfor %}，{% if %} 要有 {% endif %}"),
    ("Encountered unknown tag", "未知的模板标签"),
    ("expected token", "括号、引号或逗号没有写对"),
    ("unexpected char", "出现了不能出现在 {{ }} 里的字符（注意中文引号和中文括号要用英文的）"),
]


RECORD_FOLDERS = ("news", "notes", "bulletins")
# what the loader computes and the page may print as if written in its front matter
DERIVED_VARIABLES = {"bulletins": {"issue"}}


def check_pages(root: Path, docs: Path, names: Names, markdown: list[listing.Entry] | None = None) -> list[Problem]:
    """`markdown`: docs/'s files, if listed already (macros/content/listing.py)."""
    env = jinja2.Environment()
    env.filters.update({name: str for name in names.filters})  # only their names matter here
    problems: list[Problem] = []
    known = (frozenset(names.variables), frozenset(names.filters))
    for entry in markdown if markdown is not None else listing.markdown_files(docs):
        path = entry.path
        key = (entry.mtime_ns, entry.size, known)
        cached = _CHECKED.get(path)
        if cached is None or cached[0] != key:
            cached = _CHECKED[path] = (key, _check_page(root, docs, path, env, names))
        problems += cached[1]
    return problems


# path → (key, problems): `make serve` checks again only the pages saved since the last build
_CHECKED: dict[Path, tuple] = {}


def _check_page(root: Path, docs: Path, path: Path, env: jinja2.Environment, names: Names) -> list[Problem]:
    file = path.relative_to(root).as_posix()
    text = path.read_text(encoding="utf-8", errors="replace")
    front, body, body_line = split_front_matter(text)
    has_macros = "{{" in body or "{%" in body
    # records' front matter is checked by the loader; other pages' here
    is_record = path.relative_to(docs).parts[0] in RECORD_FOLDERS
    if not has_macros and (is_record or not front):
        return []
    problems, own = [], set()
    if front:
        data, problems = parse(front, file, 1)
        if isinstance(data, dict):
            if data.get("render_macros") is False:
                return problems  # mkdocs-macros leaves this page as it is
            own = {str(k) for k in data}
    own |= DERIVED_VARIABLES.get(path.relative_to(docs).parts[0], set())
    return problems + check_template(env, file, body, body_line, names.variables | own)


def check_template(env: jinja2.Environment, file: str, body: str, first_line: int,
                   known: set[str]) -> list[Problem]:
    try:
        tree = env.parse(body)
        free = meta.find_undeclared_variables(tree)  # also compiles: finds unknown filters
    except jinja2.TemplateSyntaxError as error:
        line = first_line + (error.lineno or 1) - 1
        match = re.match(r"No filter named '(.+)'", error.message or "")
        if match:
            guess = closest(match.group(1), env.filters)
            hint = f"，是否是「{guess}」？" if guess else "。请查看编辑指南“简报与宏”一节（EDITING.md#bulletins）中的过滤器列表"
            return [Problem(file, line, field=match.group(1), message=f"未知的过滤器「{match.group(1)}」{hint}")]
        return [Problem(file, line, message=f"宏的写法有误：{_syntax_hint(error.message or '')}")]
    problems = []
    for name in sorted(free - known):
        guess = closest(name, known)
        hint = f"，是否是「{guess}」？" if guess else "。请查看编辑指南“简报与宏”一节（EDITING.md#bulletins）中的宏列表"
        problems.append(Problem(file, first_line + _line_of(body, name), field=name,
                                message=f"未定义的宏或变量「{name}」{hint}"))
    return problems


def _line_of(body: str, name: str) -> int:
    pattern = re.compile(r"(\{\{|\{%)[^}]*\b" + re.escape(name) + r"\b")
    for number, line in enumerate(body.splitlines()):
        if pattern.search(line):
            return number
    return 0


def _syntax_hint(message: str) -> str:
    for needle, hint in _SYNTAX_HINTS:
        if needle in message:
            return f"{hint}（{message}）"
    return message
