"""make bench: search on a synthetic school of N news items (5,000 by default).

Builds the school twice in fresh processes, with and without the search index, and prints
what indexing costs (build time, the worker's own time, the time the build waited for it,
peak memory of the build and of the worker). Then, in Debian's Chromium at 360 px, every
query drawn from the site's own text (tools/search_queries.py: four kinds, each found in
1-3 pages) is typed into the search page of a fresh phone, and the recall (wanted pages in
the first five results) and the bytes each query fetched after the search page's own HTML
(script, index, page texts; as sent, and gzipped as a web server would) are printed.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from generate import generate

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from tools import phone  # noqa: E402
from tools import search_queries as sq  # noqa: E402

PER_KIND = 25
# long queries for the bytes: the two, and 16-character windows of page texts
HEAVY = ["中国式现代化的本", "习近平新时代中国特色社会主义思想"]


REPEAT = 2  # each build twice, the faster counts: the machine's timings are noisy


def build(project: Path, site: Path, index: bool, figures: Path) -> dict:
    runs = [_build(project, site, index, figures) for _ in range(REPEAT)]
    return min(runs, key=lambda r: r["seconds"]) | {"peak_mb": max(r["peak_mb"] for r in runs)}


def _build(project: Path, site: Path, index: bool, figures: Path) -> dict:
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": os.environ.get("PATH", ""), "SEARCH_FIGURES": str(figures),
           "SEARCH_INDEX": "on" if index else "off"}
    out = subprocess.run([sys.executable, str(HERE / "build_once.py"), str(project / "mkdocs.yml"), str(site)],
                         capture_output=True, text=True, check=False, env=env)
    if out.returncode:
        sys.exit(out.stderr[-3000:])
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if index:
        result["search"] = json.loads(figures.read_text(encoding="utf-8"))
    return result


def query(browser, origin: str, text: str) -> tuple[list[str], int, int]:
    """One query on a fresh phone: the result paths and the bytes fetched after the page."""
    context = phone.open_phone(browser, origin)
    page = context.new_page()
    phone.visit(page, origin, "/search/")
    bodies = []
    page.on("response", lambda r: bodies.append(r.body()) if r.ok else None)
    # the page's own script was fetched with the page: counted too
    script = (Path(SITE) / "assets" / "search.js").read_bytes()
    page.tap("#qc-search-input")
    paths = sq.type_query(page, text, timeout=30_000)
    page.wait_for_load_state("networkidle")
    context.close()
    raw = len(script) + sum(len(b) for b in bodies)
    packed = phone.gzip_size(script) + sum(phone.gzip_size(b) for b in bodies)
    return paths, raw, packed


SITE = ""


def main(n: int) -> None:
    global SITE
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        project = generate(Path(tmp) / "school", n)
        bare = build(project, Path(tmp) / "site-bare", False, Path(tmp) / "none.json")
        real = build(project, Path(tmp) / "site", True, Path(tmp) / "search.json")
        s = real["search"]
        print(f"N={n}: {s['pages']} pages indexed, {s['shards']} shards, {s['bytes'] / 1e6:.1f} MB of postings")
        print(f"build without index {bare['seconds']:.1f} s, with index {real['seconds']:.1f} s "
              f"(+{real['seconds'] - bare['seconds']:.1f} s, {(real['seconds'] - bare['seconds']) / bare['seconds']:+.0%}); "
              f"the worker worked {s['seconds']:.1f} s beside rendering, the build waited {s['waited']:.1f} s for it")
        print(f"peak memory: build {real['peak_mb']:.0f} MB (without index {bare['peak_mb']:.0f} MB), "
              f"index worker {s['worker_peak_mb']:.0f} MB")
        SITE = str(Path(tmp) / "site")
        pages = sq.read_pages(Path(SITE))
        queries = sq.draw(pages, PER_KIND)
        texts = [t for p in pages[::max(1, len(pages) // 20)] for t in sq._RUN.findall(p.text) if len(t) >= 16][:20]
        heavy = HEAVY + [t[:16] for t in texts]
        with phone.serve(Path(SITE)) as origin, sync_playwright() as playwright:
            browser = phone.launch(playwright)
            results, sizes = {}, []
            for q in queries:
                paths, raw, packed = query(browser, origin, q.text)
                results[q] = paths
                sizes.append((raw, packed, q.text))
            for text in heavy:
                _, raw, packed = query(browser, origin, text)
                sizes.append((raw, packed, text))
            browser.close()
        share, missed = sq.recall(results)
        kinds = {k: sum(q.kind == k for q in queries) for k in sq.KINDS}
        print(f"recall: {share:.1%} of the wanted pages in the first five results, {len(queries)} queries {kinds}")
        for m in missed[:10]:
            print("  missed:", m)
        raw = sorted(sizes)
        packed = sorted(sizes, key=lambda x: x[1])
        print(f"bytes per query ({len(sizes)} queries, up to 16 characters, after the search page's HTML): "
              f"median {statistics.median(x[0] for x in sizes) / 1024:.0f} KB, max {raw[-1][0] / 1024:.0f} KB "
              f"({raw[-1][2]}); gzipped median {statistics.median(x[1] for x in sizes) / 1024:.0f} KB, "
              f"max {packed[-1][1] / 1024:.0f} KB ({packed[-1][2]})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
