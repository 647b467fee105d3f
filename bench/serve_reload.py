"""Seconds from saving a news item to the changed page being served by `make serve`.

Starts `mkdocs serve --dirty` (as `make serve` does) on a synthetic school, waits for the
first build, then edits one news item three times and polls its page until the edit shows.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from generate import ROOT, generate

sys.path.insert(0, str(ROOT))
from macros.engine.mkdocs_adapter import ENGINE_COMMAND  # noqa: E402  (make bench ENGINE=properdocs)


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def main(n: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        project = generate(Path(tmp) / "school", n)
        item = sorted((project / "docs/news").rglob("*.md"))[-1]
        url_path = f"news/{item.parent.name}/{item.stem[11:]}/"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [*ENGINE_COMMAND, "serve", "--dirty", "--no-strict",
             "--dev-addr", f"127.0.0.1:{port}"], cwd=project, stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("BENCH_DEBUG") else subprocess.DEVNULL, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        url = f"http://127.0.0.1:{port}/{url_path}"
        try:
            start = time.monotonic()
            while "<h1" not in fetch(url):
                if server.poll() is not None:
                    sys.exit("mkdocs serve stopped: run with BENCH_DEBUG=1 to see why")
                time.sleep(0.5)
                if time.monotonic() - start > 900:
                    sys.exit("serve did not start")
            print(f"first build served after {time.monotonic() - start:.1f} s")
            times = []
            for attempt in range(3):
                time.sleep(2)  # let the watcher settle
                marker = f"RELOAD-MARK-{attempt}"
                item.write_text(item.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
                saved = time.monotonic()
                while marker not in fetch(url):
                    time.sleep(0.1)
                    if time.monotonic() - saved > 120:
                        sys.exit("the edit never showed")
                times.append(time.monotonic() - saved)
                print(f"save → page shows the edit: {times[-1]:.2f} s")
            return times
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
