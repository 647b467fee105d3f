"""The only module of the package that knows MkDocs and mkdocs-macros (with `parallel.py`, which
forks MkDocs' build loop).

Moving to a successor of MkDocs should change this file, `parallel.py`, `__init__.py` and
`hooks.py`, not the models, the loader, the index or the figures. Every private or undocumented
part of MkDocs and mkdocs-macros these use is in `UPSTREAM_APIS` (DEVELOPING.md#upstream).
"""
from __future__ import annotations

import datetime as dt
import html
import functools
import os
import re
import sys
from pathlib import Path
from typing import NamedTuple

import jinja2

try:
    import mkdocs  # MkDocs 1.6; under ProperDocs' own command, its alias of the name
except ImportError:  # ProperDocs alone (.venv-properdocs): its package is `properdocs`, and this
    import properdocs.replacement  # noqa: F401  alias makes every `import mkdocs…` import it
from mkdocs.exceptions import PluginError

from ..content import clock
from ..output import render
from ..output.library import Library, MacroError
from ..index.load import load
from ..content.problems import ContentError, Problem
from ..index.site import Site
from .state import STATE

class Upstream(NamedTuple):
    api: str  # what is used, named as upstream names it
    file: str  # the project file that uses it
    marker: str  # the text of that file's code that uses it (tests/test_upstream.py finds it there)
    on_upgrade: str  # what to look at when the upstream package changes


# Every private or undocumented part of MkDocs and mkdocs-macros the engine relies on: one test
# each in tests/test_upstream.py, which also greps macros/ and hooks.py for such uses and fails
# on one missing here. Material's templates copied into overrides/ are in tests/upstream_templates.json.
UPSTREAM_APIS: tuple[Upstream, ...] = (
    Upstream("mkdocs.commands.build._build_page(page, config, doc_files, nav, env, excluded=)",
             "macros/engine/parallel.py", "_build_page",
             "the fork renders its pages by calling MkDocs' private one-page build: check its "
             "parameters and that the build loop (mkdocs.commands.build.build) still calls it per page"),
    Upstream("_build_page writes no file for empty output and logs \"Page skipped: '<src_uri>'\" at INFO "
             "on the logger mkdocs.commands.build", "macros/engine/parallel.py", "Page skipped",
             "the parent skips the fork's pages with the empty template overrides/_skip.html and hides "
             "that line (_NotSkipped): check what _build_page does with empty output"),
    Upstream("mkdocs.livereload.LiveReloadServer._watched_paths (absolute path → number of watch() calls)",
             "macros/engine/mkdocs_adapter.py", "_watched_paths",
             "watch_natively re-watches every watched path: check how LiveReloadServer keeps its watches"),
    Upstream("LiveReloadServer.observer (a watchdog observer made in __init__, started by serve() after "
             "the on_serve event), watch(path) and unwatch(path)",
             "macros/engine/mkdocs_adapter.py", ".observer",
             "watch_natively swaps the polling observer for the system's: check that serve() still "
             "starts self.observer and that watch() schedules on it"),
    Upstream("mkdocs.structure.files.File: url and abs_dest_path are functools.cached_property, "
             "dest_uri is assignable", "macros/engine/mkdocs_adapter.py", "__dict__",
             "move_file resets the cached values by popping them from the file's __dict__: check how "
             "File derives url and abs_dest_path from dest_uri"),
    Upstream("mkdocs-macros: config.plugins['macros'].env, the jinja2.Environment it makes in on_config "
             "and compiles every page with", "macros/engine/mkdocs_adapter.py", ".env.finalize",
             "escape_macro_output sets its finalize after on_config: check that the plugin still makes "
             "one environment in on_config and renders pages with env.from_string"),
    Upstream("mkdocs-macros: plugin.config['on_error_fail'], read at every page's rendering",
             "macros/engine/mkdocs_adapter.py", "on_error_fail",
             "keep_going_on_macro_errors turns it off after validation for a preview: check that the "
             "plugin reads it when it renders, not once in on_config"),
    Upstream("mkdocs-macros: on_error_fail stops with exit(), a SystemExit",
             "macros/engine/mkdocs_adapter.py", "SystemExit",
             "converted_pages catches SystemExit to report a failing macro: check how the plugin stops"),
    Upstream("mkdocs_macros.errors.format_error, a functools.singledispatch on the exception, called "
             "as format_error(error, markdown=, page=)", "macros/engine/mkdocs_adapter.py", "format_error",
             "install_error_messages registers the Chinese messages on it: check its name, module and "
             "arguments"),
    Upstream("MkDocs' steps for one page (mkdocs.commands.build._populate_page): page.read_source(config), "
             "on_page_markdown, page.render(config, files)", "macros/engine/mkdocs_adapter.py", "read_source",
             "converted_pages repeats them for the 公众号 edition: check _populate_page for a new step"),
    Upstream("SOURCE_DATE_EPOCH (documented), read by mkdocs.utils.get_build_datetime at each call",
             "macros/engine/mkdocs_adapter.py", "SOURCE_DATE_EPOCH",
             "load_site sets it from the build's day in on_config: check that MkDocs still reads it "
             "when it dates each page (the sitemap's <lastmod>) and sitemap.xml.gz, not at import"),
)

