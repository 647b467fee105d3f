"""The Word edition of a bulletin (.docx), for the offices that take bulletins as Word files.

The same text as the printed edition (the built web page's, bulletin_print.Edition) laid out as
offices set 公文 in Word: A4, 天头 37 mm, 订口 28 mm (mirrored margins), a 22 × 28 document grid
(w:docGrid, 579 twips a line, exact line spacing; runs condensed 0.25 pt for 28 a line), East Asian fonts named as
offices have them (仿宋_GB2312 text, 方正小标宋简体 masthead and title, 黑体 一、 headings,
楷体_GB2312 （一） headings and 编者按), each given a free alternative in the font table
(w:altName: FangSong, KaiTi, SimHei, SimSun) for machines without them; the red masthead and
rule; tables as Word tables; 「— n —」 footers, odd pages right and even pages left; the 报尾 as
a table floating at the foot of the last page (w:tblpPr anchored to the margin's bottom).

python-docx (pinned) writes the document; what it has no API for (East Asian fonts, the grid,
borders, fields, floating tables) is written into its XML here.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips
from lxml import html as lhtml
from PIL import Image

from .bulletin_print import Edition

FANG, KAI, HEI, SONG, XBS = "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体"
ALT_NAMES = {FANG: "FangSong", KAI: "KaiTi", HEI: "SimHei", SONG: "SimSun", XBS: "SimSun"}
LATIN = "Times New Roman"
RED = RGBColor(0xE6, 0x00, 0x00)
LINE = Twips(579)  # 225 mm / 22 lines, a little under 28.95 pt so that 22 lines fit (Word templates)
TEXT_WIDTH = Mm(156)
IMPRINT_ROW = 454  # twips (8 mm): a 报尾 row of 14 pt
# 148 mm, not the type area's 156: LibreOffice 7.4 floats a table only if it is narrower than the
# text by some margin (8,600 twips stayed in the text, 8,400 floated: measured with soffice)
IMPRINT_WIDTH = 8400


def _child(parent, tag: str, first: bool = False):
    """The element's child `tag`, added (first, or last) when it has none."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        if first:
            parent.insert(0, child)
        else:
            parent.append(child)
    return child


def _fonts(run, east_asian: str, size: float | None = None, color: RGBColor | None = None) -> None:
    run.font.name = LATIN
    rpr = run._element.get_or_add_rPr()
    fonts = _child(rpr, "w:rFonts", first=True)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")
    if size:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    if size == 16:  # 28 characters of 16 pt in 156 mm: each 0.25 pt condensed (15.75 × 28 = 441 pt)
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), "-5")
        rpr = run._element.get_or_add_rPr()
        rpr.insert(list(rpr).index(rpr.find(qn("w:sz"))), spacing)


def _paragraph(doc, text: str = "", font: str = FANG, size: float = 16, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
               indent: bool = True, color=None, exact: bool = True):
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if exact:
        fmt.line_spacing = LINE
    if indent:
        ind = fmt.element.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), "200")
        ind.set(qn("w:firstLine"), "640")
    if text:
        _fonts(paragraph.add_run(text), font, size, color)
    return paragraph


def _border(paragraph, side: str, size_eighths: int, color: str = "000000") -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = _child(ppr, "w:pBdr")
    edge = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", str(size_eighths)), ("space", "1"), ("color", color)):
        edge.set(qn(f"w:{key}"), value)
    borders.append(edge)


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(21)  # 「— n —」's dashes about 7 mm under the type area
    section.header_distance = Mm(15)
    sect = section._sectPr
    grid = _child(sect, "w:docGrid")
    # 22 lines on a line grid. Not a character grid (linesAndChars, charSpace -848 for 15.79 pt
    # cells): LibreOffice puts a 16 pt character into two cells narrower than itself, 14 to a line.
    # The 28 characters come from the runs instead, 0.25 pt condensed (_fonts), as Word templates do.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), "579")
    settings = doc.settings.element
    settings.append(OxmlElement("w:mirrorMargins"))  # 订口 on the right of even pages
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.left_indent = fmt.right_indent = Pt(14)  # 1 字 from the edge of the type area
        _fonts(paragraph.add_run("— "), SONG, 14)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = paragraph.add_run("1")
        _fonts(run, SONG, 14)
        paragraph._p.remove(run._r)
        field.append(run._r)
        paragraph._p.append(field)
        _fonts(paragraph.add_run(" —"), SONG, 14)


