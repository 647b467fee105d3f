"""The private and undocumented parts of MkDocs, mkdocs-macros and Material the engine relies on
(DEVELOPING.md#upstream), held to the installed versions: an upgrade that changes one fails here,
with the file that depends on it and what to check, not somewhere in a build.

The Python ones are listed in `macros.engine.mkdocs_adapter.UPSTREAM_APIS` (the code is grepped for
uses missing from it); Material's templates copied into overrides/ in tests/upstream_templates.json.
`python tests/test_upstream.py` prints the installed Material's hashes of what that file records.
"""
from __future__ import annotations

import ast
import functools
import hashlib
import inspect
import io
import json
import logging
import re
import shutil
import sys
import tokenize
from pathlib import Path

import jinja2
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from macros.engine import mkdocs_adapter, parallel  # noqa: E402
from macros.output import render
from macros.engine.mkdocs_adapter import UPSTREAM_APIS  # noqa: E402

RECORD = "tests/upstream_templates.json"
ENGINE = ("macros/engine/mkdocs_adapter.py", "macros/engine/parallel.py", "macros/__init__.py", "hooks.py")  # may import MkDocs
UPSTREAM_PACKAGES = {"mkdocs", "material", "mkdocs_macros", "watchdog", "livereload"}


def depends(marker: str, what: str) -> str:
    """The failure message of an UPSTREAM_APIS entry: who depends on it, what changed, what to do."""
    entry = next(e for e in UPSTREAM_APIS if e.marker == marker)
    return (f"{entry.file} depends on {entry.api}, and the installed version differs: {what}. "
            f"On upgrade, {entry.on_upgrade}; then update UPSTREAM_APIS in macros/engine/mkdocs_adapter.py "
            f"and DEVELOPING.md#upstream.")


# ---------------------------------------------------------------- MkDocs' one-page build (parallel.py)

def _call_in(path: str, name: str) -> ast.Call:
    calls = [node for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8")))
             if isinstance(node, ast.Call) and name in (getattr(node.func, "id", None), getattr(node.func, "attr", None))]
    assert len(calls) == 1, f"{path} should call {name} once"
    return calls[0]


def test_build_page_takes_the_arguments_the_fork_gives_it():
    import mkdocs.commands.build as build

    assert callable(getattr(build, "_build_page", None)), depends("_build_page", "mkdocs.commands.build has no _build_page")
    call = _call_in("macros/engine/parallel.py", "_build_page")  # the call as parallel.py writes it
    signature = inspect.signature(build._build_page)
    try:
        signature.bind(*range(len(call.args)), **{k.arg: None for k in call.keywords})
    except TypeError as error:
        raise AssertionError(depends("_build_page", f"it is now _build_page{signature} ({error})")) from None
    assert list(signature.parameters)[:5] == ["page", "config", "doc_files", "nav", "env"], \
        depends("_build_page", f"its parameters are now {list(signature.parameters)}")
    assert "_build_page(" in inspect.getsource(build.build), \
        depends("_build_page", "mkdocs.commands.build.build no longer calls _build_page")


def test_build_page_writes_nothing_for_empty_output_and_says_so(tmp_path, caplog):
    import mkdocs.commands.build as build
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/index.md").write_text("# 首页\n", encoding="utf-8")
    (tmp_path / "docs/a.md").write_text("# 甲\n", encoding="utf-8")
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme/main.html").write_text("<p>{{ page.title }}</p>\n", encoding="utf-8")
    shutil.copy(ROOT / "overrides" / parallel.SKIP_TEMPLATE, tmp_path / "theme")  # the real, empty one
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins: []\ntheme:\n  name: null\n  custom_dir: theme\n",
                                         encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    files = get_files(config)
    nav = get_navigation(files, config)
    pages = files.documentation_pages()
    for file in pages:
        file.page.read_source(config)
        file.page.render(config, files)
    env = config.theme.get_env()
    skipped = files.get_file_from_path("a.md")
    skipped.page.meta["template"] = parallel.SKIP_TEMPLATE
    with caplog.at_level(logging.INFO, logger=build.log.name):  # mkdocs.… or, on ProperDocs, properdocs.…
        for file in pages:
            build._build_page(file.page, config, pages, nav, env, excluded=False)
    assert Path(files.get_file_from_path("index.md").abs_dest_path).is_file()
    assert not Path(skipped.abs_dest_path).exists(), \
        depends("Page skipped", "a page whose template renders nothing was written")
    said = [r for r in caplog.records if r.name == build.log.name and r.levelno == logging.INFO]
    assert any(not parallel._NotSkipped({"a.md"}).filter(r) for r in said), \
        depends("Page skipped", f"MkDocs said {[r.getMessage() for r in said]} (parallel._NotSkipped no longer hides it)")


