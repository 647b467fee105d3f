"""The editors' desk (/admin/) driven in Chromium as an editor uses it, offline.

The desk runs in its local mode ("使用本地仓库"): Sveltia CMS reads and writes a folder the editor
picks with the browser's File System Access API. Playwright cannot click a system folder dialog,
so the one thing stubbed is `showDirectoryPicker`: it returns a folder of the browser's private
file system (OPFS) holding a copy of the `small` school. Everything else is the real CMS on the
real generated configuration: the forms are filled with clicks and keys, Chinese is typed through
IME composition events (CDP Input.imeSetComposition, then Input.insertText), a cover photo is
uploaded through the image field, teachers are picked from the list. What the CMS wrote is then
copied back into the project, committed to its Git repository, and must pass `check` and the
strict build. Every request to another host is refused and recorded: none may be attempted.
"""
from __future__ import annotations

import base64
import datetime as dt
import functools
import http.server
import re
import struct
import subprocess
import threading
import zlib
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, copy_project
from macros.editorial import desk, scaffold

pytestmark = pytest.mark.browser

SEED = """async (files) => {
  const root = await navigator.storage.getDirectory();
  try { await root.removeEntry('repo', {recursive: true}); } catch (error) {}
  const repo = await root.getDirectoryHandle('repo', {create: true});
  for (const [path, data] of Object.entries(files)) {
    const parts = path.split('/');
    let folder = repo;
    for (const part of parts.slice(0, -1)) folder = await folder.getDirectoryHandle(part, {create: true});
    const writable = await (await folder.getFileHandle(parts.at(-1), {create: true})).createWritable();
    await writable.write(Uint8Array.from(atob(data), c => c.charCodeAt(0)));
    await writable.close();
  }
}"""
READ = """async () => {
  const out = {};
  async function walk(folder, prefix) {
    for await (const [name, handle] of folder.entries()) {
      if (handle.kind === 'directory') { await walk(handle, prefix + name + '/'); continue; }
      const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
      let text = '';
      for (const byte of bytes) text += String.fromCharCode(byte);
      out[prefix + name] = btoa(text);
    }
  }
  await walk(await (await navigator.storage.getDirectory()).getDirectoryHandle('repo'), '');
  return out;
}"""
VIOLATIONS = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
              "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
PICKER = "window.showDirectoryPicker = async () => (await navigator.storage.getDirectory()).getDirectoryHandle('repo');"
ONE_FILE = """async (path) => {
  let folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('repo');
  const parts = path.split('/');
  try {
    for (const part of parts.slice(0, -1)) folder = await folder.getDirectoryHandle(part);
    return await (await (await folder.getFileHandle(parts.at(-1))).getFile()).text();
  } catch (error) { return null; }
}"""
OVERFLOW = """() => [...document.querySelectorAll('section.field[data-key-path], button, input, textarea')]
  .filter(e => e.getClientRects().length && !e.closest('[inert], [aria-hidden=true]'))
  .map(e => [e.dataset.keyPath || e.tagName, e.getBoundingClientRect()])
  .filter(([, r]) => r.left < 0 || r.right > innerWidth).map(([name]) => name)"""
KEY_PATHS = "() => [...document.querySelectorAll('section.field[data-key-path]')].map(e => e.dataset.keyPath)"


def photo() -> bytes:
    """A 64×48 red PNG: a cover photo."""
    raw = b"".join(b"\x00" + bytes([200, 30, 30]) * 64 for _ in range(48))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 48, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def admin_csp() -> str:
    """The Content-Security-Policy deploy/nginx/admin.conf sends for /admin/, its variable filled in."""
    conf = (ROOT / "deploy" / "nginx" / "admin.conf").read_text(encoding="utf-8")
    policy = re.search(r'add_header Content-Security-Policy "([^"]+)"', conf).group(1)
    git = re.search(r'set \$qcdx_desk_git "([^"]+)"', conf).group(1)
    return policy.replace("$qcdx_desk_git", git)


