"""site/release.json: what the live site says about itself, written by every full build.

    {"commit": "e8be9c2…", "built": "2026-12-01",
     "sections": [{"id": "xuexiao-yaowen", "name": "学校要闻", "every": 14, "last": "2026-11-20", "editor": "…"}]}

`commit` is the source's commit (CI's GITHUB_SHA / CI_COMMIT_SHA, else `git rev-parse HEAD`,
else ""); `built` is the day the build published for, by the one clock (clock.py), not a wall
time, so that rebuilding unchanged content on one day gives the same bytes. `sections` are the
news sections with their interval and the date of their newest published item, so that
`python -m macros health` can tell from the live site alone which is overdue, by the same rule
as `python -m macros freshness` (freshness.late). Deploy scripts may read it too.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from ..index.site import Site
from . import freshness

NAME = "release.json"


def commit(root: Path) -> str:
    for variable in ("QC_COMMIT", "GITHUB_SHA", "CI_COMMIT_SHA"):
        if os.environ.get(variable):
            return os.environ[variable].strip()
    try:
        found = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return found.stdout.strip() if found.returncode == 0 else ""


def stamp(site: Site, root: Path) -> dict:
    return {
        "commit": commit(root),
        "built": site.today.isoformat(),
        "sections": [{"id": section.id, "name": section.name, "every": section.interval,
                      "last": last.isoformat() if last else None, "editor": section.editor}
                     for section, last in freshness.newest(site)],
    }


def write(site_dir: Path | str, site: Site, root: Path) -> Path:
    path = Path(site_dir) / NAME
    path.write_text(json.dumps(stamp(site, root), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
