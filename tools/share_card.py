"""Draw the school's default share-card image, docs/assets/share-card.png (1200×630).

Chat apps and search engines show it beside a link to any page without a cover of its own
(macros/share.py). It is committed, so a build needs no font; run this again only to change
it (needs Debian's fonts-noto-cjk):

    .venv/bin/python tools/share_card.py
"""
from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "assets" / "share-card.png"
FONTS = Path("/usr/share/fonts/opentype/noto")
WIDTH, HEIGHT = 1200, 630
RED, DARK_RED, GOLD, WHITE = "#b71c1c", "#8e0000", "#f4d27a", "#ffffff"


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    # index 2 of the Noto CJK collections is the Simplified Chinese (SC) face
    return ImageFont.truetype(str(FONTS / name), size, index=2)


def draw() -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), RED)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, HEIGHT - 90, WIDTH, HEIGHT), fill=DARK_RED)
    pen.rectangle((100, 150, 112, 400), fill=GOLD)
    pen.text((150, 140), "青川市委党校", font=font("NotoSerifCJK-Bold.ttc", 120), fill=WHITE)
    pen.text((154, 300), "青川行政学院", font=font("NotoSansCJK-Regular.ttc", 56), fill=GOLD)
    pen.text((100, HEIGHT - 70), "工作动态 · 学习笔记 · 课程目录 · 师资库 · 工作简报",
             font=font("NotoSansCJK-Regular.ttc", 40), fill=WHITE)
    return image


def main() -> int:
    if not FONTS.exists():
        print("needs the Noto CJK fonts: sudo apt-get install fonts-noto-cjk", file=sys.stderr)
        return 1
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    # few colours: a palette PNG is a tenth of the size of a full-colour one, and looks the same
    draw().quantize(colors=32, method=Image.Quantize.MEDIANCUT).save(TARGET, optimize=True)
    print(f"{TARGET.relative_to(ROOT)}: {TARGET.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
