"""Draw the school's default share-card image, docs/assets/share-card.png (1200×630).

Chat apps and search engines show it beside a link to any page without a cover of its own
(macros/channels/share.py). It is committed, so a build needs no font; run this again only to change
it (needs Debian's fonts-noto-cjk). The school's name is mkdocs.yml's site_name, the line
under it the 承办单位 (extra.filing.organizer); `python -m macros init` draws it too.

    .venv/bin/python tools/share_card.py
"""
from __future__ import annotations

import argparse
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


def _fitted(name: str, text: str, size: int, width: int) -> ImageFont.FreeTypeFont:
    """The face at `size`, or smaller until `text` fits in `width` pixels (a long school name)."""
    face = font(name, size)
    while size > 40 and face.getlength(text) > width:
        size -= 4
        face = font(name, size)
    return face


def draw(title: str = "青川市委党校", subtitle: str | None = "青川行政学院", text: bool = True) -> Image.Image:
    """The card; without `text` only its colours (no font needed: a placeholder)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), RED)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, HEIGHT - 90, WIDTH, HEIGHT), fill=DARK_RED)
    pen.rectangle((100, 150, 112, 400), fill=GOLD)
    if not text:
        return image
    pen.text((150, 140), title, font=_fitted("NotoSerifCJK-Bold.ttc", title, 120, WIDTH - 250), fill=WHITE)
    if subtitle:
        pen.text((154, 300), subtitle, font=_fitted("NotoSansCJK-Regular.ttc", subtitle, 56, WIDTH - 250), fill=GOLD)
    pen.text((100, HEIGHT - 70), "工作动态 · 学习笔记 · 课程目录 · 师资库 · 工作简报",
             font=font("NotoSansCJK-Regular.ttc", 40), fill=WHITE)
    return image


def has_fonts() -> bool:
    return all((FONTS / name).is_file() for name in ("NotoSerifCJK-Bold.ttc", "NotoSansCJK-Regular.ttc"))


def write(target: Path, title: str, subtitle: str | None, text: bool = True) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # few colours: a palette PNG is a tenth of the size of a full-colour one, and looks the same
    draw(title, subtitle, text).quantize(colors=32, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


def school(root: Path = ROOT) -> tuple[str, str | None]:
    """The name and the line under it, from mkdocs.yml: site_name and extra.filing.organizer."""
    if str(ROOT) not in sys.path:  # run as a script (tools/ first on the path) or loaded by `init`
        sys.path.insert(0, str(ROOT))
    from macros.content import config  # the project's one reader of mkdocs.yml

    settings = config.read(root)
    filing = settings.extra.get("filing") or {}
    return settings.site_name, (filing.get("organizer") or None) if hasattr(filing, "get") else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the project (default: this repository)")
    args = parser.parse_args(argv)
    if not has_fonts():
        print("needs the Noto CJK fonts: sudo apt-get install fonts-noto-cjk", file=sys.stderr)
        return 1
    target = args.root / TARGET.relative_to(ROOT)
    write(target, *school(args.root))
    print(f"{target}: {target.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
