"""Cover images made for phones: each cover is resized at build time to a few widths, and
pages offer them with srcset, sizes, width/height and lazy loading, so a phone on a slow
network downloads a 360- or 720-pixel JPEG, never the editor's original photograph."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

WIDTHS = (360, 720, 1080)
QUALITY = 78


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    url: str  # from the site root: covers/news-2025-kaixue-720.jpg


_sizes: dict[tuple, tuple[int, int]] = {}  # (path, mtime) → (width, height): read each photo once


def size(path: Path) -> tuple[int, int]:
    key = (path, path.stat().st_mtime_ns)
    if key not in _sizes:
        with Image.open(path) as image:
            _sizes[key] = ImageOps.exif_transpose(image).size
    return _sizes[key]


def variants(path: Path, name: str) -> list[Variant]:
    """The widths a cover is offered at (none wider than the original)."""
    width, height = size(path)
    widths = [w for w in WIDTHS if w < width] or [width]
    return [Variant(w, round(height * w / width), f"covers/{name}-{w}.jpg") for w in widths]


def write(path: Path, name: str, site_dir: Path) -> None:
    """Write the variants of one cover into site_dir/covers/ (skipped when up to date)."""
    for variant in variants(path, name):
        target = site_dir / variant.url
        if target.exists() and target.stat().st_mtime_ns >= path.stat().st_mtime_ns:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with Image.open(path) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            image = image.resize((variant.width, variant.height), Image.Resampling.LANCZOS)
            image.save(target, "JPEG", quality=QUALITY, optimize=True, progressive=True)