# ---------------------------------------------------------------- the preview's server (watch_natively)

def test_the_preview_server_keeps_its_watches_where_watch_natively_looks(tmp_path):
    import mkdocs.commands.serve
    import watchdog.observers.api
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    assert isinstance(getattr(server, "observer", None), watchdog.observers.api.BaseObserver), \
        depends(".observer", "LiveReloadServer has no watchdog observer in .observer")
    docs = str(tmp_path / "docs")
    server.watch(docs)
    server.watch(docs)
    assert getattr(server, "_watched_paths", None) == {docs: 2}, \
        depends("_watched_paths", f"after two watch() of one path, _watched_paths is {getattr(server, '_watched_paths', None)!r}")
    server.unwatch(docs)
    assert server._watched_paths == {docs: 1}, depends("_watched_paths", "unwatch() does not count down")
    assert "self.observer.schedule(" in inspect.getsource(LiveReloadServer.watch), \
        depends(".observer", "watch() no longer schedules on self.observer")
    assert "self.observer.start()" in inspect.getsource(LiveReloadServer.serve), \
        depends(".observer", "serve() no longer starts self.observer")
    serve = inspect.getsource(mkdocs.commands.serve.serve)
    assert -1 < serve.find("plugins.on_serve(") < serve.find(".serve("), \
        depends(".observer", "the on_serve event no longer comes before the server starts")


# ---------------------------------------------------------------- File's cached URLs (move_file)

def test_a_moved_file_gets_the_url_of_its_new_place(tmp_path):
    from mkdocs.structure.files import File

    for name in ("url", "abs_dest_path"):
        assert isinstance(inspect.getattr_static(File, name), functools.cached_property), \
            depends("__dict__", f"File.{name} is no functools.cached_property")
    dest_uri = inspect.getattr_static(File, "dest_uri")
    assert isinstance(dest_uri, functools.cached_property) or getattr(dest_uri, "fset", None), \
        depends("__dict__", "File.dest_uri cannot be assigned")
    file = File("news/a.md", src_dir=str(tmp_path / "docs"), dest_dir=str(tmp_path / "site"), use_directory_urls=True)
    assert (file.url, file.abs_dest_path) == ("news/a/", str(tmp_path / "site/news/a/index.html"))  # cached now
    mkdocs_adapter.move_file(file, "news/2023/a/index.html")
    assert (file.dest_uri, file.url, file.abs_dest_path) == (
        "news/2023/a/index.html", "news/2023/a/", str(tmp_path / "site/news/2023/a/index.html")), \
        depends("__dict__", f"after move_file, url is {file.url!r} and abs_dest_path {file.abs_dest_path!r}")


# ---------------------------------------------------------------- mkdocs-macros

