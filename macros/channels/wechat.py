"""The 公众号 (WeChat public account) edition of a news item or study note.

The WeChat editor keeps only inline `style` attributes: it drops `<style>`, `<script>`,
classes, ids, CSS variables and `position`. So the page's HTML (converted by the site's own
Markdown extensions, macros rendered) is reshaped here and every style is written inline by
css-inline (a maintained Rust inliner) from `templates/wechat/edition.css`, a stylesheet of
literal values.

What we follow, from the two well-known Markdown → WeChat editors:

- doocs/md (`packages/core/src/renderer/renderer-impl.ts`): the whole article in one
  `<section>` container; links outside `mp.weixin.qq.com` become `<sup>[n]</sup>` and are
  listed at the end (one number per address), since WeChat makes only links to other WeChat
  articles clickable; images as `<figure>` with the alt text as `<figcaption>`; list items
  carry their marker as text ("1. ", "• ") because the editor mangles `list-style`; tables
  wrapped in `<section style="max-width: 100%; overflow: auto">`; 1.75 line height.
- mdnice/markdown-nice (`src/utils/converter.js`, `markdown-it-linkfoot.js`,
  `markdown-it-table-container.js`): the stylesheet is inlined by a CSS inliner (juice)
  rather than written in code; link notes under a heading at the end; tables in a container.

Our own choices: nested lists become flat paragraphs with typed markers (1. → （1） → ①,
• → ◦ → ▪) and indentation, because nested `<ul>` is what the WeChat editor breaks most;
no text smaller than 15 px (readers are often older), headings told apart by weight,
colour and rules rather than size; colours never pure black.

Nothing here knows MkDocs: the caller passes the page's HTML (see `mkdocs_adapter.py`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import css_inline
from lxml import etree
from lxml import html as lhtml
from markupsafe import Markup

from ..content import models as m
from ..output import media
from ..output.render import rel, render_xml, zh_date
from ..index.site import Site

WECHAT_HOST = "mp.weixin.qq.com"
STYLESHEET = Path(__file__).resolve().parents[1] / "templates" / "wechat" / "edition.css"
COPY_SCRIPT = Path(__file__).resolve().parents[1] / "templates" / "wechat" / "copy.js"
PREVIEW_STYLES = Path(__file__).resolve().parents[1] / "templates" / "wechat" / "preview.css"
PREVIEW_DIR = "wechat"  # the edition's preview is at the item's URL + wechat/

# never pasted: they run code, load other documents or would be dropped by WeChat anyway
_DROPPED = ("script", "style", "link", "meta", "iframe", "object", "embed", "noscript", "template",
            "form", "input", "button", "select", "textarea")
# inline styles and old presentational attributes may carry `position`, black or tiny type
_PRESENTATION = {"style", "id", "color", "bgcolor", "face", "size", "background", "width", "height"}
_MARKERS = {
    "ol": (lambda n: f"{n}.", lambda n: f"（{n}）", lambda n: _circled(n)),
    "ul": (lambda n: "•", lambda n: "◦", lambda n: "▪"),
}
_BLOCKS = {"p", "section", "div", "figure", "blockquote", "table", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
           "hr", "ul", "ol", "dl"}


def _circled(number: int) -> str:
    return chr(0x2460 + number - 1) if 1 <= number <= 20 else f"{number})"


@dataclass(frozen=True)
class Reference:
    """A link the reader cannot follow in WeChat, listed under 参考链接."""

    number: int
    text: str
    url: str


class EditionError(Exception):
    """The item cannot have a 公众号 edition; the message is for editors, in Chinese."""


def edition(site: Site, page: m.Page, html: str, site_url: str, site_name: str) -> str:
    """The HTML fragment to paste into the WeChat editor. `html` is the page's converted
    Markdown (macros rendered), before the site's header and footer; `site_url` is the
    published site's address, on which links and images are made absolute."""
    if not isinstance(page, (m.NewsItem, m.Note)):
        raise EditionError(f"{page.file or page.src}：只有新闻和学习笔记有公众号版")
    site_url = site_url.rstrip("/") + "/"
    base = urljoin(site_url, page.url)
    body = lhtml.fragment_fromstring(_with_files(page, html or ""), create_parent="section")
    _clean(body)
    _images(body, base, site_url)
    references = _links(body, base)
    _tables(body)
    _lists(body)
    for div in body.iter("div"):
        div.tag = "section"
    titled = len(body) and body[0].tag == "h1"  # the editor wrote the title as a heading
    fragment = render_xml(
        "wechat/edition.html", page=page, title="" if titled else page.title, meta=_meta(site, page),
        body=Markup(lhtml.tostring(body, encoding="unicode")), references=references,
        school=site_name, follow=f"微信搜索「{site_name}」公众号，关注我们，获取更多党校动态",
    )
    inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)
    inlined = inliner.inline_fragment(str(fragment), STYLESHEET.read_text(encoding="utf-8"))
    return _unmarked(inlined)


