"""长者模式 in Debian's Chromium at 360 px (DEVELOPING.md#elder).

On every page type (tools/phone.py: PAGES), in both colour schemes: the header's button
switches it on; body text is then 20 px or more with lines 1.8 apart, all text of the content
has 7:1 contrast against its actual background, every control a finger taps outside a
sentence is 48 × 48 px or more, and nothing scrolls sideways. The mode is kept after
navigation and reload, is on before the first paint, and the switch can be turned off again.
"""
from __future__ import annotations

import pytest

from tools import elder, phone

BODY_PX, LINE_HEIGHT, CONTRAST, TARGET_PX = 20, 1.8, 7.0, 48
NORMAL_BODY_PX = 17  # site.css: 0.85rem of Material's 20 px root


@pytest.fixture
def page(browser, origin):
    context = phone.open_phone(browser, origin)
    yield context.new_page()
    context.close()


def _fits(page, url):
    box = page.evaluate(phone.OVERFLOW_JS)
    assert box["innerWidth"] == phone.WIDTH and box["scrollWidth"] <= phone.WIDTH, \
        f"{url} scrolls sideways: {box['scrollWidth']} px wide, {box['wide'][:5]}"
    assert not box["wide"], f"{url}: wider than the screen: {box['wide'][:5]}"


def _problems(measured: dict) -> list[str]:
    found = []
    body = [t for t in measured["texts"] if t["body"]]
    found += [f"body text {t['name']} is {t['size']:.1f} px" for t in body if t["size"] < BODY_PX]
    found += [f"body text {t['name']} has line height {t['lineHeight']:.2f}" for t in body
              if t["lineHeight"] < LINE_HEIGHT - 0.005]
    found += [f"text {t['name']} has contrast {t['contrast']:.2f}:1" for t in measured["texts"]
              if t["contrast"] < CONTRAST]
    found += [f"control {c['name']} is {c['width']:.0f}×{c['height']:.0f} px" for c in measured["controls"]
              if c["width"] < TARGET_PX - 0.5 or c["height"] < TARGET_PX - 0.5]
    return found


def _dark(page):
    page.locator('form[data-md-component="palette"] label:visible').tap()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", phone.PAGES, ids=lambda kind: kind.id)
def test_elder_mode_reads_large_on_every_page_type(kind, scheme, demo, origin, page):
    url = kind.resolve(demo.site)
    elder.switch_on(page, origin)
    if scheme == "dark":
        _dark(page)
    seen = phone.visit(page, origin, url)
    assert seen.status == 200 and not seen.errors, f"{url}: HTTP {seen.status}, {seen.errors}"
    measured = page.evaluate(elder.MEASURE_JS)
    assert measured["elder"], f"{url}: 长者模式 was not kept from the home page"
    assert measured["scheme"] == ("slate" if scheme == "dark" else "default")
    assert measured["texts"] and measured["controls"], f"{url}: nothing measured"
    problems = _problems(measured)
    assert not problems, f"{url} in 长者模式 ({scheme}): " + "; ".join(problems[:8])
    _fits(page, url)
    assert not seen.foreign(origin), seen.foreign(origin)


@pytest.mark.parametrize("kind", phone.PAGES, ids=lambda kind: kind.id)
def test_normal_mode_fits_and_the_button_is_there(kind, demo, origin, page):
    url = kind.resolve(demo.site)
    phone.visit(page, origin, url)
    button = elder.button(page)
    assert button.is_visible(), f"{url}: no 长者模式 button in the header"
    assert button.evaluate("el => el.tagName") == "BUTTON" and button.get_attribute("aria-pressed") == "false"
    assert page.locator(".md-header").locator(button).count() == 1
    measured = page.evaluate(elder.MEASURE_JS)
    assert not measured["elder"]
    body = [t["size"] for t in measured["texts"] if t["body"]]
    assert all(size < BODY_PX for size in body), f"{url}: normal text is already large: {body[:5]}"
    _fits(page, url)


def test_the_button_switches_on_and_off_and_is_remembered(demo, origin, page):
    phone.visit(page, origin, "/news/")
    button = elder.button(page)
    size = "() => parseFloat(getComputedStyle(document.querySelector('.md-typeset p:not([class]), .md-typeset li')).fontSize)"
    assert page.evaluate(size) < BODY_PX
    button.tap()
    assert button.get_attribute("aria-pressed") == "true"
    assert page.evaluate(size) >= BODY_PX
    # kept on another page, after a reload, and in a new tab of the same phone (a later visit)
    phone.visit(page, origin, "/courses/")
    assert elder.button(page).get_attribute("aria-pressed") == "true" and page.evaluate(size) >= BODY_PX
    page.reload()
    assert elder.button(page).get_attribute("aria-pressed") == "true" and page.evaluate(size) >= BODY_PX
    later = page.context.new_page()
    phone.visit(later, origin, "/")
    assert elder.button(later).get_attribute("aria-pressed") == "true"
    later.close()
    # and switched off again, for good
    elder.button(page).tap()
    assert elder.button(page).get_attribute("aria-pressed") == "false" and page.evaluate(size) < BODY_PX
    phone.visit(page, origin, "/news/")
    assert page.evaluate(size) < BODY_PX


def test_the_button_works_by_keyboard(origin, page):
    phone.visit(page, origin, "/")
    elder.button(page).focus()
    page.keyboard.press("Enter")
    assert elder.button(page).get_attribute("aria-pressed") == "true"
    page.keyboard.press("Space")
    assert elder.button(page).get_attribute("aria-pressed") == "false"


def test_large_text_is_on_before_the_first_paint(demo, origin, page):
    """No flash of small text: the class is on <html> before <body> exists, set by a blocking
    script file in <head> (no inline script: the CSP allows only the site's own files)."""
    elder.switch_on(page, origin)
    page.context.add_init_script(elder.FIRST_PAINT_JS)
    for kind in phone.PAGES:
        url = kind.resolve(demo.site)
        phone.visit(page, origin, url)
        assert page.evaluate("window.__qcElderAtBody") is True, f"{url}: small text before 长者模式"
    head = page.evaluate("""() => [...document.head.querySelectorAll('script, link[rel=stylesheet]')]
        .map(e => [e.tagName, e.getAttribute('src') || e.getAttribute('href') || '', e.async, e.defer])""")
    first = head[0]
    assert first[0] == "SCRIPT" and first[1].endswith("assets/elder.js") and not first[2] and not first[3], head[:3]


def test_elder_script_is_not_inline_and_the_mode_leaves_the_page_usable_without_storage(demo, origin, browser):
    html = (demo.site / "index.html").read_text(encoding="utf-8")
    assert 'src="assets/elder.js"' in html and "qc.elder" not in html
    context = phone.open_phone(browser, origin)
    context.add_init_script("Object.defineProperty(window, 'localStorage', {get() { throw new Error('off'); }})")
    page = context.new_page()
    try:
        phone.visit(page, origin, "/")  # Material's own palette script throws here; ours must not stop
        elder.button(page).tap()  # storage refused (private mode): the mode still works on this page
        assert elder.button(page).get_attribute("aria-pressed") == "true"
    finally:
        context.close()
