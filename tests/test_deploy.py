"""deploy/deploy.sh and deploy/receive.sh: releases, an atomic switch of `current`, the releases
kept, rollback that never goes forward or back onto a build rolled back from, pin, switch, the
listing, the urgent takedown, and hard links for unchanged files (nginx's ETag kept).

To a local folder, and through a stand-in for ssh that does what sshd does with the deploy key's
forced command: the client's command in SSH_ORIGINAL_COMMAND, receive.sh run on the server's
folder (tests/test_pull.py has the real sshd). A reader polls through `current` during the
deploys and must always find one complete release.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import ENGINE, copy_project, FIXTURES

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "deploy" / "deploy.sh"
RECEIVE = ROOT / "deploy" / "receive.sh"
FILES = ["index.html", "news/index.html", "assets/site.css", "search/idx/meta.json"]
SIZE = 400_000  # big enough that copying a release takes a while


def make_site(folder: Path, version: str, same: str = "", size: int = SIZE) -> Path:
    """A site whose every file names its version (but the `same` one), and their checksums."""
    manifest = []
    for name in FILES:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        body = (f"{'v0' if name == same else version} {name}\n" * (size // 40)).encode()
        path.write_bytes(body)
        manifest.append(f"{hashlib.sha256(body).hexdigest()} {name}")
    (folder / "MANIFEST").write_text("\n".join(manifest), encoding="utf-8")
    return folder


def deploy(*args: str, env: dict | None = None, at: str | None = None) -> subprocess.CompletedProcess:
    """deploy.sh with its arguments; `at` names the release's time (RELEASE_TIME)."""
    extra = {"RELEASE_TIME": at} if at else {}
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **extra, **(env or {})}, cwd=ROOT)


def at(n: int) -> str:
    return f"20260101T0000{n:02d}Z"


def current(base: Path) -> str:
    return os.readlink(base / "current")


def version_of(release: Path) -> str:
    return (release / "index.html").read_text().split(" ", 1)[0]


def check_release(release: Path) -> str:
    """The release's version if every file is complete and of that version; raises otherwise."""
    versions = set()
    for line in (release / "MANIFEST").read_text().splitlines():
        digest, name = line.split(" ", 1)
        body = (release / name).read_bytes()
        assert hashlib.sha256(body).hexdigest() == digest, f"{name} incomplete in {release}"
        versions.add(body.split(b" ", 1)[0].decode())
    assert len(versions) == 1, f"{release} mixes {versions}"
    return versions.pop()


