"""Files → typed records, collecting every problem in every file.

`load(root, today)` reads `data/*.yaml` and the front matter of the news items,
study notes and bulletins under `docs/`, validates them against `models.py`,
resolves references (by id or Chinese name) to ids, and returns the `Site`
index. If anything is wrong it raises `ContentError` once, with every problem.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from pydantic import BaseModel

from ..content import models as m
from ..content import bulletin as bulletin_config
from ..content import attachments, clock, filing, listing, pagecheck, publishing, screen, signoff
from ..content import reportconfig
from ..content import config as configuration, leaders as roster_check, privacy
from ..content.periods import PeriodError, parse as parse_period
from ..content.problems import ContentError, closest, shown
from .site import Site
from ..content.validate import Collector, Where, validate
from ..content.yamlsrc import parse, read_front_matter

# data file → (model, what an editor calls one record)
DATA_FILES: dict[str, tuple[type[m.Record], str]] = {
    "sections": (m.Section, "板块"),
    "columns": (m.Column, "专栏"),
    "topics": (m.Topic, "专题"),
    "courses": (m.Course, "课程"),
    "instructors": (m.Instructor, "师资"),
    "trainings": (m.Training, "培训班次"),
    "research": (m.Research, "科研课题"),
    "departments": (m.Department, "机构"),
}
LEADERS_FILE = "data/leaders.yaml"  # records without ids: one person in one post each

_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-([a-z0-9][a-z0-9-]*)\.md$")
_SLUG_NAME = re.compile(r"^([a-z0-9][a-z0-9-]*)\.md$")


def load(root: Path | str, today: dt.date | None = None, docs_dir: str = "docs",
         page_names: pagecheck.Names | None = None, screening: bool = True,
         config_file: str = "mkdocs.yml", theme_dir: str = "overrides") -> Site:
    """Read and validate everything; return the index or raise `ContentError`.
    `screening=False` leaves out wrong formulations and personal data (`inspect` screens
    them itself, to report them apart). `theme_dir`: the theme's templates and assets
    (mkdocs.yml's `theme: custom_dir:`), which, like docs/ and data/, must hold plain files
    only."""
    root = Path(root)
    today = today or clock.today()
    out = Collector(root)
    for key, folder in (("docs_dir", docs_dir), ("theme.custom_dir", theme_dir)):
        if _outside(folder):
            out.add(config_file, 0, field_=key, message=f"「{folder}」在项目以外：网站只发布项目里的文件，请写项目里的文件夹")
            raise ContentError(out.problems)
    docs = root / docs_dir
    listed = listing.walk(docs)  # walked once, for the pages, their check and screening
    markdown = listed.markdown
    refused = _refuse_links(out, [listed, listing.walk(root / "data"), listing.walk(root / theme_dir)])
    settings = publishing.read(root, out, config_file)
    printing = bulletin_config.read(root, out, config_file)
    terms = _load_terms(out, root / screen.TERMS_FILE)
    data = {name: _load_data(out, root / "data" / f"{name}.yaml", model, what, name, refused)
            for name, (model, what) in DATA_FILES.items()}
    leaders = _load_leaders(out, root, refused)
    _check_data_names(out, root / "data")
    news = _load_pages(out, docs, "news", m.NewsItem, markdown)
    notes = _load_pages(out, docs, "notes", m.Note, markdown)
    bulletins = _load_pages(out, docs, "bulletins", m.Bulletin, markdown)

    refs = _References(out, data)
    refs.check_topic_parents(data["topics"])
    for record, where in data["courses"]:
        refs.many(where, record, "instructors", "instructors", "授课教师")
        refs.many(where, record, "topics", "topics", "专题")
    for record, where in data["instructors"]:
        refs.many(where, record, "expertise", "topics", "专题")
    for record, where in data["trainings"] + data["research"]:
        refs.many(where, record, "topics", "topics", "专题")
    for record, where in data["research"]:
        refs.one(where, record, "lead", "instructors", "课题负责人")
    for record, where in news:
        refs.one(where, record, "section", "sections", "板块")
        refs.many(where, record, "topics", "topics", "专题")
        if record.department and data["departments"]:  # 信息来源: a department of data/departments.yaml
            refs.one(where, record, "department", "departments", "信息来源（处室）")
        if record.source == "repost" and not record.source_name:
            out.add(where.file, where.line_of("source"), record.title, "source_name",
                    "转载的新闻必须写明转载来源 source_name，例如 source_name: 人民日报")
    _check_files(out, docs, news, data["sections"])
    for record, where in notes:
        refs.many(where, record, "topics", "topics", "专题")
    if "columns" not in out.unreadable:
        _check_columns(out, data["columns"], notes)
    _check_bulletins(out, bulletins)
    _check_unique_urls(out, news + notes + bulletins)
    if page_names is not None:
        out.problems += pagecheck.check_pages(root, docs, page_names, markdown)
    editors = {(kind, r.id): r.editor for kind in ("sections", "columns") for r, _ in data[kind]}
    signoff.check(out, settings, config_file, news + notes, editors, today)
    for record, _ in news + notes:  # set on every load: a record cached from the last load of a
        # preview must not keep a wait from a rule since removed (or miss one since added)
        record.waiting = ((record.review.missing() if record.review else list(m.REVIEW_STEPS))
                          if settings.review_required else [])
    if screening:
        drafts = {where.file for record, where in news + notes + bulletins if record.draft}
        out.problems += screen.screen(root, docs, terms, settings.public_numbers, today, drafts, markdown)
        out.problems += roster_check.check(
            root, docs, roster(root, config_file, leaders, data["instructors"]),
            {where.file: record.date for record, where in news + notes + bulletins}, today, drafts, markdown,
            config_file)
    rules = None
    if (root / config_file).is_file():  # a site, not a bare data folder: its footer must be complete
        out.problems += filing.read(root, config_file, docs_dir, today)[1]
        rules, found = privacy.read(root, config_file)  # and its 个人信息处理规则 published
        out.problems += found
    if "sections" not in out.unreadable:  # the 年度报表's classes name sections (extra.report)
        out.problems += reportconfig.read(root, config_file, {s.id: s.name for s, _ in data["sections"]})[1]

    if out.problems:
        raise ContentError(sorted(set(out.problems)))
    return Site.build(
        today=today, publishing=settings, terms=terms.entries, bulletin=printing,
        leaders=[r for r, _ in leaders], privacy=rules,
        overview=frozenset(name for name in ("leaders", "departments") if (root / "data" / f"{name}.yaml").is_file()),
        **{name: [r for r, _ in records] for name, records in data.items()},
        news=[r for r, _ in news], notes=[r for r, _ in notes], bulletins=[r for r, _ in bulletins],
    )


# --- data/*.yaml ------------------------------------------------------------------


def _outside(folder: str) -> bool:
    normal = os.path.normpath(folder)
    return os.path.isabs(normal) or normal == ".." or normal.startswith("../")


def _refuse_links(out: Collector, listings: list[listing.Listing]) -> set[Path]:
    """Symbolic links, pipes, devices under docs/, data/ and the theme's folder: each a
    problem, none read (listing.walk says why). Their paths."""
    refused = set()
    for found in listings:
        for entry in found.refused:
            out.add(out.rel(entry.path), 0, message=entry.message, kind="input")
            refused.add(entry.path)
    return refused


def _load_data(out: Collector, path: Path, model: type[m.Record], what: str, kind: str,
               refused: set[Path] = frozenset()) -> list[tuple]:
    if path in refused:  # a link is not followed, not even to read it
        out.unreadable.add(kind)
        return []
    if not path.exists():
        return []
    file = out.rel(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        out.add(file, 0, message="文件不是 UTF-8 编码，请用 UTF-8 保存")
        out.unreadable.add(kind)
        return []
    data, problems = _parsed(text, file)
    out.problems += problems
    if problems:
        out.unreadable.add(kind)
    if data is None:
        return []
    if not isinstance(data, list):
        out.add(file, 1, message=f"文件内容应当是一个列表：每条{what}以「- id: …」开头")
        out.unreadable.add(kind)
        return []
    records, seen = [], {}
    for item in data:
        line = getattr(item, "line", 0)
        record = validate(out, model, item, file, line)
        if record is None:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                out.broken.setdefault(kind, set()).add(item["id"])
            continue
        if record.id in seen:
            out.add(file, item.lines.get("id", line), record.id, "id",
                    f"编号「{record.id}」重复，第 {seen[record.id]} 行的{what}已经用了这个编号")
            continue
        seen[record.id] = item.lines.get("id", line)
        records.append((record, Where(file, item)))
    return records


_PARSED: dict[str, tuple] = {}  # file → (text, data, problems) of the last load: `make serve` re-reads


def _parsed(text: str, file: str) -> tuple:
    """A data file's YAML, parsed again only when its text changed (a save in `make serve`
    loads every file; the instructors and classes of a big school take 0.1-0.2 s to parse).
    The parsed mappings are only read, never changed, by validation."""
    kept = _PARSED.get(file)
    if kept is None or kept[0] != text:
        kept = _PARSED[file] = (text, *parse(text, file))
    return kept[1], kept[2]


def _load_terms(out: Collector, path: Path) -> screen.Terms:
    """data/terms.yaml: a wrong form must not be part of any correct formulation, or correct
    text would be reported. A link is not read (refused by `_refuse_links`)."""
    entries = _load_list(out, path, m.Term, "规范表述") if path.is_file() and not path.is_symlink() else []
    for term, where in entries:
        for other, _ in entries:
            for wrong in term.wrong:
                if other is not term and wrong in other.correct:
                    out.add(where.file, where.line_of("wrong"), term.correct, "wrong",
                            f"错误写法「{wrong}」是另一条正确表述「{other.correct}」的一部分，"
                            "会把正确的写法也当成错误，请删去或写得更完整")
    return screen.Terms(tuple(term for term, _ in entries))


def _load_leaders(out: Collector, root: Path, refused: set[Path] = frozenset()) -> list[tuple]:
    """data/leaders.yaml (optional): each record valid, and one holder at a time per post."""
    path = root / LEADERS_FILE
    if path in refused or not path.is_file():
        return []
    records = _load_list(out, path, m.Leader, "领导任职")
    roster_check.check_roster(out, records)
    return records


def roster(root: Path, config_file: str, leaders: list[tuple], instructors: list[tuple]) -> roster_check.Roster:
    """The names the leader check knows: leaders, instructors, and the school's own names."""
    settings = configuration.read(root, config_file)
    data = settings.data if settings.readable else {}
    extra = data.get("extra") if hasattr(data, "get") else None
    filing_ = extra.get("filing") if hasattr(extra, "get") else None
    school = [data.get("site_name") if hasattr(data, "get") else None]
    if hasattr(filing_, "get"):
        school += [filing_.get("sponsor"), filing_.get("organizer")]
    return roster_check.Roster.of([r for r, _ in leaders], [r.name for r, _ in instructors],
                                  [s for s in school if isinstance(s, str)])


