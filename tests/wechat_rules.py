"""WeChat's rules for a 公众号 edition, checked on the parsed HTML (lxml's HTML parser), and the
text of a page compared with its edition. Used by tests/test_wechat.py; kept apart so that the
rules read as one list."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lhtml

MIN_PX, MAX_PX = 15, 17
MIN_LINE_HEIGHT = 1.75
BLACK = re.compile(r"#000\b|#000000\b|\bblack\b|rgba?\(\s*0\s*,\s*0\s*,\s*0\s*[,)]", re.I)
TEXT_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "td", "th", "blockquote", "span",
             "strong", "em", "sup", "code", "pre", "section", "a", "b", "i"}


def parse(fragment: str):
    return lhtml.fragment_fromstring(fragment)


def styles(element) -> dict[str, str]:
    """The inline declarations of an element, property → value (lowercase properties)."""
    out = {}
    for declaration in (element.get("style") or "").split(";"):
        if ":" in declaration:
            name, value = declaration.split(":", 1)
            out[name.strip().lower()] = value.strip()
    return out


def _px(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)px", value.strip())
    assert match, f"font-size {value!r} is not in px"
    return float(match.group(1))


def _line_height(value: str, font_px: float) -> float:
    value = value.strip()
    if value.endswith("px"):
        return float(value[:-2]) / font_px
    if value.endswith("%"):
        return float(value[:-1]) / 100
    return float(value)


def problems(fragment: str, site_url: str) -> list[str]:
    """Every way the edition breaks point 2 of issue 14 (empty: it keeps them all)."""
    found: list[str] = []
    root = parse(fragment)
    if root.tag != "section":
        found.append(f"the edition is a <{root.tag}>, not a <section>")
    for element in root.iter(etree.Element):
        where = f"<{element.tag}> {(element.text_content() or '')[:30]!r}"
        if element.tag in ("style", "script", "link", "iframe", "meta"):
            found.append(f"{where}: element not allowed")
        for name in element.attrib:
            if name in ("class", "id") or name.startswith("on"):
                found.append(f"{where}: attribute {name}")
        for name, value in styles(element).items():
            if name.startswith("--") or "var(" in value:
                found.append(f"{where}: CSS variable in {name}: {value}")
            if name == "position":
                found.append(f"{where}: position: {value}")
            if (name.startswith("color") or name.startswith("background") or name.startswith("border")) \
                    and BLACK.search(value):
                found.append(f"{where}: pure black in {name}: {value}")
        if element.tag in ("ul", "ol", "li"):
            found.append(f"{where}: a list element (lists are flattened)")
        if element.tag == "a":
            host = urlsplit(element.get("href", "")).hostname
            if host != "mp.weixin.qq.com":
                found.append(f"{where}: a link outside mp.weixin.qq.com: {element.get('href')}")
        if element.tag == "img":
            found += _image_problems(element, site_url)
        if element.tag == "table":
            scroller = [a for a in element.iterancestors()
                        if styles(a).get("overflow-x") in ("auto", "scroll") or styles(a).get("overflow") in ("auto", "scroll")]
            if not scroller or styles(scroller[0]).get("max-width") != "100%":
                found.append(f"{where}: a table outside a sideways scroller")
    found += _text_problems(root)
    found += _reference_problems(root)
    return found


def _image_problems(img, site_url: str) -> list[str]:
    found = []
    src = img.get("src", "")
    if not src.startswith(site_url):
        found.append(f"<img> {src}: not an absolute URL on {site_url}")
    if styles(img).get("max-width") != "100%":
        found.append(f"<img> {src}: max-width is {styles(img).get('max-width')}, not 100%")
    alt = (img.get("alt") or "").strip()
    figure = img.getparent()
    captions = [c.text_content().strip() for c in figure.iter("figcaption")] if figure.tag == "figure" else []
    if alt and captions != [alt]:
        found.append(f"<img> {src}: caption {captions} is not the alt text {alt!r}")
    return found


def _text_problems(root) -> list[str]:
    """Every piece of text at 15–17 px and a line height of at least 1.75, by inheritance."""
    found = []

    def walk(element, size, line):
        declared = styles(element)
        if "font-size" in declared:
            size = _px(declared["font-size"])
        if "line-height" in declared:
            line = _line_height(declared["line-height"], size or 16)
        has_text = (element.text or "").strip() or any((c.tail or "").strip() for c in element)
        if has_text:
            if size is None or not MIN_PX <= size <= MAX_PX:
                found.append(f"<{element.tag}> {element.text_content()[:30]!r}: font size {size}")
            if line is None or line < MIN_LINE_HEIGHT:
                found.append(f"<{element.tag}> {element.text_content()[:30]!r}: line height {line}")
        for child in element:
            if isinstance(child.tag, str):
                walk(child, size, line)

    walk(root, None, None)
    colour = styles(root).get("color", "")
    if not colour or BLACK.search(colour):
        found.append(f"the edition's text colour is {colour!r}")
    return found


def references(root) -> dict[int, str]:
    """The numbered list under 参考链接: number → its line."""
    heads = [e for e in root.iter(etree.Element) if e.text_content().strip() == "参考链接"]
    if not heads:
        return {}
    listed = {}
    for item in heads[-1].itersiblings():
        match = re.match(r"\[(\d+)\]\s*(.*)", item.text_content().strip())
        if match:
            listed[int(match.group(1))] = match.group(2)
    return listed


def _reference_problems(root) -> list[str]:
    marks = [int(m) for sup in root.iter("sup") for m in re.findall(r"\[(\d+)\]", sup.text_content())]
    listed = references(root)
    found = []
    if sorted(set(marks)) != sorted(listed):
        found.append(f"reference marks {sorted(set(marks))} and 参考链接 {sorted(listed)} differ")
    if marks and sorted(set(marks)) != list(range(1, len(set(marks)) + 1)):
        found.append(f"references not numbered 1…n: {marks}")
    return found


# --- text: nothing lost --------------------------------------------------------------------

_BLOCK = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "figcaption", "pre", "dt", "dd",
          "blockquote", "div", "section", "article", "ul", "ol", "table", "tr", "thead", "tbody", "figure"}


def blocks(element) -> list[str]:
    """The text of each block, without the text of blocks inside it, whitespace removed."""
    out: list[str] = []

    def text_of(node) -> str:
        """The node's own and inline text; each block inside it goes to `out` on its own."""
        text = node.text or ""
        for child in node:
            if isinstance(child.tag, str):  # not a comment
                if child.tag in _BLOCK:
                    inner = "".join(text_of(child).split())
                    if inner:
                        out.append(inner)
                else:
                    text += text_of(child)
            text += child.tail or ""
        return text

    top = "".join(text_of(element).split())
    if top:
        out.append(top)
    return out


def page_body(page_html: str):
    """The article of a built page: its title and the editor's text, without the site's
    header line, cover, video player, topics and previous/next links."""
    document = lhtml.fromstring(page_html)
    body = document.xpath("//article[contains(@class,'md-content__inner')]")[0]
    for element in body.xpath(".//*[contains(@class,'qc-meta') or contains(@class,'qc-pager') "
                              "or contains(@class,'qc-cover') or contains(@class,'qc-unpublished') "
                              "or contains(@class,'qc-wechat-offer') or contains(@class,'qc-video')]"):
        # a video is its poster and a link in the edition (tests/test_columns.py)
        element.drop_tree()
    return body


def edition_text(fragment: str) -> str:
    """The edition's text, whitespace removed, without the [n] marks it added."""
    root = parse(fragment)
    for sup in list(root.iter("sup")):
        if re.fullmatch(r"\[\d+\]", sup.text_content().strip()):
            sup.drop_tree()
    return "".join(root.text_content().split())


def lost(page_html: str, fragment: str) -> list[str]:
    """Blocks of the page's text that the edition does not contain."""
    text = edition_text(fragment)
    return [block for block in blocks(page_body(page_html)) if block not in text]
