"""MkDocs events: connect the index to MkDocs, nothing more."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import jinja2
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from macros import images, pages, search
from macros.mkdocs_adapter import current_site

_serving = False  # `mkdocs serve`: a preview, never published
_html: dict[str, str] = {}  # generated pages' HTML bodies, added after Markdown
_generated_dir: Path | None = None  # in a preview, generated pages are files, rewritten only when changed
_covers: images.Resizer | None = None  # resizing covers in other processes while pages render


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
    global _covers
    _covers = images.Resizer(_cover_cache(config), Path(config.site_dir)).start(pages.cover_jobs(site, _serving))
    _html.clear()
    for page in pages.generate(site, config.site_url or "/", config.site_name):
        if page.src_uri in files.src_uris:
            files.remove(files.src_uris[page.src_uri])
        files.append(_generated(config, page))
        if page.html:
            _html[page.src_uri] = page.html
    return files


def _cover_cache(config) -> Path:
    """Resized covers, kept between builds (and by CI) beside mkdocs.yml; QC_COVER_CACHE moves it."""
    return Path(os.environ.get("QC_COVER_CACHE") or Path(config.config_file_path).parent / ".cache" / "covers")


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


class _CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled once per `make serve`, not again on every save: MkDocs
    makes a new Jinja environment for each rebuild, and compiling Material's templates took
    about 0.8 s of a 2-second reload. Jinja checks each template's source checksum, so an
    edited override is compiled again."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_compiled = _CompiledTemplates()


def on_env(env, config, files):
    if _serving:
        env.bytecode_cache = _compiled
    return env


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
    return pages.frame(site, record, html) if record else html


def on_build_error(error):
    if _covers:
        _covers.abandon()


def on_post_build(config):
    _covers.finish(prune=not _serving)  # a full build knows every cover: drop the cache's others
    # QC_SEARCH=off: `make bench` times the build without the search index, to separate the two
    if not _serving and os.environ.get("QC_SEARCH") != "off":  # a preview rebuilds on every save; the published build always indexes
        search.index(config.site_dir)
