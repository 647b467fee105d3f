"""Issue 22 under the real nginx (deploy/nginx/, attachments.conf): every attachment of the built
demo downloaded, its headers read (type, a Content-Disposition keeping the Chinese name by
RFC 5987, the security headers still there), the captions' type, the video's ranges; and the
video's page in Chromium at 360 px: a player that waits to be started, with its captions."""
from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest

from test_nginx import get  # one raw request: (response, body)
from tools import nginx, phone

TYPES = {".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".doc": "application/msword",
         ".xls": "application/vnd.ms-excel", ".ofd": "application/ofd", ".zip": "application/zip"}


@pytest.fixture(scope="module")
def served(demo):
    with nginx.start(demo.site) as (origin, _):
        yield origin



def linked(site: Path, suffixes) -> list[tuple[str, Path]]:
    """(URL path, file) of every file with one of `suffixes` linked from a page of the site."""
    found = {}
    for page in site.rglob("index.html"):
        here = "/" + page.parent.relative_to(site).as_posix() + "/"
        for href in re.findall(r'(?:href|src)="([^"#?]+)"', page.read_text(encoding="utf-8")):
            path = urllib.parse.urlsplit(urllib.parse.urljoin("http://site" + here, href)).path
            if path.lower().endswith(suffixes):
                found[path] = site / urllib.parse.unquote(path).lstrip("/")
    return sorted(found.items())


def test_every_attachment_downloads_under_its_chinese_name(demo, served):
    attachments = linked(demo.site, tuple(TYPES))
    assert len(attachments) >= 3, attachments  # the demo's notice (PDF, DOCX) and budget (PDF, XLSX)
    for path, file in attachments:
        response, body = get(served, path)
        assert response.status == 200, path
        assert body == file.read_bytes()
        assert response.getheader("Content-Type") == TYPES[file.suffix.lower()], path
        disposition = response.getheader("Content-Disposition")
        match = re.fullmatch(r"attachment; filename\*=UTF-8''([A-Za-z0-9!#$&+.^_`|~%-]+)", disposition or "")
        assert match, disposition
        assert urllib.parse.unquote(match.group(1), errors="strict") == file.name  # the Chinese name, as it is
        assert "media-src 'self'" in response.getheader("Content-Security-Policy")  # site.conf's headers kept
        assert response.getheader("X-Content-Type-Options") == "nosniff"


def test_pages_captions_and_missing_files_are_not_downloads(demo, served):
    for path in ("/", "/news/"):
        response, _ = get(served, path)
        assert response.getheader("Content-Disposition") is None
    response, body = get(served, "/news/no-such-file.pdf")  # the 404 page is shown, not saved
    assert response.status == 404 and response.getheader("Content-Disposition") is None
    captions = linked(demo.site, (".vtt",))
    videos = linked(demo.site, (".mp4",))
    assert captions and videos
    response, body = get(served, captions[0][0])
    assert response.getheader("Content-Type") == "text/vtt; charset=utf-8" and body.startswith(b"WEBVTT")
    response, body = get(served, videos[0][0], {"Range": "bytes=0-99"})
    assert response.status == 206 and len(body) == 100 and response.getheader("Content-Type") == "video/mp4"


def test_the_video_waits_for_the_reader_and_shows_captions(demo, served, browser, tmp_path):
    url = phone.PAGES[[k.name for k in phone.PAGES].index("video")].resolve(demo.site)
    context = phone.open_phone(browser, served)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        phone.visit(page, served, urllib.parse.quote(url))
        video = page.locator("video").first
        state = video.evaluate("v => ({paused: v.paused, autoplay: v.autoplay, preload: v.preload,"
                               " tracks: v.textTracks.length, kind: v.textTracks[0].kind,"
                               " language: v.textTracks[0].language, width: v.getBoundingClientRect().width})")
        assert state["paused"] and not state["autoplay"] and state["preload"] == "none"
        assert (state["tracks"], state["kind"], state["language"]) == (1, "captions", "zh")
        assert 0 < state["width"] <= phone.WIDTH
        assert page.evaluate("document.documentElement.scrollWidth") <= phone.WIDTH
        # played, under the CSP: the MP4 and the captions load from the site itself
        video.evaluate("v => { v.muted = true; return v.play(); }")
        page.wait_for_function("() => { const t = document.querySelector('video').textTracks[0];"
                               " return t.cues && t.cues.length > 0; }", timeout=10_000)
        assert page.locator(".qc-transcript p").first.inner_text().strip()
        page.screenshot(path=str(tmp_path / "video.png"), full_page=True)
        assert errors == []
    finally:
        context.close()