# The engine a build runs as a command: `make … ENGINE=properdocs` sets QC_ENGINE (DEVELOPING.md#engines).
ENGINE = os.environ.get("QC_ENGINE", "mkdocs")
ENGINE_COMMAND = [sys.executable, "-m", ENGINE]



def converting() -> bool:
    """True while `converted_pages` runs MkDocs' steps for a command (`python -m macros
    wechat`): the hooks then start none of a build's work beside rendering (covers, search
    index, .gz twins), which would write into site/ and the cover cache."""
    return STATE.converting


def set_preview(on: bool) -> None:
    STATE.serving = on


def build_day(config=None) -> dt.date:
    """The day the build publishes for (`clock.today`): SITE_TODAY=2024-01-01 pretends another
    day (tests, previews), else today in `extra: timezone:` (Asia/Shanghai by default)."""
    timezone = (config.extra or {}).get("timezone") if config is not None else None
    try:
        return clock.today(timezone=timezone)
    except clock.ClockError as error:
        raise PluginError(f"mkdocs.yml 的 extra.timezone：{error}") from None


def load_site(config, extra_names=()) -> Site | None:
    """Load and validate everything once per build; stop the build with every problem.

    In a preview, a build that raises leaves MkDocs' server waiting for a good build, and
    every page request with it ("appears stuck until build errors are resolved"). So a
    preview keeps the problems instead (`content_problems`) and returns None: the hooks
    then build a site whose every page lists them."""
    root = Path(config.config_file_path).parent
    docs = _inside(root, config.docs_dir, "docs_dir")
    theme = _inside(root, config.theme.custom_dir, "theme.custom_dir") if config.theme.custom_dir else "overrides"
    STATE.begin(config)
    day = build_day(config)
    # MkDocs dates the sitemap's <lastmod> and the .gz headers from SOURCE_DATE_EPOCH, else
    # from the wall clock: the build's day is the one clock's, so a build is the same file for
    # file whatever the machine's date (tests/test_clock.py builds under faketime)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime.combine(day, dt.time(), dt.timezone.utc).timestamp()))
    try:
        site = load(root, day, docs, Library.names(extra_names), config_file=Path(config.config_file_path).name,
                    theme_dir=theme)
    except ContentError as error:
        if STATE.serving:
            STATE.broken = error
            return None
        raise PluginError(str(error)) from None
    STATE.site = site
    return site


