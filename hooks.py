"""MkDocs events: connect the index to MkDocs, nothing more."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from macros import pages, search
from macros.mkdocs_adapter import current_site

_serving = False  # `mkdocs serve`: a preview, never published
_html: dict[str, str] = {}  # generated pages' HTML bodies, added after Markdown
_generated_dir: Path | None = None  # in a preview, generated pages are files, rewritten only when changed
_index: search.Background | None = None  # the search index being written (published builds only)
_records: dict = {}  # docs path → record, for the kind and date of each search result


def on_startup(command, dirty):
    global _serving, _generated_dir
    _serving = command == "serve"
    if _serving and dirty:
        _generated_dir = Path(tempfile.mkdtemp(prefix="qc-preview-"))


def on_files(files, config):
    global _index, _records
    site = current_site(config)
    if _index is not None:  # a build that failed before its end left one
        _index.cancel()
        _index = None
    # a preview rebuilds on every save; the published build always indexes (SEARCH_INDEX=off:
    # `make bench` measuring the build without it)
    if not _serving and os.environ.get("SEARCH_INDEX") != "off":
        _index = search.Background(Path(config.site_dir) / search.DIRECTORY)
        _records = search.records_by_src(site)
    hidden = set() if _serving else pages.withheld(site)  # a preview shows them, with a banner
    for file in [f for f in files if f.src_uri in hidden]:
        files.remove(file)  # drafts and future items are published nowhere
    moved = pages.destinations(site)
    for file in files:
        if file.src_uri in moved:
            file.dest_uri = moved[file.src_uri]
            for cached in ("url", "abs_dest_path"):
                file.__dict__.pop(cached, None)
    _html.clear()
    for page in pages.generate(site, config.site_url or "/", config.site_name):
        if page.src_uri in files.src_uris:
            files.remove(files.src_uris[page.src_uri])
        files.append(_generated(config, page))
        if page.html:
            _html[page.src_uri] = page.html
    return files


def _generated(config, page) -> File:
    if _generated_dir is None:
        return File.generated(config, page.src_uri, content=page.content)
    # `mkdocs serve --dirty` rebuilds a page only if its source is newer than its output:
    # an unchanged generated page keeps its old file, so saving one item rebuilds little
    path = _generated_dir / page.src_uri
    if not path.exists() or path.read_text(encoding="utf-8") != page.content:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.content, encoding="utf-8")
    return File.generated(config, page.src_uri, abs_src_path=str(path))


@event_priority(100)  # before mkdocs-macros renders the page
def on_page_markdown(markdown, page, config, files):
    page.meta.pop("internal", None)  # editors' private notes are never published
    if not pages.is_template(markdown):
        page.meta["render_macros"] = False  # nothing to render: spare compiling it as a template
    return markdown


def on_page_content(html, page, config, files):
    if page.file.src_uri in _html:
        return pages.with_html(html, _html[page.file.src_uri])
    site = current_site(config)
    record = site.by_src.get(page.file.src_uri)
    html = pages.frame(site, record, html) if record else html
    if _index is not None and search.is_indexed(page.meta):
        kind, date = search.describe(_records.get(page.file.src_uri))
        _index.add(page.url, page.title or "", kind, date, html)
    return html


def on_post_build(config):
    global _index
    pages.write_covers(current_site(config), config.site_dir)
    if _index is not None:
        figures = _index.write()
        if os.environ.get("SEARCH_FIGURES"):  # `make bench` reads what indexing cost
            Path(os.environ["SEARCH_FIGURES"]).write_text(json.dumps(figures), encoding="utf-8")
        _index = None


def on_build_error(error):
    global _index
    if _index is not None:  # a failed build publishes nothing: stop its indexer too
        _index.cancel()
        _index = None
