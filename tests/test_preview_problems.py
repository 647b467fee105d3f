"""make serve with a content problem: every page lists the problems, and the real pages come
back by themselves once the file is fixed (issue 13). MkDocs' own server waits for a good
build before answering anything, so without this the browser hangs."""
from __future__ import annotations

import os
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from conftest import ENGINE_COMMAND, TODAY
from macros.editorial import preview
from macros.content.problems import ContentError, Problem
from test_preview import free_port


def get(url: str) -> tuple[int, str]:
    """Status and body, an error page's too; a request that hangs fails the test."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for(url: str, predicate, seconds: float) -> tuple[float, str]:
    """Seconds until the page at `url` satisfies `predicate`, and that page."""
    start = time.monotonic()
    body = ""
    while time.monotonic() - start < seconds:
        try:
            _status, body = get(url)
            if predicate(body):
                return time.monotonic() - start, body
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} not as expected after {seconds} s:\n{body[:2000]}")


@pytest.mark.parametrize("flags", [["--dirty", "--no-strict"], ["--strict"]], ids=["make-serve", "strict"])
def test_a_broken_save_is_answered_by_a_page_naming_the_file(small, flags):
    port = free_port()
    env = {**os.environ, "SITE_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([*ENGINE_COMMAND, "serve", *flags, "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=small.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    page = f"http://127.0.0.1:{port}/news/2023/a/"
    other = f"http://127.0.0.1:{port}/stats/2023/"
    try:
        wait_for(page, lambda body: "正文甲" in body, 60)
        original = small.path("docs/news/2023/2023-02-01-a.md").read_text(encoding="utf-8")
        small.write("docs/news/2023/2023-02-01-a.md", original.replace("section: news-a", "section: 学校药闻"))
        seconds, body = wait_for(page, lambda body: "内容有 1 个问题" in body, 5)
        assert "文件 docs/news/2023/2023-02-01-a.md，第 4 行" in body
        assert "未知的板块「学校药闻」，是否是「学校要闻」？" in body
        assert "livereload" in body  # the page reloads by itself once the file is fixed
        for url in (other, f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/no/such/page/"):
            assert "未知的板块「学校药闻」" in get(url)[1]  # every address, existing or not
        small.write("docs/news/2023/2023-02-01-a.md", original)
        wait_for(page, lambda body: "正文甲" in body and "内容有" not in body, 10)
        _seconds, figures = wait_for(other, lambda body: "内容有" not in body, 10)
        assert 'data-figure="2023 news.total">3<' in figures
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\nproblem page served {seconds:.2f} s after the save ({' '.join(flags)})")


def test_problem_page_escapes_what_the_editor_wrote():
    error = ContentError([Problem("docs/x.md", 3, "<b>标题</b>", "title", "未知的板块「<script>alert(1)</script>」")])
    html = preview.page(error)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "文件 docs/x.md，第 3 行" in html and "记录「&lt;b&gt;标题&lt;/b&gt;」" in html


def test_a_macro_failing_while_rendering_is_shown_too_and_the_preview_keeps_rebuilding(small):
    # mkdocs-macros stops a failing build with exit(): MkDocs' rebuild loop does not catch
    # SystemExit, so without care the preview would never rebuild again
    port = free_port()
    env = {**os.environ, "SITE_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([*ENGINE_COMMAND, "serve", "--dirty", "--no-strict",
                               "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=small.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    page = f"http://127.0.0.1:{port}/news/2023/a/"
    try:
        wait_for(page, lambda body: "正文甲" in body, 60)
        original = small.path("docs/index.md").read_text(encoding="utf-8")
        small.write("docs/index.md", original + '\n{{ figures("2023H3").news.total }}\n')
        _seconds, body = wait_for(page, lambda body: "内容有 1 个问题" in body, 5)
        assert "文件 docs/index.md" in body and "宏调用出错：统计时段「2023H3」无法识别" in body
        small.write("docs/index.md", original)
        wait_for(page, lambda body: "正文甲" in body and "内容有" not in body, 10)
    finally:
        server.terminate()
        server.wait(timeout=30)