def _inside(root: Path, folder: str, key: str) -> str:
    """A folder of mkdocs.yml relative to the project, as written: not resolved, since a folder
    that is a symbolic link is refused by the loader, not followed (listing.walk)."""
    try:
        return Path(os.path.abspath(folder)).relative_to(Path(os.path.abspath(root))).as_posix()
    except ValueError:
        raise PluginError(f"mkdocs.yml 的 {key}（{folder}）在项目以外：网站只发布项目里的文件，"
                          "请写项目里的文件夹") from None


def escape_macro_output(config) -> None:
    """Editors' pages print records through macros ({{ n.title }} in a bulletin): as in the
    generated Markdown, every printed value is escaped unless a macro made it (Markup).
    mkdocs-macros creates its Jinja environment after `define_env`, hence a hook."""
    config.plugins["macros"].env.finalize = render.md


def move_file(file, dest_uri: str) -> None:
    """Write a page to another place in site/ (its record's URL). MkDocs 1.6 caches `url` and
    `abs_dest_path` (functools.cached_property) from `dest_uri` when they are first read:
    dropping them from the file's __dict__ makes them follow the new `dest_uri`."""
    file.dest_uri = dest_uri
    for cached in ("url", "abs_dest_path"):
        file.__dict__.pop(cached, None)


def escape_meta(meta: dict) -> None:
    """HTML-escape the front matter text values: Material prints them into HTML as they are
    (title in <title> and the header, description and author in meta tags). Called after the
    page's macros ran (they print through their own escaping) and before any template."""
    for key, value in meta.items():
        if isinstance(value, str):
            meta[key] = html.escape(value, quote=True)


def content_problems(config) -> ContentError | None:
    """The problems of a preview's content, if it has any."""
    return STATE.broken if STATE.config_id == id(config) else None


def render_problems() -> ContentError | None:
    """Macros of a preview that failed while its pages were rendered, if any."""
    return ContentError(list(STATE.render_problems)) if STATE.render_problems else None


def keep_going_on_macro_errors(config) -> None:
    """In a preview, a failing macro must not stop the build: mkdocs-macros would call exit(),
    a SystemExit that MkDocs' rebuild loop does not catch, and the preview would stop
    rebuilding for good. Its message is kept instead (`render_problems`)."""
    plugin = config.plugins.get("macros")
    if plugin is not None:
        plugin.config["on_error_fail"] = False


def current_site(config) -> Site:
    if STATE.config_id != id(config) or STATE.site is None:
        raise LookupError("the index of this build was not loaded (macros/__init__.py define_env)")
    return STATE.site


def install_error_messages() -> None:
    """Show editors a Chinese line, not a traceback, when a macro fails while rendering."""
    from mkdocs_macros.errors import format_error

    @format_error.register
    def _macro_error(error: MacroError, markdown, page) -> str:
        problem = Problem(f"docs/{page.file.src_path}", 0, message=f"宏调用出错：{error}")
        if STATE.serving:
            STATE.render_problems.append(problem)
        return str(problem)

    @format_error.register
    def _undefined(error: jinja2.UndefinedError, markdown, page) -> str:
        names = re.findall(r"'([^']+)'", error.message or "")
        line = _line_of(Path(page.file.abs_src_path), names[-1]) if names else 0
        problem = Problem(f"docs/{page.file.src_path}", line,
                          message=f"宏或变量没有定义（{error.message}），请查看编辑指南“简报与宏”一节（EDITING.md#bulletins）中的宏列表")
        if STATE.serving:
            STATE.render_problems.append(problem)
        return str(problem)


def _line_of(path: Path, name: str) -> int:
    """The first line of the file where `name` is used inside {{ }} or {% %}."""
    pattern = re.compile(r"(\{\{|\{%)[^}]*\b" + re.escape(name) + r"\b")
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if pattern.search(text):
            return number
    return 0


