"""Is the live site well? `python -m macros health https://www.xxdx.gov.cn/`

Asks the site itself, as a reader's browser would, and says in Chinese what is wrong:

- reachable over IPv4 and over IPv6, each on its own (the home page answers 200); an address
  family without any address (no A / AAAA record), or one that does not answer, is a problem —
  for IPv6 only a notice with `ipv6_required=False` (a school whose network has no IPv6 yet);
- the certificate: valid for the name, days left by the one clock (fewer than 21: a notice;
  expired or not valid: a problem);
- site/release.json (written by every build, `release.py`): present, of the expected commit if
  one is given, built within `max_age` days (the scheduled rebuild runs every night);
- the filing footer on the home page (ICP number; 公网安备 number, a notice while it is pending);
- every news section within its `update_every_days`, by release.json's newest item of each and
  the same rule as `python -m macros freshness` (freshness.late).

`run()` returns the findings; `report()` words them. The command exits 1 when any is a problem:
a systemd timer (deploy/health.timer) runs it and sends the report (deploy/health.sh).
Connections go to the addresses given (`ipv4=`, `ipv6=`) instead of the name's DNS records
when given: a test, or one server of several.
"""
from __future__ import annotations

import datetime as dt
import http.client
import json
import re
import socket
import ssl
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from ..content import models as m
from . import freshness

CERT_WARN_DAYS = 21
MAX_AGE_DAYS = 2
PROBLEM, NOTICE, FINE = "问题", "提醒", "正常"
EXPIRED = 10  # X509_V_ERR_CERT_HAS_EXPIRED


@dataclass(frozen=True)
class Finding:
    level: str  # PROBLEM, NOTICE or FINE
    what: str  # 可达性, 证书, 发布, 页脚, 栏目更新
    message: str

    def line(self) -> str:
        return f"  [{self.level}] {self.what}：{self.message}"


@dataclass
class Result:
    url: str
    today: dt.date
    findings: list[Finding] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not any(f.level == PROBLEM for f in self.findings)

    def add(self, level: str, what: str, message: str) -> None:
        self.findings.append(Finding(level, what, message))

    def text(self) -> str:
        problems = sum(f.level == PROBLEM for f in self.findings)
        notices = sum(f.level == NOTICE for f in self.findings)
        lines = [f"网站健康检查：{self.url}（按 {self.today.isoformat()} 计算）"]
        lines += [f.line() for f in sorted(self.findings, key=lambda f: (PROBLEM, NOTICE, FINE).index(f.level))]
        if problems:
            lines.append(f"结论：发现 {problems} 个问题、{notices} 个提醒，请尽快处理（运维手册 OPERATIONS.md#health）。")
        else:
            lines.append(f"结论：没有问题" + (f"，{notices} 个提醒。" if notices else "。"))
        return "\n".join(lines)

    def as_json(self) -> dict:
        return {"url": self.url, "today": self.today.isoformat(), "passed": self.passed,
                "findings": [asdict(f) for f in self.findings]}


@dataclass
class _Answer:
    status: int
    body: bytes


class _Fetcher:
    """GET requests to one address of the site, the URL's name sent as Host and in the TLS handshake."""

    def __init__(self, host: str, port: int, tls: bool, address: str, cafile: str | None, timeout: float):
        self.host, self.port, self.tls, self.address, self.timeout = host, port, tls, address, timeout
        self.verified = ssl.create_default_context(cafile=cafile) if cafile else ssl.create_default_context()
        self.unverified = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # after a certificate problem: the rest is still checked
        self.unverified.check_hostname = False
        self.unverified.verify_mode = ssl.CERT_NONE
        self.context = self.verified

    def get(self, path: str) -> _Answer:
        family = socket.AF_INET6 if ":" in self.address else socket.AF_INET
        raw = socket.socket(family, socket.SOCK_STREAM)
        raw.settimeout(self.timeout)
        try:
            raw.connect((self.address, self.port))
            sock = self.context.wrap_socket(raw, server_hostname=self.host) if self.tls else raw
        except BaseException:
            raw.close()
            raise
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        connection.sock = sock
        try:
            name = self.host if self.port in (80, 443) else f"{self.host}:{self.port}"
            connection.request("GET", path, headers={"Host": name, "User-Agent": "qcdx-health/1",
                                                     "Accept-Encoding": "identity"})
            response = connection.getresponse()
            return _Answer(response.status, response.read())
        finally:
            connection.close()

    def certificate(self) -> dict:
        family = socket.AF_INET6 if ":" in self.address else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as raw:
            raw.settimeout(self.timeout)
            raw.connect((self.address, self.port))
            with self.verified.wrap_socket(raw, server_hostname=self.host) as sock:
                return sock.getpeercert()


