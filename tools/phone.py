"""What the phone tests (tests/test_browser.py, tests/test_weight.py) and `make audit` share.

The page types a reader on a phone meets (found in a built site, whatever its content: the
first column linked from /notes/, the first instructor of /instructors/ …), the local server
of a built site, the browser (Debian's Chromium, never a downloaded one) at a phone's size,
one visit of one page, and the compressed size of what a page loads. Imports Playwright only when a browser is launched.
"""
from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import mimetypes
import os
import re
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

CHROMIUM = "/usr/bin/chromium"
# --no-sandbox: Chromium refuses to start as root without it (CI runs as root). The rest keep
# Chromium from calling Google hosts (updates, sync, field trials): the machine has no network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
INSTALL_HINT = (f"Chromium is missing at {CHROMIUM}: run `sudo apt-get install chromium fonts-noto-cjk` "
                "(or `make browser` as root)")

WIDTH, HEIGHT = 360, 740  # a small Android phone, in CSS pixels
PHONE = {"viewport": {"width": WIDTH, "height": HEIGHT}, "screen": {"width": WIDTH, "height": HEIGHT},
         "is_mobile": True, "has_touch": True, "device_scale_factor": 2, "locale": "zh-CN"}

GZIP_LEVEL = 6  # what a web server is usually set to (nginx `gzip_comp_level 6`)


@dataclass(frozen=True)
class PageType:
    """One kind of page, found in a built site, whatever the school's content.

    `url` alone: the page at that path (absent when the site has no such page). With `link`:
    the first link of the listing `url` whose path matches `link`; `url` is then a path, or the
    name of another page type whose page is the listing (a study note: the first note linked
    from the column found first). A page type whose listing links to nothing is absent (a
    school without bulletins has no bulletin page)."""

    name: str
    url: str
    link: str | None = None
    marker: str | None = None  # with `link`: the first linked page whose HTML contains this


    @property
    def id(self) -> str:
        return self.name.replace(" ", "-")

    def find(self, site: Path, found: dict[str, str | None] | None = None) -> str | None:
        """The path of the page in the built site `site`, or None when the site has none.
        `found`: the page types resolved already, by name (else looked up again)."""
        listing = self.url
        if not listing.startswith("/"):
            listing = found[listing] if found and listing in found else _BY_NAME[listing].find(site, found)
            if listing is None:
                return None
        page = site / listing.strip("/") / "index.html" if listing != "/" else site / "index.html"
        if not page.is_file():
            return None
        if self.link is None:
            return listing
        anchors = _Anchors()
        anchors.feed(page.read_text(encoding="utf-8"))
        for href in anchors.hrefs:
            target = urlparse(urljoin("http://site" + listing, href))
            linked = site / unquote(target.path).strip("/") / "index.html"
            if target.netloc == "site" and re.fullmatch(self.link, target.path) and target.path != listing \
                    and linked.is_file() and (self.marker is None or self.marker in linked.read_text(encoding="utf-8")):
                return target.path
        return None

    def resolve(self, site: Path) -> str:
        """The path of the page in `site`; LookupError when the site has no such page."""
        url = self.find(site)
        if url is None:
            raise LookupError(f"the site {site} has no {self.name} page ({self.url}"
                              + (f", a link matching {self.link})" if self.link else ")"))
        return url


# Every page type a phone reader meets, in the phone tests, the weight test and `make audit`,
# found in the built site (`found`): no slug of any school's content is written here. A new
# kind of page (/stats/, the search page) is one more line here.
PAGES: tuple[PageType, ...] = (
    PageType("home", "/"),
    PageType("news listing", "/news/"),
    PageType("news item", "/news/", r"/news/\d{4}/[^/]+/"),
    PageType("column", "/notes/", r"/notes/[^/]+/"),
    PageType("study note", "column", r"/notes/[^/]+/[^/]+/"),
    PageType("course catalog", "/courses/"),
    PageType("course", "/courses/", r"/courses/[^/]+/"),
    PageType("instructor", "/instructors/", r"/instructors/[^/]+/"),
    PageType("topic", "/topics/", r"/topics/[^/]+/"),
    PageType("bulletin", "/bulletins/", r"/bulletins/[^/]+/"),
    PageType("bulletins", "/bulletins/"),
    PageType("statistics", "/stats/"),
    PageType("statistics year", "/stats/", r"/stats/\d{4}/"),
    PageType("search", "/search/"),
    # issue 22: a notice with attachments, a video, a 信息公开 section (found by what they show)
    PageType("attachments", "/news/", r"/news/\d{4}/[^/]+/", 'class="qc-attachments"'),
    PageType("video", "/news/", r"/news/\d{4}/[^/]+/", 'class="qc-video"'),
    PageType("disclosure", "/news/", r"/news/section/[^/]+/", 'qc-disclosure'),
    PageType("leaders", "/about/leaders/"),
    PageType("former leaders", "/about/former-leaders/"),
    PageType("departments", "/about/departments/"),
    PageType("privacy", "/privacy/"),
)
_BY_NAME = {kind.name: kind for kind in PAGES}