class Reader(threading.Thread):
    """Polls the site through `current`, as nginx does, until stopped."""

    def __init__(self, base: Path):
        super().__init__(daemon=True)
        self.base, self.stop, self.seen, self.failures, self.reads = base, threading.Event(), set(), [], 0

    def run(self):
        while not self.stop.is_set():
            try:
                # one request: the path through the symlink, as nginx opens it
                body = (self.base / "current" / "index.html").read_bytes()
                assert len(body) == (SIZE // 40) * len(f"{body.split(b' ', 1)[0].decode()} index.html\n"), "partial file"
                # one page view: the release resolved once, every file of it
                self.seen.add(check_release((self.base / "current").resolve()))
                self.reads += 1
            except Exception as error:  # noqa: BLE001 - every failure is the test's result
                self.failures.append(repr(error))


def releases(base: Path) -> list[str]:
    return sorted(p.name for p in (base / "releases").iterdir())


def versions(base: Path) -> list[str]:
    return [version_of(base / "releases" / r) for r in releases(base)]


@pytest.fixture
def fake_ssh(tmp_path) -> dict:
    """$DEPLOY_SSH doing what sshd does for a key with a forced command (restrict,command=
    "receive.sh BASE"): the client's command goes to SSH_ORIGINAL_COMMAND, never to a shell.
    BASE is the server's folder ($FAKE_BASE); it logs the options it was given."""
    path = tmp_path / "fake-ssh"
    path.write_text('#!/bin/sh\n# ssh [options] host command…  (rsync passes user@host as -l user host)\n'
                    'echo "$*" >> "$FAKE_LOG"\n'
                    'while :; do case $1 in -l|-p|-i|-o) shift 2 ;; -*) shift ;; *) break ;; esac; done\n'
                    f'shift\nSSH_ORIGINAL_COMMAND="$*" exec sh {RECEIVE} "$FAKE_BASE"\n', encoding="utf-8")
    path.chmod(0o755)
    return {"DEPLOY_SSH": str(path), "FAKE_LOG": str(tmp_path / "ssh.log")}


@pytest.mark.parametrize("remote", [False, True], ids=["local", "over-ssh"])
def test_deploy_twice_reader_sees_whole_releases_then_rollback(tmp_path, remote, fake_ssh):
    base = tmp_path / "srv dir" / "学校's qcdx"  # a folder name that needs quoting
    target = "deploy@school.example" if remote else str(base)
    env = {**fake_ssh, "FAKE_BASE": str(base), "DEPLOY_SSH_PORT": "2222"} if remote else {}
    first = deploy("deploy", str(make_site(tmp_path / "v1", "v1")), target, env=env)
    assert first.returncode == 0, first.stderr
    assert check_release(base / "current") == "v1"
    assert current(base).startswith("releases/") and "/" not in current(base)[len("releases/"):]
    if remote:  # the port is given to ssh, for the commands and for rsync
        log = Path(fake_ssh["FAKE_LOG"]).read_text(encoding="utf-8").splitlines()
        assert len(log) >= 3 and all(line.startswith("-p 2222 ") for line in log), log

    reader = Reader(base)
    reader.start()
    try:
        time.sleep(1.05)  # release names are to the second
        second = deploy("deploy", str(make_site(tmp_path / "v2", "v2")), target, env=env)
        assert second.returncode == 0, second.stderr
        time.sleep(0.3)
    finally:
        reader.stop.set()
        reader.join(10)
    assert not reader.failures, reader.failures[:3]
    assert reader.seen == {"v1", "v2"} and reader.reads > 5, (reader.seen, reader.reads)
    assert check_release(base / "current") == "v2"
    assert len(releases(base)) == 2 and not [n for n in releases(base) if n.startswith(".")]
    # named <UTC time>-<commit>
    for name in releases(base):
        commit = re.fullmatch(r"\d{8}T\d{6}Z-([0-9a-f]{10})", name).group(1)
        assert subprocess.run(["git", "cat-file", "-e", commit + "^{commit}"], cwd=ROOT).returncode == 0, name

    back = deploy("rollback", target, env=env)
    assert back.returncode == 0, back.stderr
    assert check_release(base / "current") == "v1"
    assert current(base) == "releases/" + releases(base)[0]
    again = deploy("rollback", target, env=env)
    assert again.returncode != 0 and "没有比" in again.stderr and "更早" in again.stderr
    assert check_release(base / "current") == "v1"


def test_the_last_distinct_builds_are_kept_and_the_current_one(tmp_path):
    base = tmp_path / "qcdx"
    keep = {"DEPLOY_KEEP": "5"}
    for n in range(1, 5):
        assert deploy("deploy", str(make_site(tmp_path / f"v{n}", f"v{n}", size=400)), str(base), env=keep, at=at(n)).returncode == 0
    # the same content again makes no release, whatever the day (the sitemap alone differs)
    (tmp_path / "v4" / "sitemap.xml").write_text("<lastmod>2026-01-02</lastmod>", encoding="utf-8")
    same = deploy("deploy", str(tmp_path / "v4"), str(base), env=keep, at=at(5))
    assert same.returncode == 0 and "没有新建发布" in same.stdout, same.stdout + same.stderr
    assert versions(base) == ["v1", "v2", "v3", "v4"]
    # nor does a new build stamp (release.json: commit and day), which the live release takes in place
    (tmp_path / "v4" / "release.json").write_text('{"commit": "b", "built": "2026-01-03"}', encoding="utf-8")
    stamped = deploy("deploy", str(tmp_path / "v4"), str(base), env=keep, at=at(6))
    assert stamped.returncode == 0 and "只更新了 release.json" in stamped.stdout, stamped.stdout + stamped.stderr
    assert versions(base) == ["v1", "v2", "v3", "v4"]
    assert (base / "current" / "release.json").read_text(encoding="utf-8") == '{"commit": "b", "built": "2026-01-03"}'
    # switch to the oldest: it must survive the next deploys
    assert deploy("switch", str(base), releases(base)[0]).returncode == 0
    assert check_release(base / "current") == "v1"
    for n in range(5, 8):
        assert deploy("deploy", str(make_site(tmp_path / f"v{n}", f"v{n}", size=400)), str(base), env=keep, at=at(n + 1)).returncode == 0
    assert versions(base) == ["v3", "v4", "v5", "v6", "v7"], versions(base)
    assert check_release(base / "current") == "v7"
    # ten by default
    for n in range(8, 14):
        assert deploy("deploy", str(make_site(tmp_path / f"v{n}", f"v{n}", size=400)), str(base), at=at(n + 1)).returncode == 0
    assert len(releases(base)) == 10 and versions(base)[-1] == "v13"


def test_rollback_never_goes_back_onto_a_build_rolled_back_from(tmp_path):
    """good, bad; rollback → good; the next scheduled run builds bad again → not deployed;
    a fix → deployed; rollback then returns to good, not to bad (the reported wrong way)."""
    base = tmp_path / "qcdx"
    good, bad, fix = (make_site(tmp_path / v, v, size=400) for v in ("good", "bad", "fix"))
    assert deploy("deploy", str(good), str(base), at=at(1)).returncode == 0
    assert deploy("deploy", str(bad), str(base), at=at(2)).returncode == 0
    back = deploy("rollback", str(base))
    assert back.returncode == 0 and check_release(base / "current") == "good"
    assert "make pin" in back.stdout
    again = deploy("deploy", str(bad), str(base), at=at(3))  # the 00:15 run, main not fixed yet
    assert again.returncode == 0 and "已回滚" in again.stdout and check_release(base / "current") == "good"
    assert deploy("deploy", str(fix), str(base), at=at(4)).returncode == 0
    assert check_release(base / "current") == "fix"
    assert deploy("rollback", str(base)).returncode == 0
    assert check_release(base / "current") == "good", "rolled back onto the bad build"
    listing = deploy("releases", str(base)).stdout
    assert re.search(r"^→ " + re.escape(releases(base)[0]), listing, re.M)
    assert listing.count("已回滚") == 2  # bad and fix, each rolled back from
    # an explicit switch is the administrator's choice, and clears the mark
    bad_name = releases(base)[1]
    assert deploy("switch", str(base), bad_name).returncode == 0 and check_release(base / "current") == "bad"
    assert deploy("releases", str(base)).stdout.count("已回滚") == 1
    assert deploy("switch", str(base), "20990101T000000Z-nothing").returncode != 0


def test_a_pinned_target_takes_no_deploy_and_says_so(tmp_path, fake_ssh):
    base = tmp_path / "qcdx"
    env = {**fake_ssh, "FAKE_BASE": str(base)}
    for n, v in ((1, "a"), (2, "b")):
        assert deploy("deploy", str(make_site(tmp_path / v, v, size=400)), "deploy@host", env=env, at=at(n)).returncode == 0
    assert deploy("rollback", "deploy@host", env=env).returncode == 0
    pin = deploy("pin", "deploy@host", "b 的标题有误", env=env)
    assert pin.returncode == 0 and "已固定（pinned）" in pin.stdout
    for n, v in ((3, "b"), (4, "c")):  # the scheduled run, a push: both succeed, neither switches
        result = deploy("deploy", str(make_site(tmp_path / v, v, size=400)), "deploy@host", env=env, at=at(n))
        assert result.returncode == 0, result.stderr
        assert "已固定（pinned）" in result.stdout and "b 的标题有误" in result.stdout
        assert check_release(base / "current") == "a"
    assert versions(base) == ["a", "b"] and not [p for p in (base / "releases").iterdir() if p.name.startswith(".")]
    assert "已固定（pinned）" in deploy("releases", "deploy@host", env=env).stdout
    assert deploy("unpin", "deploy@host", env=env).returncode == 0
    assert deploy("deploy", str(tmp_path / "c"), "deploy@host", env=env, at=at(5)).returncode == 0
    assert check_release(base / "current") == "c"


def test_the_releases_list_says_what_changed(tmp_path):
    base = tmp_path / "qcdx"
    one = make_site(tmp_path / "one", "one", size=400)
    assert deploy("deploy", str(one), str(base), at=at(1), env={"RELEASE_SUBJECT": "第一版"}).returncode == 0
    two = tmp_path / "two"
    shutil.copytree(one, two)
    (two / "news" / "index.html").write_text("changed", encoding="utf-8")
    (two / "news" / "new").mkdir()
    (two / "news" / "new" / "index.html").write_text("new", encoding="utf-8")
    (two / "assets" / "site.css").unlink()
    assert deploy("deploy", str(two), str(base), at=at(2), env={"RELEASE_SUBJECT": "第二版"}).returncode == 0
    listing = deploy("releases", str(base)).stdout
    first, second = releases(base)
    assert re.search(rf"^  {first}  2026-01-01 08:00:01 北京时间  提交 [0-9a-f]{{10}}  第一版$", listing, re.M), listing
    assert re.search(rf"^→ {second}  .*第二版$", listing, re.M)
    assert "比上一次：新增 1、修改 1、删除 1 个文件；新增页面 /news/new/；修改页面 /news/" in listing


def test_a_missing_site_or_target_is_refused(tmp_path):
    result = deploy("deploy", str(tmp_path / "nothing"), str(tmp_path / "srv"))
    assert result.returncode != 0 and "make build" in result.stderr
    assert not (tmp_path / "srv").exists()
    assert deploy("deploy").returncode == 2
    assert deploy("deploy", "site", "deploy@host", env={"DEPLOY_SSH_PORT": "22; rm"}).returncode == 2
    for target in ("rollback", "releases", "switch", "pin", "takedown"):
        result = subprocess.run(["make", "-s", target], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode != 0 and f"usage: make {target} TARGET=" in result.stderr


# --- the deploy key's forced command: what a key can do ------------------------------------------

@pytest.mark.parametrize("command", [
    "", "sh", "cat /etc/passwd", "begin ../../etc", "switch ../../etc",
    "rsync --server -prce.iLsfxCIvu . /etc/",
    "rsync --server -prce.iLsfxCIvu . releases/../../x/",
    "rsync --server --sender -prce.iLsfxCIvu . releases/.20260101T000001Z-abc.partial/",
    "rsync --server -prce.iLsfxCIvu --link-dest /etc/ . releases/.20260101T000001Z-abc.partial/",
    "rsync --server -prce.iLsfxCIvu --log-file=/tmp/x . releases/.20260101T000001Z-abc.partial/",
    "rsync --server -prcT.iLsfxCIvu /tmp . releases/.20260101T000001Z-abc.partial/",
    "takedown /../../etc/passwd", "takedown /news/x/;rm", "takedown-clear /x/$(id)", "takedown /", "takedown news/x/",
])
def test_the_deploy_key_does_nothing_else(tmp_path, command):
    base = tmp_path / "qcdx"
    base.mkdir()
    env = {**os.environ, "SSH_ORIGINAL_COMMAND": command}
    result = subprocess.run(["sh", str(RECEIVE), str(base)], env=env, capture_output=True, text=True, timeout=30,
                            stdin=subprocess.DEVNULL)
    assert result.returncode != 0, result.stdout
    assert result.stderr.strip()
    assert not [p for p in base.rglob("*") if not p.is_dir()]  # nothing written, nothing linked


# --- the urgent takedown (撤稿), on the demo as built -----------------------------------------

def first_item(site: Path) -> str:
    """The path of the newest news item, read from the built feed (no demo name in the test)."""
    feed = (site / "news" / "feed.xml").read_text(encoding="utf-8")
    link = re.search(r"<item>.*?<link>https?://[^/<]+(/[^<]+)</link>", feed, re.S).group(1)
    return link


def test_takedown_within_a_minute_and_kept_by_the_next_deploys(demo, tmp_path):
    base = tmp_path / "qcdx"
    site = tmp_path / "site"
    shutil.copytree(demo.site, site)
    assert deploy("deploy", str(site), str(base), at=at(1)).returncode == 0
    (site / "about" / "index.html").write_text((site / "about" / "index.html").read_text(encoding="utf-8") + "\n",
                                               encoding="utf-8")
    assert deploy("deploy", str(site), str(base), at=at(2)).returncode == 0
    page = first_item(site)
    rel = page.strip("/")
    live = base / "current"
    assert (live / rel / "index.html").is_file()
    fragment = next(f for f in (live / "search" / "idx" / "f").glob("*.json")
                    if f'"u": "{rel}/",' in f.read_text(encoding="utf-8"))
    stamp = (live / "search" / "idx" / "meta.json").read_text(encoding="utf-8")

    start = time.monotonic()
    result = deploy("takedown", str(base), page)
    seconds = time.monotonic() - start
    assert result.returncode == 0, result.stderr
    print(f"takedown of {page}: {seconds:.2f} s")
    assert seconds < 60  # what the brief asks; it takes well under a second here

    def gone(release: Path) -> None:
        assert not (release / rel / "index.html").exists() and not (release / rel / "index.html.gz").exists()
        for xml in list(release.rglob("*.xml")):
            assert page + "<" not in xml.read_text(encoding="utf-8"), xml
        for gz in (release / "news" / "feed.xml.gz", release / "sitemap.xml.gz"):
            assert subprocess.run(["gzip", "-dc", str(gz)], capture_output=True).stdout == gz.with_suffix("").read_bytes()
        text = (release / fragment.relative_to(live)).read_text(encoding="utf-8")
        assert text == f'{{"u": "{rel}/", "t": "", "k": "", "d": "", "x": ""}}'

    gone(live)
    assert (live / "search" / "idx" / "meta.json").read_text(encoding="utf-8") != stamp  # browsers fetch again
    from tools import nginx
    with nginx.start(live) as (origin, _):  # the address is a 404 now, the rest of the site is served
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(origin + urllib.parse.quote(page), timeout=10)
        assert caught.value.code == 404
        assert urllib.request.urlopen(origin + "/news/", timeout=10).status == 200
    assert page in result.stdout and "takedown-clear" in result.stdout
    # the release before keeps the page (no file was changed through a hard link) …
    older = base / "releases" / releases(base)[0]
    assert (older / rel / "index.html").is_file() and page + "<" in (older / "news" / "feed.xml").read_text(encoding="utf-8")
    # … until it goes live again: a rollback applies the list
    assert deploy("rollback", str(base)).returncode == 0
    gone(live)
    # the next deploy of the unfixed source keeps the page out; clearing the list brings it back
    (site / "about" / "index.html").write_text("<p>again</p>", encoding="utf-8")
    assert deploy("deploy", str(site), str(base), at=at(3)).returncode == 0
    gone(live)
    assert deploy("takedown-clear", str(base), page).returncode == 0
    (site / "about" / "index.html").write_text("<p>fixed</p>", encoding="utf-8")
    assert deploy("deploy", str(site), str(base), at=at(4)).returncode == 0
    assert (live / rel / "index.html").is_file()
    assert deploy("takedown", str(base), "/no/such/page/").returncode != 0


# --- same content, same bytes: hard links and ETags -------------------------------------------

def etag(origin: str, path: str) -> str:
    with urllib.request.urlopen(origin + path, timeout=10) as response:
        return response.headers["ETag"]


def test_a_one_item_change_writes_that_item_and_links_the_rest(tmp_path):
    """Two builds of the same content are the same bytes (tests/test_clock.py compares every
    file of two builds); here, what a deploy makes of it."""
    from tools import nginx

    project = copy_project(FIXTURES / "small", tmp_path / "small")
    base = tmp_path / "qcdx"
    built = project.root / "site"
    assert project.build().returncode == 0
    assert deploy("deploy", str(built), str(base), at=at(1)).returncode == 0
    again = deploy("deploy", str(built), str(base), at=at(2))
    assert "没有新建发布" in again.stdout and len(releases(base)) == 1
    pages = ("/courses/c1/", "/news/2023/c/", "/news/2023/a/")
    with nginx.start(base / "current") as (origin, _):  # the ETag is the file's: one nginx before, one after
        before = {path: etag(origin, path) for path in pages}
    project.edit("docs/news/2023/2023-02-01-a.md", "正文甲。", "正文甲。补充一句。")
    assert project.build().returncode == 0
    result = deploy("deploy", str(built), str(base), at=at(3))
    assert result.returncode == 0, result.stderr
    with nginx.start(base / "current") as (origin, _):
        after = {path: etag(origin, path) for path in pages}
    old, new = (base / "releases" / r for r in releases(base))
    files = [p.relative_to(new) for p in new.rglob("*") if p.is_file()]
    linked = [f for f in files if (new / f).stat().st_ino == (old / f).stat().st_ino if (old / f).exists()]
    written = [f for f in files if (new / f).stat().st_nlink == 1]
    uploaded = int(re.search(r"上传的文件：(\d+)", result.stdout).group(1))
    print(f"small fixture: {len(files)} files, {uploaded} uploaded, {len(written)} written, {len(linked)} hard-linked")
    assert len(linked) + len(written) == len(files) and uploaded == len(written)
    assert len(written) < len(files) / 4, (len(written), len(files))
    assert Path("news/2023/a/index.html") in written and Path("courses/c1/index.html") in linked
    assert after["/courses/c1/"] == before["/courses/c1/"] and after["/news/2023/c/"] == before["/news/2023/c/"]
    assert after["/news/2023/a/"] != before["/news/2023/a/"]
    assert f"新写入 {len(written)}，与上一次相同、硬链接 {len(linked)}" in result.stdout


# --- make and CI ----------------------------------------------------------------------------

def test_make_deploy_builds_then_runs_the_script():
    dry = subprocess.run(["make", "-n", "deploy", f"ENGINE={ENGINE}", "TARGET=deploy@host"], cwd=ROOT,
                         capture_output=True, text=True)
    lines = dry.stdout.splitlines()
    build = next(i for i, line in enumerate(lines) if f"bin/{ENGINE} build --strict" in line)
    upload = next(i for i, line in enumerate(lines) if "deploy/deploy.sh deploy site" in line)
    assert build < upload and '"deploy@host"' in lines[upload]
    for target, args, expected in (("switch", ["RELEASE=20260101T000001Z-abc"], 'switch "/srv/q" "20260101T000001Z-abc"'),
                                   ("takedown", ["PAGE=/news/x/"], 'takedown "/srv/q" "/news/x/"'),
                                   ("pin", ["REASON=标题有误"], 'pin "/srv/q" 标题有误'),
                                   ("releases", [], 'releases "/srv/q"'),
                                   ("pack", ["OUT=rel"], 'pack.sh site "rel"'),
                                   ("deploy", ["KEEP=3"], 'DEPLOY_KEEP=3 bash deploy/deploy.sh deploy site "/srv/q"')):
        dry = subprocess.run(["make", "-n", target, "TARGET=/srv/q", *args], cwd=ROOT, capture_output=True, text=True)
        assert expected in dry.stdout if target in ("pack", "deploy") else f"bash deploy/deploy.sh {expected}" in dry.stdout, dry.stdout
