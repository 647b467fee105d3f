"""The desk (/admin/) against a GitLab: PKCE login and the editorial workflow, end to end.

The real CMS (the pinned Sveltia CMS) on the configuration `desk.write` generates for a school
whose mkdocs.yml names its GitLab (extra.desk: base_url, repo, app_id), served by the real nginx
with deploy/nginx/admin.conf, its `$qcdx_desk_git` set to that GitLab as IT staff set it. The
GitLab is tests/gitlab_double.py: a double of the API the CMS uses over a real Git repository
(there is no GitLab to run offline). In Chromium, offline (any other host refused and recorded,
CSP violations recorded: none may happen):

- the editor (Developer) signs in through GitLab's authorize page in the login window, writes a
  news item (its title typed through IME composition, a cover photo uploaded) and saves it: a
  branch and a merge request labelled draft, titled `Draft: …`; main unchanged;
- moves it to 审核中 on the workflow board: the label changes;
- the 终审 reviewer (Maintainer) signs in in another browser, signs the three review steps,
  moves it to 就绪: the merge request is no longer a draft;
- the editor's 发布 is refused by GitLab (only Maintainers merge into the protected main): the
  desk says so and main is unchanged;
- while the check's pipeline has failed, the reviewer's 发布 is refused too ("Pipelines must
  succeed"); once it has passed, the reviewer's 发布 merges it: main holds the file, a clone of
  main passes `check` and the strict build, and the page shows the title.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, TODAY, copy_project
from gitlab_double import App, GitLabDouble
from macros.editorial import desk
from test_desk_browser import Desk, photo
from tools import nginx

pytestmark = [pytest.mark.browser, pytest.mark.server]
CONF = ROOT / "deploy" / "nginx"
APP_ID = "3f0c8a1e2b7d4c6e9a5b1d2c3e4f5a6b"  # what GitLab shows as 应用程序 ID
WATCH = ("document.addEventListener('securitypolicyviolation', "
         "e => console.error('CSP-VIOLATION ' + e.violatedDirective + ' ' + e.blockedURI));")
SLUG = "gitlab-xinwen"
FILE = f"docs/news/2023/2023-09-05-{SLUG}.md"
COVER = "docs/news/2023/images/cover.png"


def _with_admin_conf(original, admin_conf: Path):
    """tools/nginx.py's configuration with our copy of admin.conf included instead of the original."""
    def config(site, port, workdir, **tls):
        text = original(site, port, workdir, **tls)
        line = f"include {CONF}/admin.conf;"
        assert line in text
        return text.replace(line, f"include {admin_conf};")
    return config


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    """The double with the small school pushed to it, the desk for it under nginx, the app registered."""
    work = tmp_path_factory.mktemp("desk-gitlab")
    gitlab = GitLabDouble(work / "gitlab", TODAY)
    git_origin = gitlab.start()
    project = copy_project(FIXTURES / "small", work / "small")
    project.edit("mkdocs.yml", "extra:\n",
                 f"extra:\n  desk:\n    base_url: {git_origin}\n    repo: school/site\n    app_id: {APP_ID}\n")
    content = work / "content"  # what the school's repository holds: its content and configuration
    for rel in ("docs", "data"):
        shutil.copytree(project.path(rel), content / rel)
    shutil.copyfile(project.path("mkdocs.yml"), content / "mkdocs.yml")
    first = gitlab.push_tree(content)

    site = work / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>首页</title>", encoding="utf-8")
    assert desk.write(project.root, site, modules=ROOT) == [], "run `npm ci` (make desk-assets)"
    conf = (CONF / "admin.conf").read_text(encoding="utf-8")
    placeholder = 'set $qcdx_desk_git "https://gitlab.example.cn";'
    assert placeholder in conf
    admin_conf = work / "admin.conf"  # as IT staff edit it: the school's GitLab
    admin_conf.write_text(conf.replace(placeholder, f'set $qcdx_desk_git "{git_origin}";'), encoding="utf-8")
    patch = pytest.MonkeyPatch()
    patch.setattr(nginx, "config", _with_admin_conf(nginx.config, admin_conf))
    try:
        with nginx.start(site) as (origin, _):
            # the application as OPERATIONS.md#desk has IT staff create it: the desk's address exactly
            gitlab.register(App(APP_ID, f"{origin}/admin/", scopes="api", confidential=False))
            yield gitlab, origin, first, work
    finally:
        patch.undo()
        gitlab.stop()


