"""New content from the command line: `python -m macros new KIND TITLE`.

Writes a news item, study note or bulletin as a new file, or appends a course
or instructor to its data file, with Chinese comments that tell the editor what
to change. Facts the code cannot know (a teacher's post, a course's teachers,
the body of a news item) are written as placeholders beginning with 「请填写」,
which `python -m macros check` names one by one: a starter left as it stands
fails the check, so it cannot be published by accident. Ids and file names come from the title in pinyin unless the
editor gives one. An id or file that already exists is refused and nothing is
written; data files are only ever appended to, their existing bytes untouched.

The text of each starter is a Jinja template in macros/templates/starters/
(news.md, note.md, bulletin.md, course.yaml, instructor.yaml) that only
displays: this module chooses every value (slug, section, issue, period, the
first topic, the choices of models.py), refuses, and appends.
Titles and names go through `scalar` (`_scalar`): YAML, not HTML, so nothing
is escaped otherwise. tests/test_scaffold.py holds each starter to its model
(the fields it writes, commented out or not, are the model's) and to the
outputs recorded in tests/starters/.

Data files are read as plain YAML here rather than through `load`, so that an
editor can add a record while another part of the site still has a problem.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml
from pypinyin import lazy_pinyin

from ..content.models import COURSE_CATEGORIES, COURSE_FORMATS, ID_PATTERN, INSTRUCTOR_CATEGORIES
from ..content.yamlsrc import parse, read_front_matter

KINDS = {"news": "新闻", "note": "学习笔记", "course": "课程", "instructor": "师资", "bulletin": "简报"}
# what an editor may type instead of the English kind
ALIASES = {"新闻": "news", "笔记": "note", "学习笔记": "note", "课程": "course", "师资": "instructor",
           "教师": "instructor", "老师": "instructor", "简报": "bulletin"}

SLUG_LENGTH = 30  # characters; a longer pinyin slug is cut at a hyphen

# two-character surnames, so that 欧阳明 becomes ouyang-ming and not ou-yangming
_COMPOUND_SURNAMES = {
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒", "夏侯", "长孙", "宇文",
    "端木", "独孤", "南宫", "西门", "轩辕", "呼延", "澹台", "申屠", "太史", "万俟", "闻人", "钟离", "赫连",
}
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PIECES = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")
_DATED = re.compile(r"^\d{4}-\d{2}-\d{2}-(.+)\.md$")


class ScaffoldError(Exception):
    """Nothing was written; the message tells the editor why, in Chinese."""


@dataclass(frozen=True)
class Created:
    kind: str
    path: str  # relative to the project root
    id: str  # the slug or the record id
    url: str  # where the page or record appears on the site

    def message(self) -> str:
        what = KINDS[self.kind]
        if self.kind in ("course", "instructor"):
            head = f"已在 {self.path} 末尾添加{what}「{self.id}」。"
        else:
            head = f"已新建{what}：{self.path}"
        return (f"{head}\n发布后的网址：/{self.url}\n"
                "下一步：打开文件，把每个「请填写…」换成实际内容，按其中的中文注释修改；"
                "改好后运行 python -m macros check 检查（没填的会逐条列出），再提交。\n"
                f"英文名「{self.id}」由标题的拼音生成，想换一个，可以删掉这次新建的内容，用 --slug 重新指定。")


# --- ids from Chinese ------------------------------------------------------------


def _syllables(text: str) -> list[str]:
    """One lowercase ASCII token per Chinese character, and per run of letters or digits."""
    text = unicodedata.normalize("NFKC", text)  # full-width Ｐ２ → P2
    tokens = []
    for piece in _PIECES.findall(text):
        if _HAN.match(piece):
            tokens += [syllable.lower() for syllable in lazy_pinyin(piece)]
        else:
            tokens.append(piece.lower())
    return [t for t in (re.sub(r"[^a-z0-9]", "", t) for t in tokens) if t]


def _trim(tokens: list[str], limit: int = SLUG_LENGTH) -> str:
    slug = ""
    for token in tokens:
        longer = f"{slug}-{token}" if slug else token
        if len(longer) > limit and slug:
            break
        slug = longer
    return slug[:limit].strip("-")


def slugify(title: str, limit: int = SLUG_LENGTH) -> str:
    """青川市委党校举行开学典礼 → qing-chuan-shi-wei-dang-xiao (one syllable per
    character: without a word list, joining syllables into words guesses wrong too often)."""
    return _trim(_syllables(title), limit)


def person_id(name: str) -> str:
    """林国栋 → lin-guodong, 欧阳明 → ouyang-ming: surname, then the given name, as the
    instructor ids already in data/instructors.yaml are written."""
    name = name.strip()
    if not (2 <= len(name) <= 4 and all(_HAN.match(ch) for ch in name)):
        return slugify(name)
    split = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1
    return "-".join("".join(_syllables(part)) for part in (name[:split], name[split:]))


# --- reading what exists ------------------------------------------------------------


def _records(root: Path, name: str) -> list[dict]:
    path = root / "data" / f"{name}.yaml"
    if not path.exists():
        return []
    data, problems = parse(path.read_text(encoding="utf-8"), f"data/{name}.yaml")
    if problems or (data is not None and not isinstance(data, list)):
        raise ScaffoldError(f"data/{name}.yaml 有格式错误，请先运行 python -m macros check 查看并改正，再新建内容")
    return [item for item in data or [] if isinstance(item, dict)]


def _ids(records: list[dict]) -> list[str]:
    return [str(r["id"]) for r in records if isinstance(r.get("id"), str)]


def _scalar(value: str) -> str:
    """A title as YAML: plain when YAML reads it back unchanged, otherwise double-quoted."""
    try:
        if yaml.safe_load(f"key: {value}") == {"key": value}:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


def _half_year(day: dt.date) -> str:
    return f"{day.year}H{1 if day.month <= 6 else 2}"


# --- the starters: macros/templates/starters/ -------------------------------------------


STARTERS = Path(__file__).resolve().parents[1] / "templates" / "starters"


def environment(folder: Path = STARTERS) -> jinja2.Environment:
    """The starters' Jinja environment. YAML and Markdown, so nothing is HTML-escaped; a value
    YAML could misread is printed through `scalar` (`_scalar`)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, autoescape=False, auto_reload=False)
    env.filters["scalar"] = _scalar
    return env


