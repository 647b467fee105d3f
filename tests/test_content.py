"""The school's own content, whatever it is (issue 19): the checks any school's docs/, data/
and mkdocs.yml must pass, and the only tests that read the repository's content.

The engine's tests run on fixture sites (tests/fixtures/demo, tests/fixtures/small) and may
assert their facts (names, slugs, counts). Here nothing is known of the content: each check
takes a project root (or its built site) and holds for any school's content:

- `python -m macros check` passes, and the strict build passes;
- every internal link and anchor of the built site resolves;
- every page type found in the built site (tools/phone.py `found`) weighs at most 100 KB
  gzipped on a phone's first visit, in normal and in 长者模式;
- search finds the pages of queries drawn from the site's own text (tools/search_queries.py);
- the 公众号 edition of every published news item and note keeps WeChat's rules
  (tests/wechat_rules.py) and loses no text of its page.

They run on two schools: the repository's own content (ROOT), and another school's content
(tests/fixtures/other-school) put into a copy of the engine in place of the repository's, as
a school that adopts the engine does. Every build publishes for conftest's TODAY.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

import wechat_rules as rules
from conftest import ENGINE, FIXTURES, ROOT, TODAY, Project
from tools import elder, phone
from tools import search_queries as sq

OTHER_SCHOOL = FIXTURES / "other-school"
CONTENT = ("docs", "data", "mkdocs.yml")  # what a school replaces: its pages, its records, its values
# Not the engine: the content, what a build or a machine leaves (site/, the cover cache, the
# virtualenv, Node's packages, caches), and git's own files.
NOT_ENGINE = {"docs", "data", "site", ".venv", ".venv-properdocs", ".git", ".cache", "node_modules", "pdf",
              ".pytest_cache"}

BUDGET_KB = 100  # per page type; KB = 1024 bytes, as Lighthouse reports them (issue 15)
RECALL = 0.95  # share of the wanted pages among the first five results
PER_KIND = 20  # queries drawn per kind (book titles, names, title windows, words)


# --- a school: a project root and its build -----------------------------------------------


def replace_content(engine: Path, content: Path, target: Path) -> Project:
    """A copy in `target` of the engine of the repository `engine` (everything but its docs/,
    data/, site/, .venv, .git, .cache) with the content of `content` (its docs/, data/ and
    mkdocs.yml) in place of the repository's: a school that adopts the engine."""
    missing = [name for name in CONTENT if not (content / name).exists()]
    assert not missing, f"{content} has no {', '.join(missing)}"

    def ignore(folder: str, names: list[str]) -> set[str]:
        top = NOT_ENGINE | {"mkdocs.yml"} if Path(folder) == engine else set()
        return {n for n in names if n in top or n in ("__pycache__", ".photos")}  # .photos: the bench's

    shutil.copytree(engine, target, ignore=ignore, symlinks=True)
    for name in ("docs", "data"):
        shutil.copytree(content / name, target / name)
    shutil.copy2(content / "mkdocs.yml", target / "mkdocs.yml")
    return Project(target)


@dataclass
class School:
    """A project root, its content checked and built strictly (as of TODAY) into `site`."""

    root: Path
    site: Path
    check: subprocess.CompletedProcess
    build: subprocess.CompletedProcess

    def built(self) -> Path:
        """The built site; fails the test when the build failed."""
        assert self.build.returncode == 0, f"the strict build of {self.root} failed:\n{self.build.stderr[-3000:]}"
        return self.site


def build_school(root: Path, site: Path) -> School:
    """`python -m macros check` and the strict build of the school at `root`, as of TODAY."""
    project = Project(root)
    check = project.run("-m", "macros", "check", today=TODAY)
    build = project.run("-m", ENGINE, "build", "--strict", "--site-dir", str(site), today=TODAY)
    return School(root, site, check, build)


@pytest.fixture(scope="module", params=["repository", "other-school"])
def school(request, tmp_path_factory) -> School:
    """The repository's own content, then another school's content in a copy of the engine:
    each checked and built once for this module."""
    work = tmp_path_factory.mktemp(request.param)
    if request.param == "repository":
        return build_school(ROOT, work / "site")
    return build_school(replace_content(ROOT, OTHER_SCHOOL, work / "project").root, work / "site")