def _addresses(host: str, port: int, family: int) -> list[str]:
    try:
        return list(dict.fromkeys(info[4][0] for info in socket.getaddrinfo(host, port, family, socket.SOCK_STREAM)))
    except socket.gaierror:
        return []


def _why(error: BaseException) -> str:
    if isinstance(error, socket.timeout):
        return "超时"
    if isinstance(error, ConnectionRefusedError):
        return "连接被拒绝"
    if isinstance(error, ssl.SSLError):
        return f"TLS 握手失败（{error.reason or error}）"
    return f"{type(error).__name__}：{error}"


def run(url: str, today: dt.date, *, ipv4: str | None = None, ipv6: str | None = None, ipv6_required: bool = True,
        cafile: str | None = None, commit: str | None = None, max_age: int = MAX_AGE_DAYS,
        timeout: float = 10) -> Result:
    parts = urlsplit(url)
    result = Result(url, today)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        result.add(PROBLEM, "网址", f"「{url}」不是网站地址，应写成 https://www.xxdx.gov.cn/")
        return result
    host, tls = parts.hostname, parts.scheme == "https"
    port = parts.port or (443 if tls else 80)
    base = (parts.path or "/").rstrip("/") + "/"

    reachable: list[_Fetcher] = []
    for label, family, given, required in (("IPv4", socket.AF_INET, ipv4, True),
                                           ("IPv6", socket.AF_INET6, ipv6, ipv6_required)):
        missing = PROBLEM if required else NOTICE
        addresses = [given] if given else _addresses(host, port, family)
        if not addresses:
            record = "A" if label == "IPv4" else "AAAA"
            result.add(missing, "可达性", f"{label}：{host} 没有 {label} 地址（域名解析里没有 {record} 记录）")
            continue
        address = addresses[0]
        where = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
        fetcher = _Fetcher(host, port, tls, address, cafile, timeout)
        try:
            answer = fetcher.get(base)
        except ssl.SSLCertVerificationError:
            fetcher.context = fetcher.unverified  # the certificate is judged below; is the site there?
            try:
                answer = fetcher.get(base)
            except (OSError, http.client.HTTPException) as error:
                result.add(missing, "可达性", f"{label}：{where} 无法访问（{_why(error)}）")
                continue
        except (OSError, http.client.HTTPException) as error:
            result.add(missing, "可达性", f"{label}：{where} 无法访问（{_why(error)}）")
            continue
        if answer.status != 200:
            result.add(missing, "可达性", f"{label}：{where} 首页返回 HTTP {answer.status}，应为 200")
            continue
        result.add(FINE, "可达性", f"{label}：{where} 首页正常（HTTP 200）")
        reachable.append(fetcher)
        if len(reachable) == 1:
            home = answer.body.decode("utf-8", "replace")

    if not reachable:
        result.add(PROBLEM, "可达性", "网站完全无法访问，其余各项没有检查")
        return result
    fetcher = reachable[0]
    if tls:
        _certificate(result, fetcher, today)
    _release(result, fetcher, base, today, commit, max_age)
    _footer(result, home)
    return result


