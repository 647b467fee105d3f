"""What a phone downloads on a first visit: at most 100 KB for every page type but search, in
normal and in 长者模式 (tools/elder.py; the mode is stored before the first load, as a returning
reader has it).

Each page type (tools/phone.py: PAGES, found in the built site) is loaded once in a fresh phone (no cache) and every
same-origin response is counted: the HTML and every stylesheet, script, font, image or data
file it loads, so a search index loaded by a page will count too.

Sizes are compressed sizes, as Lighthouse's `total-byte-weight` counts what goes over the
wire from a real web server, which gzips text. Python's http.server does not compress, so
each text response (HTML, CSS, JS, SVG, JSON, XML) is counted as its gzip at level 6 and
everything else (PNG, fonts: compressed already) as its bytes. `make audit` measures the same
through Lighthouse, from a server that gzips. The measure (`weigh`, `weights`) is
tests/test_content.py's, which holds the repository's own content to the same budget.
"""
from __future__ import annotations

from test_content import weights  # the same measure holds any school's content


def test_every_page_type_weighs_at_most_100_kb_in_both_modes(demo, origin, browser, capsys):
    table, heavy = weights(browser, origin, demo.site)  # every page type: the demo has each
    with capsys.disabled():  # the figures are the point: shown on every run
        print(table)
    assert "page in this site" not in table, table
    assert not heavy, f"too heavy: {heavy}{table}"