# --- the checks, each for any school ---------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key):
                self.links.append(attrs[key])


def broken_links(site: Path) -> list[str]:
    """Every link or image of a page of `site` to a file of the site that is not there, or to
    an anchor its page does not have."""
    parsed = {}
    for path in site.rglob("*.html"):
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        parsed[path] = parser
    broken = []
    for path, parser in parsed.items():
        base = "http://site/" + path.relative_to(site).as_posix()
        for link in parser.links:
            target = urlparse(urljoin(base, link))
            if target.netloc != "site":
                continue
            file = site / unquote(target.path).lstrip("/")
            if file.is_dir():
                file = file / "index.html"
            if not file.exists():
                broken.append(f"{path.relative_to(site)} → {link}")
            elif target.fragment and file.suffix == ".html" and file in parsed \
                    and unquote(target.fragment) not in parsed[file].ids:
                broken.append(f"{path.relative_to(site)} → {link} (anchor)")
    return broken


_TEXT = re.compile(r"text/.*|application/(javascript|json|xml|manifest\+json)|image/svg\+xml")


def weigh(browser, origin: str, url: str, mode: str = "normal") -> dict[str, int]:
    """Bytes over the wire by kind of resource, for one first load of `url` in `mode` by a
    fresh phone (no cache): text responses counted gzipped at level 6, as a web server sends
    them, everything else (PNG, fonts: compressed already) as its bytes."""
    context = phone.open_phone(browser, origin)
    context.add_init_script(elder.init_script(mode))
    try:
        page = context.new_page()
        seen = phone.visit(page, origin, url)
        assert seen.status == 200 and not seen.errors, f"{url}: HTTP {seen.status}, {seen.errors}"
        is_elder = page.evaluate("document.documentElement.classList.contains('qc-elder')")
        assert is_elder == (mode == "elder"), f"{url} was not loaded in {mode} mode"
        kinds: dict[str, int] = {}
        for response in seen.responses:
            if not response.url.startswith(origin + "/") or response.status != 200:
                continue  # nothing else is fetched (tests/test_browser.py); redirects have no body
            body = response.body()
            kind = response.headers.get("content-type", "").split(";")[0].strip()
            size = phone.gzip_size(body) if _TEXT.fullmatch(kind) else len(body)
            key = response.request.resource_type
            kinds[key] = kinds.get(key, 0) + size
        return kinds
    finally:
        context.close()


def weights(browser, origin: str, site: Path) -> tuple[str, list[str]]:
    """Every page type `site` has, weighed in both modes: a table, and those over BUDGET_KB."""
    rows, heavy = [], []
    for kind, url in phone.found(site):
        for mode in elder.MODES:
            sizes = weigh(browser, origin, url, mode)
            total = sum(sizes.values()) / 1024
            detail = ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(sizes.items(), key=lambda kv: -kv[1]))
            rows.append(f"  {kind.name:<15} {mode:<6} {total:6.1f} KB   {url}  ({detail})")
            if total > BUDGET_KB:
                heavy.append(f"{kind.name} ({mode}) {url}: {total:.1f} KB > {BUDGET_KB} KB")
    absent = [kind.name for kind in phone.PAGES if kind not in dict(phone.found(site))]
    table = "\n".join(["", f"first-load weight of {site}, gzipped (budget {BUDGET_KB} KB):", *rows,
                       *([f"  (no {', '.join(absent)} page in this site)"] if absent else [])])
    return table, heavy


def search_recall(searching, site: Path, per_kind: int = PER_KIND) -> tuple[float, list, list]:
    """Queries drawn from `site`'s own text typed into the search page `searching`: the share of
    wanted pages among the first five results, the queries that missed, and the queries."""
    queries = sq.draw(sq.read_pages(site), per_kind)
    results = {q: sq.type_query(searching, q.text) for q in queries}
    share, missed = sq.recall(results)
    return share, missed, queries


