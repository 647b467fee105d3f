"""A year of nginx access log over the built site, then `annual-report --logs` timed on it.

    cd bench && ../.venv/bin/python access_log.py 2026 1000000   # after `make build` (site/)

Writes the log as logrotate leaves it (access.log, access.log.1, then .gz files, 13 in all)
into bench/.access-log/, with people on the site's own pages (several pages a visit), search
engines and tools, the health check (`qcdx-health`), assets, 404s, redirects and HEAD requests;
counts the people's page views and daily visitors while writing, and prints them beside what
`python -m macros annual-report` finds, with its time and the log's size.
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
import random
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent / ".access-log"
ZONE = ZoneInfo("Asia/Shanghai")
BROWSERS = [
    "Mozilla/5.0 (Linux; Android 13; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.44",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0",
    "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
    "Mozilla/5.0 (Linux; U; Android 12; zh-cn; PEHM00) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/88.0 Mobile Safari/537.36 HeyTapBrowser/40.8",
]
PROGRAMS = [
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
    "Mozilla/5.0 (compatible; Bytespider; spider-feedback@bytedance.com)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "curl/7.88.1",
    "python-requests/2.31.0", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36",
]


def pages_and_assets(site: Path) -> tuple[list[str], list[str]]:
    pages = ["/" + p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")]
    pages = [p.replace("/./", "/") for p in pages]
    assets = ["/" + p.relative_to(site).as_posix() for p in site.rglob("*")
              if p.is_file() and p.suffix in (".css", ".js", ".jpg", ".png", ".svg", ".xml", ".json")]
    return pages, assets


def line(ip, when, method, path, status, agent) -> str:
    return f'{ip} - - [{when.strftime("%d/%b/%Y:%H:%M:%S %z")}] "{method} {path} HTTP/1.1" {status} 5120 "-" "{agent}"'


def generate(year: int, count: int, pages: list[str], assets: list[str]) -> tuple[list[str], dict]:
    rng = random.Random(year)
    start = dt.datetime(year, 1, 1, tzinfo=ZONE)
    seconds = (dt.datetime(year + 1, 1, 1, tzinfo=ZONE) - start).total_seconds()
    people = [(f"{rng.randrange(1, 223)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
               rng.choice(BROWSERS)) for _ in range(max(count // 40, 10))]
    lines, views, daily = [], 0, {}
    while len(lines) < count:
        when = start + dt.timedelta(seconds=rng.uniform(0, seconds))
        kind = rng.random()
        if kind < 0.55:  # a person's visit: a few pages and their assets
            ip, agent = rng.choice(people)
            for n in range(rng.randint(1, 4)):
                moment = when + dt.timedelta(seconds=30 * n)
                lines.append((moment, line(ip, moment, "GET", rng.choice(pages), rng.choice((200, 200, 200, 304)), agent)))
                views += 1
                daily.setdefault(moment.date(), set()).add((ip, agent))
                for asset in rng.sample(assets, 3):
                    lines.append((moment, line(ip, moment, "GET", asset, 200, agent)))
        elif kind < 0.85:
            lines.append((when, line(f"220.181.{rng.randrange(256)}.{rng.randrange(256)}", when, "GET",
                                     rng.choice(pages), 200, rng.choice(PROGRAMS))))
        elif kind < 0.93:
            lines.append((when, line("127.0.0.1", when, "GET", "/", 200, "qcdx-health/1")))
        else:
            ip, agent = rng.choice(people)
            method, status, path = rng.choice([("GET", 404, "/wp-login.php"), ("GET", 404, "/news/old/"),
                                               ("GET", 301, "/news"), ("HEAD", 200, "/")])
            lines.append((when, line(ip, when, method, path, status, agent)))
    lines.sort()
    return [text for _, text in lines], {"page_views": views, "unique_visitors": sum(map(len, daily.values()))}


def write(lines: list[str], parts: int = 13) -> list[Path]:
    OUT.mkdir(exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    size = -(-len(lines) // parts)
    chunks = [lines[i:i + size] for i in range(0, len(lines), size)][::-1]  # newest first
    paths = []
    for n, chunk in enumerate(chunks):
        data = ("\n".join(chunk) + "\n").encode()
        path = OUT / ("access.log" if n == 0 else f"access.log.{n}" + (".gz" if n > 1 else ""))
        path.write_bytes(gzip.compress(data, 6) if n > 1 else data)
        paths.append(path)
    return paths


def main() -> int:
    year, count = int(sys.argv[1]), int(sys.argv[2])
    pages, assets = pages_and_assets(ROOT / "site")
    lines, expected = generate(year, count, pages, assets)
    paths = write(lines)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "macros", "annual-report", str(year), "--json", "--logs",
                             *map(str, paths)], cwd=ROOT, capture_output=True, text=True, check=True)
    took = time.perf_counter() - started
    traffic = json.loads(result.stdout)["traffic"]
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(lines):,} lines in {len(paths)} files ({size / 1e6:.1f} MB on disk); annual-report {took:.1f} s "
          f"({len(lines) / took:,.0f} lines/s)")
    print(f"expected: {expected}")
    print(f"counted:  page_views {traffic['page_views']}, unique_visitors {traffic['unique_visitors']}, "
          f"distinct_ips {traffic['distinct_ips']}, left_out {traffic['left_out']}")
    same = expected == {k: traffic[k] for k in expected}
    print("same" if same else "DIFFERENT")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