def _defaults(doc) -> None:
    """Chinese, not the template's Japanese, and 仿宋 16 pt everywhere by default."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    for key, value in (("ascii", LATIN), ("hAnsi", LATIN), ("eastAsia", FANG), ("cs", LATIN)):
        fonts.set(qn(f"w:{key}"), value)
    lang = _child(rpr, "w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    for tag in ("w:sz", "w:szCs"):  # the grid's character pitch is reckoned from the default size
        size = _child(rpr, tag)
        size.set(qn("w:val"), "32")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    normal.font.name = LATIN
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANG)


def _font_table(path: Path) -> None:
    """Declare the offices' fonts with a free alternative each (w:altName), after saving."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    table = parts["word/fontTable.xml"].decode("utf-8")
    entries = "".join(f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
                      f'<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
                      for name, alt in ALT_NAMES.items())
    parts["word/fontTable.xml"] = table.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def _masthead(doc, edition: Edition) -> None:
    imprint = edition.imprint
    _paragraph(doc, exact=True, indent=False)
    name = _paragraph(doc, imprint.name, XBS, 42, WD_ALIGN_PARAGRAPH.CENTER, indent=False, color=RED, exact=False)
    name.paragraph_format.space_before = Pt(12)
    name.paragraph_format.space_after = Pt(12)
    _paragraph(doc, imprint.issue_line, FANG, 16, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(doc, indent=False)
    byline = _paragraph(doc, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT)
    byline.paragraph_format.left_indent = byline.paragraph_format.right_indent = Pt(8)
    byline.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH - Pt(16), alignment=2)  # right tab
    _fonts(byline.add_run(f"{imprint.issuer}\t{imprint.date}"), FANG, 16)
    _border(byline, "bottom", 12, "E60000")  # the red rule, 0.5 mm (1.5 pt)
    _paragraph(doc, indent=False)


def _image(doc, element, folder: Path) -> None:
    """A picture of the page (PNG, JPEG, GIF under site/) as wide as it is or the type area; any
    other (SVG, WebP, another host) as a line that names it."""
    source = urlsplit(element.get("src") or "")
    path = (folder / unquote(source.path)).resolve() if not source.scheme and not source.netloc else None
    site = folder.resolve().parents[1]  # site/bulletins/<slug>/ → site/
    if path and path.is_file() and path.is_relative_to(site) and path.suffix.lower() in (".png", ".jpg", ".jpeg", ".gif"):
        picture = _paragraph(doc, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False)
        with Image.open(path) as opened:
            width = min(TEXT_WIDTH, Mm(opened.width * 25.4 / 96))
        picture.add_run().add_picture(str(path), width=width)
    else:
        name = element.get("alt") or "图"
        _paragraph(doc, f"（图：{name}，见网页版）", FANG, 16, WD_ALIGN_PARAGRAPH.CENTER, indent=False)


def _png_width(data: bytes) -> int:
    return struct.unpack(">I", data[16:20])[0]  # the IHDR chunk's width


def _inline_text(element) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def _cell_margins(table) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), "62")  # 1.1 mm
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    (look.addprevious if look is not None else table._tbl.tblPr.append)(margins)