def _with_files(page: m.Page, html: str) -> str:
    """A video becomes its poster and a link to the item on the site (WeChat plays only videos
    uploaded to it), its transcript follows the text; attachments become links (listed under
    参考链接 like every outside link)."""
    video = getattr(page, "video", None)
    if video is not None and video.poster_src:
        html = str(render_xml("wechat/video.html", page=page, video=video, poster=rel(video.poster_src, page))) + html
    if video is not None and video.file_src:
        html += str(render_xml("pages/transcript.html", transcript=media.transcript(video)))
    files = [a for a in getattr(page, "attachments", []) if a.src]
    if files:
        html += str(render_xml("wechat/attachments.html", attachments=[(a, rel(a.src, page)) for a in files]))
    return html


def _meta(site: Site, page: m.Page) -> list[str]:
    """The source line: 原创 or 转载自…, the date, the author (and a note's column)."""
    if isinstance(page, m.Note):
        column = site.columns.get(page.column)
        parts = ["原创", zh_date(page.date), f"作者：{page.author}"]
        if column:
            parts.append(f"学习笔记 · {column.name}" + (f" · 第 {page.number} 篇" if page.number else ""))
        return parts
    parts = ["原创" if page.source == "original" else f"转载自{page.source_name}", zh_date(page.date)]
    if page.author:
        parts.append(f"作者：{page.author}")
    return parts


# --- reshaping the page's HTML ------------------------------------------------------------


def _clean(body) -> None:
    """Remove what WeChat drops or must never receive: scripts, frames, forms, the page's
    own inline styles (they may hold `position` or variables), ids, event handlers."""
    for element in list(body.iter(*_DROPPED)):
        element.drop_tree()
    for comment in list(body.iter(etree.Comment)):
        comment.drop_tree()
    for font in list(body.iter("font")):
        font.drop_tag()
    for element in body.iter(etree.Element):
        for name in list(element.attrib):
            # classes stay until the stylesheet is inlined (admonitions are styled by theirs)
            if name in _PRESENTATION or name.startswith("on") or name.startswith("data-"):
                del element.attrib[name]
    body.set("class", "wx-body")


def _is_external_image(url: str, site_url: str) -> bool:
    return not url.startswith(site_url)


def _images(body, base: str, site_url: str) -> None:
    """Absolute on the site's domain, at most 100 % wide, the alt text as a caption."""
    for img in list(body.iter("img")):
        src = urljoin(base, img.get("src", ""))
        alt = (img.get("alt") or "").strip()
        if _is_external_image(src, site_url):
            # WeChat would fetch it from another host: the reader gets a numbered link instead
            link = lhtml.Element("a", href=src)
            link.text = f"图片：{alt}" if alt else "图片"
            link.tail = img.tail
            img.getparent().replace(img, link)
            continue
        figure = lhtml.Element("figure", {"class": "wx-figure"})
        picture = etree.SubElement(figure, "img", {"class": "wx-img", "src": src, "alt": alt})
        if img.get("title"):
            picture.set("title", img.get("title"))
        if alt:
            caption = etree.SubElement(figure, "figcaption", {"class": "wx-caption"})
            caption.text = alt
        parent = img.getparent()
        alone = parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip() \
            and not (img.tail or "").strip()
        if alone and parent.getparent() is not None:
            figure.tail = parent.tail
            parent.getparent().replace(parent, figure)
        else:
            figure.tail = img.tail
            parent.replace(img, figure)


def _links(body, base: str) -> list[Reference]:
    """Links to WeChat articles stay links; others become [n], listed at the end."""
    numbers: dict[str, int] = {}
    references: list[Reference] = []
    for a in list(body.iter("a")):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#") or a.find(".//figure") is not None:
            a.drop_tag()  # an anchor on this page, or a linked picture: the content stays
            continue
        url = urljoin(base, href)
        if urlsplit(url).hostname == WECHAT_HOST:
            a.attrib.clear()
            a.set("href", url)
            a.set("class", "wx-wechat-link")
            continue
        text = " ".join(a.text_content().split())
        if url not in numbers:
            numbers[url] = len(numbers) + 1
            references.append(Reference(numbers[url], text if text and text != url else "", url))
        a.tag = "span"
        a.attrib.clear()
        a.set("class", "wx-link")
        mark = lhtml.Element("sup", {"class": "wx-ref"})
        mark.text = f"[{numbers[url]}]"
        mark.tail, a.tail = a.tail, None
        a.addnext(mark)
    return references


def _tables(body) -> None:
    """Every table in a sideways scroller: the page is 360 px wide, a table may not be."""
    for table in list(body.iter("table")):
        table.set("class", "wx-table")
        wrapper = lhtml.Element("section", {"class": "wx-table-wrap"})
        wrapper.tail, table.tail = table.tail, None
        table.addprevious(wrapper)
        wrapper.append(table)


