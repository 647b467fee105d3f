"""The printed 简报: each bulletin's built page as an A4 PDF in GB/T 9704's page set-up.

The text is the built web page's own (the `.qc-bulletin` part of site/bulletins/<slug>/index.html),
so every figure is the page's; around it `templates/print/bulletin.html` puts the red 报头
(简报名称, 第N期（总第N期）, 编发单位 and date, a red rule), the 编者按 and the 报尾 (报、送、发,
共印N份) from mkdocs.yml's `extra.bulletin` and the bulletin's front matter (content/bulletin.py).

Printed by headless Chromium (Playwright driving Debian's /usr/bin/chromium): it honours
`@page` margins and the `:left`/`:right` margin boxes of the alternating 「— n —», and justifies
Chinese lines (WeasyPrint does not). Neither engine can put a block at the foot of the last page,
so each bulletin is printed twice: the first print measures (pdftotext -bbox) how far the 报尾
stands above the bottom of the type area on its page, the second prints it with a spacer of that
height before it. The spacer only moves the 报尾 down its own page; the pages before it are the same.
"""
from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from lxml import etree
from lxml import html as lhtml
from markupsafe import Markup

from ..content import bulletin as bulletin_config
from ..content import filing
from ..content import models as m
from ..index.site import Site
from ..output import precompress
from ..output.render import render_xml
from . import print_fonts

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "print"
MM = 72 / 25.4  # points in a millimetre
PAGE_HEIGHT = 297 * MM
TYPE_BOTTOM = (37 + 225) * MM  # the bottom edge of the type area, from the top of the page
CHROMIUM = "/usr/bin/chromium"
_DROPPED = ("script", "style", "link", "iframe", "object", "embed", "noscript", "template", "details")


@dataclass
class Edition:
    """One bulletin ready to print: its record, imprint and the web page's text."""

    record: m.Bulletin
    imprint: bulletin_config.Imprint
    body: str  # HTML: the web page's bulletin, the 编者按 put in after the title
    page: Path  # the built page it came from
    figures: list[bytes] = field(default_factory=list)  # its figures as PNG, taken while printing (for Word)


def body_of(page: Path) -> lhtml.HtmlElement:
    """The `.qc-bulletin` element of a built bulletin page, without scripts, permalinks and the
    web's own masthead line (a paragraph of small print straight after the title)."""
    root = lhtml.parse(str(page)).getroot()
    found = root.xpath('//div[contains(concat(" ", normalize-space(@class), " "), " qc-bulletin ")]')
    if not found:
        raise ValueError(f"{page} 里没有简报正文（div.qc-bulletin）")
    body = found[0]
    for element in body.xpath(" | ".join(f".//{tag}" for tag in _DROPPED)):
        element.drop_tree()
    for link in body.xpath('.//a[contains(@class, "headerlink")]'):
        link.drop_tree()
    title = body.find("h1")
    following = title.getnext() if title is not None else None
    if following is not None and following.tag == "p" and len(following) == 1 and following[0].tag == "small" \
            and not (following.text or "").strip() and not (following[0].tail or "").strip():
        following.drop_tree()
    return body


def with_note(body: lhtml.HtmlElement, note: str) -> lhtml.HtmlElement:
    if note:
        paragraph = etree.Element("p", {"class": "qc-note"})
        label = etree.SubElement(paragraph, "b")
        label.text = "编者按："
        label.tail = note
        title = body.find("h1")
        if title is not None:
            title.addnext(paragraph)
        else:
            body.insert(0, paragraph)
    return body


def inner_html(element: lhtml.HtmlElement) -> str:
    return (element.text or "") + "".join(lhtml.tostring(child, encoding="unicode") for child in element)


def editions(root: Path, site: Site, site_dir: Path, config_file: str = "mkdocs.yml") -> list[Edition]:
    record, _problems = filing.read(root, config_file)
    sponsor = record.sponsor if record else ""
    out = []
    for bulletin in site.bulletins:
        page = site_dir / bulletin.url / "index.html"
        if not page.is_file():
            raise FileNotFoundError(f"{page} 不存在：请先 make build")
        imprint = bulletin_config.imprint(site.bulletin, bulletin, sponsor)
        body = with_note(body_of(page), imprint.note)
        out.append(Edition(bulletin, imprint, inner_html(body), page))
    return out


def document(edition: Edition, spacer: float = 0) -> str:
    """The print HTML of one bulletin; `spacer` (pt) moves the 报尾 down."""
    rows = [(label, names) for label, names in (("报", edition.imprint.report_to), ("送", edition.imprint.copy_to),
                                                ("发", edition.imprint.issue_to)) if names]
    return render_xml("print/bulletin.html", imprint=edition.imprint, title=edition.record.title,
                      css=Markup((TEMPLATES / "bulletin.css").read_text(encoding="utf-8")),
                      body=Markup(edition.body), rows=rows, spacer=round(spacer, 2),
                      base=edition.page.parent.resolve().as_uri() + "/")  # the page's images, as on the site


def printed_text(edition: Edition) -> str:
    """Every character the print of `edition` may show (the fonts are subset to them)."""
    page = lhtml.fromstring(document(edition))
    return page.text_content() + "— 0123456789 —" + "".join(
        text for _label, names in (("", edition.imprint.report_to),) for text in names)


