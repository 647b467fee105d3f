"""make pdf: the printed 简报 and the Word edition of a fixture bulletin, read back and measured.

One build of `small` with the bulletin of tests/fixtures/print/ (a wide table, a chart wider than a
page, a 编者按, more than a page of text), one run of tools/pdf.py (both editions, put into the
site), one LibreOffice conversion of the .docx. What is measured is the GB/T 9704 page set-up
offices reuse for bulletins: A4; type area 156 × 225 mm at 37 mm from the top and 28 mm from the
binding edge (mirrored on even pages); 22 lines a full page; 「— n —」 7 mm under the type area,
odd pages right, even pages left; a red masthead and rule; the 报尾 ending on the type area's bottom.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import html as lhtml
from PIL import Image

from conftest import FIXTURES, ROOT, copy_project

pytestmark = [pytest.mark.build, pytest.mark.browser]

PRINT = FIXTURES / "print"
MM = 72 / 25.4
TOP, BOTTOM = 37.0, 37.0 + 225.0  # the type area, mm from the top of the page
LEFT = {1: 28.0, 0: 26.0}  # by page parity: odd pages bind on the left, even pages on the right
WIDTH = 156.0
NUMBER = re.compile(r"\d+(?:[.,]\d+)*%?")
FONTS = {"FandolFang-Regular", "FandolKai-Regular", "NotoSansCJKsc-Regular", "NotoSerifCJKsc-Regular",
         "NotoSerifCJKsc-Bold"}


def _run(*command: str, env: dict | None = None, cwd: Path | None = None) -> str:
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, cwd=cwd)
    assert result.returncode == 0, (command, result.stdout[-2000:], result.stderr[-2000:])
    return result.stdout


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    for tool in ("chromium", "pdftotext", "soffice"):
        assert shutil.which(tool), f"{tool} is needed: sudo make browser (tools/install-browser.sh)"
    work = tmp_path_factory.mktemp("print")
    project = copy_project(FIXTURES / "small", work / "small")
    project.write("docs/bulletins/b2.md", (PRINT / "b2.md").read_text(encoding="utf-8"))
    shutil.copyfile(PRINT / "photo.png", project.path("docs/bulletins/photo.png"))
    project.edit("mkdocs.yml", "extra:\n", "extra:\n" + (PRINT / "extra.yml").read_text(encoding="utf-8"))
    built = project.build()
    assert built.returncode == 0, built.stderr[-3000:]
    out = work / "out"
    project.run(str(ROOT / "tools/pdf.py"), "site", str(out), "--into-site")
    assert (out / "b2.pdf").is_file() and (out / "b2.docx").is_file(), sorted(os.listdir(out))
    # LibreOffice renders the .docx with the free stand-ins of the fonts it names
    from macros.channels import print_fonts
    fonts = work / "fonts"
    fonts.mkdir()
    env = {**os.environ, "FONTCONFIG_FILE": str(print_fonts.fontconfig(fonts)), "HOME": str(work)}
    _run("soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work / "lo"), str(out / "b2.docx"), env=env)
    project.out, project.lo = out, work / "lo" / "b2.pdf"
    return project


def _pages(pdf: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(pdf))).group(1))


def _words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(x0, y0, x1, y1) in mm from the page's top left, and the text, of each word on a page."""
    xml = _run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-")
    return [(float(a) / MM, float(b) / MM, float(c) / MM, float(d) / MM, lhtml.fromstring(t).text_content() if "&" in t else t)
            for a, b, c, d, t in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xml)]


def _text(pdf: Path) -> str:
    return _run("pdftotext", "-layout", str(pdf), "-")


def _bulletin_html(printed) -> lhtml.HtmlElement:
    page = lhtml.parse(str(printed.path("site/bulletins/b2/index.html"))).getroot()
    body = page.xpath('//div[@class="qc-bulletin"]')[0]
    for links in body.xpath('.//p[@class="qc-editions"]'):
        links.drop_tree()
    return body


def _numbers(text: str) -> Counter:
    return Counter(NUMBER.findall(text))


def _between(text: str, start: str, end: str) -> str:
    """The text from the title to the 报尾, page numbers taken out (LibreOffice's PDF spaces
    Chinese from digits: 2023 年)."""
    text = re.sub(r"—\s*\d+\s*—", "", text)
    first = re.search(r"\s*".join(map(re.escape, start)), text)
    assert first, start
    return text[first.start():text.index(end)]


# --- the PDF --------------------------------------------------------------------------------

