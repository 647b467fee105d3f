"""Visits counted from nginx access logs, for the 政府网站工作年度报表 (`annual-report --logs`).

Reads nginx's `combined` format (the default when `access_log` names no format), with any
fields an operator appends after the user agent (`$http_x_forwarded_for`, `$request_time` …),
the `common` format (no referrer, no user agent), the project's own format (`log_format qcdx`:
`$time_iso8601 $remote_addr "$request_method $path $server_protocol" $status $bytes
"$referer" "$http_user_agent" $host`), and one JSON object a line
(`log_format … escape=json '{"remote_addr":"$remote_addr", …}'`). Files may be plain or
gzip-compressed (logrotate's `access.log.2.gz`), told apart by their first bytes, not their name.

What is counted, and what is not (the report says the same in Chinese, `RULES`):

- a **page view** (网站总访问量) is a GET of an HTML page answered 200 or 304: the path ends
  in `/`, `.html` or `.htm`, or its last part has no file extension. Assets, images, feeds,
  the search index, HEAD requests, redirects and errors (404 …) are not page views;
- requests by programs are left out: a user agent matching `BOTS` (search engines' spiders,
  crawlers, curl, python-requests, Lighthouse, HeadlessChrome …) or no user agent at all;
- the site's own checks are left out: a user agent containing `OWN_CHECK` (`qcdx-health`),
  which the project's health check and monitoring must send (OPERATIONS.md);
- **unique visitors** (独立用户访问总量): one visitor is one (IP address, user agent) pair on one
  day, the daily unique visitor of web analytics; the year's figure is the sum over the days.
  The distinct IP addresses of the whole year are given beside it.

A day is the school's calendar day (the time zone of `extra.timezone`, else the log's own offset).
Pure functions over lines; the caller opens the files (`read_files`).
"""
from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

OWN_CHECK = "qcdx-health"
BOTS = re.compile(
    r"bot|spider|crawl|slurp|scrapy|curl|wget|python-requests|python-urllib|aiohttp|httpx|"
    r"go-http-client|java/|okhttp|libwww|httpclient|lighthouse|headlesschrome|phantomjs|puppeteer|"
    r"playwright|selenium|pingdom|uptime|monitor|nagios|zabbix|check_http|feedfetcher|facebookexternalhit|"
    r"preview|scan|^mozilla/5\.0$|^-?$",
    re.IGNORECASE)
PAGE_STATUSES = (200, 304)
# nginx writes a `"` inside a field as \x22, so a field is everything up to the next `"`
_COMBINED = re.compile(
    r'(?P<ip>\S+) \S+ \S+ \[(?P<time>[^\]]+)\] "(?P<request>[^"]*)" (?P<status>\d{3}) \S+'
    r'(?: "[^"]*" "(?P<ua>[^"]*)")?')
# the project's format (deploy/nginx/http.conf): the ISO 8601 time first
_PROJECT = re.compile(
    r'(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[+-]\d\d:\d\d|Z)) (?P<ip>\S+) "(?P<request>[^"]*)" '
    r'(?P<status>\d{3}) \S+(?: "[^"]*" "(?P<ua>[^"]*)")?')
_TIME = "%d/%b/%Y:%H:%M:%S %z"
_ASSET = re.compile(r"\.[A-Za-z0-9]{1,8}$")

RULES = (
    "网站总访问量：成功（状态 200 或 304）的 GET 网页请求次数。网页指以 / 、.html、.htm 结尾或没有扩展名的地址；"
    "图片、样式、脚本、订阅、搜索索引等文件，HEAD 请求，跳转和错误（如 404）都不算。",
    "独立用户访问总量：同一天里同一个 IP 地址加同一个浏览器标识（User-Agent）算一个用户，全年逐日相加"
    "（网站统计通行的“日独立访客”）；旁边另给出全年不重复的 IP 地址数。",
    "不计程序的访问：浏览器标识含 spider、bot、crawl、curl、wget、python-requests、Lighthouse、HeadlessChrome"
    " 等（搜索引擎、采集程序、测试工具），或没有浏览器标识。",
    f"不计本网站自己的检查：浏览器标识含「{OWN_CHECK}」的请求（网站的健康检查和监测必须带上它，见运维指南）。",
)


@dataclass(frozen=True)
class Hit:
    ip: str
    day: dt.date
    method: str
    path: str
    status: int
    agent: str


