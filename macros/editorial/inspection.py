"""`python -m macros inspect`: the site checked the way a party or government website is
inspected (《政府网站与政务新媒体检查指标》), before the inspectors do.

What counts, and what fails the site outright (单项否决):
- a section not updated within its interval (`Section.interval`: news-type 14 days, notice-type
  180 days, or its own `update_every_days`); five or more such sections fail the site;
- an empty section or column (nothing published in it);
- an item without a publish date (the loader refuses it: it can never be published);
- a broken internal link or image in the Markdown sources;
- a wrong official formulation (data/terms.yaml), personal data, or a leader named with a post he or
  she did not hold on the item's day (`content/leaders.py`): each fails the site.

Content problems that stop the build (`check`) are listed first: an unbuildable site fails too.
"""
from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import freshness, review
from ..index import load as loader
from ..content import leaders as names, publishing, screen
from ..content import models as m
from ..output.library import Library
from ..content.problems import ContentError, Problem
from ..output.render import render, url_of
from ..index.site import Site

STALE_VETO = 5  # stale sections that fail the site

KINDS = {  # kind → (title, whether each finding fails the site)
    "content": ("内容检查未通过（网站无法生成）", False),
    "stale": ("栏目不更新", False),
    "empty": ("空白栏目", False),
    "undated": ("没有发布日期的内容", False),
    "waiting": ("待审内容（审核通过前不发布）", False),
    "link": ("失效的内部链接", False),
    "image": ("找不到的图片", False),
    "term": ("严重表述错误（单项否决）", True),
    "personal": ("公开了个人信息（单项否决）", True),
    "leader": ("领导姓名与职务不符（单项否决）", True),
}


@dataclass(frozen=True)
class Finding:
    kind: str
    file: str
    line: int
    message: str

    def where(self) -> str:
        return self.file + (f" 第 {self.line} 行" if self.line else "")