def _certificate(result: Result, fetcher: _Fetcher, today: dt.date) -> None:
    try:
        cert = fetcher.certificate()
    except ssl.SSLCertVerificationError as error:
        if error.verify_code == EXPIRED:
            result.add(PROBLEM, "证书", "HTTPS 证书已过期：读者的浏览器会拦截网站。请立即续期并 reload nginx"
                                       "（运维手册 OPERATIONS.md#tls）")
        else:
            result.add(PROBLEM, "证书", f"HTTPS 证书无效：{error.verify_message}（证书与域名 {fetcher.host} 不符、"
                                       "证书链不完整或不是受信任的机构签发）")
        return
    except (OSError, ssl.SSLError) as error:
        result.add(PROBLEM, "证书", f"无法读取 HTTPS 证书（{_why(error)}）")
        return
    ends = dt.datetime.fromtimestamp(ssl.cert_time_to_seconds(cert["notAfter"]), dt.timezone.utc).date()
    left = (ends - today).days
    if left < 0:
        result.add(PROBLEM, "证书", f"HTTPS 证书已于 {ends.isoformat()} 过期：请立即续期")
    elif left < CERT_WARN_DAYS:
        result.add(NOTICE, "证书", f"HTTPS 证书还有 {left} 天到期（{ends.isoformat()}），少于 {CERT_WARN_DAYS} 天："
                                  "自动续期可能没有成功，请检查（运维手册 OPERATIONS.md#tls）")
    else:
        result.add(FINE, "证书", f"HTTPS 证书有效，还有 {left} 天到期（{ends.isoformat()}）")


def _release(result: Result, fetcher: _Fetcher, base: str, today: dt.date, commit: str | None, max_age: int) -> None:
    try:
        answer = fetcher.get(base + "release.json")
        stamp = json.loads(answer.body) if answer.status == 200 else None
    except (OSError, http.client.HTTPException, ValueError) as error:
        result.add(PROBLEM, "发布", f"无法读取 release.json（{_why(error)}）")
        return
    if not isinstance(stamp, dict):
        result.add(PROBLEM, "发布", f"网站上没有 release.json（HTTP {answer.status}）：不是本程序生成的网站，或发布不完整")
        return
    live = str(stamp.get("commit") or "")
    try:
        built = dt.date.fromisoformat(str(stamp.get("built")))
    except ValueError:
        result.add(PROBLEM, "发布", f"release.json 的 built「{stamp.get('built')}」不是日期")
        return
    age = (today - built).days
    behind = bool(commit) and not (live and (live.startswith(commit) or commit.startswith(live)))
    if behind:
        result.add(PROBLEM, "发布", f"线上版本是 {live[:12] or '（未知）'}，不是最新的 {commit[:12]}：最近一次发布没有生效"
                                   "（或已回滚、已固定，见运维手册“回滚”一节）")
    if age > max_age:
        result.add(PROBLEM, "发布", f"线上网站是 {built.isoformat()} 生成的，已 {age} 天没有重新发布"
                                   f"（每晚定时发布，应不超过 {max_age} 天）：定时发布可能失败了，请查看 CI")
    elif not behind:
        result.add(FINE, "发布", f"线上版本 {live[:12] or '（未知）'}，{built.isoformat()} 生成")
    sections = stamp.get("sections") or []
    late = []
    for entry in sections:
        try:
            section = m.Section.model_construct(id=str(entry["id"]), name=str(entry["name"]), kind="news",
                                                update_every_days=int(entry["every"]), editor=entry.get("editor"))
            last = dt.date.fromisoformat(entry["last"]) if entry.get("last") else None
        except (KeyError, TypeError, ValueError):
            result.add(PROBLEM, "栏目更新", f"release.json 的板块记录看不懂：{entry!r}")
            continue
        found = freshness.late(section, last, today)
        if found:
            late.append(found)
            result.add(PROBLEM, "栏目更新", found.line())
    if sections and not late:
        result.add(FINE, "栏目更新", f"全部 {len(sections)} 个板块都在更新期限内")


ICP = re.compile(r"[\u4e00-\u9fff]ICP备\d{6,10}号(?:-\d{1,4})?")
POLICE = re.compile(r"[\u4e00-\u9fff]公网安备 ?\d{14}号")


def _footer(result: Result, home: str) -> None:
    if 'class="md-copyright qc-filing"' not in home or not ICP.search(home) or "beian.miit.gov.cn" not in home:
        result.add(PROBLEM, "页脚", "首页的页脚没有备案信息（ICP备案号及其链接）：在中国大陆上线的网站每一页都必须显示")
        return
    if not POLICE.search(home):
        result.add(NOTICE, "页脚", "首页的页脚没有公网安备号：还在申请中时可以，开通后 30 日内要写上（运维手册 OPERATIONS.md#launch）")
        return
    result.add(FINE, "页脚", f"首页的页脚有备案信息（{ICP.search(home).group(0)}、{POLICE.search(home).group(0)}）")
