"""The pages of the bare build: the school's docs/ and, as Markdown files, every page the real
build generates (listings, topics, courses, teachers, statistics), so that bare Material builds
AS MANY PAGES as the real build (issue 11: "bare Material over as many pages").

Run inside a generated school (bench/run.py does): writes docs-bare/ beside docs/, hard links
of docs/ (photos included: bare Material copies them to its site, as it would) plus the
generated pages. A generated page's HTML body (a listing's table, a chart) is left out: the
real build adds it after Markdown, and Python-Markdown would re-parse it tag by tag, which
would slow the bare build and flatter the ratio. Feeds are not pages and are left out too.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import yaml


def write(project: Path) -> int:
    """docs-bare/ of the school at `project`; the number of generated pages added."""
    sys.path.insert(0, str(project))
    from macros.output import pages
    from macros.index.load import load

    docs, bare = project / "docs", project / "docs-bare"
    if bare.exists():
        shutil.rmtree(bare)
    for folder, _, names in os.walk(docs):
        target = bare / Path(folder).relative_to(docs)
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.link(Path(folder) / name, target / name)
    # the two top-level settings, by line: mkdocs.yml has tags (!!python/…) that PyYAML's safe loader refuses
    config = {key: yaml.safe_load(value) for key, value in
              re.findall(r"^(site_url|site_name):(.*)$", (project / "mkdocs.yml").read_text(encoding="utf-8"), re.M)}
    site = load(project)
    added = 0
    for page in pages.generate(site, config.get("site_url") or "/", config.get("site_name") or ""):
        if page.src_uri.endswith(".md"):
            path = bare / page.src_uri
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists():
                path.unlink()  # a hard link of docs/: never write through it
            path.write_text(page.content, encoding="utf-8")
            added += 1
    return added


if __name__ == "__main__":
    print(write(Path(sys.argv[1]).resolve()))
