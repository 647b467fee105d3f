"""`python -m macros annual-report YEAR` (issue 23, point 4): the content-derived part of the
政府网站工作年度报表, on the small fixture, against counts made here from the fixture's own files
(front matter, data/*.yaml) and from an access log generated here with bots, the site's own
checks, assets, errors and gzip-rotated files."""
from __future__ import annotations

import datetime as dt
import gzip
import json
import random
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from conftest import TODAY

YEAR = 2023
CLASSES = """  report:
    classes:
      概况类: []
      政务动态: [news-a]
      信息公开目录: [教学培训]
"""
ZONE = ZoneInfo("Asia/Shanghai")  # the small fixture names no time zone: the clock's default


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1])


def published(path: Path, year: int) -> dict | None:
    meta = front_matter(path)
    day = meta["date"]
    if meta.get("draft") or day > TODAY or day.year != year:
        return None
    return meta


def section_ids(root: Path) -> dict[str, str]:
    """Each section's id and name → its id, as editors may write either."""
    sections = yaml.safe_load((root / "data/sections.yaml").read_text(encoding="utf-8"))
    return {**{s["id"]: s["id"] for s in sections}, **{s["name"]: s["id"] for s in sections}}


def expected_content(root: Path, year: int, classes: dict[str, list[str]]) -> dict:
    ids = section_ids(root)
    news = [m for p in sorted((root / "docs/news").rglob("*.md")) if (m := published(p, year))]
    notes = [m for p in sorted((root / "docs/notes").rglob("*.md")) if (m := published(p, year))]
    by_class = {name: sum(ids[n["section"]] in {ids[s] for s in sections} for n in news)
                for name, sections in classes.items()}
    columns = yaml.safe_load((root / "data/columns.yaml").read_text(encoding="utf-8"))
    end = min(dt.date(year, 12, 31), TODAY)
    # a topic opens with its first item, its sub-topics' items included
    topics = yaml.safe_load((root / "data/topics.yaml").read_text(encoding="utf-8"))
    topic_id = {**{t["id"]: t["id"] for t in topics}, **{t["name"]: t["id"] for t in topics}}
    parent = {t["id"]: topic_id.get(t.get("parent")) for t in topics}
    first: dict[str, dt.date] = {}
    everything = [front_matter(p) for p in (root / "docs").rglob("*.md") if "/news/" in p.as_posix()
                  or "/notes/" in p.as_posix()]
    for meta in everything:
        if meta.get("draft") or meta["date"] > TODAY:
            continue
        for written in meta.get("topics", []):
            topic = topic_id[written]
            while topic:
                first[topic] = min(first.get(topic, meta["date"]), meta["date"])
                topic = parent[topic]
    return {
        "total": len(news) + len(notes),
        "by_class": by_class,
        "maintained": sum(c["started"] <= end for c in columns) + sum(d <= end for d in first.values()),
        "opened": sum(c["started"].year == year for c in columns) + sum(d.year == year for d in first.values()),
    }


# --- a generated access log -------------------------------------------------------------------

BROWSERS = [
    "Mozilla/5.0 (Linux; Android 12; V2172A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
]
PROGRAMS = [
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
    "curl/7.88.1", "python-requests/2.31.0", "Wget/1.21.3",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 11) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0 Mobile Safari/537.36 Chrome-Lighthouse",
    "-",
]
OWN = "qcdx-health/1 (+deploy/health check)"
PAGES = ["/", "/news/", "/news/2023/a/", "/notes/col/n1/", "/stats/index.html", "/topics/t1/"]
ASSETS = ["/assets/site.css", "/assets/images/logo.png", "/search/idx/meta.json", "/feed.xml", "/favicon.ico",
          "/covers/news-2023-a-720.jpg"]


def entry(ip: str, when: dt.datetime, method: str, path: str, status: int, agent: str, tail: str = "") -> str:
    stamp = when.strftime("%d/%b/%Y:%H:%M:%S %z")
    return f'{ip} - - [{stamp}] "{method} {path} HTTP/1.1" {status} 1234 "-" "{agent}"{tail}'