def test_pdf_is_a4_with_every_font_embedded_as_truetype(printed):
    pdf = printed.out / "b2.pdf"
    info = _run("pdfinfo", str(pdf))
    assert "Page size:       594.96 x 841.92 pts (A4)" in info
    fonts = _run("pdffonts", str(pdf)).splitlines()[2:]
    names = {line.split()[0].split("+", 1)[1] for line in fonts}
    # no Type 3 (Chromium's way with CFF fonts), no font drawn in place of one that lacked a glyph
    assert all(" CID TrueType " in line and line.split()[-5:-2] == ["yes", "yes", "yes"] for line in fonts), fonts
    assert names == FONTS, names


def test_pdf_keeps_every_character_and_figure_of_the_web_page(printed):
    html = _bulletin_html(printed).text_content()
    pdf = _text(printed.out / "b2.pdf")
    flat = re.sub(r"—\d+—", "", re.sub(r"\s+", "", pdf))  # page numbers out: a paragraph may go on overleaf
    body = _between(pdf, "2023年全年工作简报", "报：")
    assert _numbers(body) == _numbers(html), (_numbers(body) - _numbers(html), _numbers(html) - _numbers(body))
    assert _numbers(html)["250"] == 1 and _numbers(html)["12"] >= 1  # a figure computed, a chart's label
    # every character of the web page's text, in order of paragraphs, is in the print
    for paragraph in _bulletin_html(printed).xpath(".//p|.//h2|.//h3"):
        assert re.sub(r"\s+", "", paragraph.text_content()) in flat, paragraph.text_content()


def test_pdf_masthead_note_and_imprint(printed):
    pdf = printed.out / "b2.pdf"
    flat = re.sub(r"\s+", "", _text(pdf))
    for expected in ("测试学校工作简报", "第1期（总第2期）", "测试学校办公室", "2024年1月15日",
                     "编者按：本期汇总全年培训", "报：测试市委办公室，测试市委组织部。", "送：测试市委宣传部。",
                     "发：各处室，各教研室。", "共印25份"):  # 发 and 共印 from the bulletin's front matter
        assert expected in flat, expected
    first = _words(pdf, 1)
    name = [w for w in first if w[4].startswith("测试学校工作简报")][0]
    assert abs((name[0] + name[2]) / 2 - (LEFT[1] + WIDTH / 2)) < 2  # centred in the type area
    issuer = [w for w in first if w[4] == "测试学校办公室"][0]
    date = [w for w in first if w[4] == "2024年1月15日"][0]
    assert abs(issuer[1] - date[1]) < 0.5 and issuer[0] < LEFT[1] + 20 and date[2] > LEFT[1] + WIDTH - 20
    assert flat.index("共印25份") > flat.index("下一步打算")  # the 报尾 after the text


def test_pdf_type_area_page_numbers_and_lines(printed):
    pdf = printed.out / "b2.pdf"
    pages = _pages(pdf)
    assert pages >= 3
    full_pages = 0
    for page in range(1, pages + 1):
        words = _words(pdf, page)
        left = LEFT[page % 2]
        inside = [w for w in words if w[1] < BOTTOM]
        number = [w for w in words if w[1] >= BOTTOM]
        # everything printed within the type area (a glyph's box may stand 0.5 mm over its line)
        assert all(w[0] >= left - 0.5 and w[2] <= left + WIDTH + 0.5 and w[1] >= TOP - 0.5 for w in inside), \
            [w for w in inside if not (w[0] >= left - 0.5 and w[2] <= left + WIDTH + 0.5)]
        # 「— n —」: odd pages at the right edge of the type area, even pages at the left, 1 字 in
        assert "".join(w[4] for w in number) == f"—{page}—", number
        if page % 2:
            assert left + WIDTH - 5.5 - 15 < number[0][0] and number[-1][2] < left + WIDTH - 4.5
        else:
            assert left + 4.5 < number[0][0] and number[-1][2] < left + 5.5 + 15
        # a page of text only (16 pt lines one after another, no table or picture between them,
        # not the first page, not the last): 22 lines
        heights = {round(w[3] - w[1], 1) for w in inside}
        tops = sorted({round(w[1]) for w in inside})
        if 1 < page < pages and all(h > 5 for h in heights) and tops[0] < TOP + 3 and \
                all(b - a < 14 for a, b in zip(tops, tops[1:])):  # (a heading's glyph box stands higher)
            assert len(tops) == 22, (page, tops)
            full_pages += 1
    assert full_pages >= 1  # the fixture has a page of text only


def _image(pdf: Path, page: int, dpi: int, folder: Path) -> Image.Image:
    stem = folder / f"{pdf.stem}-{page}-{dpi}"
    _run("pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", "-png", str(pdf), str(stem))
    return Image.open(f"{stem}.png").convert("RGB")