def _table(doc, element) -> None:
    rows = element.xpath(".//tr")
    width = max((sum(int(c.get("colspan", 1)) for c in r.xpath("./th|./td")) for r in rows), default=0)
    if not rows or not width:
        return
    table = doc.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # Column widths (in 11 pt characters, a digit 0.7 of one in the widest Latin stand-in): a column of short cells (figures, dates
    # of a line) gets what its longest cell needs, unbroken; the others share the rest of the
    # type area by their longest cell, up to 14 characters each
    longest = [1.0] * width
    for row in rows:
        for index, cell in enumerate(row.xpath("./th|./td")[:width]):
            text = _inline_text(cell)
            longest[index] = max(longest[index], sum(0.7 if ord(c) < 0x2000 else 1 for c in text))
    char, margin = Pt(11), Mm(2.2)  # a character; the cell's margins, 1.1 mm a side (_cell_margins)
    natural = [int(n * char + margin) for n in longest]
    short = [n <= 5.6 for n in longest]
    rest = TEXT_WIDTH - sum(w for w, s in zip(natural, short) if s)
    shared = [min(14.0, n) for n, s in zip(longest, short) if not s]
    widths = [w if s else 0 for w, s in zip(natural, short)]
    if shared and rest > 0:
        widths = [w if s else int(rest * min(14.0, n) / sum(shared)) for w, n, s in zip(widths, longest, short)]
    else:  # short columns only, or too many: all by their share
        widths = [int(TEXT_WIDTH * n / sum(natural)) for n in natural]
    _cell_margins(table)
    for index, column in enumerate(table.columns):
        column.width = widths[index]
    for row in rows:
        cells = table.add_row().cells
        for index, cell in enumerate(cells):
            cell.width = widths[index]
        for index, cell in enumerate(row.xpath("./th|./td")[:width]):
            paragraph = cells[index].paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            snap = OxmlElement("w:snapToGrid")  # a table's 11 pt lines are not on the text's grid
            snap.set(qn("w:val"), "0")
            paragraph._p.get_or_add_pPr().insert(0, snap)
            if cell.get("align") == "right" or "right" in (cell.get("style") or ""):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _fonts(paragraph.add_run(_inline_text(cell)), HEI if cell.tag == "th" else FANG, 11)
    _paragraph(doc, indent=False, exact=False).paragraph_format.line_spacing = Pt(6)


