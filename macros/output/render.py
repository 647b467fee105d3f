"""The Jinja environment of the Markdown snippets and generated pages (macros/templates/).

Templates only display: they loop over what code has chosen and print it through
these filters.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import urls
from ..index.stats import change

LABELS = {
    "original": "原创", "repost": "转载", "main": "主体班次", "social": "社会培训",
    "full-time": "专职", "part-time": "兼职", "trial": "试讲", "active": "入库", "retired": "停用",
    "offline": "线下", "online": "线上", "hybrid": "线上线下结合",
}


def percent(value: float | None, digits: int = 1) -> str:
    """0.9634 → 96.3%"""
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def number(value: float | int | None) -> str:
    """1234 → 1,234; 12.5 → 12.5 (no trailing zeros)."""
    if value is None:
        return "—"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"


def zh_date(value: dt.date) -> str:
    """2023-03-06 → 2023年3月6日"""
    return f"{value.year}年{value.month}月{value.day}日"


# Markdown's punctuation as numeric character references: Python-Markdown keeps an entity as
# it is and the browser shows the character, in Markdown text, tables and raw HTML alike
# (a backslash escape works only where Markdown parses, and not for every character)
_MD_INLINE = {ord(c): f"&#{ord(c)};" for c in "\\`*_[]|"}
_MD_LINE_START = re.compile(r"^([ \t]*)(?:([#=!>])|([-+*])(?=\s|$)|(\d+)([.)])(?=\s|$))", re.MULTILINE)


def _line_start(match: re.Match) -> str:
    indent, marker, bullet, digits, dot = match.groups()
    if digits:
        return f"{indent}{digits}&#{ord(dot)};"
    return f"{indent}&#{ord(marker or bullet)};"


def md(value: object) -> Markup:
    """A value printed into Markdown, shown exactly as written: HTML-escaped (<script>, &)
    and with Markdown's punctuation escaped (*, _, [x](y), |, a leading - or 1.), so a title,
    a name or a summary from data/ or front matter is text, never HTML or Markdown.
    The Markdown templates apply it to every printed value (`finalize`)."""
    if hasattr(value, "__html__"):  # already Markdown or HTML made by a template or a macro
        return Markup(value.__html__())
    text = html.escape(str(value), quote=True).translate(_MD_INLINE)
    return Markup(_MD_LINE_START.sub(_line_start, text))


def link(target) -> Markup:
    """The link target of a record's page or of a docs path (courses/index.md), from the docs root."""
    return Markup("/" + (target if isinstance(target, str) else urls.src_of(target)))


def url_of(target) -> str:
    """The URL path, from the site root, of a record's page or of a docs path (courses/ershida/)."""
    if not isinstance(target, str):
        if getattr(target, "url", ""):
            return target.url
        target = urls.src_of(target)
    if not target.endswith(".md"):  # a feed, an image: already a path in site/
        return target
    return target[: -len("index.md")] if target.endswith("index.md") else target[: -len(".md")] + "/"


def rel(target, here) -> str:
    """A relative link from the page `here` (a record, a docs path or a URL) to `target`,
    for HTML that MkDocs does not rewrite: up to the site root, then down (a string
    operation: posixpath.relpath was a tenth of the build of 5,000 items)."""
    here_url = here if isinstance(here, str) and not here.endswith(".md") else url_of(here)
    return "../" * here_url.count("/") + url_of(target) or "./"


def yaml_str(text: object) -> Markup:
    """A value safe in front matter (JSON strings are YAML strings). The theme prints the
    front matter's text; hooks HTML-escape it then (`mkdocs_adapter.escape_meta`)."""
    return Markup(json.dumps(str(text), ensure_ascii=False))


FILTERS = {
    "percent": percent, "number": number, "zh_date": zh_date, "md": md, "link": link,
    "label": lambda key: LABELS.get(key, key), "yaml_str": yaml_str,
}

# auto_reload=False: templates are part of the code; checking each included file's date on every
# {% include %} was a third of the time spent writing 5,000 items' listings
# finalize=md: every value a Markdown template prints is escaped, unless a template or a macro
# made it (Markup): safe by default, nothing to remember at each {{ }}
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parents[1] / "templates"), auto_reload=False,
    undefined=jinja2.StrictUndefined, finalize=md, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
)
_ENV.filters.update(FILTERS)
_ENV.globals["urls"] = urls

_XML = jinja2.Environment(  # HTML and XML: everything printed is escaped
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parents[1] / "templates"), auto_reload=False,
    undefined=jinja2.StrictUndefined, autoescape=True, trim_blocks=True, lstrip_blocks=True,
)
_XML.filters.update(FILTERS, rel=rel)


_XML.globals["change"] = change  # one wording of year-over-year change for pages and bulletins
_XML.globals["urls"] = urls


def render(name: str, **values) -> Markup:
    """Markdown with every printed value escaped; the result may be printed by another template
    or a macro as it is."""
    return Markup(_ENV.get_template(name).render(**values))


def render_xml(name: str, **values) -> Markup:
    """HTML or XML with every printed value escaped; the result may be printed by another template."""
    return Markup(_XML.get_template(name).render(**values))