def test_pdf_ink_stays_in_the_type_area_and_the_rules_are_where_they_belong(printed, tmp_path):
    pdf = printed.out / "b2.pdf"
    dpi = 100
    px = dpi / 25.4
    pages = _pages(pdf)
    for page in range(1, pages + 1):
        image = _image(pdf, page, dpi, tmp_path)
        dark = [(x, y) for x in range(image.width) for y in range(0, image.height, 2)
                if sum(image.getpixel((x, y))) < 600]
        left = LEFT[page % 2]
        xs = [x / px for x, y in dark if y / px < BOTTOM + 1]
        ys = [y / px for x, y in dark]
        # the wide table and the 900 px chart too: nothing outside the type area but the page number
        assert left - 1 <= min(xs) and max(xs) <= left + WIDTH + 1, (page, min(xs), max(xs))
        assert TOP - 1 <= min(ys) and max(ys) <= BOTTOM + 7 + 6, (page, min(ys), max(ys))
        below = [(x / px, y / px) for x, y in dark if y / px > BOTTOM + 1]
        start = min(x for x, y in below)  # the first dash of 「— n —」: 7 mm under the type area
        dash = [y for x, y in below if x < start + 2.5]
        assert 6.5 <= min(dash) - BOTTOM <= 7.5, (page, min(dash) - BOTTOM)
    first = _image(pdf, 1, dpi, tmp_path)
    red_rows = {}
    for y in range(first.height):
        reds = sum(1 for x in range(first.width) if (lambda p: p[0] > 180 and p[1] < 90 and p[2] < 90)(first.getpixel((x, y))))
        if reds:
            red_rows[y / px] = reds / px
    rule = [y for y, width in red_rows.items() if width > WIDTH - 2]
    assert rule, "no red rule as wide as the type area"
    assert any(width > 30 and y < rule[0] for y, width in red_rows.items()), "no red masthead above the rule"
    last = _image(pdf, pages, 300, tmp_path)
    px = 300 / 25.4
    column = [y / px for y in range(last.height) if sum(last.getpixel((int((LEFT[pages % 2] + 100) * px), y))) < 300]
    assert column and abs(max(column) - BOTTOM) < 0.6, max(column)  # the 报尾's last rule on the bottom edge


def test_a_character_the_fangsong_lacks_is_said_and_one_no_font_has_stops_the_print(printed):
    from macros.channels import bulletin_print

    edition = bulletin_print.editions(printed.root, printed.load(), printed.path("site"))[0]
    edition.body += "<p>授课教师王喆。</p>"
    said = []
    fonts = bulletin_print.fonts_for([edition], printed.root / "fonts-test", warn=said.append)
    assert said == ["注意：仿宋（正文）字体 FandolFang-Regular.otf 没有这些字，印发版里用宋体印出：喆"]
    assert set(fonts) == {"qc-fang", "qc-kai", "qc-hei", "qc-song", "qc-xbs"}
    edition.body += "<p>\U0001F004</p>"  # 🀄: in none of the fonts
    with pytest.raises(SystemExit, match="字体中没有的字：\U0001F004"):
        bulletin_print.fonts_for([edition], printed.root / "fonts-test", warn=said.append)


def test_the_page_links_its_printed_editions(printed):
    folder = printed.path("site/bulletins/b2")
    links = lhtml.parse(str(folder / "index.html")).getroot().xpath('//p[@class="qc-editions"]//a/@href')
    assert links == ["b2.pdf", "b2.docx"]
    assert (folder / "b2.pdf").read_bytes() == (printed.out / "b2.pdf").read_bytes()
    import gzip
    assert b'class="qc-editions"' in gzip.decompress((folder / "index.html.gz").read_bytes())


# --- the Word edition -----------------------------------------------------------------------

def _docx_xml(printed, part: str) -> str:
    with zipfile.ZipFile(printed.out / "b2.docx") as docx:
        return docx.read(part).decode("utf-8")


def _docx_paragraphs(printed) -> list[str]:
    from docx import Document
    from docx.oxml.ns import qn

    body = Document(str(printed.out / "b2.docx")).element.body
    return ["".join("\t" if t.tag == qn("w:tab") else t.text or "" for t in p.iter(qn("w:t"), qn("w:tab")))
            for p in body.iter(qn("w:p"))]


