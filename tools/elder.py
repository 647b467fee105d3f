"""长者模式 in the browser: switching it on, and measuring what a reader sees.

Shared by tests/test_elder.py (sizes, contrast, tap targets on every page type), by
tests/test_weight.py and by `make audit` (both modes). The mode is what overrides/assets/elder.js
keeps in localStorage; `switch_on` sets it as a reader does, by tapping the header's button.
"""
from __future__ import annotations

import re

from tools import phone

KEY = "qc.elder"  # the localStorage key of overrides/assets/elder.js
BUTTON_NAME = re.compile("长者模式")
MODES = ("normal", "elder")


def button(page):
    """The header's 长者模式 button, found as assistive technology finds it: by role and name."""
    return page.get_by_role("button", name=BUTTON_NAME)


def switch_on(page, origin: str) -> None:
    """Open the home page and tap the button: every later page of this phone is in 长者模式."""
    phone.visit(page, origin, "/")
    if button(page).get_attribute("aria-pressed") != "true":
        button(page).tap()
    page.wait_for_function("document.documentElement.classList.contains('qc-elder')")


def init_script(mode: str) -> str:
    """A script run before any page script, storing the mode as elder.js would have (for tools
    that cannot tap, such as Lighthouse's own browser, which only takes a script)."""
    return f"try {{ localStorage.setItem('{KEY}', '{'1' if mode == 'elder' else '0'}'); }} catch (e) {{}}"


# What the page shows, measured: the text of the content (font size, line height, contrast
# against its actual background, alpha composited) and the controls a finger taps.
# A text element: an element of the content with text of its own, painted. A control: a link,
# button, input or label not inside a sentence (WCAG 2.5.5 exempts links inside running text).
MEASURE_JS = """() => {
  const rgba = value => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, below) => {
    const a = top[3] + below[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    return [0, 1, 2].map(i => (top[i] * top[3] + below[i] * below[3] * (1 - top[3])) / a).concat([a]);
  };
  const background = el => {
    const layers = [];
    for (let a = el; a; a = a.parentElement) {
      const bg = rgba(getComputedStyle(a).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let colour = [255, 255, 255, 1];  // the canvas
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const luminance = c => {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const shown = el => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.opacity !== '0'
      && box.right > 0 && box.left < document.documentElement.clientWidth && !el.closest('details:not([open]) > :not(summary)');
  };
  const name = el => el.tagName.toLowerCase() + [...el.classList].map(c => '.' + c).join('')
    + ' "' + (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 16) + '"';
  const texts = [];
  for (const el of document.querySelectorAll('.md-content *')) {
    if (el.closest('svg') || !shown(el)) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize);
    const lineHeight = style.lineHeight === 'normal' ? 1.2 * size : parseFloat(style.lineHeight);
    const bg = background(el);
    const fg = over(rgba(style.color), bg);
    texts.push({name: name(el), tag: el.tagName.toLowerCase(), size: size, lineHeight: lineHeight / size,
                contrast: contrast(fg, bg), body: el.matches('.md-typeset p:not([class]), .md-typeset li')
                  && !el.closest('.md-content [class^="qc-"]:not(.qc-list):not(.qc-bulletin), nav, table, figure, .pagefind-ui') });
  }
  const controls = [];
  // in a sentence: text right before or after the link (or its <strong>/<em> wrapper)
  const inText = el => {
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      if ([a.previousSibling, a.nextSibling].some(n => n && n.nodeType === 3 && n.textContent.trim())) return true;
      if (!['STRONG', 'EM', 'B', 'I', 'SPAN'].includes(a.parentElement.tagName)
          || a.parentElement.textContent.trim() !== a.textContent.trim()) return false;
    }
    return false;
  };
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]):not(.md-toggle):not(.md-option), label[for], summary')) {
    if (!shown(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.bottom < 0 || box.right <= 0) continue;
    if (el.matches('a') && inText(el)) continue;
    controls.push({name: name(el), width: box.width, height: box.height});
  }
  return {texts: texts, controls: controls, elder: document.documentElement.classList.contains('qc-elder'),
          scheme: document.body.getAttribute('data-md-color-scheme')};
}"""

# Whether <html> had the class when <body> was first inserted, that is before anything could be
# painted: the proof that large text never flashes small (run as an init script).
FIRST_PAINT_JS = """
window.__qcElderAtBody = null;
new MutationObserver((records, observer) => {
  if (document.body && window.__qcElderAtBody === null) {
    window.__qcElderAtBody = document.documentElement.classList.contains('qc-elder');
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""