@dataclass
class Traffic:
    """What the logs say about one year."""

    year: int
    files: list[str] = field(default_factory=list)
    lines: int = 0
    page_views: int = 0
    daily_visitors: int = 0  # Σ over days of distinct (IP, user agent)
    distinct_ips: int = 0  # over the whole year
    days: int = 0  # days with at least one page view
    first: dt.date | None = None
    last: dt.date | None = None
    left_out: Counter = field(default_factory=Counter)  # reason → requests of the year not counted
    other_years: int = 0
    unreadable: int = 0  # lines in no known format
    covered: tuple[dt.date, dt.date] | None = None  # the first and last day of the year any line is of
    visitors: dict = field(default_factory=dict, repr=False)  # day → {(IP, user agent)}
    views: Counter = field(default_factory=Counter, repr=False)  # day → page views
    ips: set = field(default_factory=set, repr=False)

    def months(self) -> dict[str, dict]:
        """Page views and unique visitors by month: both are sums over days, so months add up
        to the year (logs kept half a year can be counted in two halves)."""
        out: dict[str, dict] = {}
        for day in sorted(self.visitors):
            month = out.setdefault(f"{day.year}-{day.month:02d}", {"page_views": 0, "unique_visitors": 0})
            month["page_views"] += self.views[day]
            month["unique_visitors"] += len(self.visitors[day])
        return out

    def as_json(self) -> dict:
        return {
            "year": self.year, "files": self.files, "lines": self.lines,
            "page_views": self.page_views, "unique_visitors": self.daily_visitors,
            "unique_visitors_rule": "daily distinct (IP, user agent), summed over the days",
            "distinct_ips": self.distinct_ips, "days": self.days,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "left_out": dict(sorted(self.left_out.items())), "other_years": self.other_years,
            "unreadable_lines": self.unreadable,
            "covered": [d.isoformat() for d in self.covered] if self.covered else None,
            "by_month": self.months(),
        }


REASONS = {"bot": "程序访问（爬虫、工具）", "own": "本网站自己的检查", "method": "非 GET 请求",
           "status": "未成功（跳转、错误）", "asset": "非网页文件"}


def parse(line: str, zone: ZoneInfo | None = None) -> Hit | None:
    """One log line, or None when it is in no known format."""
    line = line.strip()
    if line.startswith("{"):
        return _parse_json(line, zone)
    match = _COMBINED.match(line)
    iso = match is None
    match = match or _PROJECT.match(line)
    if not match:
        return None
    parts = match["request"].split(" ")
    if len(parts) < 2:  # "-" or garbage sent by scanners: no method and path
        method, target = "", ""
    else:
        method, target = parts[0], parts[1]
    day = _iso_day(match["time"], zone) if iso else _local_day(match["time"], zone)
    if day is None:
        return None
    return Hit(match["ip"], day, method, target, int(match["status"]), _unescape(match["ua"] or ""))


def _parse_json(line: str, zone: ZoneInfo | None) -> Hit | None:
    try:
        record = json.loads(line)
        when = (dt.datetime.fromisoformat(record["time_iso8601"]) if "time_iso8601" in record
                else dt.datetime.strptime(record["time_local"], _TIME))
        if "request" in record:
            method, target = (record["request"].split(" ") + ["", ""])[:2]
        else:
            method, target = record.get("request_method", ""), record.get("request_uri") or record.get("uri", "")
        return Hit(str(record["remote_addr"]), _day(when, zone), method, target, int(record["status"]),
                   str(record.get("http_user_agent", "")))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _day(when: dt.datetime, zone: ZoneInfo | None) -> dt.date:
    return (when.astimezone(zone) if zone else when).date()


@functools.lru_cache(maxsize=1 << 16)
def _hour_day(hour: str, offset: str, zone: ZoneInfo | None) -> dt.date | None:
    try:
        return _day(dt.datetime.strptime(f"{hour}:00:00 {offset}", _TIME), zone)
    except ValueError:
        return None


@functools.lru_cache(maxsize=1 << 16)
def _iso_hour_day(hour: str, offset: str, zone: ZoneInfo | None) -> dt.date | None:
    try:
        return _day(dt.datetime.fromisoformat(f"{hour}:00:00{offset}".replace("Z", "+00:00")), zone)
    except ValueError:
        return None


