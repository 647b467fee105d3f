"""The desk (/admin/) under Debian's real nginx with deploy/nginx/admin.conf included after site.conf,
as qcdx.conf will include it: its own CSP on /admin/, the public pages' headers unchanged, and
the desk loading in Chromium under that policy with nothing refused and nothing asked of
another host."""
from __future__ import annotations

import http.client
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import FIXTURES, ROOT
from macros.editorial import desk
from tools import nginx

pytestmark = pytest.mark.server
CONF = ROOT / "deploy" / "nginx"


def _with_desk(original):
    def config(site, port, workdir, **tls):
        text = original(site, port, workdir, **tls)
        # tools/nginx.py includes admin.conf after site.conf, as qcdx.conf does
        assert f"include {CONF}/site.conf;\n    include {CONF}/admin.conf;" in text
        return text
    return config


@pytest.fixture(scope="module")
def desk_origin(tmp_path_factory):
    site = tmp_path_factory.mktemp("desk-nginx") / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>首页</title>", encoding="utf-8")
    assert desk.write(FIXTURES / "small", site, modules=ROOT) == [], "run `npm ci` (make desk-assets)"
    patch = pytest.MonkeyPatch()
    patch.setattr(nginx, "config", _with_desk(nginx.config))
    try:
        with nginx.start(site) as (origin, _):
            yield origin
    finally:
        patch.undo()


def get(origin: str, path: str) -> http.client.HTTPResponse:
    parts = urlsplit(origin)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response


def test_admin_has_its_own_policy_and_the_public_pages_keep_theirs(desk_origin):
    public = get(desk_origin, "/")
    admin = get(desk_origin, "/admin/")
    assert public.status == admin.status == 200
    site_csp = re.search(r'Content-Security-Policy "([^"]+)"', (CONF / "site.conf").read_text(encoding="utf-8")).group(1)
    assert public.getheader("Content-Security-Policy") == site_csp
    policy = admin.getheader("Content-Security-Policy")
    assert "$" not in policy and "https://gitlab.example.cn" in policy  # the variable filled in by nginx
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"  # no inline script, no eval, no CDN
    assert "unsafe-eval" not in policy and "unpkg" not in policy and "jsdelivr" not in policy
    assert directives["frame-ancestors"] == "'none'" and directives["default-src"] == "'none'"
    assert admin.getheader("X-Content-Type-Options") == "nosniff"  # the security headers repeated
    assert admin.getheader("X-Robots-Tag") == "noindex, nofollow"
    assert admin.getheader("Cross-Origin-Opener-Policy") is None  # the GitLab login window's opener
    for path in ("/admin/config.yml", "/admin/sveltia-cms.js", "/admin/locales/zh-CN.json",
                 "/admin/fonts/material-symbols-outlined-latin-wght-normal.woff2"):
        assert get(desk_origin, path).status == 200, path


def test_the_desk_loads_under_nginx_in_chinese_and_within_its_policy(desk_origin, browser):
    asked: list[str] = []
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    context.route(lambda url: not url.startswith(desk_origin + "/"),
                  lambda route: (asked.append(route.request.url), route.abort("blockedbyclient")))
    context.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                            "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(desk_origin + "/admin/")
    page.get_by_text("使用本地仓库").wait_for()  # the sign-in screen, in Chinese
    page.wait_for_timeout(500)
    assert page.evaluate("window.__csp") == []
    assert asked == [] and errors == []
    context.close()


def test_the_production_server_block_includes_the_desk_after_the_site():
    text = (CONF / "qcdx.conf").read_text(encoding="utf-8")
    assert text.index("include qcdx/admin.conf;") > text.index("include qcdx/site.conf;")
