"""Distinct cover photographs for the bench: 1,600 × 1,067 JPEGs with a photograph's entropy.

A flat or simple image encodes to a few KB and resizes faster than a photograph, which
would flatter the build. Each image here layers smoothed noise at several scales (sky,
hills, foliage, grain), a gradient of light, and hard-edged shapes (buildings, windows,
poles), then is saved at quality 85: a few hundred KB, like a phone's photo after an
editor's export. Pillow alone (no numpy), so the bench needs nothing the site does not.

Generated once per index and kept in bench/.photos/ (gitignored): a second `make bench`
reuses them, so only the build, never the bench's set-up, is timed.
"""
from __future__ import annotations

import random
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 1067
CACHE = Path(__file__).resolve().parent / ".photos"


def _noise(rng: random.Random, scale: int, sigma: float) -> Image.Image:
    """Gaussian noise drawn at 1/scale size and enlarged smoothly: detail of that scale."""
    # Pillow's C noise (not seeded: the photos are distinct, not reproducible; they are kept)
    small = Image.effect_noise((max(2, WIDTH // scale), max(2, HEIGHT // scale)), sigma)
    return small if scale == 1 else small.resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)


def photo(index: int) -> Image.Image:
    rng = random.Random(index * 7919 + 17)
    channels = []
    light = Image.linear_gradient("L").rotate(rng.uniform(-60, 60)).resize((WIDTH, HEIGHT))
    for _ in range(3):
        layer = light
        for scale, sigma, weight in ((160, 60, 0.5), (40, 50, 0.35), (8, 40, 0.3)):
            layer = Image.blend(layer, _noise(rng, scale, sigma), weight)
        channels.append(layer)
    image = Image.merge("RGB", channels)
    draw = ImageDraw.Draw(image)
    horizon = rng.randint(HEIGHT // 3, 2 * HEIGHT // 3)
    for _ in range(rng.randint(8, 20)):  # buildings with windows: long straight edges
        x, w = rng.randint(-100, WIDTH), rng.randint(60, 300)
        top = horizon - rng.randint(50, 400)
        colour = tuple(rng.randint(40, 220) for _ in range(3))
        draw.rectangle((x, top, x + w, HEIGHT), fill=colour)
        for wy in range(top + 10, HEIGHT, rng.randint(18, 40)):
            for wx in range(x + 6, x + w - 10, rng.randint(14, 30)):
                if rng.random() < 0.6:
                    shade = rng.randint(20, 250)
                    draw.rectangle((wx, wy, wx + 7, wy + 10), fill=(shade, shade, max(0, shade - 30)))
    for _ in range(rng.randint(10, 30)):  # people, trees, signs: round soft shapes
        x, y, r = rng.randint(0, WIDTH), rng.randint(horizon, HEIGHT), rng.randint(8, 90)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randint(0, 255) for _ in range(3)))
    for _ in range(rng.randint(3, 8)):
        x = rng.randint(0, WIDTH)
        draw.line((x, rng.randint(0, horizon), x + rng.randint(-40, 40), HEIGHT), fill=(30, 30, 30), width=rng.randint(2, 6))
    image = image.filter(ImageFilter.GaussianBlur(0.8))  # a lens, not pixel art
    grain = Image.merge("RGB", [_noise(rng, 1, 9) for _ in range(3)])  # sensor grain
    return ImageChops.add(image, grain, scale=1.0, offset=-128)


def _make(index: int) -> Path:
    path = CACHE / f"photo-{index:05d}.jpg"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        photo(index).save(tmp, "JPEG", quality=85)
        tmp.replace(path)
    return path


def photos(count: int) -> list[Path]:
    """The first `count` photos, generated (on every core) only if not already in bench/.photos/."""
    CACHE.mkdir(exist_ok=True)
    missing = [i for i in range(count) if not (CACHE / f"photo-{i:05d}.jpg").exists()]
    if missing:
        print(f"generating {len(missing)} photos into {CACHE} (once)", file=sys.stderr)
        with ProcessPoolExecutor() as pool:
            list(pool.map(_make, missing, chunksize=16))
    return [CACHE / f"photo-{i:05d}.jpg" for i in range(count)]


if __name__ == "__main__":
    for p in photos(int(sys.argv[1]) if len(sys.argv) > 1 else 4):
        print(p, p.stat().st_size)