def generated_log(seed: int = 23) -> tuple[list[str], dict]:
    """Log lines in time order and what a person's page views among them come to, counted here."""
    rng = random.Random(seed)
    utc = dt.timezone.utc
    lines: list[tuple[dt.datetime, str]] = []
    views = 0
    daily: dict[dt.date, set] = {}
    ips: set = set()
    start = dt.datetime(YEAR - 1, 12, 31, 12, 0, tzinfo=utc)  # a little of the year before and after
    for n in range(1500):
        when = start + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 368))
        ip = f"10.{rng.randrange(3)}.{rng.randrange(4)}.{rng.randrange(12)}"
        kind = rng.choice(["page"] * 6 + ["asset", "program", "own", "error", "redirect", "head", "post"])
        agent = rng.choice(PROGRAMS) if kind == "program" else OWN if kind == "own" else rng.choice(BROWSERS)
        path = rng.choice(ASSETS) if kind == "asset" else rng.choice(PAGES)
        if kind == "page" and rng.random() < 0.2:
            path += "?from=timeline"
        method = {"head": "HEAD", "post": "POST"}.get(kind, "GET")
        status = {"error": 404, "redirect": 301}.get(kind, rng.choice([200, 200, 200, 304]))
        if kind == "program" and rng.random() < 0.5:
            path = rng.choice(PAGES)  # a spider on a page is still no person
        tail = ' "-" 0.004' if rng.random() < 0.3 else ""  # fields an operator may add after the agent
        lines.append((when, entry(ip, when, method, path, status, agent, tail)))
        day = when.astimezone(ZONE).date()
        if kind == "page" and day.year == YEAR:
            views += 1
            daily.setdefault(day, set()).add((ip, agent))
            ips.add(ip)
            for later in range(rng.randrange(3)):  # more pages in the same visit (or another browser on the same IP)
                other = agent if later == 0 else rng.choice(BROWSERS)
                moment = when + dt.timedelta(seconds=20 * (later + 1))
                lines.append((moment, entry(ip, moment, "GET", rng.choice(PAGES), 200, other)))
                moment_day = moment.astimezone(ZONE).date()
                if moment_day.year == YEAR:
                    views += 1
                    daily.setdefault(moment_day, set()).add((ip, other))
    lines.sort()
    return [line for _, line in lines], {
        "page_views": views, "unique_visitors": sum(len(v) for v in daily.values()), "distinct_ips": len(ips)}


def write_rotated(folder: Path, lines: list[str]) -> list[Path]:
    """As logrotate leaves them: access.log (newest), access.log.1, access.log.2.gz, access.log.3.gz."""
    quarter = len(lines) // 4
    chunks = [lines[3 * quarter:], lines[2 * quarter:3 * quarter], lines[quarter:2 * quarter], lines[:quarter]]
    names = ["access.log", "access.log.1", "access.log.2.gz", "access.log.3.gz"]
    paths = []
    for name, chunk in zip(names, chunks):
        data = ("\n".join(chunk) + "\n").encode("utf-8")
        path = folder / name
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
        paths.append(path)
    (folder / "access.log.1").write_bytes((folder / "access.log.1").read_bytes() + b"garbage that is no log line\n")
    return paths


@pytest.fixture
def school(small):
    small.append("mkdocs.yml", CLASSES)
    # a second column opened in another year, a news item of the next year on a new topic
    small.append("data/columns.yaml", "- id: col2\n  name: 第二专栏\n  editor: 李四\n  started: 2024-03-01\n")
    small.write("docs/notes/col2/2024-03-02-m1.md", "---\ntitle: 第二专栏笔记\ndate: 2024-03-02\nauthor: 李四\n---\n正文。\n")
    # a topic with no item of its own opens with its sub-topic's; one with nothing is not counted
    small.append("data/topics.yaml", "- id: t5\n  name: 上级专题\n- id: t6\n  name: 下级专题\n  parent: t5\n"
                                     "- id: t7\n  name: 空专题\n")
    small.write("docs/news/2024/2024-05-01-d.md",
                "---\ntitle: 新闻丁\ndate: 2024-05-01\nsection: news-a\ntopics: [t3, t6]\nsource: original\n---\n正文丁。\n")
    return small


