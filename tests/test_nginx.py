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
import socket
import ssl
import subprocess
import time
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


def get(origin: str, path: str, headers: dict | None = None, tls: bool = False, sni: str | None = None):
    """One raw request (no decompression, no redirects): (response, body). `sni`: the name
    sent in the TLS handshake (default: none, as for an IP address)."""
    url = urllib.parse.urlsplit(origin)
    if tls:
        context = ssl._create_unverified_context()  # the test's own certificate
        connection = http.client.HTTPSConnection(url.hostname, url.port, timeout=10, context=context)
        if sni:
            connection.sock = context.wrap_socket(socket.create_connection((url.hostname, url.port), timeout=10),
                                                  server_hostname=sni)
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
    return [kind.resolve(site) for kind in phone.PAGES] + ["/search/#q=党校", "/no-such-page/", CHINESE_PATH]


def test_no_page_breaks_the_content_security_policy(site, served, browser):
    context = phone.open_phone(browser, served)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    errors, footers = [], 0  # every console error and page error of the whole visit, with its page
    page.on("console", lambda m: m.type == "error" and errors.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    try:
        for url in _pages(site):
            seen = phone.visit(page, served, urllib.parse.quote(url, safe="/?=#"))
            if url.startswith("/search/#q="):  # the index's shards and page texts are fetched: results shown
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


# --- the search terms stay in the reader's browser ----------------------------------------

def test_typing_a_search_sends_no_request_holding_the_words(site, browser):
    """The query lives in the fragment: neither the requests the page makes nor nginx's access
    log hold the words typed (nor their percent-encoding); an old ?q= link is moved into the fragment."""
    words = "党校"
    encoded = urllib.parse.quote(words)
    with nginx.start(site) as (origin, workdir):
        context = phone.open_phone(browser, origin)
        page = context.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        try:
            phone.visit(page, origin, "/search/")
            page.locator("#qc-search-input").type(words, delay=50)
            page.wait_for_selector(f"#qc-search-results[data-query='{words}']", timeout=10_000)
            page.wait_for_load_state("networkidle")
            assert urllib.parse.unquote(page.evaluate("location.hash")) == f"#q={words}"
            page.locator("#qc-search-input").press("Enter")  # submitting the form reloads nothing
            page.wait_for_timeout(300)
            assert page.evaluate("location.search") == ""
            referers = []  # following a result: the page it leaves is sent as Referer, without the words
            page.on("request", lambda r: r.is_navigation_request() and referers.append(r.headers.get("referer", "")))
            page.locator("#qc-search-results > li > a").first.click()
            page.wait_for_load_state("load")
            assert referers and referers[0].endswith("/search/"), referers
            assert any("/search/idx/" in r for r in requests)  # the index was fetched: a search ran
            assert [r for r in requests if words in urllib.parse.unquote(r) or encoded in r] == []
            log = (workdir / "access.log").read_text(encoding="utf-8")
            assert "/search/idx/" in log and words not in log and encoded not in log

            phone.visit(page, origin, "/search/?q=" + encoded)  # an old link: still searches
            page.wait_for_selector(f"#qc-search-results[data-query='{words}']", timeout=10_000)
            assert page.evaluate("location.search") == ""
            assert urllib.parse.unquote(page.evaluate("location.hash")) == f"#q={words}"
        finally:
            context.close()


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

@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=qcdx.example.cn", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


HOST = "qcdx.example.cn"  # the server_name of deploy/nginx/qcdx.conf


@pytest.fixture(scope="module")
def production(site, certificate, tmp_path_factory):
    """qcdx.conf itself (catch-all servers, ACME, redirect, TLS), IPv6 on ::1 where the host has it."""
    acme = tmp_path_factory.mktemp("acme")
    (acme / ".well-known" / "acme-challenge").mkdir(parents=True)
    (acme / ".well-known" / "acme-challenge" / "token-123").write_text("token-123.thumbprint", encoding="utf-8")
    tls_port = nginx.free_port()
    cert, key = certificate
    with nginx.start(site, tls_port=tls_port, cert=cert, key=key, acme=acme, ipv6=nginx.has_ipv6()) as (origin, workdir):
        yield origin, f"https://127.0.0.1:{tls_port}", tls_port, workdir


def test_the_tls_server_block_sends_hsts_and_port_80_redirects(production):
    origin, secure, tls_port, _ = production
    response, _ = get(origin, "/news/?x=1", {"Host": HOST})
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}:{tls_port}/news/?x=1"
    response, body = get(secure, "/", {**GZIP, "Host": HOST}, tls=True, sni=HOST)
    assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Strict-Transport-Security") == "max-age=86400"  # one day: OPERATIONS.md#tls
    # the server-level headers of site.conf come with it (same level: nginx sends both)
    assert response.getheader("Content-Security-Policy").startswith("default-src 'self'")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    response, _ = get(secure, "/missing/", {"Host": HOST}, tls=True, sni=HOST)
    assert response.status == 404 and response.getheader("Strict-Transport-Security")


