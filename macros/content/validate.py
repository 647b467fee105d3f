"""Validation of one record against its model, with every problem in Chinese.

Used by the loader (`load.py`) and by the readers of the configuration file (`filing.py`,
`publishing.py`): it lives apart from the loader so that they import it without a cycle.
"""
from __future__ import annotations

import typing
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from . import models as m
from .problems import Problem, closest, shown
from .yamlsrc import Mapping


@dataclass
class Collector:
    """Where problems accumulate while loading."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    # ids of records that failed validation: references to them are not reported again
    broken: dict[str, set[str]] = field(default_factory=dict)
    # data files that could not be read at all: references to their records are not checked
    unreadable: set[str] = field(default_factory=set)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def add(self, file: str, line: int, record: str = "", field_: str = "", message: str = "",
            kind: str = "content") -> None:
        self.problems.append(Problem(file, line, record, field_, message, kind))


@dataclass
class Where:
    """Where a record was written: file, first line, and each key's line."""

    file: str
    mapping: Mapping

    @property
    def line(self) -> int:
        return self.mapping.line

    def line_of(self, key: str) -> int:
        return self.mapping.lines.get(key, self.mapping.line)


def record_name(mapping: dict) -> str:
    for key in ("id", "title", "name", "correct"):
        value = mapping.get(key)
        if isinstance(value, (str, int)) and str(value).strip():
            return shown(value)
    return ""


def validate(out: Collector, model: type[m.Record], mapping, file: str, line: int, extra: dict | None = None):
    """Validate one mapping against its model; report every problem; return the record or None."""
    if not isinstance(mapping, Mapping):
        out.add(file, line, message=f"这一项应当是「字段名: 内容」的形式，写的是「{shown(mapping)}」")
        return None
    name = record_name(mapping)
    ok = True
    for key, key_line in mapping.duplicates:
        out.add(file, key_line, name, str(key), f"字段「{key}」写了两次，请删掉其中一个")
        ok = False
    allowed = model.input_fields()
    placeholders = _placeholders(out, model, mapping, file, name)
    ok = ok and not placeholders
    clean = {}
    for key, value in mapping.items():
        if key in allowed:
            clean[key] = value
            continue
        guess = closest(str(key), allowed)
        hint = f"，是否是「{guess}」？" if guess else f"。可以写的字段有：{'、'.join(allowed)}"
        if any(c in str(key) for c in "\u3000，、："):  # a Chinese keyboard's full-width character
            hint = ("：字段名里有全角空格或逗号，字段名只用英文字母、数字、「_」和「-」" +
                    (f"，是否是「{guess}」？" if guess else ""))
        out.add(file, mapping.lines.get(key, mapping.line), name, str(key), f"未知的字段「{key}」{hint}")
        ok = False
    try:
        record = model.model_validate({**clean, **(extra or {})})
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            loc = [str(part) for part in detail["loc"]]
            if loc and loc[0] in placeholders:  # named already as a placeholder
                continue
            out.add(file, _line_of(mapping, loc), name, ".".join(loc), _message(model, detail),
                    kind="missing" if detail["type"] == "missing" else "content")
        return None
    return record if ok else None


PLACEHOLDER = "请填写"  # a starter's value still to be filled in begins with it


def is_placeholder(value) -> bool:
    return isinstance(value, str) and value.strip().startswith(PLACEHOLDER)


def _placeholders(out: Collector, model: type[m.Record], mapping: Mapping, file: str, name: str) -> set[str]:
    """Report every value written as a placeholder (「请填写…」), top-level or an item of a list;
    return the keys that hold one, so that the model's own errors for them are not reported too."""
    keys = set()
    for key, value in mapping.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if is_placeholder(item):
                label = model.label(str(key))
                out.add(file, mapping.lines.get(key, mapping.line), name, str(key),
                        f"还没有填写{label}：请把「{item.strip()}」换成实际内容")
                keys.add(str(key))
    return keys


def _line_of(mapping: Mapping, loc: list[str]) -> int:
    line = mapping.line
    node = mapping
    for part in loc:
        if isinstance(node, Mapping):
            line = node.lines.get(part, line)
            node = node.get(part)
        else:
            break
    return line


def _nested(model: type[m.Record], name: str):
    """The record model of a field that holds one (`video: {…}` → Video), or None."""
    info = model.model_fields.get(name)
    kinds = typing.get_args(info.annotation) if info else ()
    return next((k for k in (info.annotation if info else None, *kinds)
                 if isinstance(k, type) and issubclass(k, m.Record)), None)


def _message(model: type[m.Record], detail: dict) -> str:
    kind = detail["type"]
    name = str(detail["loc"][0]) if detail["loc"] else ""
    label = model.label(name)
    given = shown(detail.get("input"))
    if kind == "missing" and len(detail["loc"]) == 2 and _nested(model, name):  # video.captions
        inner = str(detail["loc"][1])
        return f"{label}缺少必填字段「{name}.{inner}」（{_nested(model, name).label(inner)}）"
    if kind == "missing":
        return f"缺少必填字段「{name}」（{label}）"
    if "input" in detail and detail["input"] is None:  # `title:` with nothing after it
        key = ".".join(map(str, detail["loc"])) or name
        info = model.model_fields.get(name)
        if info is not None and info.is_required() and len(detail["loc"]) == 1:
            return f"{label}没有填写：「{key}:」后面是空的。这一项必须填写"
        return f"{label}没有填写：「{key}:」后面是空的。请填上；不需要这一项就删掉这一行"
    if kind in ("string_type",):
        return f"{label}应为文字，写的是「{given}」"
    if kind.startswith("int_"):
        return f"{label}应为整数，写的是「{given}」"
    if kind.startswith("float_"):
        return f"{label}应为数字，写的是「{given}」"
    if kind.startswith("bool_"):
        return f"{label}应为 true（是）或 false（否），写的是「{given}」"
    if kind == "list_type":
        return f"{label}应为列表，例如 [甲, 乙]，写的是「{given}」"
    if kind == "string_too_short":
        return f"{label}不能为空"
    if kind == "too_short":
        return f"{label}至少要写一项"
    if kind == "greater_than":
        return f"{label}应大于 {detail['ctx']['gt']}，写的是「{given}」"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"{label}应当是「字段名: 内容」的形式，写的是「{given}」"
    if kind == "extra_forbidden":
        return f"未知的字段「{detail['loc'][-1]}」"
    if kind.startswith(("bad_", "not_", "negative")):
        return detail["msg"]
    return f"{label}写的是「{given}」，不符合要求"