class _Desk(http.server.SimpleHTTPRequestHandler):
    """Serves the site as nginx would the desk: /admin/ with admin.conf's CSP."""

    def end_headers(self):
        if self.path.startswith("/admin/"):
            self.send_header("Content-Security-Policy", admin_csp())
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def desk_site(small, tmp_path):
    """The small school with its desk, served on 127.0.0.1; its files as the CMS will see them."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>站点</title>", encoding="utf-8")
    assert desk.write(small.root, site, modules=ROOT) == [], "the desk needs `npm ci` (make desk-assets)"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Desk, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    paths = [small.path("mkdocs.yml"), *small.path("docs").rglob("*"), *small.path("data").rglob("*")]
    files = {str(p.relative_to(small.root)): base64.b64encode(p.read_bytes()).decode() for p in paths if p.is_file()}
    files[".git/HEAD"] = base64.b64encode(b"ref: refs/heads/main\n").decode()  # a repository's root
    yield small, f"http://127.0.0.1:{server.server_address[1]}", files
    server.shutdown()


def ime(cdp, composing: list[str], text: str) -> None:
    """Type Chinese as a pinyin IME does: the composition grows, then the characters are committed."""
    for partial in composing:
        cdp.send("Input.imeSetComposition", {"text": partial, "selectionStart": len(partial), "selectionEnd": len(partial)})
    cdp.send("Input.insertText", {"text": text})


class Desk:
    def __init__(self, page, cdp):
        self.page, self.cdp = page, cdp

    def field(self, key: str):
        """The editor's field at a key path (title, review.first, courses.5.instructors); the CMS
        draws fields as they scroll into view, so scroll until it is there."""
        found = self.page.locator(f'section.field[data-key-path="{key}"]')
        self.page.locator("section.field[data-key-path]").first.wait_for()
        for step in range(40):
            if found.count():
                found.scroll_into_view_if_needed()
                return found
            self.page.mouse.move(300, 500)
            self.page.mouse.wheel(0, 500 if step < 20 else -500)  # down, then back up
            self.page.wait_for_timeout(100)
        return found

    def type(self, key: str, composing: list[str], text: str) -> None:
        self.field(key).locator("input, [contenteditable=true]").first.click()
        ime(self.cdp, composing, text)
        self.page.wait_for_timeout(150)

    def fill(self, key: str, text: str) -> None:
        self.field(key).locator("input, textarea").first.fill(text)

    def expand(self, kind: str) -> None:
        """Open every record of a data file's list, to edit one that is there."""
        found = self.field(kind)
        every = found.get_by_role("button", name=re.compile("全部展开"))
        # a list of one record has no 全部展开, only the record's own 展开
        (every if every.count() else found.get_by_role("button", name="展开", exact=True).first).click()

    def body(self, text: str) -> None:
        self.field("body").locator("[contenteditable=true]:visible, textarea:visible").first.click()
        self.cdp.send("Input.insertText", {"text": text})
        self.page.wait_for_timeout(150)

    def choose(self, key: str, option: str) -> None:
        self.field(key).get_by_role("combobox").click()
        self.page.get_by_role("option", name=option).click()

    def add(self, kind: str) -> str:
        """Add a record to a data file's list; its key path (courses.5)."""
        self.field(kind).get_by_role("button", name=re.compile("添加")).last.click()
        self.page.wait_for_timeout(200)
        return f"{kind}.{max(int(k.split('.')[1]) for k in self.page.evaluate(KEY_PATHS) if k.startswith(kind + '.'))}"

    def save(self, path: str, written: str) -> None:
        """Press 保存, then wait until the file holds what was typed (a toast may be an earlier one)."""
        self.page.get_by_role("button", name="保存").click()
        for _ in range(100):
            if written in (self.page.evaluate(ONE_FILE, path) or ""):
                break
            self.page.wait_for_timeout(100)
        else:
            raise AssertionError(f"{path} does not hold {written!r} after 保存")
        if path.startswith("data/"):  # the CMS then goes back to the collection by itself
            self.page.wait_for_url(re.compile(r"#/collections/[a-z-]+$"))
        self.settle()

    def settle(self) -> None:
        """Wait until the CMS has stopped moving between views (the address unchanged for 0.5 s)."""
        last = self.page.url
        for _ in range(30):
            self.page.wait_for_timeout(500)
            if self.page.url == last:
                return
            last = self.page.url

    def visit(self, origin: str, view: str) -> None:
        """Open a view of the desk by its address, as a bookmark would."""
        self.page.goto(f"{origin}/admin/#/{view}")
        self.page.reload()
        self.settle()


