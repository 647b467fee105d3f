"""make pdf: each built bulletin printed to A4 PDF by headless Chromium (pdf/<slug>.pdf).

The print stylesheet (overrides/assets/site.css, @media print) removes the site's chrome;
Chinese renders with the system's CJK fonts (Debian: fonts-noto-cjk).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-pdf-header-footer",
]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    sys.exit("没有找到 Chromium：请先安装（Debian/Ubuntu：sudo apt-get install chromium fonts-noto-cjk）")


def print_pdf(page: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                        f"--print-to-pdf={target}", page.resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)
    if not target.exists() or target.stat().st_size == 0:
        sys.exit(f"Chromium 没有生成 {target}")


def main(site: Path, out: Path) -> list[Path]:
    written = []
    for page in sorted((site / "bulletins").glob("*/index.html")):
        target = out / f"{page.parent.name}.pdf"
        print_pdf(page, target)
        written.append(target)
        print(f"{target}  ({target.stat().st_size // 1024} KB)")
    if not written:
        sys.exit(f"{site}/bulletins/ 下没有简报：请先 make build")
    return written


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "site"), Path(sys.argv[2] if len(sys.argv) > 2 else "pdf"))
