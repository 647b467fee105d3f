"""`make audit`: Lighthouse on every page type as a phone loads it, one table of scores.

The page types are those the built site has (tools/phone.py `found`: the first column of
/notes/, the first instructor of /instructors/ …), whatever the school's content.

Builds the site strictly into a temporary folder (2–3 s; site/ is left alone, so a `make
build` or `make serve` running meanwhile cannot pull pages from under it; `--site DIR` audits
a built site as it is), serves it on 127.0.0.1 gzipping text as a production server does, and runs Lighthouse (node_modules/, pinned in package.json) in its
default mode, a mobile phone with simulated slow 4G and a slowed CPU, on Debian's Chromium.
Prints per page the four category scores and the bytes transferred (`total-byte-weight`),
in normal mode and in 长者模式 (`--modes` picks; 长者模式 runs Chromium on a profile in which
the header's button was tapped, tools/elder.py; Lighthouse clears caches, not localStorage).

A report, not a gate: low scores exit 0. Exit 1 when Lighthouse itself fails (no report,
a runtime error, a category it could not score).

    .venv/bin/python tools/audit.py [--site DIR] [--raw] [--keep DIR] [--modes normal,elder]
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from macros.engine.mkdocs_adapter import ENGINE_COMMAND  # noqa: E402  (make audit ENGINE=properdocs)
from tools import elder, phone  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET_SCORE = 0.95  # every category, every page, both modes (issue 15)
TARGET_KB_PAGE = 100  # every page type, the search page too (issue 15; our search script is 5 KB)
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", *phone.CHROMIUM_ARGS[1:]]


def build(site: Path) -> None:
    print("building the site …", flush=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([*ENGINE_COMMAND, "build", "--strict", "--clean", "--quiet",
                    "--site-dir", str(site)], cwd=ROOT, env=env, check=True)


def elder_profile(origin: str, folder: Path) -> Path:
    """A Chromium profile in which a reader switched 长者模式 on (stored in localStorage for
    `origin`), for Lighthouse's Chromium to start from."""
    from playwright.sync_api import sync_playwright

    profile = folder / "elder-profile"
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=phone.CHROMIUM, args=phone.CHROMIUM_ARGS, headless=True,
            **phone.PHONE)
        try:
            elder.switch_on(context.new_page(), origin)
        finally:
            context.close()
        # a second browser on the profile, as Lighthouse's will be: the mode must be there
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=phone.CHROMIUM, args=phone.CHROMIUM_ARGS, headless=True)
        try:
            page = context.new_page()
            phone.visit(page, origin, "/")
            if not page.evaluate("document.documentElement.classList.contains('qc-elder')"):
                raise RuntimeError("长者模式 was not kept in the browser profile")
        finally:
            context.close()
    return profile


