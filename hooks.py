"""MkDocs events: connect the index to MkDocs, nothing more. What one event leaves for the next
is in `macros.engine.state.STATE`, one object per process (DEVELOPING.md#state)."""
from __future__ import annotations

import html as html_text
import json
import os
import tempfile
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from macros.output import background, pages
from macros.engine import parallel
from macros.editorial import preview, release
from macros.channels import wechat
from macros.engine.state import STATE
from macros.engine.mkdocs_adapter import (Fragments, compiled_templates, content_problems, converting, current_site,
                                   escape_macro_output, escape_meta, filing_of, keep_going_on_macro_errors,
                                   move_file, nav_key, privacy_of, published_site_url, render_problems, set_preview,
                                   share_card, watch_content, watch_natively)

state = STATE  # everything one event leaves for the next (macros/engine/state.py)


def on_startup(command, dirty):
    set_preview(command == "serve")  # state.serving
    if state.serving and dirty:
        state.generated_dir = Path(tempfile.mkdtemp(prefix="qc-preview-"))


def on_serve(server, config, builder):
    watch_content(server, config)  # data/ too, whatever mkdocs.yml's watch: says
    return watch_natively(server)  # a save is seen at once, not at the next poll of docs/


def on_config(config):
    if state.serving:
        keep_going_on_macro_errors(config)
    if content_problems(config):  # a preview with problems builds no page: nothing for a nav
        config.nav = None
        config.theme.static_templates.clear()  # nor the theme's 404.html and sitemap: the problem page only


def on_files(files, config):
    escape_macro_output(config)
    if state.work is not None:  # a build that failed before its end left one
        state.work.abandon()
        state.work = None
    if content_problems(config):
        # every page will be the list of problems (on_post_build), a page of its own; nothing
        # else is copied either, such as a file that is a link refused by the check (listing.py)
        for file in list(files):
            files.remove(file)
        return files
    site = current_site(config)
    if not converting():  # `python -m macros wechat` converts a page and writes no site
        state.work = background.Background(site, Path(config.config_file_path).parent, Path(config.site_dir), state.serving)
    hidden = set() if state.serving else pages.withheld(site)  # a preview shows them, with a banner
    hidden |= pages.unshown_originals(site, Path(config.docs_dir))  # pages show their variants
    for file in [f for f in files if f.src_uri in hidden]:
        files.remove(file)  # drafts and future items are published nowhere
    moved = pages.destinations(site)
    for file in files:
        if file.src_uri in moved:
            move_file(file, moved[file.src_uri])
    state.html.clear()
    for page in pages.generate(site, config.site_url or "/", config.site_name):
        if page.src_uri in files.src_uris:
            files.remove(files.src_uris[page.src_uri])
        files.append(_generated(config, page))
        if page.html:
            state.html[page.src_uri] = page.html
    if state.serving:  # known here, not looked for in site/ after the build (13,000 files at 5,000 items)
        state.pages_of_build.clear()
        state.pages_of_build.update(f.dest_uri for f in files if f.dest_uri.endswith(".html"))
    return files


def _generated(config, page) -> File:
    if state.generated_dir is None:
        return File.generated(config, page.src_uri, content=page.content)
    # `mkdocs serve --dirty` rebuilds a page only if its source is newer than its output:
    # an unchanged generated page keeps its old file, so saving one item rebuilds little
    path = state.generated_dir / page.src_uri
    if not path.exists() or path.read_text(encoding="utf-8") != page.content:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.content, encoding="utf-8")
    return File.generated(config, page.src_uri, abs_src_path=str(path))


@event_priority(100)  # before mkdocs-macros renders the page
def on_page_markdown(markdown, page, config, files):
    page.meta.pop("internal", None)  # editors' private notes are never published
    page.meta.update(pages.derived_meta(current_site(config).by_src.get(page.file.src_uri)))
    if not pages.is_template(markdown):
        page.meta["render_macros"] = False  # nothing to render: spare compiling it as a template
    return markdown


def on_page_content(html, page, config, files):
    site = current_site(config)
    record = site.by_src.get(page.file.src_uri)
    generated = page.file.src_uri in state.html
    if generated:
        html = pages.with_html(html, state.html[page.file.src_uri])
    # the card reads the front matter as written (its template escapes); then the front matter
    # is escaped for Material, which prints it as it is
    state.cards[page.file.src_uri] = share_card(page, config, html, record)
    escape_meta(page.meta)
    if generated:
        return html
    if state.serving and wechat.offered(site, record):  # the 公众号 edition, never published
        html = wechat.preview(config.site_dir, site, record, html, published_site_url(config), config.site_name)
    html = pages.frame(site, record, html) if record else html
    if state.work is not None:  # the title was escaped for Material: the index gets it as text
        state.work.page(page.file.src_uri, page.url, html_text.unescape(page.title or ""), page.meta, html)
    return html


def on_nav(nav, config, files):
    state.nav = nav
    return nav


def on_env(env, config, files):
    env.globals["filing"] = filing_of(config)  # the footer of every page (partials/copyright.html)
    env.globals["privacy"] = privacy_of(config)  # its link to the 个人信息处理规则 (/privacy/)
    env.globals["fragment"] = Fragments()  # the tabs and nav, once per key (overrides/main.html)
    if state.serving:
        env.bytecode_cache = compiled_templates()
    elif not content_problems(config):
        state.renderer = parallel.start(config, env, files, state.nav)  # half the pages, on the other core
    return env


def on_page_context(context, page, config, nav):
    context["share"] = state.cards.get(page.file.src_uri)
    context["nav_key"] = nav_key(page, nav, context["base_url"])
    return context


def on_post_build(config):
    if state.renderer is not None:
        state.renderer, renderer = None, state.renderer
        renderer.finish()
    problems = content_problems(config) or (render_problems() if state.serving else None)
    if problems:
        preview.write(config.site_dir, problems, state.built)
        return
    if state.serving:
        state.built.clear()
        state.built.update(state.pages_of_build)
    else:  # site/release.json: the commit, the day, each section's newest item (health checks read it)
        release.write(config.site_dir, current_site(config), Path(config.config_file_path).parent)
    figures = state.work.finish()
    state.work = None
    if figures and os.environ.get("SEARCH_FIGURES"):  # `make bench` reads what indexing cost
        Path(os.environ["SEARCH_FIGURES"]).write_text(json.dumps(figures), encoding="utf-8")


def on_build_error(error):
    if state.renderer is not None:
        state.renderer.abandon()
        state.renderer = None
    if state.work is not None:
        state.work.abandon()
        state.work = None
