"""Inputs stay inside the project (issue 19, point 4): a symbolic link (to a file outside, to
/etc/passwd, to nothing, to a folder, even to a file of the project), a named pipe or any other
file that is not a plain one, under docs/, data/ or overrides/ (the theme's folder, which
MkDocs reads too), is a Chinese problem naming the file: `check` lists them with every other
problem, the strict build stops before MkDocs copies anything, and `make serve` shows them on
its problem page. MkDocs itself follows links: `docs/about/rc.txt → ~/.bashrc` was copied into
site/about/rc.txt, `docs/about/passwd.md → /etc/passwd` became a page."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ENGINE_COMMAND, TODAY
from macros.content import listing

SECRET = "SECRET-OF-THE-BUILD-MACHINE"


@pytest.fixture
def planted(small, tmp_path):
    """The small fixture with one of each: the paths an editor would see, and the kind."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "bashrc").write_text(f"export TOKEN={SECRET}\n", encoding="utf-8")
    (outside / "folder").mkdir()
    (outside / "folder" / "page.md").write_text(f"# {SECRET}\n", encoding="utf-8")
    small.path("docs/about").mkdir(parents=True)
    small.path("shared").mkdir()
    small.path("data/courses.yaml").rename(small.path("shared/courses.yaml"))
    links = {
        "docs/about/rc.txt": outside / "bashrc",  # a file outside the project
        "docs/about/passwd.md": "/etc/passwd",  # a page from the build machine
        "docs/about/gone.md": outside / "nothing",  # to nothing
        "docs/linked": outside / "folder",  # a folder
        "docs/news/2023/copy.md": "2023-02-01-a.md",  # inside the project, relative
        "data/courses.yaml": "../shared/courses.yaml",  # a data file kept elsewhere in the project
        "overrides/partials/footer.html": "/etc/passwd",  # a theme template
        "overrides/assets/rc.txt": outside / "bashrc",  # a theme file MkDocs would copy
    }
    for rel, target in links.items():
        small.path(rel).symlink_to(target)
    os.mkfifo(small.path("docs/about/pipe.txt"))
    return {**{rel: "符号链接" for rel in links}, "docs/about/pipe.txt": "命名管道（FIFO）"}


def test_check_names_every_planted_file_at_once(small, planted):
    small.edit("data/trainings.yaml", "trainees: 40", "trainees: 四十")  # and another problem beside them
    result = small.run("-m", "macros", "check")
    assert result.returncode == 1
    lines = [line.strip() for line in result.stderr.splitlines()]
    for rel, kind in planted.items():
        found = [line for line in lines if f". {rel}：" in line]
        assert len(found) == 1, (rel, result.stderr)
        assert kind in found[0] and "网站只发布项目里的普通文件" in found[0], found[0]
    assert f"检查未通过：发现 {len(planted) + 1} 个问题。" in result.stderr
    assert "培训人次应为整数" in result.stderr
    assert "docs/about/rc.txt：这是一个符号链接（指向 " in result.stderr and "bashrc），" in result.stderr
    assert "docs/about/passwd.md：这是一个符号链接（指向 /etc/passwd），网站只发布项目里的普通文件，请换成文件本身" in result.stderr
    assert "docs/about/gone.md：这是一个符号链接（指向 " in result.stderr and "目标不存在），" in result.stderr
    assert "docs/linked：这是一个指向文件夹的符号链接" in result.stderr
    assert "docs/about/pipe.txt：这不是普通文件，而是命名管道（FIFO），网站只发布项目里的普通文件，请删去它" in result.stderr
    assert SECRET not in result.stdout + result.stderr and "root:x:0:0" not in result.stdout + result.stderr


def test_the_build_stops_and_publishes_nothing(small, planted):
    result = small.build()
    assert result.returncode != 0
    assert "docs/about/rc.txt：这是一个符号链接" in result.stderr
    assert "overrides/assets/rc.txt：这是一个符号链接" in result.stderr
    assert f"内容检查发现 {len(planted)} 个问题，网站没有发布" in result.stderr
    site = small.path("site")
    published = [p for p in site.rglob("*")] if site.exists() else []
    assert published == []
    assert SECRET not in result.stdout + result.stderr and "root:x:0:0" not in result.stdout + result.stderr


def test_every_command_that_loads_refuses_them(small, planted):
    small.path("data/terms.yaml").unlink(missing_ok=True)
    small.path("data/terms.yaml").symlink_to("/etc/passwd")  # read apart by `inspect`
    for args in (["stats", "--period", "2023"], ["review"], ["freshness"], ["inspect"]):
        result = small.run("-m", "macros", *args)
        assert result.returncode == 1, args
        assert "docs/about/passwd.md" in result.stdout + result.stderr, args
        assert "root:x:0:0" not in result.stdout + result.stderr, args


@pytest.mark.parametrize("folder", ["docs", "data", "overrides"])
def test_a_top_folder_that_is_a_link_is_refused(small, tmp_path, folder):
    moved = tmp_path / f"real-{folder}"
    small.path(folder).rename(moved)
    small.path(folder).symlink_to(moved)
    result = small.run("-m", "macros", "check")
    assert result.returncode == 1
    assert f"{folder}：这是一个指向文件夹的符号链接（指向 {moved}），网站只发布项目里的普通文件和文件夹，请换成文件夹本身" \
        in result.stderr
    build = small.build()
    assert build.returncode != 0 and f"{folder}：这是一个指向文件夹的符号链接" in build.stderr
    assert not small.path("site").exists() or not any(small.path("site").iterdir())


def test_a_theme_folder_outside_the_project_is_refused(small, tmp_path):
    small.edit("mkdocs.yml", "custom_dir: overrides", f"custom_dir: {small.root / 'overrides'}/../../elsewhere")
    (small.root.parent / "elsewhere").mkdir()
    result = small.build()
    assert result.returncode != 0
    assert "theme.custom_dir" in result.stderr and "在项目以外" in result.stderr, result.stderr[-2000:]


def test_the_listing_follows_no_link(tmp_path):
    docs = tmp_path / "docs"
    (docs / "a").mkdir(parents=True)
    (docs / "a" / "page.md").write_text("x", encoding="utf-8")
    (docs / "b.md").symlink_to(docs / "a" / "page.md")
    (docs / "c").symlink_to(docs / "a")
    found = listing.walk(docs)
    assert [e.rel for e in found.markdown] == ["a/page.md"]
    assert [r.rel for r in found.refused] == ["b.md", "c"]
    assert listing.markdown_files(docs) == found.markdown


def test_the_preview_lists_them_and_serves_no_copy(small, planted):
    from test_preview import free_port
    from test_preview_problems import get, wait_for

    port = free_port()
    env = {**os.environ, "SITE_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([*ENGINE_COMMAND, "serve", "--dirty", "--no-strict",
                               "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=small.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _, body = wait_for(f"http://127.0.0.1:{port}/", lambda body: "个问题" in body, 60)
        assert f"内容有 {len(planted)} 个问题" in body
        for rel in planted:
            assert f"文件 {rel}</span>" in body, rel
        for url in ("about/rc.txt", "assets/rc.txt", "about/passwd/", "linked/page/", "sitemap.xml"):
            status, text = get(f"http://127.0.0.1:{port}/{url}")
            assert SECRET not in text and "root:x:0:0" not in text, url
            assert status == 404 or "个问题" in text, (url, status)
    finally:
        server.terminate()
        server.wait(timeout=30)
