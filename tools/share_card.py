"""Draw the school's default share-card image, docs/assets/share-card.png (1200×630), with
the school's name (mkdocs.yml site_name) and its second name (extra.filing.organizer, if any).

Chat apps and search engines show it beside a link to any page without a cover of its own
(macros/share.py). It is committed, so a build needs no font; run this again only to change
it (needs Debian's fonts-noto-cjk):

    .venv/bin/python tools/share_card.py [--root PROJECT]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
TARGET = Path("docs") / "assets" / "share-card.png"  # in the project
FONTS = Path("/usr/share/fonts/opentype/noto")
WIDTH, HEIGHT = 1200, 630
RED, DARK_RED, GOLD, WHITE = "#b71c1c", "#8e0000", "#f4d27a", "#ffffff"


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    # index 2 of the Noto CJK collections is the Simplified Chinese (SC) face
    return ImageFont.truetype(str(FONTS / name), size, index=2)


class _Config(yaml.SafeLoader):
    """mkdocs.yml, its !!python tags (the slugify of toc) read as nothing."""


_Config.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def names(project: Path) -> tuple[str, str]:
    """The school's name and its second name (承办单位), from the project's mkdocs.yml."""
    config = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Config) or {}
    filing = (config.get("extra") or {}).get("filing") or {}
    return str(config.get("site_name", "")), str(filing.get("organizer") or "")


def draw(name: str, second: str = "") -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), RED)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, HEIGHT - 90, WIDTH, HEIGHT), fill=DARK_RED)
    pen.rectangle((100, 150, 112, 400), fill=GOLD)
    size = min(120, (WIDTH - 250) // max(len(name), 1))  # a long name in smaller type, on one line
    pen.text((150, 140 + (120 - size) // 2), name, font=font("NotoSerifCJK-Bold.ttc", size), fill=WHITE)
    if second:
        pen.text((154, 300), second, font=font("NotoSansCJK-Regular.ttc", min(56, (WIDTH - 250) // len(second))),
                 fill=GOLD)
    pen.text((100, HEIGHT - 70), "工作动态 · 学习笔记 · 课程目录 · 师资库 · 工作简报",
             font=font("NotoSansCJK-Regular.ttc", 40), fill=WHITE)
    return image


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the project (default: this repository)")
    args = parser.parse_args(argv)
    if not FONTS.exists():
        print("needs the Noto CJK fonts: sudo apt-get install fonts-noto-cjk", file=sys.stderr)
        return 1
    target = args.root / TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    # few colours: a palette PNG is a tenth of the size of a full-colour one, and looks the same
    draw(*names(args.root)).quantize(colors=32, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    print(f"{target}: {target.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
