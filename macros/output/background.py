"""What a build does beside rendering, on the other core: covers resized by worker processes
and the search index written by another process, both fed while MkDocs renders pages; then,
after the last page, the .gz twins that nginx sends (zlib releases the GIL, so a thread
compresses the pages while the index is finished). Nothing here knows MkDocs."""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import images, pages, precompress, search
from ..index.site import Site


def cover_cache(root: Path) -> Path:
    """Resized covers, kept between builds (and by CI) beside mkdocs.yml; QC_COVER_CACHE moves it."""
    return Path(os.environ.get("QC_COVER_CACHE") or root / ".cache" / "covers")


class Background:
    """The background work of one build."""

    def __init__(self, site: Site, root: Path, site_dir: Path, preview: bool):
        self.site_dir, self.preview = site_dir, preview
        self.covers = images.Resizer(cover_cache(root), site_dir).start(pages.cover_jobs(site, preview))
        # a preview rebuilds on every save and is never searched; SEARCH_INDEX=off lets the bench
        # time a build without the index
        indexing = not preview and os.environ.get("SEARCH_INDEX") != "off"
        self.index = search.Background(site_dir / search.DIRECTORY) if indexing else None
        self.records = search.records_by_src(site) if indexing else {}

    def page(self, src_uri: str, url: str, title: str, meta: dict, html: str) -> None:
        """A rendered page: indexed for search when it is meant to be found."""
        if self.index is not None and search.is_indexed(meta):
            kind, date = search.describe(self.records.get(src_uri))
            self.index.add(url, title, kind, date, html)

    def finish(self) -> dict | None:
        """Wait for the covers and the index; compress what is published. The index's figures."""
        self.covers.finish(prune=not self.preview)  # a full build knows every cover: drop the others
        if self.preview:
            return None
        figures = None
        with ThreadPoolExecutor(1) as pool:
            compressing = pool.submit(precompress.compress_site, self.site_dir, skip=("search",))
            if self.index is not None:
                figures = self.index.write()
            compressing.result()
        precompress.compress_site(self.site_dir / "search")  # the search page and its index, once written
        return figures

    def abandon(self) -> None:
        """A failed build publishes nothing: stop its workers."""
        self.covers.abandon()
        if self.index is not None:
            self.index.cancel()