def lighthouse(url: str, report: Path, profile: Path | None = None) -> dict:
    """One Lighthouse run; its report (lhr). RuntimeError when Lighthouse fails. `profile`: a
    Chromium profile to start from (chrome-launcher's own comes first; the later flag wins)."""
    flags = [*CHROME_FLAGS, *([f"--user-data-dir={profile}"] if profile else [])]
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(flags)}"]
    env = {**os.environ, "CHROME_PATH": phone.CHROMIUM}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not report.exists():
        raise RuntimeError(f"lighthouse {url} exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    lhr = json.loads(report.read_text(encoding="utf-8"))
    if lhr.get("runtimeError"):
        raise RuntimeError(f"lighthouse {url}: {lhr['runtimeError'].get('message')}")
    return lhr


def score(lhr: dict, category: str) -> float | None:
    return lhr["categories"].get(category, {}).get("score")


def misses(lhr: dict, category: str) -> list[str]:
    """The ids of the scored audits of a category that fail (score under 0.9)."""
    audits = lhr["audits"]
    found = []
    for ref in lhr["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 0.9:
            found.append(ref["id"])
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="audit this built site as it is (default: a fresh build)")
    parser.add_argument("--raw", action="store_true", help="serve uncompressed, as http.server does")
    parser.add_argument("--keep", type=Path, help="keep the Lighthouse JSON reports in this folder")
    parser.add_argument("--modes", default=",".join(elder.MODES),
                        help="normal, elder (长者模式) or both, comma-separated (default: both)")
    args = parser.parse_args(argv)

    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: run `make audit` (npm ci)", file=sys.stderr)
        return 1
    if phone.missing_browser():
        print(phone.missing_browser(), file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="audit-"))
    site = args.site.resolve() if args.site else work / "site"
    if not args.site:
        build(site)
    if not (site / "index.html").exists():
        print(f"{site} is not a built site", file=sys.stderr)
        return 1
    reports = args.keep or work / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    modes = [m for m in args.modes.split(",") if m]
    if not modes or set(modes) - set(elder.MODES):
        print(f"--modes: {', '.join(elder.MODES)}", file=sys.stderr)
        return 1
    head = f"{'page':<16} {'mode':<6} {'url':<40} " + " ".join(f"{c[:11]:>11}" for c in CATEGORIES) + f" {'KB':>7}"
    rows, failed, costly = [head, "-" * len(head)], [], {}
    started = time.monotonic()
    pages = phone.found(site)  # the page types this school's site has, found in it
    absent = [kind.name for kind in phone.PAGES if kind not in dict(pages)]
    with phone.serve(site, compress=not args.raw) as origin:
        print(f"Lighthouse {'(uncompressed) ' if args.raw else ''}on {len(pages)} pages × "
              f"{len(modes)} modes, mobile, default throttling …", flush=True)
        if absent:
            print(f"  (the site has no {', '.join(absent)} page)", flush=True)
        for mode in modes:
            profile = elder_profile(origin, work) if mode == "elder" else None
            for kind, url in pages:
                name = f"{kind.name} ({mode})"
                try:
                    lhr = lighthouse(origin + url, reports / f"{kind.id}-{mode}.json", profile)
                except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as error:
                    failed.append(f"{name}: {error}")
                    rows.append(f"{kind.name:<16} {mode:<6} {url:<40} " + " ".join(f"{'—':>11}" for _ in CATEGORIES))
                    continue
                kb = lhr["audits"]["total-byte-weight"]["numericValue"] / 1024
                cells = []
                for category in CATEGORIES:
                    value = score(lhr, category)
                    if value is None:
                        failed.append(f"{name}: no {category} score")
                        cells.append(f"{'—':>11}")
                        continue
                    cells.append(f"{value:>10.2f}{'*' if value < TARGET_SCORE else ' '}")
                    for audit in misses(lhr, category):
                        costly.setdefault(f"{category}: {audit}", []).append(name)
                budget = TARGET_KB_PAGE
                rows.append(f"{kind.name:<16} {mode:<6} {url:<40} " + " ".join(cells)
                            + f" {kb:>6.1f}{'*' if kb > budget else ' '}")
                print(f"  {name}: {time.monotonic() - started:.0f} s", flush=True)
            if profile:
                shutil.rmtree(profile, ignore_errors=True)

    if not args.site:
        shutil.rmtree(site)  # the reports stay
    with contextlib.suppress(OSError):
        work.rmdir()  # when nothing is in it (--site and --keep)
    print()
    print("\n".join(rows))
    print(f"* below the target ({TARGET_SCORE} per category, {TARGET_KB_PAGE} KB per page); "
          f"{time.monotonic() - started:.0f} s; reports in {reports}")
    if costly:
        print("\naudits failed (score < 0.9), by how many pages fail them:")
        for audit, names in sorted(costly.items(), key=lambda item: (-len(item[1]), item[0])):
            print(f"  {audit:<45} {'all pages' if len(names) == len(pages) * len(modes) else ', '.join(names)}")
    if failed:
        print("\nLighthouse failed:\n  " + "\n  ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
