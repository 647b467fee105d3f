"""A preview whose content has problems: every page lists them.

`mkdocs serve` waits for a successful build before it answers any request, so a build that
stops on a content problem leaves the editor's browser waiting, with the Chinese message in a
terminal many editors never look at. A preview with problems therefore builds no pages and
writes this one page over every HTML file of the site, 404.html included (MkDocs' server
answers unknown addresses with it) and adds its live-reload script: once the editor saves a
fix, the next build replaces it and the browser reloads by itself.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..content.problems import ContentError
from ..output.render import render_xml


def page(error: ContentError) -> str:
    return str(render_xml("pages/problems.html", problems=sorted(set(error.problems))))


def write(site_dir: str, error: ContentError, known: set[str]) -> None:
    """The problem page at index.html, 404.html, every HTML file already in site/ and every
    page the last good build wrote (`known`, paths relative to site/).

    Each is dated 1970: `mkdocs serve --dirty` rebuilds a page only when its source is newer
    than its output, and every page must be rebuilt once the content is fixed."""
    html = page(error)
    root = Path(site_dir)
    targets = {root / "index.html", root / "404.html", *root.rglob("*.html"), *(root / k for k in known)}
    for path in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        os.utime(path, (0, 0))
