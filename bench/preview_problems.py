"""Seconds from saving a broken file to `make serve` answering with the problem page, and from
the fix to the real page served again, on a copy of the demo school.

    cd bench && ../.venv/bin/python preview_problems.py [PORT]
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from macros.engine.mkdocs_adapter import ENGINE_COMMAND  # noqa: E402  (ENGINE=properdocs)
ITEM = "docs/news/2025/2025-11-18-xianqu-dangxiao-liandong-xuanjiang.md"
URL = "/news/2025/xianqu-dangxiao-liandong-xuanjiang/"


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.read().decode("utf-8")
    except OSError:
        return ""


def until(url: str, predicate, limit: float = 120) -> float:
    start = time.monotonic()
    while not predicate(fetch(url)):
        if time.monotonic() - start > limit:
            raise SystemExit(f"{url}: nothing after {limit} s")
        time.sleep(0.1)
    return time.monotonic() - start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(port: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "demo"
        project.mkdir()
        for name in ("docs", "data"):
            shutil.copytree(ROOT / name, project / name)
        shutil.copy(ROOT / "mkdocs.yml", project)
        for name in ("macros", "hooks.py"):
            (project / name).symlink_to(ROOT / name)
        shutil.copytree(ROOT / "overrides", project / "overrides")  # a link would be refused (macros/content/listing.py)
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        server = subprocess.Popen([*ENGINE_COMMAND, "serve", "--dirty", "--no-strict",
                                   "--dev-addr", f"127.0.0.1:{port}"], cwd=project, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}{URL}"
        try:
            print(f"first build served after {until(url, lambda b: '联动宣讲' in b):.1f} s")
            item = project / ITEM
            original = item.read_text(encoding="utf-8")
            for _ in range(3):
                item.write_text(original.replace("section: county-schools", "section: 县区党小"), encoding="utf-8")
                broken = until(url, lambda b: "内容有 1 个问题" in b and ITEM in b)
                item.write_text(original, encoding="utf-8")
                fixed = until(url, lambda b: "联动宣讲" in b and "内容有" not in b)
                print(f"problem page served {broken:.2f} s after the broken save; real page {fixed:.2f} s after the fix")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else free_port())