def test_the_report_counts_what_the_fixture_holds(school, tmp_path):
    logs, counted = generated_log()
    paths = write_rotated(tmp_path, logs)
    result = school.run("-m", "macros", "annual-report", str(YEAR), "--json", "--logs", *map(str, paths))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    classes = {"概况类": [], "政务动态": ["news-a"], "信息公开目录": ["教学培训"]}
    expected = expected_content(school.root, YEAR, classes)
    assert data["information"]["total"] == expected["total"] > 0
    assert data["information"]["by_class"] == expected["by_class"]
    assert expected["by_class"]["政务动态"] and expected["by_class"]["信息公开目录"]
    assert data["columns_topics"]["maintained"] == expected["maintained"]
    assert data["columns_topics"]["opened"] == expected["opened"]
    assert data["wechat"]["editions"] == expected["total"]
    filing = yaml.safe_load(school.path("mkdocs.yml").read_text(encoding="utf-8"))["extra"]["filing"]
    assert data["header"]["sponsor"] == filing["sponsor"]
    assert data["header"]["site_code"] == filing["site_code"]
    assert data["header"]["icp"] == filing["icp"]
    traffic = data["traffic"]
    assert {k: traffic[k] for k in counted} == counted
    assert counted["unique_visitors"] < counted["page_views"]  # repeat visits of a day count once
    assert traffic["unreadable_lines"] == 1
    assert set(traffic["left_out"]) == {"bot", "own", "method", "status", "asset"}
    assert len(traffic["files"]) == 4
    months = traffic["by_month"].values()
    assert sum(m["page_views"] for m in months) == counted["page_views"]
    assert sum(m["unique_visitors"] for m in months) == counted["unique_visitors"]
    assert traffic["covered"] == [f"{YEAR}-01-01", f"{YEAR}-12-31"]


def test_the_next_year_counts_its_own_items(school):
    from macros.content import config, reportconfig
    from macros.editorial import annual

    site = school.load()
    classes, problems = reportconfig.read(school.root, "mkdocs.yml", {s.id: s.name for s in site.sections.values()})
    assert problems == []
    data = annual.report(site, config.read(school.root), None, YEAR + 1, classes)
    expected = expected_content(school.root, YEAR + 1, {"概况类": [], "政务动态": ["news-a"], "信息公开目录": ["teach"]})
    assert data["information"]["total"] == expected["total"] == 2
    from macros.channels import wechat  # the rule annual.py restates (editorial may not import channels)
    offered = [p for p in [*site.news, *site.notes, *site.unpublished] if wechat.offered(site, p) and p.date.year == YEAR + 1]
    assert data["wechat"]["editions"] == len(offered)
    assert data["columns_topics"]["opened"] == expected["opened"] == 4  # col2, t3, t6 and t5 through t6
    assert data["columns_topics"]["topics"]["undated"] == ["t7"]
    text = annual.markdown(data, site.sections, site.columns, site.topics)
    assert "第二专栏" in text and "乡村振兴" in text and "上级专题" in text
    assert "还没有文章的专题不计入：空专题" in text
    assert "没有给出访问日志" in text


def test_the_markdown_report_is_written_where_asked(school, tmp_path):
    logs, counted = generated_log(seed=5)
    paths = write_rotated(tmp_path, logs)
    result = school.run("-m", "macros", "annual-report", str(YEAR), "--out", "report.md", "--logs", *map(str, paths))
    assert result.returncode == 0, result.stderr
    text = school.path("report.md").read_text(encoding="utf-8")
    assert f"| 独立用户访问总量（个） | {counted['unique_visitors']} |" in text
    assert f"| 网站总访问量（次） | {counted['page_views']} |" in text
    assert "| 主办单位 | 测试学校 |" in text
    assert "qcdx-health" in text and "日独立访客" in text  # how it was counted, said


@pytest.mark.parametrize("classes, field, words", [
    ("      政务动态: [news-b]\n", "extra.report.classes.政务动态", ["news-b", "是否是「news-a」"]),
    ("      政务动态类: [news-a]\n", "extra.report.classes.政务动态类", ["是否是「政务动态」"]),
    ("      政务动态: [news-a]\n      概况类: [news-a]\n", "extra.report.classes.概况类", ["已经归入「政务动态」"]),
])
def test_a_mistyped_class_is_a_chinese_problem_of_the_build(small, classes, field, words):
    small.append("mkdocs.yml", "  report:\n    classes:\n" + classes)
    found = [p for p in small.problems() if f"字段「{field}」" in p]
    assert len(found) == 1, small.problems()
    assert found[0].startswith("mkdocs.yml 第 ")
    for word in words:
        assert word in found[0]


def test_a_mistyped_class_stops_the_report(small):
    small.append("mkdocs.yml", "  report:\n    classes:\n      政务动态: [news-b]\n")
    result = small.run("-m", "macros", "annual-report", str(YEAR))
    assert result.returncode == 1
    assert "没有编号为「news-b」的新闻板块" in result.stderr and result.stdout == ""


