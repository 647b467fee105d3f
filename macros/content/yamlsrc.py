"""YAML reading that remembers where each key was written.

PyYAML forgets line numbers once it builds Python objects, but an editor needs
"第 12 行". `Mapping` is a dict that also records the line of the mapping and
of each key, so that validation can point at the exact place.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from .problems import Problem


class Mapping(dict):
    """A YAML mapping with `line` (where it starts) and `lines[key]`."""

    line: int = 0
    lines: dict
    duplicates: list  # (key, line) written twice in the same mapping


# libyaml's parser when PyYAML has it (its wheels do): about ten times faster than the pure
# Python one, with the same marks (line numbers) on every node.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    result = Mapping()
    result.line = node.start_mark.line + 1
    result.lines = {}
    result.duplicates = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            key = str(key)
        if key in result:
            result.duplicates.append((key, key_node.start_mark.line + 1))
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    """An impossible date (2023-02-30) stays text, so the model can say what is wrong with it."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def parse(text: str, file: str, line_offset: int = 0):
    """Parse YAML text; return (data, problems). Line numbers are shifted by
    `line_offset` (front matter starts after the opening `---`)."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        # an unclosed quote fails at the end of the file: point at where the quote opened
        found = slips(text, line_offset)  # a Chinese keyboard's slip, named on its own line, before YAML's guess
        if found:
            return None, [Problem(file, line, message=message) for line, message in found]
        quoted = "quoted scalar" in (error.context or "")
        mark = (error.context_mark if quoted else None) or error.problem_mark or error.context_mark
        line = mark.line + 1 + line_offset if mark else 0
        return None, [Problem(file, line, message=yaml_message(error))]
    except (yaml.YAMLError, ValueError) as error:  # reader errors without a mark
        return None, [Problem(file, 0, message=f"YAML 格式错误：{error}")]
    if line_offset:
        _shift(data, line_offset)
    return data, []


def _shift(data, offset: int) -> None:
    if isinstance(data, Mapping):
        data.line += offset
        data.lines = {k: v + offset for k, v in data.lines.items()}
        data.duplicates = [(k, v + offset) for k, v in data.duplicates]
        for value in data.values():
            _shift(value, offset)
    elif isinstance(data, list):
        for value in data:
            _shift(value, offset)


# The slips of a Chinese keyboard in "字段名: 内容" lines. YAML reports them on a later line, as a
# missing colon or an unpaired quote; these name them on their own line, with the fix.
_KEY = r"^(?P<indent>[ \t]*(?:-[ \t]+)?)(?P<key>[A-Za-z_][A-Za-z0-9_-]*)"
_FULL_COLON = re.compile(_KEY + r"[ \t\u3000]*：")
_FULL_IN_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_-]*[\u3000，、][A-Za-z0-9_\u3000，、-]*)[ \t]*[:：]")
_NO_SPACE = re.compile(_KEY + r":(?P<after>[^\s:/])")
_TAB = re.compile(r"^[ ]*\t")
_MIXED_QUOTES = re.compile(_KEY + r":[ \t]+(?P<open>[\"'])(?P<rest>[^\"']*)$")


def slips(text: str, line_offset: int = 0) -> list[tuple[int, str]]:
    """(line, message) for every slip of a Chinese keyboard in YAML text (lines of the file:
    1-based, shifted by `line_offset` as in `parse`)."""
    found = []
    for number, line in enumerate(text.splitlines(), 1 + line_offset):
        if line.lstrip().startswith("#"):
            continue
        if _TAB.match(line):
            found.append((number, "这一行用 Tab 键缩进：YAML 只认空格，请把行首的 Tab 换成空格（和上一行对齐）"))
        elif match := _FULL_COLON.match(line):
            found.append((number, f"「{match.group('key')}：」用了全角冒号「：」：请把第 {number} 行的全角冒号「：」"
                                  "改成半角冒号「:」，冒号后面空一格"))
        elif match := _FULL_IN_KEY.match(line):
            found.append((number, f"字段名「{match.group('key')}」里有全角空格或逗号：字段名只用英文字母、数字、"
                                  "「_」和「-」，请删去其中的全角字符"))
        elif match := _MIXED_QUOTES.match(line):
            rest, open_ = match.group("rest"), match.group("open")
            if any(q in rest for q in "“”‘’"):
                found.append((number, f"引号没有配对：开头是英文引号「{open_}」，结尾却是中文引号：整段内容两边都用"
                                      f"英文引号「{open_}」，中文引号可以留在中间"))
        elif match := _NO_SPACE.match(line):
            found.append((number, f"「{match.group('key')}:」后面少了一个空格：冒号「:」后面要空一格再写内容，"
                                  f"例如「{match.group('key')}: …」"))
    return found


_YAML_HINTS = [
    ("mapping values are not allowed",
     "这一行的缩进和上一行不一致（同一层的字段要左对齐），或者内容里带有冒号「:」（请把整段内容用引号括起来）"),
    ("could not find expected ':'", "这一行缺少「字段名: 内容」中的冒号，或者上一行的引号没有配对"),
    ("found character '\\t'", "YAML 不能用 Tab 键缩进，请改用空格"),
    ("found undefined alias", "「*」开头的内容会被当作引用，请把整段内容用引号括起来"),
    ("expected <block end>", "缩进不整齐：同一层的字段要对齐，列表项「- 」要对齐"),
    ("did not find expected key", "缩进不整齐：同一层的字段要对齐"),
    ("did not find expected '-' indicator", "列表项「- 」没有对齐"),
    ("found unexpected end of stream", "引号没有配对：开头的引号缺少结尾"),
    ("while scanning a quoted scalar", "引号没有配对：开头的引号缺少结尾"),
    ("found unknown escape character", "双引号里的反斜杠「\\」有特殊含义，请改用单引号或去掉反斜杠"),
]


def yaml_message(error: yaml.MarkedYAMLError) -> str:
    text = f"{error.context or ''} {error.problem or ''}"
    for needle, hint in _YAML_HINTS:
        if needle in text:
            return f"YAML 格式错误：{hint}"
    return f"YAML 格式错误（{(error.problem or error.context or '').strip()}），请检查这一行和上一行的缩进、冒号和引号"


_FRONT_MATTER = re.compile(r"\A(---[ \t]*\r?\n)(.*?\r?\n)?(---|\.\.\.)[ \t]*(\r?\n|\Z)", re.S)


def split_front_matter(text: str):
    """Return (front matter text or None, body, line where the body starts)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return None, text, 1
    front = match.group(2) or ""
    body = text[match.end():]
    return front, body, front.count("\n") + 3


def read_front_matter(path: Path, file: str):
    """Read a Markdown file's front matter; return (meta, body, body_line, problems)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, "", 1, [Problem(file, 0, message="文件不是 UTF-8 编码，请用 UTF-8 保存")]
    front, body, body_line = split_front_matter(text)
    if front is None:
        return None, body, body_line, [
            Problem(file, 1, message="文件开头缺少以「---」开始和结束的页头（front matter），请照着已有的文件复制一份再改")
        ]
    meta, problems = parse(front, file, line_offset=1)
    if meta is None and not problems:
        meta = Mapping()
        meta.line, meta.lines, meta.duplicates = 1, {}, []
    if not problems and not isinstance(meta, Mapping):
        problems = [Problem(file, 2, message="页头应当是「字段名: 内容」的形式，一行一个字段")]
    return meta, body, body_line, problems