def _load_list(out: Collector, path: Path, model: type[m.Record], what: str) -> list[tuple]:
    """A data file of records without ids."""
    file = out.rel(path)
    try:
        data, problems = parse(path.read_text(encoding="utf-8"), file)
    except UnicodeDecodeError:
        out.add(file, 0, message="文件不是 UTF-8 编码，请用 UTF-8 保存")
        return []
    out.problems += problems
    if data is None or problems:
        return []
    if not isinstance(data, list):
        out.add(file, 1, message=f"文件内容应当是一个列表：每条{what}以「- 」开头")
        return []
    records = []
    for item in data:
        record = validate(out, model, item, file, getattr(item, "line", 0))
        if record is not None:
            records.append((record, Where(file, item)))
    return records


def _check_data_names(out: Collector, folder: Path) -> None:
    """A misnamed data file would silently be ignored: say so instead."""
    if not folder.is_dir():
        return
    expected = [f"{name}.yaml" for name in DATA_FILES] + ["terms.yaml", "leaders.yaml"]
    for path in sorted(folder.iterdir()):
        if path.suffix in (".yaml", ".yml") and path.name not in expected:
            guess = closest(path.name, expected)
            hint = f"，是否是「{guess}」？" if guess else f"。网站读取的数据文件有：{'、'.join(expected)}"
            out.add(out.rel(path), 0, message=f"网站不读取这个文件{hint}")