LEADERS = ("- post: 校长\n  name: 王校长\n  start: 2020-01-01\n"
           "- post: 副校长\n  name: 李副校\n  duties: 分管教学。\n  start: 2021-02-01\n  note: 兼\n")
MISSING = object()


def front(text: str) -> tuple[dict, str]:
    """A Markdown file's front matter (as PyYAML reads it) and its body."""
    head, body = text.removeprefix("---\n").split("\n---\n", 1)
    return yaml.safe_load(head), body


def changed_fields(before: dict, after: dict, as_text: tuple[str, ...] = ()) -> set[str]:
    """The fields whose value PyYAML reads differently; in `as_text`, a number that came back as
    its own digits (a text field: DEVELOPING.md, the desk) is not counted."""
    def same(name):
        old, new = before.get(name, MISSING), after.get(name, MISSING)
        return old == new or name in as_text and isinstance(old, (int, float)) and new == str(old)
    return {name for name in {*before, *after} if not same(name)}


def saved_as_touched(before: str, after: str, edited: dict[int, set[str]], added: int = 0,
                     as_text: tuple[str, ...] = ()) -> None:
    """A data file saved through the desk: every record equal to what it was, but for the
    fields edited (record index → names) and the records added at the end."""
    old, new = yaml.safe_load(before), yaml.safe_load(after)
    assert len(new) == len(old) + added
    changes = {i: changed_fields(a, b, as_text) for i, (a, b) in enumerate(zip(old, new))}
    assert {i: c for i, c in changes.items() if c} == edited


def written_by_new(root: Path, cover: bytes):
    """What `python -m macros new` writes for the facts the editor types into the desk in the test
    below, its placeholders filled in as EDITING.md says (lines an editor leaves empty deleted)."""
    project = copy_project(FIXTURES / "small", root)

    def new(kind: str, title: str, day: dt.date, filled: dict[str, str], **options) -> None:
        data = project.path(f"data/{kind}s.yaml")
        before = data.read_text(encoding="utf-8") if kind in ("course", "instructor") else ""
        rel = scaffold.create(project.root, kind, title, day, **options).path
        text = project.path(rel).read_text(encoding="utf-8")[len(before):]  # what `new` added
        for old, replacement in filled.items():
            assert re.search(old, text, re.M), f"{old!r} not in what `new` wrote to {rel}"
            text = re.sub(old, replacement, text, count=1, flags=re.M)
        project.write(rel, before + text)

    blank = lambda field: (rf"^(\s*){field}: 请填写[^\n]*\n", "")  # noqa: E731  an optional line left empty
    new("news", "校园新闻", dt.date(2023, 9, 1), {
        "^section: .*$": "section: news-a", "^topics: .*$": "topics: [t1]",
        "^# review: .*$": "review: {first: 张敏 2023-08-30, second: 许慧敏 2023-08-31, final: 林国栋 2023-09-01}\ncover: images/cover.png",
        "^（请把这一段换成新闻正文。.*$": "开学典礼在礼堂举行，学员代表发言。"}, slug="kaixue")
    project.path("docs/news/2023/images").mkdir(exist_ok=True)
    project.path("docs/news/2023/images/cover.png").write_bytes(cover)
    new("instructor", "张伟", dt.date(2024, 1, 1), {
        "^  kind: .*$": "  kind: full-time", "^  category: .*$": "  category: 专家学者",
        **dict(blank(f) for f in ("title", "organization", "bio"))})
    new("course", "党性修养", dt.date(2024, 1, 1), {
        "^  category: .*$": "  category: 党性教育", "^  format: .*$": "  format: 讲授式",
        "^  instructors: .*$": "  instructors: [zhang-wei]", **dict([blank("summary")])}, slug="xin-kecheng")
    new("note", "笔记三", dt.date(2023, 10, 1), {
        "^author: .*$": "author: 李四", "^（请把这一段换成笔记正文。.*$": "学习体会。"}, slug="biji-san", column="col")
    new("bulletin", "2023年下半年工作简报", dt.date(2023, 12, 20), {}, slug="jianbao-2023h2")
    return project


