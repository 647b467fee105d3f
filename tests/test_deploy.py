"""deploy/deploy.sh: releases, an atomic switch of `current`, five kept, rollback.

To a local folder, and through a stand-in for ssh that runs the server's commands here (the
same code path as user@host:/srv/qcdx, quoting included). A reader polls through `current`
during the deploys and must always find one complete release.
"""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import ENGINE

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "deploy" / "deploy.sh"
FILES = ["index.html", "news/index.html", "assets/site.css", "search/idx/meta.json"]
SIZE = 400_000  # big enough that copying a release takes a while


def make_site(folder: Path, version: str) -> Path:
    """A site whose every file names its version, and a manifest of their checksums."""
    manifest = []
    for name in FILES:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        body = (f"{version} {name}\n" * (SIZE // 40)).encode()
        path.write_bytes(body)
        manifest.append(f"{hashlib.sha256(body).hexdigest()} {name}")
    (folder / "MANIFEST").write_text("\n".join(manifest), encoding="utf-8")
    return folder


def deploy(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})}, cwd=ROOT)


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


@pytest.fixture
def fake_ssh(tmp_path) -> dict:
    """$DEPLOY_SSH that runs the "remote" command here: drops the host, then a shell runs it."""
    path = tmp_path / "fake-ssh"
    path.write_text('#!/bin/sh\n# ssh [options] host command…  (rsync passes user@host as -l user host)\n'
                    'while :; do case $1 in -l|-p|-i|-o) shift 2 ;; -*) shift ;; *) break ;; esac; done\n'
                    'shift\nexec sh -c "$*"\n', encoding="utf-8")
    path.chmod(0o755)
    return {"DEPLOY_SSH": str(path)}


@pytest.mark.parametrize("remote", [False, True], ids=["local", "over-ssh"])
def test_deploy_twice_reader_sees_whole_releases_then_rollback(tmp_path, remote, fake_ssh):
    base = tmp_path / "srv dir" / "学校's qcdx"  # quoting over ssh is tested too
    target = f"deploy@school.example:{base}" if remote else str(base)
    env = fake_ssh if remote else {}
    first = deploy("deploy", str(make_site(tmp_path / "v1", "v1")), target, env=env)
    assert first.returncode == 0, first.stderr
    assert check_release(base / "current") == "v1"
    assert current(base).startswith("releases/") and "/" not in current(base)[len("releases/"):]

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
    assert again.returncode != 0 and "no release older" in again.stderr
    assert check_release(base / "current") == "v1"


def test_the_last_five_releases_are_kept_and_the_current_one(tmp_path):
    base = tmp_path / "qcdx"
    for n in range(1, 5):
        time.sleep(1.05 if n > 1 else 0)
        assert deploy("deploy", str(make_site(tmp_path / f"v{n}", f"v{n}")), str(base)).returncode == 0
    assert [version_of(base / "releases" / r) for r in releases(base)] == ["v1", "v2", "v3", "v4"]
    # roll back three times: current is v1, the oldest, which must survive the next deploys
    for _ in range(3):
        assert deploy("rollback", str(base)).returncode == 0
    assert check_release(base / "current") == "v1"
    for n in range(5, 8):
        time.sleep(1.05)
        assert deploy("deploy", str(make_site(tmp_path / f"v{n}", f"v{n}")), str(base)).returncode == 0
    kept = [version_of(base / "releases" / r) for r in releases(base)]
    assert kept == ["v3", "v4", "v5", "v6", "v7"], kept
    assert check_release(base / "current") == "v7"
    assert deploy("rollback", str(base)).returncode == 0
    assert check_release(base / "current") == "v6"


def test_a_missing_site_or_target_is_refused(tmp_path):
    result = deploy("deploy", str(tmp_path / "nothing"), str(tmp_path / "srv"))
    assert result.returncode != 0 and "make build" in result.stderr
    assert not (tmp_path / "srv").exists()
    assert deploy("deploy").returncode == 2
    result = subprocess.run(["make", "-s", "rollback"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0 and "usage: make rollback TARGET=" in result.stderr


# --- the CI jobs that deploy main to the school's server ------------------------------------

def test_github_deploys_main_with_the_key_from_a_secret():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    job = workflow["jobs"]["server"]
    assert job["needs"] == "build"
    assert job["if"].startswith("github.ref == 'refs/heads/main' && github.event_name != 'pull_request'")
    assert "permissions" not in job  # the workflow's read-only token is enough
    assert job["concurrency"]["cancel-in-progress"] is False
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert 'bash deploy/deploy.sh deploy site "$TARGET"' in runs and "StrictHostKeyChecking=yes" in runs
    assert "${{" not in runs  # secrets reach the scripts through env, never pasted into them
    key_step = next(s for s in job["steps"] if "DEPLOY_SSH_KEY" in s.get("env", {}))
    assert key_step["env"]["DEPLOY_SSH_KEY"] == "${{ secrets.DEPLOY_SSH_KEY }}"
    # the order and the removal: tests/test_workflows.py (test_github_key_*)


def test_gitlab_deploys_the_default_branch_with_the_key_from_a_variable():
    import yaml

    job = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))["server"]
    assert job["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $DEPLOY_TARGET"}]
    assert job["resource_group"] == "school-server"
    script = "\n".join(job["script"])
    assert 'bash deploy/deploy.sh deploy site "$DEPLOY_TARGET"' in script and "StrictHostKeyChecking=yes" in script
    assert 'cat "$DEPLOY_SSH_KEY" > "$key"' in script  # a variable of type File: a path
    # the order and the removal: tests/test_workflows.py (test_gitlab_key_*)


def test_make_deploy_builds_then_runs_the_script():
    dry = subprocess.run(["make", "-n", "deploy", f"ENGINE={ENGINE}", "TARGET=deploy@host:/srv/qcdx"], cwd=ROOT,
                         capture_output=True, text=True)
    lines = dry.stdout.splitlines()
    build = next(i for i, line in enumerate(lines) if f"bin/{ENGINE} build --strict" in line)
    upload = next(i for i, line in enumerate(lines) if "deploy/deploy.sh deploy site" in line)
    assert build < upload and '"deploy@host:/srv/qcdx"' in lines[upload]