def fonts_for(found: list[Edition], work: Path, warn=print) -> dict[str, Path]:
    """The subset fonts of all editions, written to `work` (installed for the printing browser
    alone by print_fonts.fontconfig). A character the 仿宋 lacks (a rare one in a name: 喆, 堃)
    is drawn in the 宋体, the next font of the stylesheet's chain, and said; one that the 宋体
    lacks too would print as a box: an error."""
    text = "".join(printed_text(edition) for edition in found)
    fonts, missing = {}, {}
    for face in print_fonts.FACES:
        target = work / f"{face.family}.ttf"
        missing[face.family] = print_fonts.build(face, text, target)
        fonts[face.family] = target
    fang = print_fonts.FACES[0]
    nowhere = missing["qc-fang"] & missing["qc-song"]
    if nowhere:
        raise SystemExit(f"印发的简报里有字体中没有的字：{''.join(sorted(nowhere))}（打印出来会是方框）。"
                         "请换一种写法，或删去这些字")
    if missing["qc-fang"]:
        warn(f"注意：{fang.role}字体 {fang.file.name} 没有这些字，印发版里用宋体印出：{''.join(sorted(missing['qc-fang']))}")
    return fonts


def last_page_gap(pdf: Path) -> float:
    """How far (pt) the last line of the 报尾 (共印N份 or 印发) stands above the bottom of the
    type area on the last page, less the rule and padding under it."""
    pages = int(re.search(r"Pages:\s+(\d+)", _run(["pdfinfo", str(pdf)])).group(1))
    xml = _run(["pdftotext", "-bbox", "-f", str(pages), "-l", str(pages), str(pdf), "-"])
    words = [(float(y_max), text) for y_max, text in re.findall(r'yMax="([\d.]+)"[^>]*>([^<]*)</word>', xml)]
    below = [y for y, text in words if y < TYPE_BOTTOM and not text.startswith("—") and not text.isdigit()]
    if not below:
        return 0.0
    # under the last line's glyphs: half the line's leading (1.6 × 14 pt), the 1 mm padding, the 0.35 mm rule
    bottom = max(below) + (1.6 * 14 - 14) / 2 + 1.35 * MM
    return max(0.0, TYPE_BOTTOM - bottom)


def _run(command: list[str]) -> str:
    if not shutil.which(command[0]):
        raise SystemExit(f"没有找到 {command[0]}：请先安装 poppler-utils（sudo make browser）")
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=60).stdout


def print_all(found: list[Edition], out_dir: Path, work: Path) -> list[Path]:
    """Each edition to out_dir/<slug>.pdf (two prints each, see the module's docstring)."""
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    written = []
    fonts = fonts_for(found, work)
    with sync_playwright() as playwright:
        env = {**os.environ, "FONTCONFIG_FILE": str(print_fonts.fontconfig(work))}
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], env=env)
        try:
            # 156 mm at 96 px an inch: a figure is photographed as wide as the type area (for Word)
            page = browser.new_page(viewport={"width": 590, "height": 900}, device_scale_factor=2)
            # the built site's own files only: nothing is fetched from another host
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                       else route.abort())
            for edition in found:
                target = out_dir / f"{edition.record.slug}.pdf"
                source = work / f"{edition.record.slug}.html"
                spacer = 0.0
                for _attempt in range(2):
                    source.write_text(document(edition, spacer), encoding="utf-8")
                    page.goto(source.resolve().as_uri(), wait_until="load")
                    if not edition.figures:
                        edition.figures = [figure.screenshot(type="png") for figure in page.query_selector_all("main figure")]
                    page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
                    if spacer:
                        break
                    spacer = max(0.0, last_page_gap(target) - 1)  # 1 pt to spare: never onto a new page
                    if spacer < 1:
                        break
                written.append(target)
        finally:
            browser.close()
    return written


EDITIONS_MARK = "<!-- qc-editions -->"
_EDITION_NAMES = {".pdf": "PDF 印发版", ".docx": "Word 版"}


def link_editions(page: Path, files: list[Path]) -> None:
    """Link the printed editions copied next to a built bulletin page from the page itself (at
    the top of its text), and renew its .gz twin: `make pdf` does it after the build, so a page
    links a PDF only when one was printed for this build."""
    html = page.read_text(encoding="utf-8")
    if EDITIONS_MARK in html or not files:
        return
    anchor = re.search(r'<div class="qc-bulletin">', html)
    if anchor is None:
        raise ValueError(f"{page} 里没有简报正文（div.qc-bulletin）")
    links = " · ".join(f'<a href="{escape(f.name)}" download>{_EDITION_NAMES.get(f.suffix, f.suffix)}</a>'
                       f"（{max(1, f.stat().st_size // 1024)} KB）" for f in files)
    insert = f'{EDITIONS_MARK}<p class="qc-editions"><small>下载：{links}</small></p>'
    html = html[:anchor.end()] + insert + html[anchor.end():]
    page.write_text(html, encoding="utf-8")
    twin = page.with_name(page.name + ".gz")
    if twin.exists():
        twin.write_bytes(gzip.compress(html.encode("utf-8"), compresslevel=precompress.LEVEL, mtime=0))
