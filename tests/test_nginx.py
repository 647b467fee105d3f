"""The built demo served by Debian's real nginx with deploy/nginx/'s configuration.

Every page type in Chromium at 360 px with the Content-Security-Policy enforced: no
violation, no console error; the precompressed files, headers, cache lifetimes, a Chinese
URL, the 404 page, and (with a self-signed certificate) the TLS block's HSTS and redirect.
"""
from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import ssl
import subprocess
import urllib.parse
from pathlib import Path

import pytest

from tools import nginx, phone

CSP_LISTENER = """document.addEventListener('securitypolicyviolation', e => console.error(
  'CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
  ' in ' + e.sourceFile + ':' + e.lineNumber));"""
CHINESE_PATH = "/资料/校园地图.html"


@pytest.fixture(scope="module")
def site(demo, tmp_path_factory) -> Path:
    """A copy of the built demo, with a file of Chinese name (the demo's URLs are pinyin)."""
    site = tmp_path_factory.mktemp("nginx") / "site"
    shutil.copytree(demo.site, site)
    (site / "资料").mkdir()
    (site / "资料" / "校园地图.html").write_text("<!doctype html><title>校园地图</title><p>学府路88号</p>",
                                             encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def served(site):
    with nginx.start(site) as (origin, workdir):
        yield origin


def get(origin: str, path: str, headers: dict | None = None, tls: bool = False):
    """One raw request (no decompression, no redirects): (response, body)."""
    url = urllib.parse.urlsplit(origin)
    if tls:
        connection = http.client.HTTPSConnection(url.hostname, url.port, timeout=10,
                                                 context=ssl._create_unverified_context())  # the test's own certificate
    else:
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


GZIP = {"Accept-Encoding": "gzip, deflate, br"}


# --- every page type in the browser, with the CSP enforced ---------------------------------

def _pages(site: Path) -> list[str]:
    return [kind.resolve(site) for kind in phone.PAGES] + ["/search/?q=党校", "/no-such-page/", CHINESE_PATH]


def test_no_page_breaks_the_content_security_policy(site, served, browser):
    context = phone.open_phone(browser, served)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    errors, footers = [], 0  # every console error and page error of the whole visit, with its page
    page.on("console", lambda m: m.type == "error" and errors.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    try:
        for url in _pages(site):
            seen = phone.visit(page, served, urllib.parse.quote(url, safe="/?="))
            if url.startswith("/search/?q="):  # the index's shards and page texts are fetched: results shown
                page.wait_for_selector(".qc-search__title", timeout=10_000)
                page.wait_for_load_state("networkidle")
            assert not seen.foreign(served), f"{url} loads from elsewhere: {seen.foreign(served)}"
            footers += url != CHINESE_PATH and page.locator(".qc-filing").is_visible()
        # what scripts do on a tap: the dark scheme (stored; md-palette.js applies it on the
        # next page), the drawer, back to the top
        phone.visit(page, served, "/news/")
        page.locator('form[data-md-component="palette"] label:visible').tap()
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
        phone.visit(page, served, "/courses/")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        page.locator('.md-header label[for="__drawer"]').tap()
        page.wait_for_timeout(400)
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_timeout(300)
        # the only error expected: the 404 page's own status
        expected = f"{served}/no-such-page/: Failed to load resource: the server responded with a status of 404"
        assert [e for e in errors if not e.startswith(expected)] == []
        assert footers == len(_pages(site)) - 1  # the filing footer is on every page of the site

        # the policy really is in force: an inline script is refused and reported
        errors.clear()
        page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
                      " document.body.append(s); }")
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.ran") is None
        assert any("CSP violation: script-src" in e for e in errors), errors
    finally:
        context.close()


def test_the_footer_reads_at_360_px(site, served, browser, tmp_path):
    context = phone.open_phone(browser, served)
    page = context.new_page()
    try:
        phone.visit(page, served, "/courses/")
        footer = page.locator(".qc-filing")
        footer.scroll_into_view_if_needed()
        box = footer.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= phone.WIDTH, box
        size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.qc-filing li')).fontSize)")
        assert size >= 12, f"footer text {size}px"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= phone.WIDTH
        footer.screenshot(path=str(tmp_path / "footer.png"))
        for link in ("https://beian.miit.gov.cn/", "https://www.beian.gov.cn/portal/registerSystemInfo"):
            assert page.locator(f'.qc-filing a[href^="{link}"]').is_visible()
    finally:
        context.close()


def test_no_page_has_inline_script_or_style(site):
    """Every page of every type, not only the sampled ones: what the CSP would refuse."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for pattern in (inline_script, re.compile(r"<style[\s>]"), re.compile(r"\sstyle=\""),
                        re.compile(r"\son[a-z]+=\""), re.compile(r"javascript:")):
            found = pattern.search(html)
            assert not found, f"{path.relative_to(site)}: {html[max(0, found.start() - 80):found.end() + 80]!r}"


# --- headers, encodings, cache lifetimes --------------------------------------------------

@pytest.mark.parametrize("path, kind", [
    ("/", "text/html"),
    ("/news/", "text/html"),
    ("/assets/site.css", "text/css"),
    ("/assets/javascripts/md-base.js", "application/javascript"),
    ("/sitemap.xml", "text/xml"),
    ("/search/idx/f/0.json", "application/json"),  # a page's text in the search index
    ("/assets/search.js", "application/javascript"),
    ("/assets/filing/dzjg.svg", "image/svg+xml"),
    ("/404.html", "text/html"),
])
def test_text_files_are_sent_precompressed(site, served, path, kind):
    response, body = get(served, path, GZIP)
    assert response.status == 200
    assert response.getheader("Content-Type") == f"{kind}; charset=utf-8"
    assert response.getheader("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in response.getheader("Vary", "")
    file = site / (path.strip("/") or "index.html")
    file = file / "index.html" if file.is_dir() else file
    # the .gz the build wrote, sent as it is (nginx's own gzip would send chunks, no length)
    assert body == (file.parent / (file.name + ".gz")).read_bytes()
    plain, raw = get(served, path)
    assert plain.getheader("Content-Encoding") is None and raw == file.read_bytes()


def test_security_headers_on_every_response(served):
    for path in ("/", "/assets/site.css", "/no-such-page/", "/assets/images/favicon.png"):
        response, _ = get(served, path)
        csp = response.getheader("Content-Security-Policy")
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'self'"
        assert "unsafe-inline" not in csp and "http" not in csp and "*" not in csp
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"
        assert "camera=()" in response.getheader("Permissions-Policy")
        assert response.getheader("Strict-Transport-Security") is None  # plain HTTP: HSTS means nothing
        assert response.getheader("Server") == "nginx"  # no version


def test_fingerprinted_assets_are_cached_for_a_year_html_is_revalidated(site, served):
    css = next(site.glob("assets/stylesheets/main.*.min.css")).relative_to(site).as_posix()
    js = next(site.glob("assets/javascripts/bundle.*.min.js")).relative_to(site).as_posix()
    shard = next(site.glob("search/idx/s/*.bin")).relative_to(site).as_posix()  # fetched with ?v=<build>
    text = next(site.glob("search/idx/f/*.json")).relative_to(site).as_posix()
    for path in (css, js, shard, text):
        response, _ = get(served, "/" + path)
        assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable", path
    for path in ("/", "/news/", "/assets/site.css", "/search/idx/meta.json", "/sitemap.xml"):
        response, _ = get(served, path, GZIP)
        assert response.getheader("Cache-Control") == "no-cache", path
        etag, modified = response.getheader("ETag"), response.getheader("Last-Modified")
        assert etag and modified, path
        again, body = get(served, path, {**GZIP, "If-None-Match": etag})
        assert again.status == 304 and body == b"", path
        again, _ = get(served, path, {**GZIP, "If-Modified-Since": modified})
        assert again.status == 304, path


def test_the_site_s_own_404_page_with_status_404(served):
    response, body = get(served, "/news/2099/no-such-item/", GZIP)
    assert response.status == 404
    assert response.getheader("Content-Encoding") == "gzip"
    response, body = get(served, "/news/2099/no-such-item/")
    html = body.decode("utf-8")
    assert response.status == 404 and response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert "404" in html and "青ICP备12345678号-1" in html
    assert 'href="/assets/' in html  # root-relative: its styles load at any depth


def test_a_chinese_url_and_a_folder_without_its_slash(served):
    response, body = get(served, urllib.parse.quote(CHINESE_PATH))
    assert response.status == 200 and "学府路88号" in body.decode("utf-8")
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    response, _ = get(served, "/news")
    assert response.status == 301 and response.getheader("Location") == "/news/"


def test_dot_files_are_not_served(site, served):
    (site / ".git").mkdir(exist_ok=True)
    (site / ".git" / "config").write_text("[core]", encoding="utf-8")
    response, _ = get(served, "/.git/config")
    assert response.status == 404


# --- the production file itself, over TLS -----------------------------------------------------

def test_the_tls_server_block_sends_hsts_and_port_80_redirects(site, tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    tls_port = nginx.free_port()
    with nginx.start(site, tls_port=tls_port, cert=cert, key=key) as (origin, _):
        response, _ = get(origin, "/news/?x=1")
        assert response.status == 301
        assert response.getheader("Location") == f"https://127.0.0.1:{tls_port}/news/?x=1"
        secure = f"https://127.0.0.1:{tls_port}"
        response, body = get(secure, "/", GZIP, tls=True)
        assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
        assert response.getheader("Strict-Transport-Security") == "max-age=31536000"
        # the server-level headers of site.conf come with it (same level: nginx sends both)
        assert response.getheader("Content-Security-Policy").startswith("default-src 'self'")
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        response, _ = get(secure, "/missing/", tls=True)
        assert response.status == 404 and response.getheader("Strict-Transport-Security")


def test_make_nginx_runs_nginx_in_the_foreground(site):
    port = nginx.free_port()
    process = subprocess.Popen(["make", "-s", "nginx", f"PORT={port}", f"SITE={site}"], cwd=nginx.ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        nginx._wait(port, process, Path("/nonexistent"))
        response, body = get(f"http://127.0.0.1:{port}", "/", GZIP)
        assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
        assert response.getheader("Content-Security-Policy").startswith("default-src 'self'")
        assert process.poll() is None  # still running: the foreground is nginx itself
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the group this test started: make, then nginx
        output = process.communicate(timeout=10)[0]
    assert f"http://127.0.0.1:{port}/" in output