@pytest.fixture
def macros_page(tmp_path):
    """A one-page project with mkdocs-macros, run up to its page's Markdown, as converted_pages
    runs it: render(text, on_error_fail) gives what mkdocs-macros makes of the page's text."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation

    (tmp_path / "docs").mkdir()
    started = []

    def run(text: str, on_error_fail: bool = False, then=None) -> str:
        (tmp_path / "docs/index.md").write_text(text, encoding="utf-8")
        (tmp_path / "mkdocs.yml").write_text(
            f"site_name: t\ntheme:\n  name: material\nplugins:\n  - macros:\n      on_error_fail: {str(on_error_fail).lower()}\n",
            encoding="utf-8")
        config = load_config(str(tmp_path / "mkdocs.yml"))
        config.plugins.on_startup(command="build", dirty=False)
        started.append(config)
        config = config.plugins.on_config(config)
        (then or (lambda c: None))(config)
        files = config.plugins.on_files(get_files(config), config=config)
        nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
        page = nav.pages[0]
        page.read_source(config)
        return config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)

    yield run
    for config in started:
        config.plugins.on_shutdown()


def test_mkdocs_macros_renders_pages_with_the_environment_escape_macro_output_changes(macros_page):
    def escaped(config):
        plugin = config.plugins["macros"]
        assert isinstance(getattr(plugin, "env", None), jinja2.Environment), \
            depends(".env.finalize", "config.plugins['macros'].env is no jinja2.Environment after on_config")
        mkdocs_adapter.escape_macro_output(config)

    out = macros_page('正文 {{ "<b>*粗*</b>" }}\n', then=escaped)
    assert out.strip() == "正文 " + render.md("<b>*粗*</b>"), \
        depends(".env.finalize", f"a printed value came out as {out!r}: the environment's finalize is not used")


def test_mkdocs_macros_exits_on_a_failing_macro_unless_told_after_validation(macros_page):
    try:
        macros_page("{{ none.nope() }}\n", on_error_fail=True)
    except SystemExit:  # what converted_pages turns into a Chinese error
        pass
    except Exception as error:
        raise AssertionError(depends("SystemExit", f"a failing macro raised {error!r}")) from None
    else:
        raise AssertionError(depends("SystemExit", "a failing macro did not stop the build"))
    try:
        out = macros_page("{{ none.nope() }}\n", on_error_fail=True, then=mkdocs_adapter.keep_going_on_macro_errors)
    except SystemExit:
        raise AssertionError(depends("on_error_fail", "turning it off after on_config does not stop the exit")) from None
    assert "nope" in out


def test_mkdocs_macros_asks_format_error_for_its_message(macros_page):
    import mkdocs_macros.errors

    format_error = getattr(mkdocs_macros.errors, "format_error", None)
    assert callable(getattr(format_error, "register", None)) and hasattr(format_error, "dispatch"), \
        depends("format_error", "mkdocs_macros.errors.format_error is no functools.singledispatch")
    assert list(inspect.signature(format_error).parameters) == ["error", "markdown", "page"], \
        depends("format_error", f"its parameters are now {inspect.signature(format_error)}")
    mkdocs_adapter.install_error_messages()
    out = macros_page("第一行\n\n{{ none.nope() }}\n")
    assert "docs/index.md" in out and "宏或变量没有定义" in out, \
        depends("format_error", f"the page shows {out!r}, not our message")


# ---------------------------------------------------------------- MkDocs' page steps (converted_pages)

def test_converted_pages_takes_the_steps_mkdocs_takes_for_a_page():
    import mkdocs.commands.build as build

    steps = inspect.getsource(build._populate_page) if hasattr(build, "_populate_page") else ""
    events = re.findall(r"config\.plugins\.(on_\w+)\(", steps)
    assert events == ["on_pre_page", "on_page_markdown", "on_page_content"], \
        depends("read_source", f"_populate_page now runs the events {events}")
    for step in ("page.read_source(config)", "page.render(config, files)"):
        assert step in steps, depends("read_source", f"_populate_page no longer does {step}")
        assert step in inspect.getsource(mkdocs_adapter.converted_pages), f"converted_pages should do {step}"
    order = [inspect.getsource(build.build).find(s) for s in ("on_files(", "on_nav(", "_populate_page(", "on_env(")]
    assert -1 < order[0] < order[1] < order[2] < order[3], \
        depends("read_source", "MkDocs' build no longer runs on_files, on_nav, then the pages, then on_env")


def test_mkdocs_dates_the_build_from_source_date_epoch_when_asked(monkeypatch):
    import mkdocs.structure.pages
    import mkdocs.utils

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(365 * 86400))
    assert mkdocs.utils.get_build_date() == "1971-01-01", \
        depends("SOURCE_DATE_EPOCH", f"MkDocs dated the build {mkdocs.utils.get_build_date()}")
    assert "get_build_date()" in inspect.getsource(mkdocs.structure.pages.Page.__init__), \
        depends("SOURCE_DATE_EPOCH", "a page's update_date no longer comes from get_build_date()")


# ---------------------------------------------------------------- the list and the code agree

# uses of MkDocs' and mkdocs-macros' insides, wherever they are in macros/ and hooks.py
SUSPECT = re.compile(r"\b_build_page\b|\b_populate_page\b|__dict__|\.observer\b|\._watch\w*|\.env\.finalize\b"
                     r"|on_error_fail|format_error|Page skipped|SOURCE_DATE_EPOCH|\.read_source\(")
# in the engine modules, which hold MkDocs' objects: any private attribute of an object not ours
PRIVATE = re.compile(r"(?<!\bself)(?<!\bcls)(?<!\bos)(?<!\bsys)\._[A-Za-z]\w*")
ALSO_IN_ENGINE = re.compile(r"\bSystemExit\b|\bimport\b.*?\b_[A-Za-z]\w*")  # and any private name imported


def code_lines(path: Path) -> dict[int, str]:
    """The file's code by line, as written: comments, docstrings and the list UPSTREAM_APIS blanked."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source)):
        docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        if docstring or isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "UPSTREAM_APIS":
            for number in range(node.lineno, node.end_lineno + 1):
                lines[number - 1] = ""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            row, col = token.start
            lines[row - 1] = lines[row - 1][:col]
    return {number: line for number, line in enumerate(lines, 1) if line.strip()}


