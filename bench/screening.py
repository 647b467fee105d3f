"""Seconds the screening for wrong formulations and personal data adds to loading a synthetic
school of N news items (the loader with and without it, cold caches, best of two).

    cd bench && ../.venv/bin/python screening.py 5000
"""
from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import generate  # noqa: E402
from macros.index import load as loader  # noqa: E402
from macros.content import screen

ROOT = Path(__file__).resolve().parents[1]


def timed(root: Path, screening: bool) -> float:
    best = float("inf")
    for _ in range(2):
        loader._PAGES.clear()
        screen._CACHE.clear()
        start = time.perf_counter()
        loader.load(root, dt.date(2026, 11, 23), "docs", None, screening=screening)
        best = min(best, time.perf_counter() - start)
    return best


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "school"
        generate(root, n)
        shutil.copy(ROOT / "data" / "terms.yaml", root / "data" / "terms.yaml")
        files = list((root / "docs").rglob("*.md"))
        characters = sum(len(p.read_text(encoding="utf-8")) for p in files)
        bare, screened = timed(root, False), timed(root, True)
        terms = loader._load_terms(loader.Collector(root), root / "data" / "terms.yaml")
        alone = float("inf")
        for _ in range(3):  # the screening by itself: steadier than a difference on a busy machine
            screen._CACHE.clear()
            start = time.perf_counter()
            screen.screen(root, root / "docs", terms, frozenset(), dt.date(2026, 11, 23))
            alone = min(alone, time.perf_counter() - start)
        print(f"{n} news items, {len(files)} Markdown files, {characters / 1e6:.1f} M characters: "
              f"load {bare:.2f} s, with screening {screened:.2f} s; the screening alone {alone:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