def test_the_acme_challenge_is_served_and_other_dot_paths_are_not(site, production):
    origin, secure, _, _ = production
    (site / ".git").mkdir(exist_ok=True)
    (site / ".git" / "config").write_text("[core]", encoding="utf-8")
    (site / ".well-known").mkdir(exist_ok=True)
    (site / ".well-known" / "security.txt").write_text("Contact: x", encoding="utf-8")
    for base, tls in ((origin, False), (secure, True)):
        response, body = get(base, "/.well-known/acme-challenge/token-123", {"Host": HOST}, tls=tls, sni=HOST)
        assert (response.status, body) == (200, b"token-123.thumbprint"), base
        assert response.getheader("Content-Type").startswith("text/plain")
        response, _ = get(base, "/.well-known/acme-challenge/no-such-token", {"Host": HOST}, tls=tls, sni=HOST)
        assert response.status == 404  # from the webroot, never the site nor a redirect
    # the webroot is not the release: the site's own dot-paths stay refused (the release has none to serve)
    for path in ("/.git/config", "/.well-known/security.txt", "/news/.env"):
        response, _ = get(secure, path, {"Host": HOST}, tls=True, sni=HOST)
        assert response.status == 404, path
        response, _ = get(origin, path, {"Host": HOST})
        assert response.status == 301, path  # plain HTTP serves nothing but the challenge


def test_an_unknown_host_gets_no_answer(production):
    origin, secure, tls_port, _ = production
    url = urllib.parse.urlsplit(origin)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    connection.request("GET", "/", headers={"Host": "other.example.com"})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):  # 444: closed, no reply
        connection.getresponse()
    connection.close()
    for name in ("other.example.com", None):  # another name, or a bare IP address (no SNI)
        with pytest.raises(ssl.SSLError, match="UNRECOGNIZED_NAME|HANDSHAKE_FAILURE|alert"):
            get(secure, "/", {"Host": name or "127.0.0.1"}, tls=True, sni=name)
    response, _ = get(secure, "/", {"Host": HOST}, tls=True, sni=HOST)  # the site's own name still answers
    assert response.status == 200


@pytest.mark.skipif(not nginx.has_ipv6(), reason="this host has no IPv6 loopback")
def test_the_ipv6_listens_answer(production):
    _, _, tls_port, workdir = production
    assert "[::1]" in (workdir / "qcdx" / "ipv6" / "site-443.conf").read_text()
    response, _ = get(f"https://[::1]:{tls_port}", "/", {"Host": HOST}, tls=True, sni=HOST)
    assert response.status == 200