def _python_files() -> list[str]:
    return sorted([p.relative_to(ROOT).as_posix() for p in (ROOT / "macros").rglob("*.py")] + ["hooks.py"])


def test_every_use_of_an_upstream_private_api_is_listed():
    unlisted, listed_uses = [], set()
    for rel in _python_files():
        for number, line in code_lines(ROOT / rel).items():
            found = SUSPECT.findall(line)
            if rel in ENGINE:
                found += PRIVATE.findall(line) + ALSO_IN_ENGINE.findall(line)
            for use in sorted(set(found)):
                entries = [e for e in UPSTREAM_APIS if e.file == rel and e.marker in line]
                listed_uses.update(entries)
                if not entries:
                    unlisted.append(f"{rel}:{number}: {use.strip()}")
    assert unlisted == [], ("these use MkDocs', mkdocs-macros' or the preview server's insides but are not in "
                            "UPSTREAM_APIS (macros/engine/mkdocs_adapter.py): add each, with a test here and a line in "
                            f"DEVELOPING.md#upstream: {unlisted}")
    for entry in UPSTREAM_APIS:
        assert any(entry.marker in line for line in code_lines(ROOT / entry.file).values()), \
            f"UPSTREAM_APIS lists {entry.api} as used by {entry.file} ({entry.marker!r}), which no longer uses it: remove it"


