"""What a phone downloads on a first visit: at most 100 KB for every page type but search, in
normal and in 长者模式 (tools/elder.py; the mode is stored before the first load, as a returning
reader has it).

Each page type (tools/phone.py: PAGES) is loaded once in a fresh phone (no cache) and every
same-origin response is counted: the HTML and every stylesheet, script, font, image or data
file it loads, so a search index loaded by a page will count too.

Sizes are compressed sizes, as Lighthouse's `total-byte-weight` counts what goes over the
wire from a real web server, which gzips text. Python's http.server does not compress, so
each text response (HTML, CSS, JS, SVG, JSON, XML) is counted as its gzip at level 6 and
everything else (PNG, fonts: compressed already) as its bytes. `make audit` measures the same
through Lighthouse, from a server that gzips.
"""
from __future__ import annotations

import re


from tools import elder, phone

BUDGET_KB = 100  # per page; KB = 1024 bytes, as Lighthouse reports them (issue 15)
_TEXT = re.compile(r"text/.*|application/(javascript|json|xml|manifest\+json)|image/svg\+xml")


def weigh(browser, origin: str, url: str, mode: str = "normal") -> dict[str, int]:
    """Bytes over the wire by kind of resource, for one first load of `url` in `mode`."""
    context = phone.open_phone(browser, origin)
    context.add_init_script(elder.init_script(mode))
    try:
        page = context.new_page()
        seen = phone.visit(page, origin, url)
        assert seen.status == 200 and not seen.errors, f"{url}: HTTP {seen.status}, {seen.errors}"
        is_elder = page.evaluate("document.documentElement.classList.contains('qc-elder')")
        assert is_elder == (mode == "elder"), f"{url} was not loaded in {mode} mode"
        kinds: dict[str, int] = {}
        for response in seen.responses:
            if not response.url.startswith(origin + "/") or response.status != 200:
                continue  # nothing else is fetched (tests/test_browser.py); redirects have no body
            body = response.body()
            kind = response.headers.get("content-type", "").split(";")[0].strip()
            size = phone.gzip_size(body) if _TEXT.fullmatch(kind) else len(body)
            key = response.request.resource_type
            kinds[key] = kinds.get(key, 0) + size
        return kinds
    finally:
        context.close()


def test_every_page_type_weighs_at_most_100_kb_in_both_modes(demo, origin, browser, capsys):
    rows, heavy = [], []
    for kind in phone.PAGES:
        url = kind.resolve(demo.site)
        budget = BUDGET_KB  # the search page too, before a query (our script is 5 KB; Pagefind's was 120)
        for mode in elder.MODES:
            sizes = weigh(browser, origin, url, mode)
            total = sum(sizes.values()) / 1024
            detail = ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(sizes.items(), key=lambda kv: -kv[1]))
            rows.append(f"  {kind.name:<15} {mode:<6} {total:6.1f} KB   {url}  ({detail})")
            if total > budget:
                heavy.append(f"{kind.name} ({mode}) {url}: {total:.1f} KB > {budget} KB")
    table = "\n".join(["", f"first-load weight, gzipped (budget {BUDGET_KB} KB):", *rows])
    with capsys.disabled():  # the figures are the point: shown on every run
        print(table)
    assert not heavy, f"too heavy: {heavy}{table}"