def published_site_url(config) -> str:
    """The published site's address from mkdocs.yml: `mkdocs serve` replaces config.site_url
    with its own local address, which a 公众号 edition must never carry."""
    path = Path(config.config_file_path)
    return _site_url_in(path, path.stat().st_mtime) or config.site_url or "/"


@functools.lru_cache(maxsize=4)
def _site_url_in(path: Path, mtime: float) -> str:
    from mkdocs.utils.yaml import yaml_load

    with open(path, encoding="utf-8") as source:
        return (yaml_load(source) or {}).get("site_url") or ""


def converted_pages(config_file: str | Path, paths: list[str | Path]) -> tuple[Site, list, dict]:
    """Records' pages converted exactly as `mkdocs build` converts them (its Markdown
    extensions, mkdocs-macros, links rewritten to the pages' URLs), before the site's frame:
    (index, [(record, html)], {"site_url", "site_name"}). Paths are docs paths or files.
    Raises wechat.EditionError, in Chinese, for content problems (all of them) and for a path
    that is no published record."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation

    from ..channels.wechat import EditionError

    config = load_config(str(config_file))
    config.plugins.on_startup(command="build", dirty=False)
    STATE.converting = True  # a command that reads: nothing is written (hooks.on_files)
    try:
        config = config.plugins.on_config(config)
        files = config.plugins.on_files(get_files(config), config=config)
        config.plugins.on_nav(get_navigation(files, config), config=config, files=files)  # macros keep it
        site = current_site(config)
        docs = Path(config.docs_dir).resolve()
        out = []
        for path in paths:
            src = _docs_path(Path(path), docs, Path(config.config_file_path).parent)
            record = site.by_src.get(src)
            file = files.get_file_from_path(src)
            if record is None or file is None or not site.is_published(record):
                raise EditionError(f"「{path}」不是已发布的新闻或学习笔记（草稿和未到日期的不生成公众号版）")
            page = file.page
            page.read_source(config)
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
            page.render(config, files)
            out.append((record, page.content))
        return site, out, {"site_url": config.site_url or "/", "site_name": config.site_name}
    except PluginError as error:  # the content has problems: every one, as the build lists them
        raise EditionError(str(error)) from None
    except SystemExit:  # mkdocs-macros (on_error_fail) exits after printing the macro's error
        raise EditionError("文中的宏出错，原因见上一行") from None
    finally:
        STATE.converting = False
        config.plugins.on_shutdown()


def _docs_path(path: Path, docs: Path, root: Path) -> str:
    """A path as an editor gives it (docs/news/…, news/…, absolute) → relative to docs/."""
    for candidate in (path, root / path, docs / path):
        try:
            return candidate.resolve().relative_to(docs).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def filing_of(config):
    """The footer's checked values (the build has stopped already if any is wrong)."""
    from ..content.filing import read

    root = Path(config.config_file_path).parent
    return read(root, Path(config.config_file_path).name, _inside(root, config.docs_dir, "docs_dir"))[0]


def privacy_of(config):
    """The 个人信息处理规则 (mkdocs.yml extra.privacy), for the footer's link; None if missing (the
    build has stopped already then)."""
    from ..content.privacy import read

    return read(Path(config.config_file_path).parent, Path(config.config_file_path).name)[0]


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


def compiled_templates() -> jinja2.BytecodeCache:
    """The preview's compiled templates, kept in the state between its rebuilds."""
    if STATE.compiled_templates is None:
        STATE.compiled_templates = _CompiledTemplates()
    return STATE.compiled_templates


def share_card(page, config, html: str, record):
    """The share card of a page (title, description, image), from its front matter as written."""
    from ..channels.share import DEFAULT_IMAGE, card

    default = _exists(Path(config.docs_dir) / DEFAULT_IMAGE)  # a school without its card: no og:image
    return card(
        title=config.site_name if page.is_homepage else (page.meta.get("title") or page.title),
        url=page.canonical_url or "", site_url=config.site_url or "", site_name=config.site_name,
        site_description=config.site_description or "", html=html, record=record,
        meta_description=page.meta.get("description") or "", default_image=DEFAULT_IMAGE if default else "")


