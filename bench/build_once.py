"""Build one MkDocs project in this process; print seconds, pages and peak memory as JSON."""
from __future__ import annotations

import json
import logging
import os
import resource
import sys
import time
from pathlib import Path

config_file, site_dir = sys.argv[1], sys.argv[2]
os.chdir(Path(config_file).parent)
sys.path.insert(0, str(Path(config_file).parent))

import macros.engine.mkdocs_adapter  # noqa: E402, F401  (under ProperDocs, makes `import mkdocs…` import it)
import mkdocs  # noqa: E402
from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

for name in {"mkdocs", mkdocs.__name__}:  # mkdocs, or properdocs
    logging.getLogger(name).setLevel(logging.ERROR)
start = time.perf_counter()
config = load_config(config_file, site_dir=site_dir, strict=True)
build(config)
seconds = time.perf_counter() - start
pages = sum(1 for _ in Path(site_dir).rglob("*.html"))
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # this process only: run.py measures the tree
print(json.dumps({"seconds": seconds, "pages": pages, "peak_mb": peak_mb}))
