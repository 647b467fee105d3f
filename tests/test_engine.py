"""The engine a run names is the engine it tests (DEVELOPING.md#engines): `make test
ENGINE=properdocs` builds with ProperDocs, both in its commands and in this process."""
from __future__ import annotations

import re

from conftest import ENGINE


def test_the_build_and_this_process_run_the_engine_named(demo):
    import mkdocs

    assert mkdocs.__name__ == ENGINE  # under ProperDocs its alias answers `import mkdocs`
    page = (demo.site / "404.html").read_text(encoding="utf-8")
    generator = re.search(r'<meta name="generator" content="([^"]+)"', page)[1]
    assert ("ProperDocs" in generator) == (ENGINE == "properdocs"), generator