def test_only_the_engine_imports_mkdocs():
    for rel in _python_files():
        for node in ast.walk(ast.parse((ROOT / rel).read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            for name in names:
                assert rel in ENGINE or name.split(".")[0] not in UPSTREAM_PACKAGES, \
                    (f"{rel} imports {name}: only {', '.join(ENGINE)} may know MkDocs, Material and mkdocs-macros "
                     "(DEVELOPING.md#upstream); go through macros/engine/mkdocs_adapter.py")


def test_the_developers_guide_lists_every_upstream_api():
    text = (ROOT / "DEVELOPING.md").read_text(encoding="utf-8")
    section = text.split('<a id="upstream"></a>', 1)[1].split("<a id=", 1)[0]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in section.splitlines() if line.startswith("| `")]
    for entry in UPSTREAM_APIS:
        assert any(f"`{entry.marker.strip('.')}" in row[0] and entry.file in row[1] for row in rows), \
            f"the table of DEVELOPING.md#upstream should have a row for {entry.marker!r} used by {entry.file} ({entry.api})"
    assert len(rows) == len(UPSTREAM_APIS), "DEVELOPING.md#upstream and UPSTREAM_APIS should list the same uses"
    assert RECORD in section


# ---------------------------------------------------------------- Material's templates in overrides/

BLOCK_TAG = re.compile(r"\{%-?\s*(?:block\s+(\w+)[^%]*?|endblock(?:\s+\w+)?\s*)-?%\}")


def blocks(text: str) -> dict[str, str]:
    """Each {% block name %} of a template → its text, from its tag to the end of its {% endblock %}."""
    found, open_ = {}, []
    for match in BLOCK_TAG.finditer(text):
        if match.group(1):
            open_.append((match.group(1), match.start()))
        elif open_:
            name, start = open_.pop()
            found[name] = text[start:match.end()]
    return found


def material_templates() -> Path:
    import material

    return Path(material.__file__).parent / "templates"


def upstream_text(templates: Path, copy: dict) -> str | None:
    path = templates / copy["upstream"]
    if not path.is_file():
        return None
    text = path.read_bytes().decode("utf-8")
    return blocks(text).get(copy["block"]) if "block" in copy else text


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def template_changes(templates: Path, root: Path = ROOT) -> list[str]:
    """What differs between the Material in `templates` and what tests/upstream_templates.json says the
    overrides were made from, and overrides of Material that file does not record."""
    record = json.loads((root / RECORD).read_text(encoding="utf-8"))
    changes = []
    for copy in record["copies"]:
        what = f"{copy['upstream']}, block {copy['block']}," if "block" in copy else copy["upstream"]
        ours = " and ".join([copy["override"], *copy.get("also", [])])
        text = upstream_text(templates, copy)
        if not (root / copy["override"]).is_file():
            changes.append(f"{RECORD} records {copy['override']}, which does not exist: remove it")
        elif text is None:
            changes.append(f"Material has no {what.rstrip(',')} any more, which {ours} was made from: "
                           f"rework the override against the new Material, then update {RECORD}")
        elif _sha256(text) != copy["sha256"]:
            changes.append(f"Material's {what} changed since {ours} was copied from it (Material "
                           f"{record['material']}): merge the change, then update the hash in {RECORD} "
                           f"(now {_sha256(text)})")
    recorded = {(c["override"], c["upstream"], c.get("block")) for c in record["copies"]}
    for path in sorted((root / "overrides").rglob("*.html")):
        rel = path.relative_to(root / "overrides").as_posix()
        override = f"overrides/{rel}"
        if (templates / rel).is_file() and (override, rel, None) not in recorded:
            changes.append(f"{override} overrides Material's {rel} but {RECORD} does not record it: add it")
        parent = re.search(r'\{%-?\s*extends\s+"([^"]+)"', path.read_text(encoding="utf-8"))
        for name in blocks(path.read_text(encoding="utf-8")) if parent else ():
            if (override, parent.group(1), name) not in recorded:
                changes.append(f"{override} overrides block {name} of Material's {parent.group(1)} "
                               f"but {RECORD} does not record it: add it")
    return changes


def test_the_overrides_were_made_from_the_installed_material():
    changes = template_changes(material_templates())
    assert changes == [], "\n".join(changes)


def test_a_change_in_material_or_an_unrecorded_override_is_noticed(tmp_path):
    """The check above, shown to fail: Material changed in a copy of its templates, and an
    override added to a copy of the project's overrides without recording it."""
    templates = tmp_path / "material"
    shutil.copytree(material_templates(), templates, ignore=shutil.ignore_patterns("*.py", "__pycache__", ".icons", "assets"))
    base = templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace(
        '<meta charset="utf-8">', '<meta charset="utf-8">\n      <meta name="color-scheme" content="light dark">', 1),
        encoding="utf-8")
    header = templates / "partials/header.html"
    header.write_text(header.read_text(encoding="utf-8").replace("md-header__inner", "md-header__inner md-grid--x", 1),
                      encoding="utf-8")
    (templates / "partials/javascripts/palette.html").unlink()
    changes = template_changes(templates)
    assert [c.split(" changed since")[0] for c in changes if " changed since" in c] == [
        "Material's base.html, block site_meta,", "Material's partials/header.html"], changes
    assert any("Material has no partials/javascripts/palette.html any more" in c for c in changes), changes
    assert "merge the change, then update the hash in tests/upstream_templates.json" in changes[0]

    root = tmp_path / "project"
    shutil.copytree(ROOT / "overrides", root / "overrides")
    (root / "tests").mkdir()
    shutil.copy(ROOT / RECORD, root / RECORD)
    (root / "overrides/partials/footer.html").write_text("<footer></footer>\n", encoding="utf-8")
    main = root / "overrides/main.html"
    main.write_text(main.read_text(encoding="utf-8") + "\n{% block footer %}{% endblock %}\n", encoding="utf-8")
    assert template_changes(material_templates(), root) == [
        "overrides/main.html overrides block footer of Material's base.html but tests/upstream_templates.json does not record it: add it",
        "overrides/partials/footer.html overrides Material's partials/footer.html but tests/upstream_templates.json "
        "does not record it: add it"]


if __name__ == "__main__":  # the installed Material's hashes of what tests/upstream_templates.json records
    for copy in json.loads((ROOT / RECORD).read_text(encoding="utf-8"))["copies"]:
        text = upstream_text(material_templates(), copy)
        now = _sha256(text) if text is not None else "missing"
        print(f"{'same   ' if now == copy['sha256'] else 'CHANGED'} {now} {copy['upstream']} {copy.get('block', '')}")
