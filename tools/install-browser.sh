#!/usr/bin/env bash
# The browser the phone tests and `make audit` drive: Debian's Chromium at /usr/bin/chromium,
# with fonts-noto-cjk so that Chinese renders (screenshots, Lighthouse layout); and npm, which
# installs the editors' desk (Sveltia CMS, package.json) that the desk's browser tests drive.
# Idempotent and quiet: nothing to do (and nothing printed) when both are there. As root it
# installs what is missing with apt-get; otherwise it says what to run and fails, so that
# `make test` stops at once instead of failing every browser test.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
CJK_FONT=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
[ -e "$CJK_FONT" ] || missing+=(fonts-noto-cjk)
command -v npm >/dev/null || missing+=(npm)  # the desk's tests: the CMS pinned in package.json comes from npm
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${missing[*]} (apt-get)…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    [ -x "$CHROMIUM" ] || { echo "apt-get installed chromium but $CHROMIUM is not there" >&2; exit 1; }
    exit 0
fi

if [ -x "$CHROMIUM" ] && command -v npm >/dev/null; then  # only the fonts: the tests pass without them, screenshots show boxes
    echo "warning: fonts-noto-cjk is missing, Chinese text renders as boxes: run \`sudo apt-get install fonts-noto-cjk\`" >&2
    exit 0
fi
echo "The browser tests need Chromium at $CHROMIUM and npm: run \`sudo apt-get install ${missing[*]}\` (or \`make browser\` as root)." >&2
exit 1
