"""make pdf: each published bulletin as a printed 简报, pdf/<slug>.pdf, and its Word edition,
pdf/<slug>.docx (macros/channels/bulletin_print.py and bulletin_docx.py).

    python tools/pdf.py [SITE] [OUT] [--only pdf|docx] [--into-site]

SITE is the built site (make build), OUT the folder written (pdf/). With --into-site each file is
also copied next to its bulletin's page (site/bulletins/<slug>/<slug>.pdf), where the page links it.
Needs Chromium, poppler-utils and the Fandol fonts (sudo make browser).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from macros.content.problems import ContentError  # noqa: E402
from macros.index.load import load  # noqa: E402


def main(argv: list[str] | None = None) -> list[Path]:
    parser = argparse.ArgumentParser(description="印发版简报：PDF 和 Word")
    parser.add_argument("site", nargs="?", default="site")
    parser.add_argument("out", nargs="?", default="pdf")
    parser.add_argument("--only", choices=("pdf", "docx"))
    parser.add_argument("--into-site", action="store_true")
    parser.add_argument("--root", default=".", help="项目根目录（默认当前目录）")
    args = parser.parse_args(argv)
    root, site_dir, out = Path(args.root), Path(args.site), Path(args.out)
    try:
        site = load(root)
    except ContentError as error:
        sys.exit(str(error))
    from macros.channels import bulletin_print
    found = bulletin_print.editions(root, site, site_dir)
    if not found:
        sys.exit(f"{site_dir}/bulletins/ 下没有简报：请先 make build")
    written = []
    if args.only != "docx":
        from macros.channels.print_fonts import FontMissing
        if not Path(bulletin_print.CHROMIUM).exists():
            sys.exit(f"没有找到 Chromium（{bulletin_print.CHROMIUM}）：请先运行 sudo make browser")
        with tempfile.TemporaryDirectory() as work:
            try:
                written += bulletin_print.print_all(found, out, Path(work))
            except FontMissing as error:
                sys.exit(str(error))
    if args.only != "pdf":
        from macros.channels import bulletin_docx
        written += [bulletin_docx.write(edition, out) for edition in found]
    for target in written:
        print(f"{target}  ({target.stat().st_size // 1024} KB)")
    if args.into_site:
        for edition in found:
            copies = []
            for target in written:
                if target.stem == edition.record.slug:
                    copies.append(edition.page.parent / target.name)
                    shutil.copyfile(target, copies[-1])
            bulletin_print.link_editions(edition.page, copies)
    return written


if __name__ == "__main__":
    main()
