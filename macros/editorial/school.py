"""The school a copy of this project is: the demo (青川市委党校), or one started from it.

`python -m macros init` (`init`) turns the demo into an empty school of its own: the school's
values in mkdocs.yml (edited line by line, so comments and everything else stay), a minimal
docs/ (home page, about and contact pages, empty news and notes), a minimal data/ (sections,
columns, topics kept, empty courses, instructors, trainings and research; terms.yaml, the
list of wrong formulations, kept), a share card with the school's name. The engine (macros/,
overrides/, hooks.py, tests/, tools/, bench/, deploy/) is not touched.

The other half, that the demo's fictional values are never published on a real domain, is
`demo.py` (content: `filing.read` calls it).
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from pydantic_core import PydanticCustomError

from ..content import models as m
from ..content.demo import DEMO_NAME

ENGINE = Path(__file__).resolve().parents[2]  # the real repository, also when macros/ is linked into a copy

# --- init -------------------------------------------------------------------------


class InitError(Exception):
    """Why init did nothing (Chinese)."""


@dataclass
class Answers:
    """What a new school says about itself."""

    name: str
    url: str
    address: str
    phone: str
    icp: str
    police: str
    site_code: str
    sponsor: str | None = None  # 主办单位; the school's name when not given
    organizer: str | None = None  # 承办单位
    sections: list[tuple[str, str]] = field(default_factory=list)  # (id, 名称)
    columns: list[tuple[str, str, str]] = field(default_factory=list)  # (id, 名称, 责任编辑)
    conac_logo: Path | None = None  # the official 党政机关网站标识, copied to docs/assets/filing/
    conac_url: str | None = None


# (name shown in prompts and messages, option, attribute, required)
QUESTIONS = (
    ("学校名称（网站名称，例如 中共XX市委党校）", "--name", "name", True),
    ("主办单位（直接回车：同学校名称）", "--sponsor", "sponsor", False),
    ("承办单位（没有可直接回车，例如 XX行政学院）", "--organizer", "organizer", False),
    ("网站地址（例如 https://www.xxdx.gov.cn/）", "--url", "url", True),
    ("学校地址（例如 XX市XX区XX路1号）", "--address", "address", True),
    ("办公室电话（例如 0871-1234567）", "--phone", "phone", True),
    ("ICP备案号（工信部，例如 滇ICP备20240517号-2）", "--icp", "icp", True),
    ("公网安备号（公安机关，例如 滇公网安备53010202000176号）", "--police", "police", True),
    ("网站标识码（10 位，例如 5301000012）", "--site-code", "site_code", True),
)

GENERIC_SECTIONS = [("school-news", "学校要闻"), ("teaching", "教学培训"), ("research", "科研咨政"),
                    ("party-building", "机关党建")]
GENERIC_COLUMNS = [("theory-notes", "理论学习笔记", "办公室")]
EMPTIED_DATA = ("courses", "instructors", "trainings", "research", "departments")
DEMO_DOCS = ("news", "notes", "bulletins", "about")  # the demo's content folders, emptied


def check_value(attribute: str, value: str) -> str:
    """The value normalised, or InitError with the same Chinese message as `check` would give."""
    value = (value or "").strip()
    try:
        if attribute == "url":
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise InitError(f"网站地址「{value}」不对，应写完整的网址，例如 https://www.xxdx.gov.cn/")
            return value if value.endswith("/") else value + "/"
        if attribute == "icp":
            return m._icp(value)
        if attribute == "police":
            m._police(value)  # checked; written as given, without the space the footer adds
            return m._compact(value)
        if attribute == "site_code":
            return m._site_code(value)
        if attribute == "phone":
            return m._phone(value)
    except PydanticCustomError as error:
        raise InitError(error.message()) from None
    if not value:
        raise InitError("不能为空")
    return value


def _id_and_name(text: str, what: str, parts: int) -> tuple[str, ...]:
    found = tuple(p.strip() for p in re.split(r"[:：]", text, maxsplit=parts - 1))
    if len(found) < 2 or not m.ID_PATTERN.match(found[0]) or not all(found):
        raise InitError(f"{what}「{text}」应写成 编号:名称，编号用小写字母、数字和连字符，例如 school-news:学校要闻")
    return found


def parse_section(text: str) -> tuple[str, str]:
    return _id_and_name(text, "新闻板块", 2)


def parse_column(text: str) -> tuple[str, str, str]:
    found = _id_and_name(text, "学习笔记专栏", 3)
    return found if len(found) == 3 else (*found, "办公室")


@dataclass
class Done:
    """What init did, for the message it prints."""

    root: Path
    removed: dict[str, int]
    card: str  # how the share card was made

    def message(self, answers: Answers) -> str:
        removed = "、".join(f"{folder}/ {n} 个文件" for folder, n in self.removed.items() if n) or "无"
        return "\n".join([
            f"已建立「{answers.name}」的网站（{answers.url}）：",
            "  mkdocs.yml：网站名称、网址、简介、版权、页脚备案信息、审核人和个人信息处理规则的处理者已改为本校的，注释和其他设置未动；",
            f"  docs/：删除了演示内容（{removed}），留下首页、学校概况、联系我们三页；",
            "  data/：新闻板块和学习笔记专栏换成了本校的，课程、师资、培训班次、科研课题、学校领导、内设机构清空，专题和表述规范（terms.yaml）保留；",
            f"  分享卡片 docs/assets/share-card.png：{self.card}。",
            "下一步：",
            "  1. 修改 docs/about/index.md（学校概况）和 docs/about/contact.md（联系我们），在 data/leaders.yaml 和 data/departments.yaml 里写上学校领导和内设机构（编辑指南“学校概况”一节，EDITING.md#overview）；",
            "  2. mkdocs.yml 里 extra.publishing 的审核人（reviewers）写上可以复审、终审的人的姓名（初审由各板块、专栏的责任编辑签发，也可另列名单）；党政机关网站标识见编辑指南“页脚的备案信息”一节（EDITING.md#filing）；",
            "  3. 运行 .venv/bin/python -m macros check 检查，再运行 make build 生成网站。",
        ])


def refuse(root: Path | str, force: bool = False) -> None:
    """InitError unless `root` is the demo (its site_name) or `force`: init deletes content."""
    config = Path(root) / "mkdocs.yml"
    if not config.is_file():
        raise InitError(f"{root} 下没有 mkdocs.yml：请在网站项目的根目录运行")
    site_name = _top(_lines(config), "site_name")
    if site_name != DEMO_NAME and not force:
        raise InitError(f"mkdocs.yml 的网站名称是「{site_name}」，不是演示学校「{DEMO_NAME}」：这里已经是一所学校的网站，"
                        "init 会删除它的新闻、学习笔记、简报、学校概况和课程、师资等数据。"
                        "确实要从头开始，请加上 --force")


def init(root: Path | str, answers: Answers, today: dt.date, force: bool = False) -> Done:
    """Turn the demo at `root` into an empty school. Refuses (InitError) unless `root` is the
    demo or `force`; every value is checked before anything is changed."""
    root = Path(root)
    refuse(root, force)
    config = root / "mkdocs.yml"
    for _, option, attribute, required in QUESTIONS:
        value = getattr(answers, attribute)
        if required or value:
            try:
                setattr(answers, attribute, check_value(attribute, value))
            except InitError as error:
                raise InitError(f"{option}：{error}") from None
    if answers.conac_logo and (not answers.conac_logo.is_file()
                               or answers.conac_logo.suffix.lower() not in m.IMAGE_SUFFIXES):
        raise InitError(f"--conac-logo：「{answers.conac_logo}」不是图片文件（{'、'.join(m.IMAGE_SUFFIXES)}）")
    if answers.conac_url:
        try:
            m._https(answers.conac_url)
        except PydanticCustomError as error:
            raise InitError(f"--conac-url：{error.message()}") from None
    answers.sponsor = answers.sponsor or answers.name
    sections = answers.sections or GENERIC_SECTIONS
    columns = answers.columns or GENERIC_COLUMNS
    for what, ids in (("新闻板块", [s[0] for s in sections]), ("学习笔记专栏", [c[0] for c in columns])):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise InitError(f"{what}的编号重复：{'、'.join(twice)}")

    logo = None
    if answers.conac_logo:
        logo = f"assets/filing/conac{answers.conac_logo.suffix.lower()}"
    _write_config(config, answers, logo)
    removed = _empty_docs(root / "docs")
    if answers.conac_logo:
        (root / "docs" / logo).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(answers.conac_logo, root / "docs" / logo)
    _write_docs(root / "docs", answers, columns)
    _write_data(root / "data", sections, columns, today)
    card = _share_card(root / "docs" / "assets" / "share-card.png", answers)
    return Done(root, removed, card)


# --- mkdocs.yml, line by line --------------------------------------------------------


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _scalar(value: str) -> str:
    """A YAML scalar for `value`: plain when it reads back as the same string, else double-quoted."""
    try:
        plain = yaml.safe_load(value) == value and "#" not in value and not value.startswith(("'", '"'))
    except yaml.YAMLError:
        plain = False
    return value if plain else json.dumps(value, ensure_ascii=False)


def _top(lines: list[str], key: str) -> str | None:
    for line in lines:
        if line.startswith(f"{key}:"):
            value = yaml.safe_load(line).get(key) if ":" in line else None
            return None if value is None else str(value)
    return None


_LINE = re.compile(r"^(?P<indent> *)(?P<key>[\w-]+):(?P<space>\s*)(?P<value>.*?)(?:\s+(?P<comment>#.*))?$")


def _width(text: str) -> int:
    """Columns on screen: a Chinese character takes two (how mkdocs.yml's comments are aligned)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _replaced(line: str, value: str) -> str:
    """`line` (key: old  # comment) with a new value; the comment kept at its column when it fits."""
    match = _LINE.match(line)
    head = f"{match['indent']}{match['key']}: {value}"
    comment = match["comment"]
    if not comment:
        return head
    if match.start("comment") - match.end("value") <= 2:  # not aligned with the comments around it
        return head + line[match.end("value"):match.start("comment")] + comment
    column = _width(line[:match.start("comment")])
    return head + " " * max(column - _width(head), 2) + comment


def _block(lines: list[str], path: tuple[str, ...]) -> tuple[int, int] | None:
    """The lines (start, end) of the mapping at `path` (("extra", "filing")): its keys' lines."""
    start, end, indent = 0, len(lines), 0
    for name in path:
        at = next((n for n in range(start, end) if re.match(rf"^ {{{indent}}}{re.escape(name)}:\s*(#.*)?$", lines[n])), None)
        if at is None:
            return None
        start, indent = at + 1, indent + 2
        end = next((n for n in range(start, end)
                    if lines[n].strip() and not lines[n].lstrip().startswith("#")
                    and len(lines[n]) - len(lines[n].lstrip()) < indent), end)
    return start, end


def _set(lines: list[str], path: tuple[str, ...], key: str, value: str | None, raw: bool = False) -> None:
    """Set (or, with None, delete) `key` in the mapping at `path`; top level with path ().
    `value` is a string, written as a YAML scalar, or with `raw` YAML as it is ({…}, […])."""
    start, end = _block(lines, path) if path else (0, len(lines))
    indent = " " * (2 * len(path))
    at = next((n for n in range(start, end) if lines[n].startswith(f"{indent}{key}:")), None)
    if value is None:
        if at is not None:
            del lines[at]
        return
    value = value if raw else _scalar(value)
    if at is not None:
        lines[at] = _replaced(lines[at], value)
        return
    last = max((n for n in range(start, end) if lines[n].startswith(indent) and lines[n].strip()), default=start - 1)
    lines.insert(last + 1, f"{indent}{key}: {value}")


def _write_config(path: Path, answers: Answers, logo: str | None) -> None:
    lines = _lines(path)
    school = answers.sponsor + (f"（{answers.organizer}）" if answers.organizer else "")
    _set(lines, (), "site_name", answers.name)
    _set(lines, (), "site_url", answers.url)
    _set(lines, (), "site_description", f"{school}门户网站：工作动态、学习笔记、课程目录、师资库与工作简报。")
    _set(lines, (), "copyright", f"© {school} 版权所有")
    filing = ("extra", "filing")
    if _block(lines, filing) is None:  # a configuration without a footer: add the block
        at = _block(lines, ("extra",))
        if at is None:
            lines += ["extra:"]
            at = (len(lines), len(lines))
        lines.insert(at[0], "  filing:")
    for key in ("sponsor", "organizer", "address", "phone", "icp", "police", "site_code"):
        _set(lines, filing, key, getattr(answers, key))
    _set(lines, filing, "conac_logo", logo)
    _set(lines, filing, "conac_url", answers.conac_url)
    if _block(lines, ("extra", "publishing")):
        _set(lines, ("extra", "publishing"), "reviewers", "{first: [], second: [请填写复审人姓名], final: [请填写终审人姓名]}",
             raw=True)
        _set(lines, ("extra", "publishing"), "public_numbers", f"[{_scalar(answers.phone)}]", raw=True)
    if _block(lines, ("extra", "report", "classes")):  # the 年度报表's classes named the demo's sections
        ids = ", ".join(sid for sid, _ in (answers.sections or GENERIC_SECTIONS))
        for name, value in (("概况类", ""), ("政务动态", ids), ("信息公开目录", "")):
            _set(lines, ("extra", "report", "classes"), name, f"[{value}]", raw=True)
    if _block(lines, ("extra", "privacy")):  # the 个人信息处理规则: the school's office, its telephone
        _set(lines, ("extra", "privacy"), "handler", f"{answers.sponsor}办公室")
        _set(lines, ("extra", "privacy"), "contact", answers.phone)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- docs/ and data/ -----------------------------------------------------------------


def _empty_docs(docs: Path) -> dict[str, int]:
    removed = {}
    for folder in DEMO_DOCS:
        files = [p for p in (docs / folder).rglob("*") if p.is_file()] if (docs / folder).is_dir() else []
        removed[folder] = len(files)
        if (docs / folder).exists():
            shutil.rmtree(docs / folder)
    filing = docs / "assets" / "filing"
    if filing.is_dir():  # the demo's 党政机关网站标识 is a drawing of ours, not the school's mark
        removed["assets/filing"] = sum(1 for p in filing.rglob("*") if p.is_file())
        shutil.rmtree(filing)
    return removed


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _write_docs(docs: Path, answers: Answers, columns) -> None:
    _write(docs / "index.md", f"""---
title: 首页
hide:
  - navigation
  - toc
---
# {answers.name}

这里发布学校的工作动态、学习笔记、课程目录、师资库和工作简报。

{{{{ key_figures(latest_year) }}}}

## 工作动态

{{{{ latest_news(6) }}}}

## 学习笔记

{{{{ columns_overview(2) }}}}

## 常用入口

[课程目录](courses/index.md) · [师资库](instructors/index.md) · [专题](topics/index.md) · [工作简报](bulletins/index.md) · [学校概况](about/index.md)
""")
    school = answers.sponsor + (f"（{answers.organizer}）" if answers.organizer else "")
    _write(docs / "about" / "index.md", f"""# 学校概况

<!-- 请在这里介绍学校：历史沿革、主要职能、内设机构、现场教学基地（编辑指南「学校概况」）。 -->

{school}，校址位于{answers.address}。
""")
    _write(docs / "about" / "contact.md", f"""# 联系我们

## 学校地址

{answers.address}　{school}

## 联系电话

| 部门 | 电话 |
| --- | --- |
| 办公室 | {answers.phone} |

<!-- 其他部门的电话请同时写进 mkdocs.yml 的 extra.publishing.public_numbers，自查时才不算个人信息。 -->
""")
    (docs / "news").mkdir(exist_ok=True)
    for column_id, _, _ in columns:
        (docs / "notes" / column_id).mkdir(parents=True, exist_ok=True)


def _header(path: Path) -> str:
    """The comment lines that open a data file (what each field means), kept for the editors."""
    if not path.is_file():
        return ""
    head = []
    for line in _lines(path):
        if not line.startswith("#"):
            break
        head.append(line)
    return "\n".join(head) + "\n" if head else ""


def _write_data(data: Path, sections, columns, today: dt.date) -> None:
    data.mkdir(exist_ok=True)
    entries = "".join(f"- id: {sid}\n  name: {_scalar(name)}\n" for sid, name in sections)
    _write(data / "sections.yaml", _header(data / "sections.yaml") + entries)
    entries = "".join(f"- id: {cid}\n  name: {_scalar(name)}\n  editor: {_scalar(editor)}\n  started: {today.isoformat()}\n"
                      for cid, name, editor in columns)
    _write(data / "columns.yaml", _header(data / "columns.yaml") + entries)
    for name in EMPTIED_DATA:
        path = data / f"{name}.yaml"
        _write(path, _header(path) + "# （还没有内容：按上面的说明，每条以「- id:」开头写在下面）\n")
    path = data / "leaders.yaml"  # 学校概况: the demo's leaders are fictional people
    if path.is_file():
        _write(path, _header(path) + "# （还没有内容：按上面的说明，每人每个职务以「- post:」开头写在下面）\n")


def _share_card(target: Path, answers: Answers) -> str:
    spec = importlib.util.spec_from_file_location("share_card", ENGINE / "tools" / "share_card.py")
    card = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(card)
    if card.has_fonts():
        card.write(target, answers.name, answers.organizer)
        return "已用本校名称重新绘制"
    card.write(target, answers.name, answers.organizer, text=False)
    return ("本机没有中文字体（fonts-noto-cjk），暂时画了一张没有文字的卡片；"
            "装好字体后运行 .venv/bin/python tools/share_card.py 重画")