def _blocks(doc, parent, figures, folder: Path) -> None:
    """The web page's blocks as Word paragraphs and tables; `figures`: an iterator of PNG images
    of the figures, in order (empty when no browser printed them); `folder`: the built page's, to
    which its images' addresses are relative."""
    for element in parent:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "h1":
            _paragraph(doc, _inline_text(element), XBS, 22, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
            _paragraph(doc, indent=False)
        elif tag == "h2":
            _paragraph(doc, _inline_text(element), HEI, 16).paragraph_format.keep_with_next = True
        elif tag == "h3":
            _paragraph(doc, _inline_text(element), KAI, 16).paragraph_format.keep_with_next = True
        elif tag in ("h4", "h5", "h6"):
            _paragraph(doc, _inline_text(element), FANG, 16)
        elif tag == "p" and "qc-note" in (element.get("class") or ""):
            paragraph = _paragraph(doc)
            label = element.find("b")
            _fonts(paragraph.add_run("编者按："), HEI, 16)
            _fonts(paragraph.add_run((label.tail or "").strip() if label is not None else _inline_text(element)), KAI, 16)
        elif tag in ("p", "li", "dt", "dd", "blockquote", "pre") and element.xpath(".//img"):
            if _inline_text(element):
                _paragraph(doc, _inline_text(element))
            for image in element.xpath(".//img"):
                _image(doc, image, folder)
        elif tag == "img":
            _image(doc, element, folder)
        elif tag in ("p", "li", "dt", "dd", "blockquote", "pre"):
            if element.xpath("./ul|./ol|./p"):
                first = (element.text or "").strip()
                if first:
                    _paragraph(doc, first)
                _blocks(doc, element, figures, folder)
            elif _inline_text(element):
                _paragraph(doc, _inline_text(element))
        elif tag in ("ul", "ol", "div", "section", "main", "dl"):
            _blocks(doc, element, figures, folder)
        elif tag == "table":
            _table(doc, element)
        elif tag == "figure":
            caption = element.find("figcaption")
            text = _inline_text(caption) if caption is not None else "图"
            image = next(figures, None)
            if image is None:  # a Word edition made without the browser (make docx)
                _paragraph(doc, f"（图：{text}，见网页版）", FANG, 16, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
            else:  # the printed figure, caption included, as wide as the type area at most
                picture = _paragraph(doc, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False)
                width = min(TEXT_WIDTH, Mm(156 * _png_width(image) / (590 * 2)))
                picture.add_run().add_picture(io.BytesIO(image), width=width)
            for table in element.xpath(".//table"):
                _table(doc, table)
        elif tag == "hr":
            _paragraph(doc, indent=False)


def _imprint(doc, edition: Edition) -> None:
    """The 报尾: a table floating at the foot of the last page, its last rule on the type area's bottom."""
    imprint = edition.imprint
    rows = [f"{label}：{'，'.join(names)}。" for label, names in
            (("报", imprint.report_to), ("送", imprint.copy_to), ("发", imprint.issue_to)) if names]
    rows.append(f"共印{imprint.copies}份" if imprint.copies else f"{imprint.issuer} {imprint.date}印发")
    table = doc.add_table(rows=len(rows), cols=1)
    tbl_pr = table._tbl.tblPr
    # floating, its rows of a fixed height, its top so far below the type area's top that its last
    # rule is the type area's bottom (tblpY: LibreOffice ignores tblpYSpec="bottom")
    position = OxmlElement("w:tblpPr")
    top = int(Mm(225).twips) - len(rows) * IMPRINT_ROW
    for key, value in (("vertAnchor", "margin"), ("horzAnchor", "margin"), ("tblpY", str(top)),
                       ("tblpXSpec", "center")):
        position.set(qn(f"w:{key}"), value)
    style = tbl_pr.find(qn("w:tblStyle"))
    tbl_pr.insert(1 if style is not None else 0, position)  # schema order: tblStyle, tblpPr, …, tblW
    width = tbl_pr.find(qn("w:tblW"))
    width.set(qn("w:w"), str(IMPRINT_WIDTH))
    width.set(qn("w:type"), "dxa")
    borders = OxmlElement("w:tblBorders")
    for side, size in (("top", 8), ("left", 0), ("bottom", 8), ("right", 0), ("insideH", 6), ("insideV", 0)):
        edge = OxmlElement(f"w:{side}")
        if size:
            for key, value in (("val", "single"), ("sz", str(size)), ("space", "0"), ("color", "000000")):
                edge.set(qn(f"w:{key}"), value)
        else:
            edge.set(qn("w:val"), "nil")
        borders.append(edge)
    width.addnext(borders)  # after tblW (and jc), before tblLook
    table.columns[0].width = Twips(IMPRINT_WIDTH)
    for index, text in enumerate(rows):
        table.rows[index].height = Twips(IMPRINT_ROW)
        table.rows[index].height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
        cell = table.rows[index].cells[0]
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        cell.width = Twips(IMPRINT_WIDTH)
        paragraph = cell.paragraphs[0]
        fmt = paragraph.paragraph_format
        fmt.left_indent = fmt.right_indent = Pt(14)
        fmt.space_before = fmt.space_after = Pt(0)
        if index == len(rows) - 1:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _fonts(paragraph.add_run(text), FANG, 14)
    _paragraph(doc, indent=False)  # a document ends with a paragraph (Word repairs one that does not)


def document(edition: Edition):
    doc = Document()
    _defaults(doc)
    _page_setup(doc)
    core = doc.core_properties
    core.title = f"{edition.imprint.name} {edition.imprint.issue_line} {edition.record.title}"
    core.author = edition.imprint.issuer
    core.language = "zh-CN"
    body = doc.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)  # the template's empty first paragraph
    _masthead(doc, edition)
    _blocks(doc, lhtml.fragment_fromstring(edition.body, create_parent="div"), iter(edition.figures), edition.page.parent)
    _imprint(doc, edition)
    return doc


def write(edition: Edition, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{edition.record.slug}.docx"
    document(edition).save(target)
    _font_table(target)
    return target