# --- docs/**/*.md -----------------------------------------------------------------


def _load_pages(out: Collector, docs: Path, folder: str, model: type[m.Page],
                markdown: list[listing.Entry]) -> list[tuple]:
    base = docs / folder
    records = []
    for entry in markdown:
        if not entry.rel.startswith(folder + "/") or entry.path.name == "index.md":
            continue
        record, where, problems = _page(out.root, docs, base, folder, model, entry)
        out.problems += problems
        if record is not None:
            records.append((record, where))
    return records


# path → ((mtime, size), (record, where, problems)): `make serve` rebuilds after every save, and
# re-reads and re-validates only the files that changed since (a record's own problems depend on
# its file alone; references between records are checked again on every load)
_PAGES: dict[Path, tuple] = {}


def _page(root: Path, docs: Path, base: Path, folder: str, model: type[m.Page], entry: listing.Entry) -> tuple:
    path = entry.path
    key = (entry.mtime_ns, entry.size, model)
    cached = _PAGES.get(path)
    if cached and cached[0] == key:
        return cached[1]
    out = Collector(root)
    file = out.rel(path)
    record = where = None
    extra = _derived(out, file, folder, path.relative_to(base).parts)
    if extra is not None:
        extra["src"] = entry.rel
        meta, body, _line, problems = read_front_matter(path, file)
        out.problems += problems
        if not problems:
            extra["reading_minutes"] = reading_minutes(body)
            record = validate(out, model, meta, file, 1, extra)
            if folder in ("news", "notes") and _placeholder_paragraph(out, file, body, _line):
                record = None
            if record is not None:
                where = Where(file, meta)
                if getattr(record, "cover", None):
                    _check_cover(out, record, where, path)
                    record.cover_in_text = bool(record.cover_file) and Path(record.cover_file).name in body
                if folder != "bulletins":
                    _check_file_date(out, record, where, path.name)
                if folder == "news":
                    record.file_links = attachments.links_in(body, _line)
    result = (record, where, out.problems)
    _PAGES[path] = (key, result)
    return result


