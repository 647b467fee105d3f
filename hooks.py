"""MkDocs events: connect the index to MkDocs, nothing more."""
from __future__ import annotations

import tempfile
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from macros import pages, search, share
from macros.mkdocs_adapter import current_site

_serving = False  # `mkdocs serve`: a preview, never published
_html: dict[str, str] = {}  # generated pages' HTML bodies, added after Markdown
_generated_dir: Path | None = None  # in a preview, generated pages are files, rewritten only when changed
_cards: dict[str, share.Card] = {}  # src_uri → the page's share card, printed by overrides/main.html


def on_startup(command, dirty):
    global _serving, _generated_dir
    _serving = command == "serve"
    if _serving and dirty:
        _generated_dir = Path(tempfile.mkdtemp(prefix="qc-preview-"))


def on_files(files, config):
    site = current_site(config)
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
    site = current_site(config)
    record = site.by_src.get(page.file.src_uri)
    if page.file.src_uri in _html:
        html = pages.with_html(html, _html[page.file.src_uri])
    _cards[page.file.src_uri] = share.card(
        title=config.site_name if page.is_homepage else (page.meta.get("title") or page.title),
        url=page.canonical_url or "", site_url=config.site_url or "", site_name=config.site_name,
        site_description=config.site_description or "", html=html, record=record,
        meta_description=page.meta.get("description") or "")
    return pages.frame(site, record, html) if record else html


def on_page_context(context, page, config, nav):
    context["share"] = _cards.get(page.file.src_uri)
    return context


def on_post_build(config):
    pages.write_covers(current_site(config), config.site_dir)
    if not _serving:  # a preview rebuilds on every save; the published build always indexes
        search.index(config.site_dir)
