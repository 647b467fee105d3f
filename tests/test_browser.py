"""The demo site in a real browser at a phone's size: Debian's Chromium through Playwright.

Every page type (tools/phone.py: PAGES) renders, fits 360 px, logs no error and fetches
nothing from another host; the menu opens by tap, the dark scheme switches on. The site is
served from `demo.site` by http.server on 127.0.0.1. A search test can use the `page`
fixture and `phone.visit` like the tests below.
"""
from __future__ import annotations

import re

import pytest

from tools import phone  # found as macros/ is: pytest runs from the repository

# The page types: a new one (/stats/, search) is one more line in tools/phone.py, and is then
# in these tests, in tests/test_weight.py and in `make audit`. Each is found in the built site
# (the first column of /notes/ …); the demo (tests/fixtures/demo) has every one.
PAGES = phone.PAGES

# HTML that reached the reader as text (an escaped page body): any tag written out.
_MARKUP = re.compile(r"</?(p|h[1-6]|div|span|a|ul|ol|li|table|tr|td|em|strong)(\s[^<>]*)?>")


def test_the_demo_has_every_page_type(demo):
    assert [kind for kind, _ in phone.found(demo.site)] == list(PAGES)


def test_page_types_are_found_in_any_site_and_absent_without_a_listing(tmp_path):
    def write(url: str, *links: str) -> None:
        path = tmp_path / url.strip("/") / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f'<a href="{link}">x</a>' for link in links), encoding="utf-8")

    write("/", "notes/", "bulletins/")
    write("/notes/", "../", "feed.xml", "zhuanlan/", "zhuanlan/")  # the first column that is a page
    write("/notes/zhuanlan/", "../", "../../", "di-yi-pian/")
    write("/notes/zhuanlan/di-yi-pian/")
    write("/bulletins/", "../notes/", "missing/")  # no bulletin built: a link to nothing counts not
    found = {kind.name: url for kind, url in phone.found(tmp_path)}
    assert found == {"home": "/", "column": "/notes/zhuanlan/", "study note": "/notes/zhuanlan/di-yi-pian/",
                     "bulletins": "/bulletins/"}
    with pytest.raises(LookupError, match="no bulletin page"):
        next(k for k in PAGES if k.name == "bulletin").resolve(tmp_path)


@pytest.fixture
def page(browser, origin):
    """A fresh phone (no cache, no stored palette): 360×740, touch, 2× pixels."""
    context = phone.open_phone(browser, origin)
    yield context.new_page()
    context.close()


def _fits(page, url: str) -> None:
    box = page.evaluate(phone.OVERFLOW_JS)
    # a wider page makes a mobile browser zoom out, which widens innerWidth: both are checked
    assert box["innerWidth"] == phone.WIDTH and box["scrollWidth"] <= phone.WIDTH, \
        f"{url} scrolls sideways: {box['scrollWidth']} px wide, {box['wide'][:5]}"
    assert not box["wide"], f"{url}: wider than the screen: {box['wide'][:5]}"


@pytest.mark.parametrize("kind", PAGES, ids=lambda kind: kind.id)
def test_page_reads_well_on_a_phone(kind, demo, origin, page):
    url = kind.resolve(demo.site)
    seen = phone.visit(page, origin, url)
    assert seen.status == 200, f"{url}: HTTP {seen.status}"
    title = page.locator("h1").first
    assert title.is_visible() and title.inner_text().strip(), f"{url} has no title"
    shown = _MARKUP.search(page.locator("article").inner_text())
    assert not shown, f"{url} shows HTML as text: {shown.group()!r}"
    _fits(page, url)
    assert not seen.errors, f"{url}: {seen.errors}"
    assert seen.requests and not seen.foreign(origin), f"{url} loads from elsewhere: {seen.foreign(origin)}"


_IN_VIEW = """el => {
  const box = el.getBoundingClientRect();
  if (box.width === 0 || box.left < 0 || box.right > window.innerWidth
      || box.top < 0 || box.bottom > window.innerHeight) return false;
  return el.contains(document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2));
}"""


def test_the_menu_opens_by_tap(origin, page):
    phone.visit(page, origin, "/")
    # by its address: the home page's own headings (工作动态 too) are in the drawer as well
    link = page.locator('.md-nav--primary a.md-nav__link[href="news/"]').first
    assert not link.evaluate(_IN_VIEW), "the drawer is open before the tap"
    page.locator('.md-header label[for="__drawer"]').tap()
    assert page.locator("#__drawer").is_checked()
    link.wait_for()  # attached; then on screen, on top, once the drawer has slid in
    page.wait_for_function(f"([el]) => ({_IN_VIEW})(el)", arg=[link.element_handle()])
    link.tap()
    page.wait_for_url(f"{origin}/news/")
    assert page.locator("h1").first.inner_text().strip() == "工作动态"


def test_the_dark_scheme_switches_on_and_stays(origin, page):
    phone.visit(page, origin, "/")
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    page.locator('form[data-md-component="palette"] label:visible').tap()
    page.wait_for_function(f"{scheme} === 'slate'")
    seen = phone.visit(page, origin, "/news/")  # the choice is kept from page to page
    assert page.evaluate(scheme) == "slate"
    _fits(page, "/news/")
    assert not seen.errors, seen.errors


# Search by touch (the header's magnifier, queries typed) is tested in tests/test_search.py.