_ENV = environment()


def _starter(name: str, **values) -> str:
    """One starter's text: the template displays, the code has chosen every value."""
    return _ENV.get_template(name).render(**values)


# --- the kinds ----------------------------------------------------------------------


def create(root: Path | str, kind: str, title: str, today: dt.date,
           slug: str | None = None, column: str | None = None) -> Created:
    """Write one new record; raise ScaffoldError (having written nothing) if it cannot."""
    root = Path(root)
    kind = ALIASES.get(kind, kind)
    if kind not in KINDS:
        raise ScaffoldError(f"不认识的类型「{kind}」，应为 {'、'.join(f'{k}（{v}）' for k, v in KINDS.items())} 之一")
    title = " ".join(title.split())
    if not title:
        raise ScaffoldError("标题不能为空")
    if column is not None and kind != "note":
        raise ScaffoldError("--column 只用于学习笔记（note）")
    if slug is not None:
        if not ID_PATTERN.match(slug):
            raise ScaffoldError(f"英文名「{slug}」不合规范，只能用小写英文字母、数字和短横线「-」，例如 kaixue-dianli")
    else:
        slug = person_id(title) if kind == "instructor" else slugify(title)
        if not slug:
            raise ScaffoldError(f"无法从「{title}」生成英文名，请用 --slug 指定，例如 --slug kaixue-dianli")
    return _WRITERS[kind](root, title, today, slug, column)


