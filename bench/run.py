"""make bench: the real build against a bare Material build of the same pages, N = 1,000 … 5,000.

For each N, a synthetic school is generated into a temporary folder and built twice in
fresh processes: with the project's configuration (hooks, macros, every generated page),
and with a bare Material configuration (no plugins, no hooks) over the same Markdown.
"""
from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

from generate import generate

HERE = Path(__file__).resolve().parent
BARE = """site_name: 青川市委党校
site_url: https://qcdx.example.cn/
theme:
  name: material
  language: zh
  font: false
plugins: []
nav:  # a nav of a few entries, as the real build has: MkDocs' automatic nav of every page is quadratic
  - index.md
  - about/index.md
  - about/contact.md
"""


REPEAT = 2  # each build runs twice and the faster run counts: a shared VM's timings are noisy


def build(config: Path, site: Path) -> dict:
    runs = [_build(config, site) for _ in range(REPEAT)]
    return min(runs, key=lambda r: r["seconds"]) | {"peak_mb": max(r["peak_mb"] for r in runs)}


def _build(config: Path, site: Path) -> dict:
    out = subprocess.run([sys.executable, str(HERE / "build_once.py"), str(config), str(site)],
                         capture_output=True, text=True, check=False, env={"NO_MKDOCS_2_WARNING": "1", "PATH": ""})
    if out.returncode:
        sys.exit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(sizes: list[int]) -> None:
    print(f"{'N':>6} {'build':<6} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'peak MB':>8} {'ratio':>6}")
    previous = None
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = generate(Path(tmp) / "school", n)
            bare = project / "bare.yml"
            bare.write_text(BARE, encoding="utf-8")
            real = build(project / "mkdocs.yml", Path(tmp) / "site-real")
            base = build(bare, Path(tmp) / "site-bare")
        ratio = real["seconds"] / base["seconds"]
        for name, r in (("bare", base), ("real", real)):
            print(f"{n:>6} {name:<6} {r['pages']:>6} {r['seconds']:>8.2f} {r['pages'] / r['seconds']:>8.0f} "
                  f"{r['peak_mb']:>8.0f} {ratio if name == 'real' else 1:>6.2f}")
        if previous:
            # time grows as items^k; doubling the items multiplies the time by 2^k
            k = math.log(real["seconds"] / previous[1]) / math.log(n / previous[0])
            print(f"{'':>6} from N={previous[0]}: time ×{real['seconds'] / previous[1]:.2f} for items "
                  f"×{n / previous[0]:g}, so doubling N multiplies the time by {2 ** k:.2f}")
        previous = (n, real["seconds"])


if __name__ == "__main__":
    main([int(x) for x in sys.argv[1:]] or [1000, 2000, 5000])