def found(site: Path) -> list[tuple[PageType, str]]:
    """The page types the built site `site` has, each with the path of its page, in PAGES' order."""
    paths: dict[str, str | None] = {}
    for kind in PAGES:
        paths[kind.name] = kind.find(site, paths)
    return [(kind, paths[kind.name]) for kind in PAGES if paths[kind.name] is not None]


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


# --- the local server -------------------------------------------------------------------

_COMPRESSIBLE = re.compile(r"text/.*|application/(javascript|json|xml|manifest\+json)|image/svg\+xml")


class _Handler(http.server.SimpleHTTPRequestHandler):
    gzip = False

    def log_message(self, format, *args):  # quiet: the tests and the audit print their own
        pass

    def do_GET(self):
        if self.gzip and "gzip" in self.headers.get("Accept-Encoding", "") and self._send_gzipped():
            return
        super().do_GET()

    def _send_gzipped(self) -> bool:
        """Send a text file compressed, as a production server would; False: not such a file."""
        url = urlparse(self.path).path
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not url.endswith("/"):
                return False  # the parent class redirects to the slash
            path = os.path.join(path, "index.html")
        kind = mimetypes.guess_type(path)[0] or ""
        if not os.path.isfile(path) or not _COMPRESSIBLE.fullmatch(kind):
            return False
        body = gzip.compress(Path(path).read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") else kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)
        return True


@contextlib.contextmanager
def serve(site: Path, compress: bool = False):
    """Serve the built site on 127.0.0.1, a free port, in a thread; yields the origin.

    Plain http.server, uncompressed, unless `compress`: then text files are sent gzipped, as a
    production web server sends them (what `make audit` measures)."""
    handler = type("Handler", (_Handler,), {"gzip": compress})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --- the browser ------------------------------------------------------------------------

def missing_browser() -> str | None:
    """What to install when Chromium is not there, else None."""
    return None if os.access(CHROMIUM, os.X_OK) else INSTALL_HINT


def launch(playwright):
    """Debian's Chromium, headless, through Playwright; a clear message when it is missing."""
    if missing_browser():
        raise FileNotFoundError(missing_browser())
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def open_phone(browser, origin: str):
    """A fresh phone (no cache, no stored settings): 360×740, touch, 2× pixels. Requests to
    anything but `origin` are recorded by `visit` and then refused, so no test leaves the machine."""
    context = browser.new_context(**PHONE)
    context.set_default_timeout(10_000)
    context.route(lambda url: not url.startswith(origin + "/"), lambda route: route.abort("blockedbyclient"))
    return context


@dataclass
class Visit:
    """Everything one page load did: what it asked for, received, and complained about."""

    url: str
    status: int | None = None
    requests: list[str] = field(default_factory=list)
    responses: list = field(default_factory=list)  # playwright Response objects
    errors: list[str] = field(default_factory=list)  # console errors, page errors, failed loads

    def foreign(self, origin: str) -> list[str]:
        """Requests that leave the origin (data: and blob: URLs stay in the page)."""
        return [u for u in self.requests
                if not (u.startswith(origin + "/") or u.startswith(("data:", "blob:")))]


def visit(page, origin: str, url: str) -> Visit:
    """Load `url` in `page` and wait until the network is idle; record what happened."""
    seen = Visit(url)
    handlers = {
        "request": lambda r: seen.requests.append(r.url),
        "response": lambda r: seen.responses.append(r),
        "console": lambda m: m.type == "error" and seen.errors.append(f"console: {m.text} ({m.location.get('url')})"),
        "pageerror": lambda e: seen.errors.append(f"page error: {e}"),
        "requestfailed": lambda r: seen.errors.append(f"failed: {r.url} {r.failure}"),
    }
    for event, handler in handlers.items():
        page.on(event, handler)
    try:
        response = page.goto(origin + url, wait_until="load")
        seen.status = response.status if response else None
        page.wait_for_load_state("networkidle")
    finally:
        for event, handler in handlers.items():
            page.remove_listener(event, handler)
    seen.errors += [f"HTTP {r.status}: {r.url}" for r in seen.responses if r.status >= 400]
    return seen


def gzip_size(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))


# Every element that sticks out to the right of the viewport, unless an ancestor scrolls
# horizontally (Material wraps tables in .md-typeset__scrollwrap) or it is not painted.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const x = getComputedStyle(a).overflowX;
      if (x === 'auto' || x === 'scroll') return true;
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map(c => '.' + c).join('');
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= width + 0.5) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.opacity === '0' || scrolls(el)) continue;
    const path = [];
    for (let a = el; a && a !== document.body && path.length < 4; a = a.parentElement) path.unshift(name(a));
    wide.push(path.join(' > ') + ' right=' + Math.round(box.right));
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
          clientWidth: width, wide: wide};
}"""