def _iso_day(stamp: str, zone: ZoneInfo | None) -> dt.date | None:
    """`2026-05-01T23:30:00+08:00` → its day in `zone`, one parse per hour as `_local_day`."""
    if not (stamp[14:16] + stamp[17:19]).isdigit() or int(stamp[14:16]) > 59 or int(stamp[17:19]) > 60:
        return None
    return _iso_hour_day(stamp[:13], stamp[19:], zone)


def _local_day(stamp: str, zone: ZoneInfo | None) -> dt.date | None:
    """`01/May/2023:23:30:00 +0000` → its day in `zone`. Time zones differ by whole quarters of an
    hour at most, so the day depends on the date and the hour only: one parse per hour of the
    log, not per line (strptime was half the time of a count). The minutes and seconds are checked."""
    if len(stamp) != 26 or stamp[14] != ":" or stamp[17] != ":" or stamp[20] != " " \
            or not (stamp[15:17] + stamp[18:20]).isdigit() or int(stamp[15:17]) > 59 or int(stamp[18:20]) > 60:
        return None
    return _hour_day(stamp[:14], stamp[21:], zone)


def _unescape(text: str) -> str:
    """nginx writes a `"` (and other bytes it escapes) of a header as \\xHH."""
    return text.replace("\\x22", '"')


def is_page(path: str) -> bool:
    path = urlsplit(path).path
    return path.endswith(("/", ".html", ".htm")) or (path.startswith("/") and not _ASSET.search(path.rsplit("/", 1)[-1]))


@functools.lru_cache(maxsize=1 << 14)
def _agent(agent: str) -> str | None:
    """"own", "bot" or None for a user agent; a log holds few distinct ones (the regex is slow)."""
    if OWN_CHECK in agent.lower():
        return "own"
    if BOTS.search(agent.strip()):
        return "bot"
    return None


def reason(hit: Hit) -> str | None:
    """Why a request is not a page view by a person, or None when it is one."""
    program = _agent(hit.agent)
    if program:
        return program
    if hit.method != "GET":
        return "method"
    if hit.status not in PAGE_STATUSES:
        return "status"
    if not is_page(hit.path):
        return "asset"
    return None


def count(lines: Iterable[str], year: int, zone: ZoneInfo | None = None, traffic: Traffic | None = None) -> Traffic:
    """Add the lines' page views of `year` to `traffic` (a new one if None)."""
    traffic = traffic or Traffic(year)
    visitors, ips = traffic.visitors, traffic.ips
    for line in lines:
        if not line.strip():
            continue
        traffic.lines += 1
        hit = parse(line, zone)
        if hit is None:
            traffic.unreadable += 1
            continue
        if hit.day.year != year:
            traffic.other_years += 1
            continue
        first, last = traffic.covered or (hit.day, hit.day)
        traffic.covered = (min(first, hit.day), max(last, hit.day))
        why = reason(hit)
        if why:
            traffic.left_out[why] += 1
            continue
        traffic.page_views += 1
        traffic.views[hit.day] += 1
        visitors.setdefault(hit.day, set()).add((hit.ip, hit.agent))
        ips.add(hit.ip)
    traffic.daily_visitors = sum(len(v) for v in visitors.values())
    traffic.distinct_ips = len(ips)
    traffic.days = len(visitors)
    traffic.first = min(visitors) if visitors else None
    traffic.last = max(visitors) if visitors else None
    return traffic


def lines_of(path: Path) -> Iterable[str]:
    """A log file's lines, gzip or plain (by its first bytes); undecodable bytes replaced."""
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
    opener = gzip.open if gzipped else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as text:
        yield from text


class LogError(Exception):
    """A log file cannot be read; the message is in Chinese."""


def read_files(paths: Iterable[Path], year: int, zone: ZoneInfo | None = None) -> Traffic:
    traffic = Traffic(year)
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise LogError(f"访问日志「{path}」不存在或不是文件")
        lines, unreadable = traffic.lines, traffic.unreadable
        try:
            count(lines_of(path), year, zone, traffic)
        except (OSError, EOFError, gzip.BadGzipFile) as error:
            raise LogError(f"访问日志「{path}」读不出来：{error}") from None
        if traffic.lines > lines and traffic.unreadable - unreadable == traffic.lines - lines:
            first = next((line.strip() for line in lines_of(path) if line.strip()), "")
            raise LogError(f"访问日志「{path}」里没有一行是认识的格式（第一行：{first[:120]}）。"
                           "应为 nginx 默认的 combined 格式或本项目 deploy/nginx/ 的 qcdx 格式")
        traffic.files.append(str(path))
    return traffic