@pytest.fixture(scope="module")
def browser():
    """Chromium with no route of Playwright's: a routed request has its CORS preflight answered by
    Playwright itself, so GitLab's CORS would go untested. Other hosts do not resolve instead (and
    every request to one is recorded by `Browser`)."""
    from playwright.sync_api import sync_playwright

    from tools import phone

    missing = phone.missing_browser()
    if missing:
        pytest.fail(missing, pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=phone.CHROMIUM, args=[
            *phone.CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
        yield launched
        launched.close()


class Browser:
    """One person's browser: offline but for the desk and the school's GitLab."""

    def __init__(self, browser, origin: str, git_origin: str, width: int = 1280):
        self.asked: list[str] = []
        self.csp: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": 860}, locale="zh-CN")
        self.context.set_default_timeout(15_000)
        allowed = (origin + "/", git_origin + "/")
        self.context.on("request", lambda request: None if request.url.startswith(allowed + ("data:", "blob:"))
                        else self.asked.append(request.url))
        self.context.add_init_script(WATCH)
        self.context.on("console", lambda message: self.csp.append(message.text)
                        if message.text.startswith("CSP-VIOLATION") else None)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.origin = origin
        self.desk = Desk(self.page, self.context.new_cdp_session(self.page))

    def sign_in(self, login: str, shot: Path | None = None) -> None:
        page = self.page
        page.goto(self.origin + "/admin/")
        button = page.get_by_role("button", name=re.compile("使用\\W*GitLab\\W*登录"))  # the name in bidi isolates
        button.wait_for()
        if shot:
            page.screenshot(path=shot)
        with page.expect_popup() as opened:
            button.click()
        popup = opened.value
        popup.on("pageerror", lambda error: self.errors.append(str(error)))
        popup.get_by_role("button", name="授权").wait_for()  # GitLab's page, in the login window
        popup.get_by_label("用户名").fill(login)
        popup.get_by_role("button", name="授权").click()
        popup.wait_for_event("close", timeout=15_000)  # back to the desk, which closes the window
        try:
            button.wait_for(state="detached")  # signed in: the desk shows its collections (a phone: their list)
        except Exception as error:
            shown = page.get_by_role("alert").all_inner_texts()
            raise AssertionError(f"{login} was not signed in: the desk shows {shown}; CSP refused {self.csp}; "
                                 f"other hosts asked {self.asked}") from error
        page.wait_for_url(re.compile(r"#/collections"))
        page.get_by_text("新闻").first.wait_for()

    def board(self) -> None:
        """The workflow board, through the desk's own 编辑工作流 switch (a fresh copy of the merge requests)."""
        self.page.goto(self.origin + "/admin/")
        self.page.get_by_text("新闻").first.wait_for()
        self.page.get_by_role("radio", name="编辑工作流").click()
        self.page.get_by_role("list", name="审核中").wait_for()
        self.page.wait_for_timeout(500)

    def card(self, title: str):
        return self.page.get_by_role("listitem").filter(has_text=title)

    def move(self, title: str, column: str) -> None:
        """Drag the entry's card to a column of the board, as an editor does."""
        self.card(title).drag_to(self.page.get_by_role("list", name=column))

    def close(self) -> None:
        self.context.close()


def wait(condition, what: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out: {what}")


def test_an_editor_and_the_reviewer_publish_through_gitlab(school, browser, tmp_path):
    gitlab, origin, first, work = school
    started = time.monotonic()
    editor = Browser(browser, origin, gitlab.origin)
    editor.sign_in("editor", shot=tmp_path / "login-1280.png")
    assert [r.kind for r in gitlab.requests if r.path.startswith("/oauth/")] == ["authorize", "authorize", "preflight", "token"]
    assert gitlab.tokens and {u.username for u in gitlab.tokens.values()} == {"editor"}

    # a news item written and saved: a branch and a draft merge request, main unchanged
    cms = editor.desk
    editor.page.get_by_role("button", name="创建新条目").click()  # in 新闻, where the desk opens
    cms.type("title", ["g", "gi", "git", "gitlab"], "GitLab")
    cms.type("title", ["x", "xin", "xinwen"], "新闻")
    cms.fill("date", "2023-09-05")
    cms.field("section").get_by_role("radio").first.click()
    (tmp_path / "cover.png").write_bytes(photo())
    cms.field("cover").locator("input[type=file]").first.set_input_files(tmp_path / "cover.png")
    cms.type("body", ["bian", "bianji"], "编辑台经学校 GitLab 发布的新闻。")
    editor.page.get_by_role("textbox", name="别名").fill(SLUG)
    editor.page.get_by_role("button", name="保存").click()
    wait(lambda: gitlab.merge_requests, "a merge request after 保存")
    (mr,) = gitlab.merge_requests.values()
    wait(lambda: gitlab.show(mr.source_branch, FILE) is not None, "the file on the workflow branch")
    assert mr.labels == ["sveltia-cms/draft"] and mr.title.startswith("Draft: ") and mr.state == "opened"
    assert mr.author is gitlab.users["editor"] and mr.target_branch == "main" and mr.source_branch.startswith("cms/news/")
    assert "title: GitLab新闻" in gitlab.show(mr.source_branch, FILE).decode()
    assert gitlab.show(mr.source_branch, COVER) == photo()  # a photo through the commits API, base64
    assert gitlab.head("main") == first and gitlab.show("main", FILE) is None
    dialog = editor.page.get_by_role("alertdialog")
    if dialog.count():  # Sveltia asks whether to send the draft for review: the board does that below
        dialog.get_by_role("button", name="取消").click()

    # 审核中 on the workflow board
    editor.board()
    editor.page.screenshot(path=tmp_path / "board-draft-1280.png")
    editor.move("GitLab新闻", "审核中")
    wait(lambda: mr.labels == ["sveltia-cms/pending_review"], f"the label 审核中, not {mr.labels}")
    assert mr.title.startswith("GitLab新闻") or not mr.title.startswith("Draft:")
    editor.page.set_viewport_size({"width": 390, "height": 844})
    editor.page.wait_for_timeout(300)
    editor.page.screenshot(path=tmp_path / "board-review-390.png")
    editor.page.set_viewport_size({"width": 1280, "height": 860})

    # the 终审 reviewer: signs the three steps, 就绪
    reviewer = Browser(browser, origin, gitlab.origin, width=390)
    reviewer.sign_in("reviewer", shot=tmp_path / "login-390.png")
    reviewer.page.set_viewport_size({"width": 1280, "height": 860})
    reviewer.board()
    reviewer.card("GitLab新闻").get_by_role("button", name=re.compile("GitLab新闻")).click()
    review = reviewer.desk
    review.fill("review.first", "张敏 2023-09-03")
    review.fill("review.second", "许慧敏 2023-09-04")
    review.fill("review.final", "林国栋 2023-09-05")
    commits_before = sum(r.kind == "commit" for r in gitlab.requests)
    reviewer.page.get_by_role("button", name="保存").click()
    wait(lambda: "林国栋 2023-09-05" in (gitlab.show(mr.source_branch, FILE) or b"").decode(), "the review on the branch")
    assert sum(r.kind == "commit" for r in gitlab.requests) == commits_before + 1
    reviewer.board()
    reviewer.move("GitLab新闻", "就绪")
    wait(lambda: mr.labels == ["sveltia-cms/pending_publish"], f"the label 就绪, not {mr.labels}")
    assert not mr.title.startswith("Draft: ")
    reviewer.page.screenshot(path=tmp_path / "board-ready-1280.png")

    # the editor may not publish: GitLab refuses the merge, the desk says it could not publish
    editor.board()
    refused_at = len(gitlab.requests)
    editor.card("GitLab新闻").get_by_role("button", name="发布条目").click()
    editor.page.get_by_role("alertdialog").get_by_role("button", name=re.compile("^发布")).click()
    editor.page.get_by_text("无法发布条目。请重试。").first.wait_for()  # all it says: not why (OPERATIONS.md#desk)
    assert editor.page.get_by_text("条目已发布。").count() == 0
    editor.page.screenshot(path=tmp_path / "editor-refused-1280.png")
    merges = [r for r in gitlab.requests[refused_at:] if r.kind == "merge"]
    assert merges and all(r.status == 401 and r.user == "editor" for r in merges), merges
    assert mr.state == "opened" and gitlab.head("main") == first

    # the check (the pipeline of .gitlab/ci/desk-check.yml) has failed: GitLab refuses the merge
    gitlab.pipelines[gitlab.head(mr.source_branch)] = "failed"
    reviewer.board()
    refused_at = len(gitlab.requests)
    reviewer.card("GitLab新闻").get_by_role("button", name="发布条目").click()
    reviewer.page.get_by_role("alertdialog").get_by_role("button", name=re.compile("^发布")).click()
    reviewer.page.get_by_text("无法发布条目。请重试。").first.wait_for()
    merges = [r for r in gitlab.requests[refused_at:] if r.kind == "merge"]
    assert [r.status for r in merges] == [405] and mr.state == "opened" and gitlab.head("main") == first
    assert gitlab.mr_json(mr)["detailed_merge_status"] == "ci_must_pass"

    # the pipeline passed: the reviewer publishes, the merge request merged into main
    gitlab.pipelines[gitlab.head(mr.source_branch)] = "success"
    reviewer.board()
    reviewer.card("GitLab新闻").get_by_role("button", name="发布条目").click()
    reviewer.page.get_by_role("alertdialog").get_by_role("button", name=re.compile("^发布")).click()
    wait(lambda: mr.state == "merged", "the merge")
    reviewer.page.get_by_text("条目已发布。").first.wait_for()
    assert mr.merged_by is gitlab.users["reviewer"]
    assert gitlab.head(mr.source_branch) is None  # the workflow branch removed with the merge
    published = gitlab.show("main", FILE).decode()
    assert "title: GitLab新闻" in published and "final: 林国栋 2023-09-05" in published
    assert "cover: images/cover.png" in published and gitlab.show("main", COVER) == photo()
    parents = gitlab.git("show", "-s", "--format=%P", "main").split()
    assert parents[0] == first and len(parents) == 2  # a merge commit on main
    reviewer.page.wait_for_timeout(500)
    elapsed = time.monotonic() - started

    for person in (editor, reviewer):
        assert person.asked == [], f"the desk asked other hosts: {person.asked}"
        assert person.csp == [], f"admin.conf's CSP refused: {person.csp}"
        assert person.errors == [], person.errors
        person.close()
    assert gitlab.unknown == [], "the CMS asked the GitLab double something it does not know: " + \
        "; ".join(f"{r.method} {r.path} {r.query} {str(r.body)[:200]}" for r in gitlab.unknown)
    kinds = Counter(f"{r.method} {r.kind} {r.status}" for r in gitlab.requests)
    print(f"\n{elapsed:.1f} s in the browser; requests to the GitLab double by kind:")
    for kind, count in sorted(kinds.items()):
        print(f"  {count:3} {kind}")

    # a clone of main: `check` and the strict build, the page shows the title
    clone = work / "clone"
    subprocess.run(["git", "clone", "-q", "-b", "main", str(gitlab.repo), str(clone)], check=True)
    project = copy_project(clone, work / "published")
    checked = project.run("-m", "macros", "check")
    assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr[-2000:]
    built = project.build()
    assert built.returncode == 0, built.stderr[-3000:]
    page = (project.root / "site" / "news" / "2023" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "GitLab新闻" in page and "编辑台经学校 GitLab 发布的新闻" in page and 'class="qc-cover"' in page
