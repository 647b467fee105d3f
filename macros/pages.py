"""Which Markdown files become pages, and at which URL.

URLs come from ids and file names (content-model.md): a news file
docs/news/2023/2023-03-06-kaixue.md is published at /news/2023/kaixue/.
Drafts and items dated after the build day are not published at all.
"""
from __future__ import annotations

from .site import Site


def destinations(site: Site) -> dict[str, str]:
    """Source path (relative to docs/) → destination path in site/, for published records."""
    pages = [*site.news, *site.notes, *site.bulletins]
    return {page.src: page.url + "index.html" for page in pages}


def withheld(site: Site) -> set[str]:
    """Source paths (relative to docs/) that must not be published by this build."""
    return {page.src for page in site.unpublished}