def test_docx_page_set_up_fonts_and_parts(printed):
    document = _docx_xml(printed, "word/document.xml")
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in document  # A4
    margins = re.search(r"<w:pgMar [^>]*/>", document).group(0)
    for key, twips in (("top", 2098), ("left", 1587), ("bottom", 1984), ("right", 1474)):  # 37, 28, 35, 26 mm
        assert abs(int(re.search(rf'w:{key}="(\d+)"', margins).group(1)) - twips) <= 1, margins
    assert re.search(r'<w:docGrid [^>]*w:linePitch="579"', document)
    assert "<w:mirrorMargins/>" in _docx_xml(printed, "word/settings.xml")
    assert "<w:evenAndOddHeaders/>" in _docx_xml(printed, "word/settings.xml")
    styles = _docx_xml(printed, "word/styles.xml")
    assert 'w:eastAsia="仿宋_GB2312"' in styles and 'w:eastAsia="zh-CN"' in styles
    fonts = re.findall(r'w:eastAsia="([^"]+)"[^>]*/>(?:<[^>]+>)*?<w:t[^>]*>([^<]+)</w:t>', document)
    by_text = {text: font for font, text in fonts}
    assert by_text["测试学校工作简报"] == "方正小标宋简体" and by_text["2023年全年工作简报"] == "方正小标宋简体"
    assert by_text["一、教学培训"] == "黑体" and by_text["（一）主体班次"] == "楷体_GB2312"
    assert re.search(r'<w:color w:val="E60000"/>(?:<[^>]+>)*<w:t>测试学校工作简报', document)
    assert 'w:color="E60000"' in document  # the red rule
    assert document.count("<w:tbl>") == 2  # the wide table as a Word table, and the 报尾
    table = document[document.index("<w:tbl>"):document.index("</w:tbl>")]
    assert table.count("<w:tr>") + table.count("<w:tr ") == 4 and "承办部门和联系人" in table
    for footer in ("word/footer1.xml", "word/footer2.xml"):
        assert 'w:instr="PAGE"' in _docx_xml(printed, footer)
    with zipfile.ZipFile(printed.out / "b2.docx") as docx:  # the chart as the print drew it, and the photo
        pictures = [docx.read(n) for n in docx.namelist() if n.startswith("word/media/") and n.endswith(".png")]
    assert len(pictures) == 2 and (PRINT / "photo.png").read_bytes() in pictures
    fonts_table = _docx_xml(printed, "word/fontTable.xml")
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="FangSong"/>' in fonts_table


def test_docx_has_the_web_pages_figures_and_the_imprint(printed):
    paragraphs = _docx_paragraphs(printed)
    text = "\n".join(paragraphs)
    html = _bulletin_html(printed)
    for figure in html.xpath(".//figure"):  # a chart is a picture in Word: its labels are not text
        figure.drop_tree()
    body = _between(text, "2023年全年工作简报", "报：")
    assert _numbers(body) == _numbers(html.text_content()), \
        (_numbers(body) - _numbers(html.text_content()), _numbers(html.text_content()) - _numbers(body))
    for expected in ("测试学校工作简报", "第1期（总第2期）", "测试学校办公室\t2024年1月15日", "编者按：本期汇总",
                     "报：测试市委办公室，测试市委组织部。", "发：各处室，各教研室。", "共印25份"):
        assert expected in text, expected


def test_libreoffice_renders_the_docx(printed):
    pdf = printed.lo
    assert "(A4)" in _run("pdfinfo", str(pdf))
    fonts = _run("pdffonts", str(pdf))
    assert "FandolFang" in fonts  # 仿宋_GB2312 stood in for by the free 仿宋
    text = _text(pdf)
    body = _between(text, "2023年全年工作简报", "报：")
    docx_body = _between("\n".join(_docx_paragraphs(printed)), "2023年全年工作简报", "报：")
    assert _numbers(body) == _numbers(docx_body), (_numbers(body) - _numbers(docx_body), _numbers(docx_body) - _numbers(body))
    pages = _pages(pdf)
    last = _words(pdf, pages)
    imprint = [w for w in last if w[4].startswith("共印")]
    assert imprint and BOTTOM - 9 < imprint[0][3] <= BOTTOM, imprint  # the 报尾 at the foot of the last page
    # the text's lines 579 twips apart (225 mm / 22 = 10.23 mm, a little under): 22 to a page
    words = {page: [w for w in _words(pdf, page) if w[1] < BOTTOM] for page in range(1, pages + 1)}
    body = next(round(w[3] - w[1], 2) for page in words.values() for w in page if w[4].startswith("一年来"))
    pitches = []
    for page in words.values():  # lines of the text's font and size (its glyph box), one after another
        tops = sorted({round(w[1], 2) for w in page if round(w[3] - w[1], 2) == body and "\u4e00" <= w[4][0] <= "\u9fff"})
        pitches += [b - a for a, b in zip(tops, tops[1:]) if b - a < 11]
    # (a line with figures in it sits up to 0.3 mm off its place on the grid in LibreOffice)
    pitch = sorted(pitches)[len(pitches) // 2]
    assert len(pitches) > 20 and abs(pitch - 579 / 20 / MM) < 0.05 and all(abs(p - pitch) < 0.4 for p in pitches), pitches
    assert int(225 / (579 / 20 / MM)) == 22
    if sys.platform == "linux":
        assert re.search(r"—\s*2\s*—", text)