def _derived(out: Collector, file: str, folder: str, parts: tuple[str, ...]) -> dict | None:
    """File name → slug, URL and column; None (with a problem) if the name is wrong."""
    name = parts[-1]
    if folder == "bulletins":
        match = _SLUG_NAME.match(name)
        if len(parts) != 1 or not match:
            out.add(file, 0, message="简报文件应直接放在 docs/bulletins/ 下，文件名只用小写英文字母、数字和短横线，"
                                     "例如 docs/bulletins/2023-h1.md")
            return None
        slug = match.group(1)
        return {"file": file, "slug": slug, "url": f"bulletins/{slug}/"}
    match = _DATED_NAME.match(name)
    example = "docs/news/2023/2023-03-06-kaixue-dianli.md" if folder == "news" else \
        "docs/notes/专栏编号/2023-03-06-xuexi-biji.md（专栏编号见 data/columns.yaml）"
    if len(parts) != 2 or not match:
        out.add(file, 0, message=f"文件位置或文件名不对：应为「{folder}/文件夹/年-月-日-英文名.md」，"
                                 f"英文名只用小写字母、数字和短横线，例如 {example}")
        return None
    slug = match.group(2)
    if folder == "news":
        return {"file": file, "slug": slug, "url": f"news/{parts[0]}/{slug}/"}
    return {"file": file, "slug": slug, "url": f"notes/{parts[0]}/{slug}/", "column": parts[0]}


# the paragraph a starter of `new` writes as the body (macros/templates/starters/news.md, note.md)
PLACEHOLDER_PARAGRAPH = "（请把这一段换成"