def test_a_log_line_of_each_format():
    from macros.editorial import accesslog

    combined = entry("1.2.3.4", dt.datetime(2023, 5, 1, 23, 30, tzinfo=dt.timezone.utc), "GET", "/news/", 200,
                     BROWSERS[0])
    hit = accesslog.parse(combined, ZONE)
    assert (hit.ip, hit.day, hit.path, hit.status, hit.agent) == ("1.2.3.4", dt.date(2023, 5, 2), "/news/", 200, BROWSERS[0])
    common = '1.2.3.4 - - [01/May/2023:10:00:00 +0800] "GET / HTTP/1.1" 200 512'
    assert accesslog.reason(accesslog.parse(common)) == "bot"  # no user agent: no person
    as_json = json.dumps({"remote_addr": "5.6.7.8", "time_iso8601": "2023-05-01T10:00:00+08:00",
                          "request": "GET /a/ HTTP/2.0", "status": "200", "http_user_agent": BROWSERS[1]})
    assert accesslog.reason(accesslog.parse(as_json)) is None
    assert accesslog.parse("not a log line") is None
    assert accesslog.reason(accesslog.parse(entry("1.1.1.1", dt.datetime(2023, 1, 2, tzinfo=dt.timezone.utc),
                                                  "GET", "/", 200, "curl/8 qcdx-health"))) == "own"


def test_a_missing_log_is_said_in_chinese(school, tmp_path):
    result = school.run("-m", "macros", "annual-report", str(YEAR), "--logs", str(tmp_path / "nope.log"))
    assert result.returncode == 1
    assert "不存在" in result.stderr and "Traceback" not in result.stderr


def test_init_points_the_classes_at_the_new_schools_sections(tmp_path):
    """The demo's mkdocs.yml names the demo's sections in extra.report; `init` replaces them with
    the new school's (all 政务动态), or the new school's first check would fail."""
    from test_init import OPTIONS, copy_demo, init
    from macros.content import reportconfig

    school = copy_demo(tmp_path / "school")
    school.edit("mkdocs.yml", "\nextra_css:", "\n  report:\n    classes:\n      概况类: [media]\n"
                "      政务动态: [school-news, teaching]  # 注释留下\n      信息公开目录: []\nextra_css:")
    result = init(school, *OPTIONS, "--section", "yaowen:学校要闻", "--section", "tongzhi:通知公告")
    assert result.returncode == 0, result.stderr
    school.edit("mkdocs.yml", "second: [请填写复审人姓名], final: [请填写终审人姓名]", "second: [周春], final: [吴夏]")
    site = school.load()
    classes, problems = reportconfig.read(school.root, "mkdocs.yml", {s.id: s.name for s in site.sections.values()})
    assert problems == []
    assert classes.classes == {"概况类": (), "政务动态": ("yaowen", "tongzhi"), "信息公开目录": ()}


# --- what real nginx writes ---------------------------------------------------------------------


def request(origin: str, method: str, path: str, agent: str | None, headers: dict | None = None):
    import http.client
    import urllib.parse

    url = urllib.parse.urlsplit(origin)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    sent = dict(headers or {})
    if agent is not None:
        sent["User-Agent"] = agent
    connection.request(method, path, headers=sent)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.mark.server
def test_the_log_real_nginx_writes_is_counted(demo):
    """nginx's own combined lines (the project's nginx files, tools/nginx.py): people's pages
    counted, a 304 too; the health check, programs, an asset, a 404 and a HEAD left out."""
    from macros.editorial import accesslog
    from tools import nginx

    css = next(demo.site.glob("assets/*.css")).relative_to(demo.site).as_posix()
    first, second = BROWSERS[0], BROWSERS[2]
    with nginx.start(demo.site) as (origin, workdir):
        assert request(origin, "GET", "/", first).status == 200
        tag = request(origin, "GET", "/news/", first).getheader("ETag")
        assert request(origin, "GET", "/news/", first, {"If-None-Match": tag}).status == 304
        assert request(origin, "GET", "/stats/", second).status == 200
        assert request(origin, "GET", "/" + css, first).status == 200
        assert request(origin, "GET", "/no-such-page/", first).status == 404
        assert request(origin, "HEAD", "/", first).status == 200
        assert request(origin, "GET", "/", f"{OWN} curl/8").status == 200
        assert request(origin, "GET", "/", PROGRAMS[0]).status == 200
        assert request(origin, "GET", "/", None).status == 200  # http.client sends no User-Agent
        log = workdir / "access.log"
        lines = log.read_text(encoding="utf-8").splitlines()
        year = accesslog.parse(lines[0], ZONE).day.year
        traffic = accesslog.read_files([log], year, ZONE)
    assert len(lines) == 10 and traffic.unreadable == 0
    assert traffic.page_views == 4
    assert traffic.daily_visitors == 2 and traffic.distinct_ips == 1  # two browsers on one address
    assert dict(traffic.left_out) == {"asset": 1, "status": 1, "method": 1, "own": 1, "bot": 2}


