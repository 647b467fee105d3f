"""The search index: Pagefind, run over the built site.

Why Pagefind: Material's own search loads one index of the whole site on every page
(7.2 MB for 500 Chinese posts, 29 MB for 2,000); Pagefind's extended build segments
Chinese and splits its index into chunks that a query fetches on demand, so a page
loads nothing for search and a query loads a few chunks whatever the size of the site.

Why the command line after the build, not Pagefind's Python API page by page while
MkDocs renders: its service client (pagefind 1.5.2) sleeps 100 ms before reading each
response, so 6,000 pages would take ten minutes; the CLI indexes them in seconds.
"""
from __future__ import annotations

import subprocess
import sys


FOLDER = "pagefind"  # where Pagefind writes its script and index, under the site

# The pages worth finding: the records' own pages and the ordinary ones. Listings, topics,
# statistics and the search page are left out (they carry pagefind: false anyway); not even
# reading them saves a fifth of the indexing time.
PAGES = ("{index.html,about/**/*.html,news/[0-9]*/*/index.html,notes/*/*/index.html,"
         "courses/*/index.html,instructors/*/index.html,bulletins/*/index.html}")


def index(site_dir: str) -> None:
    """Write site_dir/pagefind/; raise with Pagefind's own message if it fails."""
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", site_dir, "--glob", PAGES, "--silent"],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"Pagefind 建立搜索索引失败：{result.stderr or result.stdout}")