@functools.lru_cache(maxsize=8)
def _exists(path: Path) -> bool:
    return path.is_file()


class Fragments:
    """Parts of the theme's page that are the same on many pages, rendered once per key
    (overrides/main.html: `{% call fragment(name, key) %}…{% endcall %}`). A key of None
    renders every time. One per build (on_env): nothing kept outlives the build's nav.
    QC_FRAGMENTS=off renders every time (tests/test_fragments.py compares the two)."""

    def __init__(self):
        self.kept: dict[tuple, str] = {}
        self.enabled = os.environ.get("QC_FRAGMENTS") != "off"

    def __call__(self, name: str, key, caller):
        if key is None or not self.enabled:
            return caller()
        if (name, key) not in self.kept:
            self.kept[name, key] = caller()
        return self.kept[name, key]


FRAGMENT_LINKS = ("search/",)  # pages the header links to besides the nav's (overrides/partials/header.html)


def nav_key(page, nav, base_url: str):
    """What the header, tabs and navigation depend on, for a page that is not in the nav: the
    relative links from the page to the nav's pages, to the search page and to the site's root
    (the logo, scripts). A page in the nav is shown active, so it gets None (rendered as it is)."""
    from mkdocs.utils import get_relative_url

    if nav is None or page is None or page.url is None or page in nav.pages:
        return None
    targets = [p.url for p in nav.pages] + list(FRAGMENT_LINKS)
    return (base_url, *(get_relative_url(url, page.url) for url in targets))


def _changes_only_observer():
    """The system's observer, scheduling every watch for changes only: created, written
    (modified, or closed after writing), deleted, moved; not opened, read or closed unwritten."""
    import watchdog.events as e
    import watchdog.observers

    changes = [e.FileCreatedEvent, e.FileModifiedEvent, e.FileClosedEvent, e.FileDeletedEvent, e.FileMovedEvent,
               e.DirCreatedEvent, e.DirDeletedEvent, e.DirMovedEvent]

    class _ChangesOnly(watchdog.observers.Observer):
        def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
            return super().schedule(event_handler, path, recursive=recursive,
                                    event_filter=event_filter or changes, follow_symlink=follow_symlink)

    return _ChangesOnly()


def watch_content(server, config):
    """Whatever mkdocs.yml's `watch:` says, a preview rebuilds when data/ changes: the records
    are content as much as docs/ is (the theme folder MkDocs watches itself)."""
    data = Path(config.config_file_path).parent / "data"
    if data.is_dir() and os.path.abspath(data) not in server._watched_paths:
        server.watch(str(data))
    return server


def watch_natively(server):
    """`mkdocs serve` with the operating system's file events (inotify on Linux) instead of
    MkDocs' polling observer, which walks and stats all of docs/ every 0.5 s: at 5,000 items
    (8,500 files) 70 ms a walk, on the build's core, and a save waits 0.3 s on average before it
    is seen. QC_WATCH=poll keeps MkDocs' polling (for a docs/ on a network drive, where file
    events do not arrive). Uses MkDocs 1.6's LiveReloadServer: `watch`/`unwatch` and the
    `observer` it starts in serve().

    Only changes count (`_ChangesOnly`): inotify also reports every file the build *opens* and
    closes without writing, and MkDocs' handler took each for a change, so one save started a
    rebuild that read every file again, for ever (46 "Detected file changes" in 12 s after one
    save on the small fixture; tests/test_preview.py counts them)."""
    if os.environ.get("QC_WATCH") == "poll":
        return server

    watched = dict(server._watched_paths)  # path → how many watch() calls
    for path, count in watched.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = _changes_only_observer()
    for path, count in watched.items():
        for _ in range(count):
            server.watch(path)
    return server