def log_formats() -> dict[str, str]:
    """The `log_format`s of the project's nginx files (deploy/nginx/), name → format."""
    import re

    from conftest import ROOT

    found = {}
    for conf in sorted((ROOT / "deploy/nginx").rglob("*.conf")):
        text = conf.read_text(encoding="utf-8")
        for name, body in re.findall(r"^\s*log_format\s+(\S+)\s+((?:escape=\S+\s+)?(?:'[^']*'\s*)+);", text, re.M):
            found[name] = "".join(re.findall(r"'([^']*)'", body))
    return found


SAMPLE = {"time_iso8601": "2023-05-01T23:30:00+08:00", "time_local": "01/May/2023:23:30:00 +0800",
          "remote_addr": "203.0.113.5", "request": "GET /news/ HTTP/1.1", "request_method": "GET",
          "request_uri": "/news/", "uri": "/news/", "qcdx_path": "/news/", "server_protocol": "HTTP/1.1",
          "status": "200", "body_bytes_sent": "5120", "http_user_agent": BROWSERS[0], "host": "qcdx.example.cn"}


@pytest.mark.parametrize("name, fmt", [
    ("combined", '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
                 '"$http_referer" "$http_user_agent"'),
    # the project's own format, as ops-nginx writes it (deploy/nginx/http.conf), also read from the files below
    ("qcdx", '$time_iso8601 $remote_addr "$request_method $qcdx_path $server_protocol" $status $body_bytes_sent '
             '"$qcdx_referer" "$http_user_agent" $host'),
    *log_formats().items(),
])
def test_every_log_format_of_the_project_is_read(name, fmt):
    import re

    from macros.editorial import accesslog

    line = re.sub(r"\$([a-z0-9_]+)", lambda m: SAMPLE.get(m[1], "-"), fmt)
    hit = accesslog.parse(line, ZONE)
    assert hit is not None, line
    assert (hit.ip, hit.day, hit.method, hit.path, hit.status, hit.agent) == \
        ("203.0.113.5", dt.date(2023, 5, 1), "GET", "/news/", 200, BROWSERS[0])
    assert accesslog.reason(hit) is None


def test_a_log_of_part_of_the_year_is_said_to_be_short():
    from macros.content import config, reportconfig
    from macros.editorial import accesslog, annual
    from macros.index.site import Site

    lines = [entry("10.0.0.1", dt.datetime(YEAR, month, 10, 9, tzinfo=ZONE), "GET", "/", 200, BROWSERS[0])
             for month in (7, 8, 8)]
    traffic = accesslog.count(lines, YEAR, ZONE)
    assert traffic.months() == {f"{YEAR}-07": {"page_views": 1, "unique_visitors": 1},
                                f"{YEAR}-08": {"page_views": 2, "unique_visitors": 1}}
    site = Site.build(today=TODAY, sections=[], columns=[], topics=[], courses=[], instructors=[], trainings=[],
                      research=[], news=[], notes=[], bulletins=[])
    data = annual.report(site, config.Config(), None, YEAR, reportconfig.ReportConfig(), traffic)
    text = annual.markdown(data, {}, {}, {})
    assert f"只有 {YEAR}-07-10 至 {YEAR}-08-10 的记录，不是全年" in text
    assert f"| {YEAR}-08 | 1 | 2 |" in text


def test_a_log_in_no_known_format_is_refused(school, tmp_path):
    log = tmp_path / "other.log"
    log.write_text('qcdx.example.cn 203.0.113.5 [01/May/2023:10:00:00 +0800] "GET / HTTP/1.1" 200\n' * 3,
                   encoding="utf-8")
    result = school.run("-m", "macros", "annual-report", str(YEAR), "--logs", str(log))
    assert result.returncode == 1
    assert "没有一行是认识的格式" in result.stderr and "Traceback" not in result.stderr