@dataclass
class Inspection:
    today: dt.date
    findings: list[Finding] = field(default_factory=list)

    def of(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    @property
    def vetoes(self) -> list[str]:
        """Why the site fails the inspection outright, in Chinese; empty if it does not."""
        reasons = []
        stale = len(self.of("stale"))
        if stale >= STALE_VETO:
            reasons.append(f"{stale} 个栏目超过更新期限（{STALE_VETO} 个及以上即单项否决）")
        if self.of("term"):
            reasons.append(f"严重表述错误 {len(self.of('term'))} 处")
        if self.of("personal"):
            reasons.append(f"公开了个人信息 {len(self.of('personal'))} 处")
        if self.of("leader"):
            reasons.append(f"领导姓名与职务不符 {len(self.of('leader'))} 处")
        return reasons

    @property
    def passed(self) -> bool:
        return not self.vetoes and not self.of("content")

    def counts(self) -> dict[str, int]:
        return {kind: len(self.of(kind)) for kind in KINDS}

    def groups(self) -> list[tuple[str, str, list[Finding]]]:
        return [(kind, title, self.of(kind)) for kind, (title, _veto) in KINDS.items()]

    def verdict(self) -> str:
        if self.of("content"):
            return "未通过：内容检查发现问题，网站无法生成，请先修改。"
        if self.vetoes:
            return "未通过（单项否决）：" + "；".join(self.vetoes) + "。"
        faults = [f for f in self.findings if f.kind != "waiting"]
        if faults:
            return f"通过，但有 {len(faults)} 个问题需要整改。"
        return "通过：没有发现问题。"

    def text(self) -> str:
        lines = [f"网站自查报告（按 {self.today.isoformat()} 计算）"]
        for _kind, title, found in self.groups():
            if found:
                lines.append(f"{title}：{len(found)} 处")
                lines += [f"  {f.where()}：{f.message}" for f in found]
        lines.append("结论：" + self.verdict())
        return "\n".join(lines)

    def markdown(self) -> str:
        return render("inspection_report.md", inspection=self)

    def as_json(self) -> dict:
        return {
            "today": self.today.isoformat(), "passed": self.passed, "vetoes": self.vetoes,
            "counts": self.counts(), "findings": [asdict(f) for f in self.findings],
        }


def inspect(root: Path, today: dt.date, docs_dir: str = "docs", extra_names=(),
            config_file: str = "mkdocs.yml") -> Inspection:
    root = Path(root)
    result = Inspection(today)
    site = None
    try:
        site = loader.load(root, today, docs_dir, Library.names(extra_names), screening=False, config_file=config_file)
    except ContentError as error:
        for p in error.problems:
            undated = p.field == "date" and p.kind == "missing"
            result.findings.append(Finding("undated" if undated else "content", p.file, p.line, _text(p)))
    out = loader.Collector(root)
    settings = publishing.read(root, out, config_file)
    terms = loader._load_terms(out, root / screen.TERMS_FILE)  # its problems are among the content's
    drafts = {p.file for p in site.drafts()} if site else set()
    for p in screen.screen(root, root / docs_dir, terms, settings.public_numbers, today, drafts):
        result.findings.append(Finding(p.kind, p.file, p.line, p.message))
    leaders = [(r, None) for r in site.leaders] if site else loader._load_leaders(out, root)
    instructors = [(r, None) for r in site.instructors.values()] if site else []
    days = {p.file: p.date for p in site.by_src.values()} if site else {}
    for p in names.check(root, root / docs_dir, loader.roster(root, config_file, leaders, instructors), days,
                         today, drafts, config_file=config_file):
        result.findings.append(Finding(p.kind, p.file, p.line, p.message))
    if site is not None:
        result.findings += _sections(root, site) + _overview(site) + _links(root, root / docs_dir, site)
        result.findings += [Finding("waiting", p.file, review.line_of_review(root, p), review.pending(site, p))
                            for p in review.waiting(site)]
    order = list(KINDS)
    result.findings.sort(key=lambda f: (order.index(f.kind), f.file, f.line))
    return result


def _text(problem: Problem) -> str:
    """A problem's message with its record and field, without the place (shown apart)."""
    text = str(problem)
    where = problem.file + (f" 第 {problem.line} 行" if problem.line else "")
    return text[len(where):].lstrip("，：")


def _id_line(path: Path, record_id: str) -> int:
    pattern = re.compile(r"^\s*-?\s*id:\s*['\"]?" + re.escape(record_id) + r"['\"]?\s*(#.*)?$")
    if path.exists():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.match(line):
                return number
    return 0


def _sections(root: Path, site: Site) -> list[Finding]:
    found = []
    sections, columns = root / "data" / "sections.yaml", root / "data" / "columns.yaml"
    for late in freshness.overdue(site):
        line = _id_line(sections, late.section.id)
        if late.days is None:
            found.append(Finding("empty", "data/sections.yaml", line,
                                 f"板块「{late.section.name}」（{late.section.id}）还没有发布过新闻：空白栏目在检查中算作问题，"
                                 "请发布内容，或在 data/sections.yaml 中删去这个板块"))
        else:
            kind = m.SECTION_KINDS[late.section.kind]
            found.append(Finding("stale", "data/sections.yaml", line, f"{late.line()}（{kind}）"))
    for column in site.columns.values():
        if not site.notes_by_column.get(column.id):
            found.append(Finding("empty", "data/columns.yaml", _id_line(columns, column.id),
                                 f"专栏「{column.name}」（{column.id}）还没有发布过笔记：空白栏目在检查中算作问题，"
                                 "请发布内容，或在 data/columns.yaml 中删去这个专栏"))
    return found


def _overview(site: Site) -> list[Finding]:
    """学校概况's generated pages with nothing on them (an emptied data file, as `init` leaves it)."""
    found = []
    if "leaders" in site.overview and not site.current_leaders():
        found.append(Finding("empty", "data/leaders.yaml", 0, "学校概况的“现任领导”一页还没有内容：空白栏目在检查中算作问题，"
                                                              "请在 data/leaders.yaml 中写上学校领导（编辑指南“学校概况”一节）"))
    if "departments" in site.overview and not site.departments:
        found.append(Finding("empty", "data/departments.yaml", 0, "学校概况的“机构设置”一页还没有内容：空白栏目在检查中算作问题，"
                                                                  "请在 data/departments.yaml 中写上内设机构（编辑指南“学校概况”一节）"))
    return found


# [text](target "title"), ![alt](target), and src= / href= in raw HTML
_MD_LINK = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
_HTML_LINK = re.compile(r"<(img|a)\b[^>]*?\b(?:src|href)\s*=\s*[\"']([^\"']+)[\"']", re.I)
_EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//|#)", re.I)


def _links(root: Path, docs: Path, site: Site) -> list[Finding]:
    from ..output import pages  # the generated pages exist only in a build: their paths come from here

    files = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()}
    generated = {g.src_uri for g in pages.generate(site, "/", "")}
    targets = files | generated
    urls = {url_of(src) for src in targets if src.endswith(".md")}
    urls |= {page.url for page in site.by_src.values() if site.is_published(page)}
    withheld = {page.src for page in site.unpublished}
    found = []
    for path in sorted(docs.rglob("*.md")):
        src = path.relative_to(docs).as_posix()
        if src in withheld:
            continue  # not published: its links are checked when it is
        file = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            for image, target in _targets(line):
                if "{" in target or _EXTERNAL.match(target):
                    continue  # macros, other sites, anchors on the page
                resolved = _resolve(src, target)
                if resolved is None or _exists(resolved, targets, urls, withheld):
                    continue
                if image:
                    found.append(Finding("image", file, number, f"找不到图片「{target}」：请检查文件名和路径（相对于这个文件）"))
                else:
                    found.append(Finding("link", file, number, f"链接「{target}」指向的页面或文件不存在：请检查路径，"
                                                                "或确认目标页面已经发布"))
    return found


def _targets(line: str):
    for match in _MD_LINK.finditer(line):
        yield match.group(1) == "!", match.group(2)
    for match in _HTML_LINK.finditer(line):
        yield match.group(1).lower() == "img", match.group(2)


def _resolve(src: str, target: str) -> str | None:
    path = re.split(r"[#?]", target, maxsplit=1)[0]
    if not path:
        return None
    if path.startswith("/"):  # absolute links are relative to docs/ (mkdocs.yml validation)
        joined = path.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(src), path)
    normal = posixpath.normpath(joined)
    if path.endswith("/") and normal != ".":
        normal += "/"
    return "" if normal in (".", "./") else normal


def _exists(path: str, targets: set[str], urls: set[str], withheld: set[str]) -> bool:
    if path in withheld:
        return False  # a link to an item that is not published is broken on the site
    if path in targets or path == "":
        return True
    url = path if path.endswith("/") else path + "/"
    return url in urls or (url + "index.md").lstrip("/") in targets
