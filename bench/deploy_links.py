"""Two deploys of the demo with a one-item change between them: files uploaded, newly written and
hard-linked, and nginx's ETag of pages before and after (MEASUREMENTS.md, issue 24).

    cd bench && ../.venv/bin/python deploy_links.py

The demo (docs/, data/, mkdocs.yml of the repository) is copied to a temporary folder, built twice
unchanged (the two sites compared byte for byte), deployed to a local folder with deploy/deploy.sh,
one news item's text is changed, built and deployed again."""
from __future__ import annotations

import filecmp
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tools import nginx  # noqa: E402


def build(project: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "site"], cwd=project,
                   env=env, check=True, capture_output=True)


def deploy(site: Path, base: Path, when: str) -> str:
    result = subprocess.run(["bash", str(ROOT / "deploy" / "deploy.sh"), "deploy", str(site), str(base)],
                            env={**os.environ, "RELEASE_TIME": when}, capture_output=True, text=True, check=True)
    return result.stdout


def differing(a: Path, b: Path) -> list[str]:
    out = []
    for path in a.rglob("*"):
        if path.is_file():
            rel = path.relative_to(a)
            if not (b / rel).is_file() or not filecmp.cmp(path, b / rel, shallow=False):
                out.append(str(rel))
    return out


def etags(site: Path, pages: list[str]) -> dict[str, str]:
    import urllib.request
    with nginx.start(site) as (origin, _):
        return {p: urllib.request.urlopen(origin + p, timeout=10).headers["ETag"] for p in pages}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="qc-deploy-links-") as tmp:
        work = Path(tmp)
        project = work / "project"
        project.mkdir()
        for name in ("docs", "data", "overrides"):
            shutil.copytree(ROOT / name, project / name)
        shutil.copy(ROOT / "mkdocs.yml", project)
        for name in ("macros", "hooks.py"):
            (project / name).symlink_to(ROOT / name)
        build(project)
        first = work / "first"
        shutil.copytree(project / "site", first)
        build(project)
        same = differing(first, project / "site")
        files = sum(1 for p in first.rglob("*") if p.is_file())
        print(f"two builds of unchanged content: {files} files, {len(same)} differ {same[:5]}")

        base = work / "srv"
        print(deploy(project / "site", base, "20261201T000001Z").strip())
        items = sorted((project / "docs" / "news").rglob("20*.md"))
        item = random.Random(24).choice(items)
        text = item.read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)
        item.write_text(body[0] + "\n---\n" + body[1].replace("。", "。（补充说明。）", 1), encoding="utf-8")
        slug = re.sub(r"^\d{4}-\d\d-\d\d-", "", item.stem)
        changed_page = f"/news/{item.parent.name}/{slug}/"
        pages = ["/about/", "/courses/", changed_page, "/news/"]
        before = etags(base / "current", pages)
        build(project)
        out = deploy(project / "site", base, "20261201T000002Z")
        print(out.strip())
        after = etags(base / "current", pages)
        old, new = sorted((base / "releases").iterdir())
        all_files = [p for p in new.rglob("*") if p.is_file()]
        linked = sum(1 for p in all_files if (old / p.relative_to(new)).exists()
                     and (old / p.relative_to(new)).stat().st_ino == p.stat().st_ino)
        written = sum(1 for p in all_files if p.stat().st_nlink == 1)
        print(f"changed {item.relative_to(project)}: {len(all_files)} files, {written} written, {linked} hard-linked")
        print("  written:", " ".join(sorted(str(p.relative_to(new)) for p in all_files if p.stat().st_nlink == 1)))
        for page in pages:
            print(f"  ETag {page}: {before[page]} → {after[page]} ({'same' if before[page] == after[page] else 'new'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
