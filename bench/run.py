"""make bench: the real build against a bare Material build of the same pages, N = 1,000 … 5,000.

For each N a synthetic school (generate.py: Markov-chain Chinese from real reports, a distinct
photo on every other news item) is built in fresh processes, back to back, REPEAT rounds:
  bare   Material with no plugins, no hooks, over the same Markdown (and the same photos) and as
         many pages: every page the real build generates is given to it as a Markdown file
         (bare_docs.py), without the HTML body a listing gets after Markdown
  cold   the project's whole build (search index and .gz twins included), no cover cache (as CI
         with nothing restored)
  warm   the same again with the cover cache kept (CI with its cache restored)
  warm-s the warm build without the search index (SEARCH_INDEX=off), to show what indexing adds
Every build gets an empty site directory. Seconds count from loading the configuration to the
end of the build (the same for bare and real); the faster round counts, since timings on a
shared machine are noisy. Peak memory is of the WHOLE PROCESS TREE: the sum of the resident
memory of the build and every process it started (cover workers, the search indexer), polled every 50 ms.
CPU s is the CPU time of the whole tree (user + system): on a machine shared with other work,
wall-clock seconds swing by a factor of several, CPU seconds by a few per cent.
"""
from __future__ import annotations

import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import generate

HERE = Path(__file__).resolve().parent
BARE = """site_name: 青川市委党校
site_url: https://qcdx.example.cn/
theme:
  name: material
  language: zh
  font: false
docs_dir: docs-bare  # docs/ and the generated pages (bare_docs.py)
plugins: []
nav:  # a nav of a few entries, as the real build has: MkDocs' automatic nav of every page is quadratic
  - index.md
  - about/index.md
  - about/contact.md
"""
REPEAT = int(os.environ.get("BENCH_REPEAT", "2"))
PAGE = os.sysconf("SC_PAGE_SIZE")


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants, summed."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
        except OSError:
            continue  # ended between the listing and the read
        todo += _children(pid)
    return total


def run(config: Path, site: Path, env: dict) -> dict:
    if site.exists():
        shutil.rmtree(site)
    process = subprocess.Popen([sys.executable, str(HERE / "build_once.py"), str(config), str(site)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={"NO_MKDOCS_2_WARNING": "1", "PATH": os.environ.get("PATH", ""), **env})
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.05)
    out, err = process.communicate()
    if process.returncode:
        sys.exit(err[-3000:])
    result = json.loads(out.strip().splitlines()[-1])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # CPU times of waited-for descendants add up
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return result | {"peak_mb": peak / 2**20, "cpu": cpu}


def measure(project: Path, tmp: Path) -> dict[str, dict]:
    bare = project / "bare.yml"
    bare.write_text(BARE, encoding="utf-8")
    subprocess.run([sys.executable, str(HERE / "bare_docs.py"), str(project)], cwd=project, check=True,
                   stdout=subprocess.DEVNULL)
    real = project / "mkdocs.yml"
    rounds: dict[str, list[dict]] = {"bare": [], "cold": [], "warm": [], "warm-s": []}
    for _ in range(REPEAT):
        rounds["bare"].append(run(bare, tmp / "site-bare", {}))
        shutil.rmtree(project / ".cache", ignore_errors=True)
        rounds["cold"].append(run(real, tmp / "site-real", {}))
        rounds["warm"].append(run(real, tmp / "site-real", {}))
        rounds["warm-s"].append(run(real, tmp / "site-real", {"SEARCH_INDEX": "off"}))
    return {name: min(runs, key=lambda r: r["seconds"]) | {"peak_mb": max(r["peak_mb"] for r in runs),
                                                          "cpu": min(r["cpu"] for r in runs)}
            for name, runs in rounds.items()}


def main(sizes: list[int]) -> None:
    print(f"{'N':>6} {'build':<7} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'peak MB':>8} {'ratio':>6} {'CPU s':>7} {'ratio':>6}")
    results = {}
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = generate(Path(tmp) / "school", n)
            r = results[n] = measure(project, Path(tmp))
        for name, m in r.items():
            print(f"{n:>6} {name:<7} {m['pages']:>6} {m['seconds']:>8.2f} {m['pages'] / m['seconds']:>8.0f} "
                  f"{m['peak_mb']:>8.0f} {m['seconds'] / r['bare']['seconds']:>6.2f} "
                  f"{m['cpu']:>7.1f} {m['cpu'] / r['bare']['cpu']:>6.2f}")
        search = r["warm"]["seconds"] - r["warm-s"]["seconds"]
        print(f"{'':>6} the search index adds {search:.1f} s of wall time to the warm build "
              f"({search / r['warm']['seconds']:.0%})", flush=True)
    previous = None
    for n in sizes:
        if previous:
            # time grows as items^k; doubling the items multiplies the time by 2^k
            for name in ("bare", "cold", "warm", "warm-s"):
                k = math.log(results[n][name]["seconds"] / results[previous][name]["seconds"]) / math.log(n / previous)
                c = math.log(results[n][name]["cpu"] / results[previous][name]["cpu"]) / math.log(n / previous)
                print(f"N {previous} → {n}: {name:<7} doubling N multiplies the time by {2 ** k:.2f}, "
                      f"the CPU time by {2 ** c:.2f}")
        previous = n


if __name__ == "__main__":
    main([int(x) for x in sys.argv[1:]] or [1000, 2000, 5000])