def editions(root: Path) -> tuple[dict, dict]:
    """Every published news item and note of the school at `root`, converted as the build
    converts them (one MkDocs load for all), with its 公众号 edition; and the site's
    site_url and site_name. As of TODAY."""
    from macros.channels import wechat
    from macros.engine.mkdocs_adapter import converted_pages

    before = os.environ.get("SITE_TODAY")
    os.environ["SITE_TODAY"] = TODAY.isoformat()  # the day of the builds
    try:
        site = Project(root).load(TODAY)
        paths = [p.src for p in [*site.news, *site.notes]]
        site, pages, where = converted_pages(root / "mkdocs.yml", paths)
    finally:
        if before is None:
            del os.environ["SITE_TODAY"]
        else:
            os.environ["SITE_TODAY"] = before
    return ({page.src: (page, wechat.edition(site, page, html, where["site_url"], where["site_name"]))
             for page, html in pages}, where)


def wechat_problems(root: Path, site: Path) -> dict[str, list[str]]:
    """Every published item of `root` whose 公众号 edition breaks a rule of WeChat's or loses
    text of its page in the built `site`, with what is wrong."""
    found, where = editions(root)
    out = {}
    for src, (page, fragment) in found.items():
        wrong = rules.problems(fragment, where["site_url"])
        built = site / page.url.strip("/") / "index.html"
        wrong += [f"lost: {text}" for text in rules.lost(built.read_text(encoding="utf-8"), fragment)]
        if where["site_name"] not in list(rules.parse(fragment))[-1].text_content():
            wrong.append(f"the last paragraph does not name {where['site_name']}")
        if wrong:
            out[src] = wrong
    return out


# --- the tests ------------------------------------------------------------------------------


def test_check_passes(school):
    assert school.check.returncode == 0, school.check.stdout + school.check.stderr
    assert "没有发现问题" in school.check.stdout, school.check.stdout


def test_strict_build_passes(school):
    assert (school.built() / "index.html").is_file()


def test_every_internal_link_and_anchor_resolves(school):
    assert broken_links(school.built()) == []


@pytest.fixture(scope="module")
def origin(school):
    """The school's built site on 127.0.0.1 (conftest's `origin` serves the demo)."""
    with phone.serve(school.built()) as origin:
        yield origin


def test_every_page_type_found_weighs_at_most_100_kb(school, origin, browser, capsys):
    site = school.built()
    assert phone.found(site), f"{site}: no page type found"
    table, heavy = weights(browser, origin, site)
    with capsys.disabled():  # the figures are the point: shown on every run
        print(table)
    assert not heavy, f"too heavy: {heavy}{table}"


def test_search_finds_queries_drawn_from_the_content(school, origin, browser):
    site = school.built()
    context = phone.open_phone(browser, origin)
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        sq.open_search(page, origin)
        share, missed, queries = search_recall(page, site)
    finally:
        context.close()
    assert queries, f"{site}: no query could be drawn from the content"
    kinds = {kind: sum(q.kind == kind for q in queries) for kind in sq.KINDS}
    print(f"\nsearch recall on {school.root}: {share:.1%} of the wanted pages in the first five results, "
          f"{len(queries)} queries {kinds}")
    assert share >= RECALL, missed
    assert not errors, errors


def test_every_published_item_keeps_the_wechat_rules(school):
    assert wechat_problems(school.root, school.built()) == {}


def test_another_school_replaces_the_content_and_keeps_the_engine(tmp_path):
    """The copy the other school's checks run on: the engine without the repository's content."""
    project = replace_content(ROOT, FIXTURES / "small", tmp_path / "school")
    for name in ("macros", "hooks.py", "overrides", "tools", "Makefile", "requirements.txt"):
        assert (project.root / name).exists(), name
    for name in ("site", ".venv", ".git", ".cache"):
        assert not (project.root / name).exists(), name
    for name in CONTENT:
        small, copied = FIXTURES / "small" / name, project.root / name
        if small.is_file():
            assert copied.read_bytes() == small.read_bytes()
        else:
            assert sorted(p.relative_to(copied) for p in copied.rglob("*")) == \
                sorted(p.relative_to(small) for p in small.rglob("*")), name
    assert not (project.root / "docs" / "about").exists()  # none of the repository's pages stay


def test_the_data_files_headers_list_every_allowed_value(school):
    from listed_choices import incomplete_lists
    problems = [p for path in sorted((school.root / "data").glob("*.yaml")) for p in incomplete_lists(path)]
    assert problems == []