def facts(record) -> dict:
    """A validated record's fields that an editor writes (not the file, url or counts derived)."""
    return {name: getattr(record, name) for name in type(record).input_fields()}


def test_an_editor_writes_news_a_course_and_a_teacher_through_the_desk(desk_site, browser, tmp_path):
    project, origin, files = desk_site
    # an item already signed off by hand, each step on one line as EDITING.md teaches (the form
    # the desk reads: `check` refuses a step written as {name: …, date: …}, tests/test_review.py)
    project.edit("docs/news/2023/2023-02-01-a.md", "title:",
                 "review:\n  first: 张敏 2023-01-30\n  second: 许慧敏 2023-01-31\ntitle:")
    project.write("data/departments.yaml", "- id: office\n  name: 办公室\n  duties: 负责日常运转\n"
                  "- id: jiaowu\n  name: 教务处\n  order: 2\n")
    project.write("data/leaders.yaml", LEADERS)
    for rel in ("docs/news/2023/2023-02-01-a.md", "data/departments.yaml", "data/leaders.yaml"):
        files[rel] = base64.b64encode(project.path(rel).read_bytes()).decode()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=project.root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project.root, check=True)
    git = ["git", "-c", "user.name=编辑", "-c", "user.email=desk@example.cn"]
    subprocess.run(git + ["commit", "-qm", "学校网站"], cwd=project.root, check=True)
    (tmp_path / "cover.png").write_bytes(photo())

    attempted: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(10_000)
    context.route(lambda url: not url.startswith(origin + "/"),
                  lambda route: (attempted.append(route.request.url), route.abort("blockedbyclient")))
    context.add_init_script(PICKER)
    context.add_init_script(VIOLATIONS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(origin + "/index.html")
    page.evaluate(SEED, files)
    page.goto(origin + "/admin/")
    page.get_by_text("使用本地仓库").click()
    cms = Desk(page, context.new_cdp_session(page))

    # a news item: Chinese title and body by IME, a section and a topic picked, 三审 signed, a cover
    page.get_by_role("button", name="创建新条目").click()
    cms.type("title", ["x", "xi", "xiao", "xiaoyuan"], "校园")
    cms.type("title", ["x", "xin", "xinwen"], "新闻")
    cms.fill("date", "2023-09-01")
    cms.field("section").get_by_role("radio", name="学校要闻").click()
    cms.field("topics").get_by_role("checkbox", name="党性教育").click()
    cms.fill("review.first", "张敏 2023-08-30")
    cms.fill("review.second", "许慧敏 2023-08-31")
    cms.fill("review.final", "林国栋 2023-09-01")
    cms.field("cover").locator("input[type=file]").first.set_input_files(tmp_path / "cover.png")
    cms.type("body", ["kai", "kaixue"], "开学典礼在礼堂举行，")
    cms.type("body", ["xue", "xueyuan"], "学员代表发言。")
    page.get_by_role("textbox", name="别名").fill("kaixue")
    page.screenshot(path=tmp_path / "desk-news-1280.png")
    cms.save("docs/news/2023/2023-09-01-kaixue.md", "学员代表发言")

    # a mistake: no title. The CMS refuses to save, in Chinese
    cms.visit(origin, "collections/news/new")
    cms.fill("date", "2023-09-02")
    cms.field("section").get_by_role("radio").first.click()
    cms.type("body", ["zheng", "zhengwen"], "正文")
    page.get_by_role("textbox", name="别名").fill("wu-biaoti")
    page.get_by_role("button", name="保存").click()
    page.get_by_text(re.compile("有 1 个字段存在错误")).first.wait_for()
    assert cms.field("title").get_by_text("此字段为必填项").count() == 1
    page.screenshot(path=tmp_path / "desk-refused-1280.png")

    # a new teacher, then a course taught by that teacher, picked from the list
    cms.visit(origin, "collections/instructors/entries/instructors")
    cms.expand("instructors")
    cms.fill("instructors.0.title", "副教授")
    new = cms.add("instructors")
    cms.fill(f"{new}.id", "zhang-wei")
    cms.type(f"{new}.name", ["zh", "zhang", "zhangwei"], "张伟")
    cms.field(f"{new}.kind").get_by_role("radio", name="专职").click()
    cms.choose(f"{new}.category", "专家学者")
    cms.fill(f"{new}.joined", "2024")
    cms.save("data/instructors.yaml", "zhang-wei")
    cms.visit(origin, "collections/courses/entries/courses")
    cms.expand("courses")
    cms.fill("courses.0.summary", "修订后的课程简介")
    new = cms.add("courses")
    cms.fill(f"{new}.id", "xin-kecheng")
    cms.type(f"{new}.title", ["dang", "dangxing"], "党性修养")
    cms.choose(f"{new}.category", "党性教育")
    cms.choose(f"{new}.format", "讲授式")
    cms.fill(f"{new}.hours", "2")
    cms.field(f"{new}.status").get_by_role("radio", name="试讲").click()
    cms.field(f"{new}.instructors").get_by_role("checkbox", name="张伟").click()
    cms.fill(f"{new}.since", "2024")
    cms.save("data/courses.yaml", "xin-kecheng")

    # editing what is there: a news item's title, a training class written with the shorthands
    # an editor may use by hand (主体班次 for main, 90% for 0.9), saved untouched
    cms.visit(origin, "collections/news")
    page.get_by_text("新闻甲").first.click()
    cms.fill("title", "新闻甲（修订）")
    cms.save("docs/news/2023/2023-02-01-a.md", "新闻甲（修订）")
    cms.visit(origin, "collections/trainings/entries/trainings")
    cms.field("trainings").get_by_role("button", name=re.compile("全部展开")).click()
    cms.fill("trainings.2.trainees", "45")
    cms.save("data/trainings.yaml", "trainees: 45")

    # every other record kind: a study note in a column and a bulletin; in each remaining data
    # file a record added and one that is there edited, in one save
    cms.visit(origin, "collections/notes-col/new")
    cms.fill("title", "笔记三")
    cms.fill("date", "2023-10-01")
    cms.fill("author", "李四")
    cms.body("学习体会。")
    page.get_by_role("textbox", name="别名").fill("biji-san")
    cms.save("docs/notes/col/2023-10-01-biji-san.md", "学习体会")
    cms.visit(origin, "collections/bulletins/new")
    cms.fill("title", "2023年下半年工作简报")
    cms.fill("date", "2023-12-20")
    cms.fill("period", "2023H2")
    cms.body("本期简报。")
    page.get_by_role("textbox", name="别名").fill("jianbao-2023h2")
    cms.save("docs/bulletins/jianbao-2023h2.md", "本期简报")
    cms.visit(origin, "collections/notes-col")
    page.get_by_text("笔记一").first.click()
    cms.fill("title", "笔记一（修订）")
    cms.save("docs/notes/col/2023-02-10-n1.md", "笔记一（修订）")
    cms.visit(origin, "collections/bulletins")
    page.get_by_text("简报一").first.click()
    cms.fill("title", "简报一（修订）")
    cms.field("body").locator("textarea").first.press("Control+End")
    cms.cdp.send("Input.insertText", {"text": "\n本期完。\n"})
    cms.save("docs/bulletins/b1.md", "本期完")
    cms.visit(origin, "collections/leaders/entries/leaders")
    cms.expand("leaders")
    cms.fill("leaders.0.duties", "主持学校全面工作。")
    new = cms.add("leaders")
    cms.fill(f"{new}.post", "校务委员")
    cms.type(f"{new}.name", ["zh", "zhou", "zhoujing"], "周静")
    cms.fill(f"{new}.start", "2024-09-01")
    cms.save("data/leaders.yaml", "周静")
    cms.visit(origin, "collections/research/entries/research")
    cms.expand("research")
    cms.fill("research.2.completed", "2024-06-30")
    new = cms.add("research")
    cms.fill(f"{new}.id", "2024-xiao-01")
    cms.fill(f"{new}.title", "基层党建研究")
    cms.choose(f"{new}.level", "校级")
    cms.fill(f"{new}.approved", "2024-03-01")
    cms.field(f"{new}.lead").get_by_role("radio", name="张伟").click()
    cms.save("data/research.yaml", "2024-xiao-01")
    cms.visit(origin, "collections/topics/entries/topics")
    cms.expand("topics")
    cms.fill("topics.0.description", "修订后的专题说明")
    new = cms.add("topics")
    cms.fill(f"{new}.id", "t4")
    cms.fill(f"{new}.name", "基层治理")
    cms.field(f"{new}.parent").get_by_role("radio", name="乡村振兴").click()
    cms.save("data/topics.yaml", "基层治理")
    cms.visit(origin, "collections/sections/entries/sections")
    cms.expand("sections")
    cms.fill("sections.1.update_every_days", "10")
    new = cms.add("sections")
    cms.fill(f"{new}.id", "gongkai")
    cms.fill(f"{new}.name", "信息公开")
    cms.save("data/sections.yaml", "gongkai")
    cms.visit(origin, "collections/columns/entries/columns")
    cms.expand("columns")
    cms.fill("columns.0.description", "修订后的专栏说明")
    new = cms.add("columns")
    cms.fill(f"{new}.id", "dangshi")
    cms.fill(f"{new}.name", "党史学习")
    cms.fill(f"{new}.editor", "李四")
    cms.fill(f"{new}.started", "2023-05-01")
    cms.save("data/columns.yaml", "dangshi")
    cms.visit(origin, "collections/departments/entries/departments")
    cms.expand("departments")
    cms.fill("departments.0.telephone", "0000-1234567")
    cms.save("data/departments.yaml", "0000-1234567")

    cms.visit(origin, "collections/news")
    page.get_by_text("校园新闻").first.wait_for()
    page.set_viewport_size({"width": 360, "height": 740})
    page.wait_for_timeout(300)
    page.screenshot(path=tmp_path / "desk-list-360.png")
    # a news item written on a phone: every field within the width, 保存 in view; the file name
    # (别名) is behind ⋮ there, in a sheet of its own
    cms.visit(origin, "collections/news/new")
    cms.field("title").wait_for()
    page.get_by_role("button", name="放弃").click()  # the draft of the refused item, kept by the desk
    page.screenshot(path=tmp_path / "desk-news-360.png")
    cms.fill("title", "手机上写的新闻")
    cms.fill("date", "2023-09-03")
    cms.field("section").get_by_role("radio", name="学校要闻").click()
    cms.body("在手机上写的正文。")
    assert page.evaluate(OVERFLOW) == [], "a field reaches past the phone's width"
    page.get_by_role("button", name="显示编辑器选项").click()
    page.get_by_role("menuitem", name="别名（文件名）").click()
    page.get_by_role("textbox", name="别名").fill("shouji")
    page.keyboard.press("Escape")
    save = page.get_by_role("button", name="保存").bounding_box()
    assert 0 <= save["x"] and save["x"] + save["width"] <= 360 and 0 <= save["y"] < 740
    cms.save("docs/news/2023/2023-09-03-shouji.md", "在手机上写的正文")
    written = {path: base64.b64decode(data) for path, data in page.evaluate(READ).items()}
    assert page.evaluate("window.__csp") == [], "the desk broke admin.conf's CSP"
    context.close()

    assert attempted == [], f"the desk asked other hosts: {attempted}"
    assert errors == []
    changed = {path for path, data in written.items() if files.get(path) is None or base64.b64decode(files[path]) != data}
    assert changed == {"docs/news/2023/2023-09-01-kaixue.md", "docs/news/2023/images/cover.png",
                       "data/instructors.yaml", "data/courses.yaml", "docs/news/2023/2023-02-01-a.md",
                       "data/trainings.yaml", "docs/notes/col/2023-10-01-biji-san.md",
                       "docs/bulletins/jianbao-2023h2.md", "data/research.yaml", "data/topics.yaml",
                       "data/sections.yaml", "data/columns.yaml", "data/departments.yaml",
                       "docs/notes/col/2023-02-10-n1.md", "docs/bulletins/b1.md", "data/leaders.yaml",
                       "docs/news/2023/2023-09-03-shouji.md"}, changed
    # a save changes what it was asked to and nothing else, as PyYAML reads the files (comments
    # and [a, b] written as a block list aside)
    was = {path: base64.b64decode(files[path]).decode() for path in changed if path in files}
    now = {path: written[path].decode() for path in changed if path.endswith((".yaml", ".md"))}
    for path, edited, added in (("data/instructors.yaml", {0: {"title"}}, 1), ("data/courses.yaml", {0: {"summary"}}, 1),
                                ("data/trainings.yaml", {2: {"trainees"}}, 0), ("data/research.yaml", {2: {"completed"}}, 1),
                                ("data/topics.yaml", {0: {"description"}}, 1), ("data/sections.yaml", {1: {"update_every_days"}}, 1),
                                ("data/columns.yaml", {0: {"description"}}, 1), ("data/departments.yaml", {0: {"telephone"}}, 0),
                                ("data/leaders.yaml", {0: {"duties"}}, 1)):
        saved_as_touched(was[path], now[path], edited, added, as_text=("satisfaction",))
    for path in ("docs/news/2023/2023-02-01-a.md", "docs/notes/col/2023-02-10-n1.md", "docs/bulletins/b1.md"):
        (head, body), (new_head, new_body) = front(was[path]), front(now[path])
        assert changed_fields(head, new_head) == {"title"}, path
        typed = "\n本期完。\n" if path.endswith("b1.md") else ""
        assert new_body.strip("\n") == (body.rstrip("\n") + typed).strip("\n"), path  # the body as it was
    for path in changed:
        project.path(path).parent.mkdir(parents=True, exist_ok=True)
        project.path(path).write_bytes(written[path])
    news = project.path("docs/news/2023/2023-09-01-kaixue.md").read_text(encoding="utf-8")
    assert "title: 校园新闻" in news and "cover: images/cover.png" in news and "开学典礼在礼堂举行，学员代表发言。" in news
    assert "SECRET-PHONE" in project.path("data/instructors.yaml").read_text(encoding="utf-8"), \
        "a record's internal note was lost when the desk rewrote the file"
    subprocess.run(["git", "add", "-A"], cwd=project.root, check=True)
    subprocess.run(git + ["commit", "-qm", "编辑台"], cwd=project.root, check=True)
    status = subprocess.run(["git", "status", "--porcelain"], cwd=project.root, capture_output=True, text=True)
    assert status.stdout == ""

    site = project.load()
    course = site.courses["xin-kecheng"]
    assert course.instructors == ["zhang-wei"] and course.title == "党性修养"
    assert site.instructors["zhang-wei"].name == "张伟"
    trainings = site.trainings
    assert trainings["k3"].trainees == 45 and trainings["k2"].satisfaction == 0.9 and trainings["k2"].type == "main"
    item = next(n for n in site.news if n.slug == "kaixue")
    assert item.review and item.review.final and item.review.final.name == "林国栋" and item.cover_file
    assert str(item.review.final.date) == "2023-09-01"
    edited = next(n for n in site.news if n.slug == "a")  # signed by hand, saved through the desk
    assert edited.title == "新闻甲（修订）" and edited.review.first.name == "张敏" and edited.review.second.name == "许慧敏"
    assert str(edited.review.first.date) == "2023-01-30" and str(edited.review.second.date) == "2023-01-31"
    # the other kinds, created and edited
    note = next(n for n in site.notes if n.slug == "biji-san")
    assert note.column == "col" and note.author == "李四" and note.title == "笔记三"
    assert next(b for b in site.bulletins if b.slug == "jianbao-2023h2").period == "2023H2"
    assert site.research["2024-xiao-01"].lead == "zhang-wei" and site.research["2024-xiao-01"].level == "校级"
    assert str(site.research["r3"].completed) == "2024-06-30"
    assert site.topics["t4"].parent == "t3" and site.topics["t1"].description == "修订后的专题说明"
    assert site.sections["gongkai"].name == "信息公开" and site.sections["teach"].update_every_days == 10
    assert site.columns["dangshi"].editor == "李四" and site.columns["col"].description == "修订后的专栏说明"
    assert site.departments["office"].telephone == "0000-1234567"
    assert [(leader.post, leader.name) for leader in site.leaders] == [("校长", "王校长"), ("副校长", "李副校"), ("校务委员", "周静")]
    assert site.leaders[0].duties == "主持学校全面工作。"
    check = project.run("-m", "macros", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert site.instructors["i1"].title == "副教授" and site.courses["c1"].summary == "修订后的课程简介"
    # the same facts written with `python -m macros new`: equal records (comments and layout differ)
    other = written_by_new(tmp_path / "by-new", photo())
    by_new = other.load()
    pairs = [(next(n for n in site.news if n.slug == "kaixue"), next(n for n in by_new.news if n.slug == "kaixue")),
             (next(n for n in site.notes if n.slug == "biji-san"), next(n for n in by_new.notes if n.slug == "biji-san")),
             (next(b for b in site.bulletins if b.slug == "jianbao-2023h2"),
              next(b for b in by_new.bulletins if b.slug == "jianbao-2023h2")),
             (site.courses["xin-kecheng"], by_new.courses["xin-kecheng"]),
             (site.instructors["zhang-wei"], by_new.instructors["zhang-wei"])]
    for by_desk, by_command in pairs:
        assert facts(by_desk) == facts(by_command), type(by_desk).__name__
    for rel in ("docs/news/2023/2023-09-01-kaixue.md", "docs/notes/col/2023-10-01-biji-san.md"):
        by_desk, by_command = (p.path(rel).read_text(encoding="utf-8").split("\n---\n", 1)[1].strip() for p in (project, other))
        assert by_desk == by_command, rel
    built = project.build()
    assert built.returncode == 0, built.stderr[-3000:]
    page_html = (project.root / "site" / "news" / "2023" / "kaixue" / "index.html").read_text(encoding="utf-8")
    assert "校园新闻" in page_html and "学员代表发言" in page_html
    assert "在手机上写的正文" in (project.root / "site" / "news" / "2023" / "shouji" / "index.html").read_text(encoding="utf-8")