def _placeholder_paragraph(out: Collector, file: str, body: str, body_line: int) -> bool:
    """Report the starter's placeholder paragraph if the body still holds it."""
    for number, line in enumerate(body.splitlines()):
        if line.strip().startswith(PLACEHOLDER_PARAGRAPH):
            out.add(file, body_line + number, field_="正文",
                    message=f"还没有填写正文：请把「{line.strip()}」这一段换成实际内容")
            return True
    return False


def reading_minutes(body: str) -> int:
    """Minutes to read: Chinese counted by characters (about 400 a minute), other text by
    words (about 200 a minute). Material's blog counts words separated by spaces, which
    takes a whole Chinese paragraph for one word. Every non-ASCII character is counted as a
    character (Chinese punctuation takes reading time too): two passes in C, no regex."""
    ascii_text = body.encode("ascii", "ignore")
    characters = len(body) - len(ascii_text)
    words = len(ascii_text.split())
    return max(1, round(characters / 400 + words / 200))


_IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".webp")


def _check_cover(out: Collector, record: m.NewsItem, where: Where, path: Path) -> None:
    """A cover is a path relative to the news file, like an image in Markdown."""
    cover = (path.parent / record.cover).resolve()
    if cover.suffix.lower() not in _IMAGE_TYPES:
        out.add(where.file, where.line_of("cover"), record.title, "cover",
                f"封面图「{record.cover}」应为 JPG、PNG 或 WebP 图片")
    elif not cover.is_file():
        out.add(where.file, where.line_of("cover"), record.title, "cover",
                f"找不到封面图「{record.cover}」：请把图片放进 docs/ 里，并写相对于这条新闻的路径，例如 images/kaixue.jpg")
    else:
        record.cover_file = str(cover)


def _check_files(out: Collector, docs: Path, news: list[tuple], sections: list[tuple]) -> None:
    """Attachments and videos, on every load (macros/content/attachments.py); an item of a
    信息公开 section must have its attachments (the tables it discloses)."""
    disclosure = {s.id for s, _ in sections if s.kind == "disclosure"}
    for record, where in news:
        attachments.check(out, record, where, docs)
        if record.section in disclosure and not record.attachments:
            out.add(where.file, where.line_of("title"), record.title, "attachments",
                    f"「{record.section}」是信息公开板块，每条都必须有附件（例如预算表、决算表的 PDF 或 XLS）："
                    "请在页头写 attachments: [{file: 附件/2026年部门预算.pdf, name: 2026年部门预算}]")


def _check_file_date(out: Collector, record: m.Page, where: Where, name: str) -> None:
    written = name[:10]
    if written != record.date.isoformat():
        out.add(where.file, where.line_of("date"), record.title, "date",
                f"页头的日期 {record.date.isoformat()} 与文件名中的日期 {written} 不一致。发布日期是 "
                f"{record.date.isoformat()} 的，把文件改名为「{record.date.isoformat()}{name[10:]}」"
                f"（改名见编辑指南 EDITING.md#rename）；发布日期是 {written} 的，把 date 改成 {written}")
    elif isinstance(record, m.NewsItem) and where.file.split("/")[-2] != str(record.date.year):
        out.add(where.file, where.line_of("date"), record.title, "date",
                f"新闻应放在年份文件夹 docs/news/{record.date.year}/ 下")


# --- references -----------------------------------------------------------------


