"""What the .gz twins (macros/output/precompress.py) cost: a synthetic school of N news items is built
once with the real configuration, then its text files are compressed again, on one thread and
on the pool, and the figures printed. The build overlaps this work with Pagefind's indexing,
so the time added to a build is at most the pool's time.

    cd bench && ../.venv/bin/python precompress.py 5000
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from generate import generate
from run import _build

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from macros.output import precompress  # noqa: E402


def main(sizes: list[int]) -> None:
    # CPU seconds beside wall seconds: on a shared machine the wall time says more about the
    # neighbours than about zlib
    print(f"{'N':>6} {'files':>6} {'raw MB':>7} {'gz MB':>6} {'1 thread s':>10} {'pool s':>7} {'CPU s':>6} {'build s':>8}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = generate(Path(tmp) / "school", n)
            site = Path(tmp) / "site"
            built = _build(project / "mkdocs.yml", site)
            times, cpu = {}, 0.0
            for workers in (1, None):
                for twin in site.rglob("*.gz"):
                    if twin.name != "sitemap.xml.gz":
                        twin.unlink()
                start = time.process_time()
                times[workers] = report = precompress.compress_site(site, workers=workers)
                cpu = time.process_time() - start
            print(f"{n:>6} {report.files:>6} {report.raw_bytes / 1e6:>7.1f} {report.gz_bytes / 1e6:>6.1f} "
                  f"{times[1].seconds:>10.2f} {times[None].seconds:>7.2f} {cpu:>6.2f} {built['seconds']:>8.2f}")


if __name__ == "__main__":
    main([int(x) for x in sys.argv[1:]] or [5000])
