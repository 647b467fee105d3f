#!/usr/bin/env bash
# The browser the phone tests and `make audit` drive: Debian's Chromium at /usr/bin/chromium,
# with fonts-noto-cjk so that Chinese renders (screenshots, Lighthouse layout); and what the
# printed bulletins need (make pdf, make docx, tests/test_pdf.py): poppler-utils (pdfinfo,
# pdftotext), LibreOffice Writer (the .docx rendered), and the free 仿宋 and 楷体 FandolFang and
# FandolKai, taken out of Debian's texlive-lang-chinese (.deb unpacked, not installed: it would
# pull in TeX Live) into /usr/local/share/fonts/fandol.
# And npm, which installs the editors' desk (Sveltia CMS, package.json) the desk's tests drive.
# Idempotent and quiet: nothing to do (and nothing printed) when both are there. As root it
# installs what is missing with apt-get; otherwise it says what to run and fails, so that
# `make test` stops at once instead of failing every browser test.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
CJK_FONT=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
FANDOL=/usr/local/share/fonts/fandol

missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
[ -e "$CJK_FONT" ] || missing+=(fonts-noto-cjk)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
command -v npm >/dev/null || missing+=(npm)  # the desk's tests: the CMS pinned in package.json comes from npm
fandol=0; [ -e "$FANDOL/FandolFang-Regular.otf" ] && [ -e "$FANDOL/FandolKai-Regular.otf" ] || fandol=1
[ ${#missing[@]} -eq 0 ] && [ $fandol -eq 0 ] && exit 0

install_fandol() {
    local tmp; tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download -qq texlive-lang-chinese 2>/dev/null && dpkg-deb -x texlive-lang-chinese_*.deb x)
    mkdir -p "$FANDOL"
    cp "$tmp"/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol{Fang,Kai}-Regular.otf "$FANDOL"/
    zcat "$tmp"/x/usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz > "$FANDOL/COPYING" 2>/dev/null || true
    rm -rf "$tmp"
    fc-cache -f "$FANDOL" >/dev/null
}

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${missing[*]:-}$([ $fandol -eq 1 ] && echo ' FandolFang/FandolKai') (apt-get)…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    [ ${#missing[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    [ $fandol -eq 0 ] || install_fandol
    [ -x "$CHROMIUM" ] || { echo "apt-get installed chromium but $CHROMIUM is not there" >&2; exit 1; }
    exit 0
fi

if [ -x "$CHROMIUM" ] && [ -e "$CJK_FONT" ]; then  # only the printed bulletins' tools
    [ $fandol -eq 1 ] && missing+=("FandolFang and FandolKai (from texlive-lang-chinese)")
    echo "warning: the printed bulletins (make pdf, tests/test_pdf.py) need ${missing[*]}: run \`sudo make browser\`" >&2
    exit 0
fi
if [ -x "$CHROMIUM" ]; then  # only the fonts: the tests pass without them, screenshots show boxes
    echo "warning: fonts-noto-cjk is missing, Chinese text renders as boxes: run \`sudo apt-get install fonts-noto-cjk\`" >&2
    exit 0
fi
echo "The browser tests need Chromium at $CHROMIUM: run \`sudo apt-get install chromium fonts-noto-cjk\` (or \`make browser\` as root)." >&2
exit 1