def _lists(body) -> None:
    """Each outermost list becomes a section of paragraphs, one per item, with its marker as
    text and its depth as indentation."""
    for lst in list(body.iter("ul", "ol")):
        if any(ancestor.tag in ("ul", "ol") for ancestor in lst.iterancestors()):
            continue  # flattened with its outermost list
        section = lhtml.Element("section", {"class": "wx-list"})
        for block in _flatten(lst, 0):
            section.append(block)
        section.tail = lst.tail
        lst.getparent().replace(lst, section)


def _flatten(lst, depth: int) -> list:
    out = []
    markers = _MARKERS[lst.tag][min(depth, 2)]
    try:
        number = int(lst.get("start", "1"))
    except ValueError:
        number = 1
    level = f"wx-li wx-li-{min(depth, 3)}"
    for li in lst.findall("li"):
        item = lhtml.Element("p", {"class": level})
        marker = etree.SubElement(item, "span", {"class": "wx-marker"})
        marker.text = markers(number) + " "
        number += 1
        current = item
        _append_text(current, (li.text or "").lstrip())
        filled = bool((li.text or "").strip())
        out.append(item)
        for child in list(li):
            tail, child.tail = child.tail, None
            if child.tag in ("ul", "ol"):
                out += _flatten(child, depth + 1)
                current, filled = None, False
            elif child.tag == "p":
                if current is None or filled:
                    current = lhtml.Element("p", {"class": f"{level} wx-li-more"})
                    out.append(current)
                _append_text(current, (child.text or "").lstrip())
                for grandchild in list(child):
                    current.append(grandchild)
                filled = True
            elif child.tag in _BLOCKS:
                out.append(child)
                current, filled = None, False
            else:  # inline: text continues in the item's paragraph
                if current is None:
                    current = lhtml.Element("p", {"class": f"{level} wx-li-more"})
                    out.append(current)
                current.append(child)
                filled = True
            if tail and tail.strip():
                if current is None:
                    current = lhtml.Element("p", {"class": f"{level} wx-li-more"})
                    out.append(current)
                _append_text(current, tail)
                filled = True
    return out


def _append_text(element, text: str | None) -> None:
    if not text:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _unmarked(fragment: str) -> str:
    """The inlined fragment without classes and ids: their styles are now inline, and WeChat
    drops them anyway."""
    root = lhtml.fragment_fromstring(fragment)
    for element in root.iter(etree.Element):
        for name in ("class", "id"):
            element.attrib.pop(name, None)
    return lhtml.tostring(root, encoding="unicode")


# --- the preview (make serve only) -----------------------------------------------------------


def preview_page(page: m.Page, fragment: str, site_url: str) -> str:
    """The preview's page for one edition: the edition as it will look, a 复制到公众号 button,
    and the title and summary that go into the WeChat editor's own fields."""
    return str(render_xml("wechat/preview.html", page=page, summary=getattr(page, "summary", None) or "",
                          edition=Markup(_local_images(fragment, site_url.rstrip("/") + "/",
                                                       page.url + PREVIEW_DIR + "/"))))


def _local_images(fragment: str, site_url: str, here: str) -> str:
    """The preview shows the pictures from itself (a new picture is not on the published site
    yet, and a preview loads nothing from another host); copy.js puts the published address,
    kept in data-wechat-src, back into what it copies."""
    root = lhtml.fragment_fromstring(fragment)
    for img in root.iter("img"):
        src = img.get("src", "")
        if src.startswith(site_url):
            img.set("data-wechat-src", src)
            img.set("src", rel(src[len(site_url):], here))
    return lhtml.tostring(root, encoding="unicode")


def preview(site_dir: str, site: Site, page: m.Page, html: str, site_url: str, site_name: str) -> str:
    """Write the edition's preview page of a published item to <item URL>/wechat/ in `site_dir`;
    the item's HTML, with a link to it on top for the editor."""
    write_preview(site_dir, site, page, html, site_url, site_name)
    return html + str(render_xml("wechat/preview_link.html"))


def write_preview(site_dir: str, site: Site, page: m.Page, html: str, site_url: str, site_name: str) -> Path:
    """Write the preview of a published item's edition to <item URL>/wechat/ in `site_dir`."""
    folder = Path(site_dir) / page.url.strip("/") / PREVIEW_DIR
    folder.mkdir(parents=True, exist_ok=True)
    fragment = edition(site, page, html, site_url, site_name)
    (folder / "index.html").write_text(preview_page(page, fragment, site_url), encoding="utf-8")
    for source in (COPY_SCRIPT, PREVIEW_STYLES):
        (folder / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return folder / "index.html"


def offered(site: Site, page) -> bool:
    """Whether the preview offers a 公众号 edition of this record: published news and notes."""
    return isinstance(page, (m.NewsItem, m.Note)) and site.is_published(page)

