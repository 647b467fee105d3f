"""`.gz` twins of the built site's text files, for nginx's `gzip_static` (deploy/nginx/).

The server then sends a file compressed once, at the highest level, instead of compressing
it again on every request. Files are compressed in a thread pool: zlib releases the GIL, so
two cores compress two files at once. A twin is written only when it is smaller, with the
file's own modification time, so that nginx's Last-Modified and ETag agree for both.
Files that are already compressed (images, sitemap.xml.gz) are left alone.
"""
from __future__ import annotations

import gzip
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

# HTML, CSS, JS, XML (feeds, sitemap), JSON (the search index's page texts), SVG, text. Not source maps:
# readers never fetch them.
SUFFIXES = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".webmanifest", ".bin")  # .bin: search shards
# Measured on the demo site's text files (6 MB, best of six): level 5 writes 26.4 % of the raw
# size in 0.10 s; level 6 is 0.9 % smaller but takes 1.65 times as long, level 9 is 1.2 % smaller
# and five times as long, level 4 is 3 % larger. Level 5: small files, cheap build.
LEVEL = 5


@dataclass
class Report:
    files: int = 0  # text files looked at
    written: int = 0  # .gz twins written
    raw_bytes: int = 0
    gz_bytes: int = 0
    seconds: float = 0.0


def _compress(path: str) -> tuple[int, int]:
    with open(path, "rb") as source:
        data = source.read()
    stat = os.stat(path)
    # gzip.compress in a worker thread: zlib.compress releases the GIL while it works. The
    # header's time is 0: no browser reads it, and the same file then gives the same twin on
    # any day (a build is reproducible file for file, tests/test_clock.py)
    packed = gzip.compress(data, compresslevel=LEVEL, mtime=0)
    target = path + ".gz"
    if len(packed) >= len(data):
        if os.path.exists(target):
            os.remove(target)  # a stale twin of an earlier build would be served instead
        return len(data), 0
    with open(target, "wb") as out:
        out.write(packed)
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return len(data), len(packed)


def text_files(site_dir: Path | str, skip: tuple[str, ...] = ()) -> list[str]:
    found = []
    for folder, subfolders, names in os.walk(site_dir):
        if folder == str(site_dir):
            subfolders[:] = [s for s in subfolders if s not in skip]
        found += [os.path.join(folder, n) for n in names if n.endswith(SUFFIXES)]
    return found


def compress_site(site_dir: Path | str, workers: int | None = None, skip: tuple[str, ...] = ()) -> Report:
    """Write `<file>.gz` beside every text file of the built site (but for the top folders `skip`)."""
    start = time.perf_counter()
    files = text_files(site_dir, skip)
    report = Report(files=len(files))
    with ThreadPoolExecutor(max_workers=workers or min(8, os.cpu_count() or 1)) as pool:
        for raw, packed in pool.map(_compress, files, chunksize=32):
            report.raw_bytes += raw
            if packed:
                report.written += 1
                report.gz_bytes += packed
    report.seconds = time.perf_counter() - start
    return report