def test_nginx_starts_with_the_ipv6_listens_switched_off(site, certificate, tmp_path):
    cert, key = certificate
    tls_port = nginx.free_port()
    with nginx.start(site, tls_port=tls_port, cert=cert, key=key, ipv6=False) as (origin, workdir):
        assert all((workdir / "qcdx" / "ipv6" / f"{n}.conf").read_text() == ""
                   for n in ("site-80", "site-443", "default-80", "default-443"))
        assert "[::" not in (workdir / "nginx.conf").read_text()
        response, _ = get(f"https://127.0.0.1:{tls_port}", "/", {"Host": HOST}, tls=True, sni=HOST)
        assert response.status == 200
    # and the production file as shipped does listen on IPv6 (the four include files)
    shipped = "".join((nginx.CONF / "ipv6" / f"{n}.conf").read_text() for n in ("site-80", "site-443", "default-80", "default-443"))
    assert shipped.count("listen [::]:") == 4


def test_the_access_log_keeps_no_query_string(production):
    origin, secure, _, workdir = production
    get(secure, "/search/?q=%E5%85%9A%E6%A0%A1%E6%9F%A5%E8%AF%A2", {"Host": HOST, "User-Agent": "test-agent/1",
        "Referer": f"https://{HOST}/search/?q=secretterm"}, tls=True, sni=HOST)
    log = (workdir / "access.log").read_text(encoding="utf-8")
    line = next(line for line in log.splitlines() if "test-agent/1" in line)
    # time, address, path, status, bytes, referer, browser (网络安全法 第二十一条) — no query
    assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d 127\.0\.0\.1 "GET /search/ HTTP/1\.1" 200 \d+ '
                    rf'"https://{HOST}/search/" "test-agent/1" {HOST}$', line), line
    assert "secretterm" not in log and "%E5" not in log and "?q" not in log


def test_make_nginx_follows_current_at_each_request_and_cleans_up(site, tmp_path):
    """No PORT: a free port, printed; SITE a symlink like a server's `current`, switched while
    nginx runs (a rollback shows at once); SIGTERM stops it and its temporary folder is removed."""
    releases = tmp_path / "releases"
    for name in ("a", "b"):
        (releases / name).mkdir(parents=True)
        (releases / name / "index.html").write_text(f"<p>release {name}</p>", encoding="utf-8")
    current = tmp_path / "current"
    current.symlink_to(releases / "a")
    env = {k: v for k, v in os.environ.items() if k != "PORT"}
    process = subprocess.Popen(["make", "-s", "nginx", f"SITE={current}"], cwd=nginx.ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        first = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/ +\(config: (\S+)/nginx\.conf", first)
        assert found, first
        port, workdir = int(found.group(1)), Path(found.group(2))
        low, high = map(int, nginx.PORTS.split("-"))
        assert low <= port <= high  # not make serve's 8000
        nginx._wait(port, process, workdir)
        origin = f"http://127.0.0.1:{port}"
        assert get(origin, "/")[1] == b"<p>release a</p>"
        switched = tmp_path / "current.new"
        switched.symlink_to(releases / "b")
        switched.rename(current)  # deploy.sh's atomic switch
        assert get(origin, "/")[1] == b"<p>release b</p>"
        assert process.poll() is None and workdir.is_dir()
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the group this test started: make, python, nginx
        process.communicate(timeout=10)
    deadline = time.monotonic() + 5
    while workdir.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not workdir.exists()


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
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the whole group; cleaned up
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=10)[0]
    assert f"http://127.0.0.1:{port}/" in output
    workdir = Path(re.search(r"\(config: (\S+)/nginx\.conf", output).group(1))
    assert not workdir.exists()


def test_a_free_port_is_never_given_twice(monkeypatch):
    # a TLS port asked for first, then the plain one by `start`: the same port twice is a
    # duplicate default server that nginx refuses (seen once in CI)
    monkeypatch.setattr(nginx, "_GIVEN", set())
    given = [nginx.free_port("8690-8699") for _ in range(10)]
    assert len(set(given)) == 10
    with pytest.raises(RuntimeError, match="no free port"):
        nginx.free_port("8690-8699")