def _new_file(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as out:  # "x": never overwrite
        out.write(text)


def _same_slug(folder: Path, slug: str) -> Path | None:
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.md")):
        match = _DATED.match(path.name)
        if match and match.group(1) == slug:
            return path
    return None


def _topic_example(root: Path) -> str:
    """「例如 [编号]」 with the school's own first topic (none: how to write one)."""
    topics = _records(root, "topics")
    if topics and topics[0].get("id"):
        return f"例如 [{topics[0]['id']}]"
    return "例如 [专题编号]，专题写在 data/topics.yaml"


def _news(root: Path, title: str, today: dt.date, slug: str, _column) -> Created:
    sections = _records(root, "sections")
    if not sections:
        raise ScaffoldError("data/sections.yaml 里还没有任何板块，请先添加板块")
    folder = root / "docs" / "news" / str(today.year)
    clash = _same_slug(folder, slug)
    if clash:
        raise ScaffoldError(f"{clash.relative_to(root).as_posix()} 已经用了英文名「{slug}」，同一年的新闻英文名不能重复，"
                            "请用 --slug 换一个")
    rel = f"docs/news/{today.year}/{today.isoformat()}-{slug}.md"
    _new_file(root, rel, _starter("news.md", title=title, today=today, slug=slug, section="请填写板块编号",
                                  choices="、".join(f"{x.get('id')}（{x.get('name')}）" for x in sections),
                                  topic_example=_topic_example(root)))
    return Created("news", rel, slug, f"news/{today.year}/{slug}/")


def _note(root: Path, title: str, today: dt.date, slug: str, column: str | None) -> Created:
    columns = _records(root, "columns")
    known = "、".join(f"{c.get('id')}（{c.get('name')}）" for c in columns) or "（还没有专栏）"
    if not column:
        raise ScaffoldError(f"新建学习笔记要用 --column 指明专栏，可选：{known}")
    found = next((c for c in columns if column in (c.get("id"), c.get("name"))), None)
    if found is None:
        raise ScaffoldError(f"没有编号或名称为「{column}」的专栏，可选：{known}")
    column_id = str(found["id"])
    clash = _same_slug(root / "docs" / "notes" / column_id, slug)
    if clash:
        raise ScaffoldError(f"{clash.relative_to(root).as_posix()} 已经用了英文名「{slug}」，同一专栏的笔记英文名不能重复，"
                            "请用 --slug 换一个")
    editor = str(found.get("editor") or "").split()
    # the column's editor is a hint in the comment, never the value: a note is often someone else's
    author_hint = f"专栏责任编辑是{editor[-1]}，" if editor else ""
    rel = f"docs/notes/{column_id}/{today.isoformat()}-{slug}.md"
    _new_file(root, rel, _starter("note.md", title=title, today=today, slug=slug, column=found, author="请填写作者姓名", author_hint=author_hint,
                                  topic_example=_topic_example(root)))
    return Created("note", rel, slug, f"notes/{column_id}/{slug}/")


def _bulletin(root: Path, title: str, today: dt.date, slug: str, _column) -> Created:
    rel = f"docs/bulletins/{slug}.md"
    if (root / rel).exists():
        raise ScaffoldError(f"{rel} 已经存在，请用 --slug 换一个英文名")
    issues = []
    for path in sorted((root / "docs" / "bulletins").glob("*.md")):
        meta, _body, _line, problems = read_front_matter(path, path.name)
        issue = meta.get("issue") if meta is not None and not problems else None
        if isinstance(issue, int) and not isinstance(issue, bool):
            issues.append(issue)
    issue = max(issues, default=0) + 1
    _new_file(root, rel, _starter("bulletin.md", title=title, today=today, issue=issue, period=_half_year(today)))
    return Created("bulletin", rel, slug, f"bulletins/{slug}/")


def _append(root: Path, name: str, record_id: str, block: str, what: str) -> str:
    """Append `block` to data/<name>.yaml, keeping every existing byte; check the result first."""
    rel = f"data/{name}.yaml"
    path = root / rel
    before = path.read_bytes() if path.exists() else b""
    text = before.decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    lead = "" if not text or text.endswith("\n") else newline
    lead += newline if text.strip() else ""
    after = text + lead + block.replace("\n", newline)
    old, _ = parse(text, rel)
    new, problems = parse(after, rel)
    if (problems or not isinstance(new, list) or len(new) != len(old or []) + 1
            or not isinstance(new[-1], dict) or new[-1].get("id") != record_id):
        raise ScaffoldError(f"无法在 {rel} 末尾添加{what}：文件的写法和通常的「- id: …」列表不同，请照着已有的记录手工添加")
    with path.open("ab") as out:  # append: the existing bytes stay as they are
        out.write(after.encode("utf-8")[len(before):])
    return rel


def _course(root: Path, title: str, today: dt.date, slug: str, _column) -> Created:
    if slug in _ids(_records(root, "courses")):
        raise ScaffoldError(f"data/courses.yaml 里已经有编号为「{slug}」的课程，编号不能重复，请用 --slug 换一个")
    instructors = _ids(_records(root, "instructors"))
    if not instructors:
        raise ScaffoldError("课程至少要有一位授课教师，但 data/instructors.yaml 里还没有老师，请先新建师资")
    block = _starter("course.yaml", title=title, today=today, slug=slug,
                     category="请填写课程类别", categories=COURSE_CATEGORIES,
                     format="请填写教学形式", formats=COURSE_FORMATS, topic_example=_topic_example(root))
    rel = _append(root, "courses", slug, block, "课程")
    return Created("course", rel, slug, f"courses/{slug}/")


def _instructor(root: Path, title: str, today: dt.date, slug: str, _column) -> Created:
    if slug in _ids(_records(root, "instructors")):
        raise ScaffoldError(f"data/instructors.yaml 里已经有编号为「{slug}」的老师（可能同名），编号不能重复，"
                            "请用 --slug 换一个，例如在后面加上数字")
    block = _starter("instructor.yaml", title=title, today=today, slug=slug,
                     categories=INSTRUCTOR_CATEGORIES, topic_example=_topic_example(root))
    rel = _append(root, "instructors", slug, block, "师资")
    return Created("instructor", rel, slug, f"instructors/{slug}/")


_WRITERS = {"news": _news, "note": _note, "course": _course, "instructor": _instructor, "bulletin": _bulletin}