class _References:
    """Resolves references written as an id or a Chinese name, reporting dangling ones."""

    def __init__(self, out: Collector, data: dict[str, list[tuple]]):
        self.out = out
        self.broken = out.broken
        self.by_id: dict[str, dict[str, str]] = {}
        self.by_name: dict[str, dict[str, str]] = {}
        for kind, records in data.items():
            self.by_id[kind] = {r.id: r.id for r, _ in records}
            # instructors are referred to by id only; their names only feed the suggestion
            self.by_name[kind] = {getattr(r, "name", None) or getattr(r, "title", ""): r.id for r, _ in records}

    def resolve(self, kind: str, value: str) -> str | None:
        if value in self.by_id[kind]:
            return value
        if kind != "instructors" and value in self.by_name[kind]:
            return self.by_name[kind][value]
        return None

    def problem(self, where: Where, record, key: str, kind: str, what: str, value: str) -> None:
        if kind in self.out.unreadable:
            return  # its file has its own problem already
        if kind == "instructors":
            guess = self.by_name[kind].get(value) or closest(value, self.by_id[kind])
        else:
            names = self.by_name[kind]
            guess = closest(value, [*names, *self.by_id[kind]])
        hint = f"，是否是「{guess}」？" if guess else f"。请先在 data/{kind}.yaml 中添加，或改用已有的{what}"
        self.out.add(where.file, where.line_of(key), _name(record), key, f"未知的{what}「{shown(value)}」{hint}")

    def one(self, where: Where, record, key: str, kind: str, what: str) -> None:
        value = getattr(record, key)
        resolved = self.resolve(kind, value)
        if resolved is not None:
            setattr(record, key, resolved)
        elif value not in self.broken.get(kind, ()):
            self.problem(where, record, key, kind, what, value)

    def many(self, where: Where, record, key: str, kind: str, what: str) -> None:
        resolved = []
        for value in getattr(record, key):
            found = self.resolve(kind, value)
            if found is None and value in self.broken.get(kind, ()):
                continue  # that record has its own problem already
            if found is None:
                self.problem(where, record, key, kind, what, value)
            elif found not in resolved:
                resolved.append(found)
        setattr(record, key, resolved)

    def check_topic_parents(self, topics: list[tuple]) -> None:
        for record, where in topics:
            if record.parent is not None:
                self.one(where, record, "parent", "topics", "上级专题")
        parents = {r.id: r.parent for r, _ in topics}
        for record, where in topics:
            chain, current = [record.id], parents.get(record.id)
            while current is not None and current in parents:
                if current == record.id:
                    path = " → ".join(chain + [current])
                    self.out.add(where.file, where.line_of("parent"), record.id, "parent",
                                 f"专题的上级关系形成了循环：{path}，请去掉其中一个 parent")
                    break
                if current in chain:
                    break  # a cycle further up, reported on its own members
                chain.append(current)
                current = parents.get(current)


def _name(record: BaseModel) -> str:
    return getattr(record, "id", None) or getattr(record, "title", "")


# --- whole-collection rules ------------------------------------------------------


def _check_columns(out: Collector, columns: list[tuple], notes: list[tuple]) -> None:
    ids = [r.id for r, _ in columns]
    names = {r.name: r.id for r, _ in columns}
    reported = set()
    for record, where in notes:
        if record.column in ids or record.column in reported:
            continue
        reported.add(record.column)
        guess = closest(record.column, ids) or names.get(record.column)
        hint = f"，是否是「{guess}」？" if guess else "。请先在 data/columns.yaml 中添加这个专栏"
        out.add(where.file, 0, "", "",
                f"文件夹「notes/{record.column}」不是任何专栏的编号{hint}")


def _check_bulletins(out: Collector, bulletins: list[tuple]) -> None:
    bulletin_config.number([record for record, _ in bulletins])  # 第N期, 总第N期 of the printed editions
    published = sorted(r.date for r, _ in bulletins if not r.draft)
    for record, where in bulletins:  # the web's 期号 is the 总第N期: computed, or written and checked
        counted = record.total or sum(1 for day in published if day <= record.date) + 1  # a draft: as if published
        if record.issue is None:
            record.issue = counted
        elif not record.draft and record.issue != counted:
            out.add(where.file, where.line_of("issue"), record.title, "issue",
                    f"期号写的是 {record.issue}，按印发日期排是总第 {counted} 期：删去 issue 这一行（期号会自动算出），"
                    "或核对这一期和其他各期的日期")
        try:
            parse_period(record.period)
        except PeriodError as error:
            out.add(where.file, where.line_of("period"), record.title, "period", str(error))


def _check_unique_urls(out: Collector, pages: list[tuple]) -> None:
    seen: dict[str, str] = {}
    for record, where in pages:
        if record.url in seen:
            out.add(where.file, 0, record.title, "",
                    f"网址 /{record.url} 与 {seen[record.url]} 相同：同一年的新闻（或同一专栏的笔记）"
                    "文件名中的英文名不能重复，请换一个英文名")
        else:
            seen[record.url] = where.file
