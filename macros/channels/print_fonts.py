"""The printed bulletin's fonts: free stand-ins for 仿宋, 楷体, 黑体, 宋体 and 小标宋, subset to the
characters printed and converted to TrueType outlines.

Why: every free CJK font Debian ships in the styles offices use (FandolFang, FandolKai, Noto CJK)
has CFF outlines, and Chromium's PDF writer (Skia) embeds CFF fonts as nameless Type 3 fonts;
TrueType outlines it embeds as named CID TrueType subsets, whose glyphs and cmap tools can check.
fontTools (pinned) subsets a font to the few hundred characters of the bulletins and turns its
cubic outlines into quadratic ones (cu2qu; the recipe of fontTools' `otf2ttf` snippet), about a
second per font. The subset's cmap is also the coverage check: a character the font lacks is
reported, not silently drawn in another font.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

NOTO = Path("/usr/share/fonts/opentype/noto")
FANDOL = Path("/usr/local/share/fonts/fandol")


@dataclass(frozen=True)
class Face:
    family: str  # the name the print stylesheet uses
    file: Path
    index: int  # in a .ttc collection
    role: str  # in Chinese, for messages


FACES = (
    Face("qc-fang", FANDOL / "FandolFang-Regular.otf", 0, "仿宋（正文）"),
    Face("qc-kai", FANDOL / "FandolKai-Regular.otf", 0, "楷体（编者按、（一）级标题）"),
    Face("qc-hei", NOTO / "NotoSansCJK-Regular.ttc", 2, "黑体（一、级标题、表头）"),
    Face("qc-song", NOTO / "NotoSerifCJK-Regular.ttc", 2, "宋体（页码、图表）"),
    Face("qc-xbs", NOTO / "NotoSerifCJK-Bold.ttc", 2, "小标宋（报头、标题）"),
)


# the fonts offices have, as the Word edition names them → the free font that stands in for each
# (LibreOffice renders the .docx with them through fontconfig; install-browser.sh installs the same
# aliases machine-wide)
OFFICE_NAMES = {
    "仿宋_GB2312": "FandolFang", "仿宋": "FandolFang", "FangSong": "FandolFang",
    "楷体_GB2312": "FandolKai", "楷体": "FandolKai", "KaiTi": "FandolKai",
    "黑体": "Noto Sans CJK SC", "SimHei": "Noto Sans CJK SC",
    "宋体": "Noto Serif CJK SC", "SimSun": "Noto Serif CJK SC", "方正小标宋简体": "Noto Serif CJK SC",
}


class FontMissing(Exception):
    """A font file is not installed (sudo make browser installs them)."""


def _quadratic(font: TTFont) -> None:
    """CFF → glyf in place (fontTools Snippets/otf2ttf.py)."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    quad = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        quad[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = quad
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for key in ("maxZones",):
        setattr(maxp, key, 1)
    for key in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, key, 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0
    post.extraNames, post.mapping = [], {}
    font.sfntVersion = "\x00\x01\x00\x00"


def characters(text: str) -> set[str]:
    return {c for c in text if not c.isspace()}


def build(face: Face, text: str, target: Path) -> set[str]:
    """Write the subset of `face` for `text` to `target` (.ttf); return the characters it lacks."""
    if not face.file.is_file():
        raise FontMissing(f"没有找到{face.role}字体 {face.file}：请先运行 sudo make browser")
    font = TTFont(face.file, fontNumber=face.index, lazy=False)
    cmap = font.getBestCmap()
    wanted = characters(text)
    missing = {c for c in wanted if ord(c) not in cmap}
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in wanted - missing] + [0x20])
    subsetter.subset(font)
    if "CFF " in font:
        _quadratic(font)
    for record in font["name"].names:  # its family is the stylesheet's name (the PostScript name stays)
        if record.nameID in (1, 4, 16):
            record.string = face.family
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)
    return missing


def fontconfig(folder: Path) -> Path:
    """A fontconfig file adding `folder` to the system's fonts: Chromium draws the page-number
    margin boxes with system fonts only (they ignore @font-face), so the subsets are installed
    for the printing browser alone (FONTCONFIG_FILE)."""
    conf = folder / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                    f"<dir>{folder.resolve()}</dir>\n<cachedir>{(folder / 'cache').resolve()}</cachedir>\n"
                    + "".join(f"<alias binding=\"same\"><family>{name}</family><prefer><family>{free}</family></prefer></alias>\n"
                              for name, free in OFFICE_NAMES.items())
                    + "</fontconfig>\n", encoding="utf-8")
    return conf


def cmap_of(path: Path) -> set[int]:
    return set(TTFont(path).getBestCmap())
