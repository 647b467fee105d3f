"""Share cards: what a chat app (WeChat, QQ) or a search engine shows for a link to a page.

Every page gets one `Card`: its description (the record's summary, else the description the
page was generated with, else the first sentences of its text, else the site's description),
its canonical URL and an absolute image (the news item's cover, else the school's default card
image `docs/assets/share-card.png`). Computed here once, printed escaped by
`overrides/main.html` (block `site_meta`). Nothing here knows MkDocs.
"""
from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from ..output import images
from ..content import models as m

DEFAULT_IMAGE = "assets/share-card.png"  # drawn by tools/share_card.py, committed
DEFAULT_SIZE = (1200, 630)  # what Open Graph readers crop to (1.91:1)
DESCRIPTION_CHARS = 120  # a chat card shows two or three lines; search engines cut near 120 CJK characters
_MIN_CHARS = 20  # shorter first text ("共 12 条") says nothing: the site's description instead
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
_SPACE = re.compile(r"\s+")
_PARAGRAPH = re.compile(r"<p(?P<attrs>\s[^>]*)?>(?P<text>.*?)</p\s*>", re.S | re.I)
_CLASS = re.compile(r"\sclass\s*=\s*(\"[^\"]|'[^']|[^\s\"'>])", re.I)  # a class that is not empty
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Card:
    title: str
    description: str
    url: str  # absolute, canonical
    type: str  # "article" for news items, notes and bulletins; "website" otherwise
    image: str  # absolute
    image_width: int
    image_height: int
    image_alt: str
    site_name: str
    published: str = ""  # ISO date of a record, for article:published_time


def first_sentences(html: str, limit: int = DESCRIPTION_CHARS) -> str:
    """The opening paragraph's sentences, whole ones up to `limit` characters (a first sentence
    longer than that is cut with an ellipsis); further paragraphs only while it is very short.
    A paragraph with a class is the page's furniture (counts, links, dates), not its text.
    Regular expressions over our own Markdown's output (no <p> holds another), not an HTML
    parser: this runs on every page, and the parser took a second per 2,000 pages."""
    text = ""
    for paragraph in _PARAGRAPH.finditer(html):
        if len(text) >= _MIN_CHARS:
            break
        if paragraph["attrs"] and _CLASS.search(paragraph["attrs"]):
            continue
        text += _SPACE.sub(" ", htmllib.unescape(_TAG.sub("", paragraph["text"]))).strip()
    return clip(text, limit)


def clip(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in _SENTENCE_END.split(text):
        if len(kept) + len(sentence) > limit:
            break
        kept += sentence
    return kept.strip() if kept.strip() else text[: limit - 1].rstrip() + "…"


def description(record, meta_description: str, html: str, site_description: str) -> str:
    summary = getattr(record, "summary", None) if record is not None else None
    for candidate in (summary, meta_description):
        if candidate and candidate.strip():
            return clip(candidate)
    opening = first_sentences(html)
    return opening if len(opening) >= _MIN_CHARS else clip(site_description)


def card(*, title: str, url: str, site_url: str, site_name: str, site_description: str,
         html: str, record=None, meta_description: str = "", default_image: str = DEFAULT_IMAGE) -> Card:
    """The share card of one page. `html` is the page's converted text (before any frame),
    `url` its canonical URL, `record` the news item, note or bulletin it shows, if any;
    `default_image` the site's card image ("" when the school has none: no image then)."""
    is_article = isinstance(record, m.Page)
    image, (width, height), alt = (urljoin(site_url, default_image) if default_image else ""), DEFAULT_SIZE, site_name
    cover = _cover(record)
    if cover is not None:
        image, width, height, alt = urljoin(site_url, cover.url), cover.width, cover.height, title
    if not site_url:  # a card needs absolute addresses: without site_url, no image and no URL
        image, url = "", ""
    return Card(
        title=title,
        description=description(record, meta_description, html, site_description),
        url=url,
        type="article" if is_article else "website",
        image=image, image_width=width, image_height=height, image_alt=alt,
        site_name=site_name,
        published=record.date.isoformat() if is_article else "",
    )


def _cover(record):
    """The largest variant made of the record's cover (covers are resized for phones, and
    a card is shown up to 1080 pixels wide), or None."""
    path = getattr(record, "cover_file", "")
    if not path:
        return None
    return images.variants(Path(path), record.cover_name)[-1]
