"""The filing footer's values, read from mkdocs.yml (`extra: filing:`) and checked like content.

A site in mainland China must show its ICP and 公网安备 numbers on every page, so a missing
or malformed value is a content problem (file mkdocs.yml, the key's line, in Chinese),
reported by `python -m macros check` and by the build with every other problem.
On a real domain (site_url not example.cn, *.test, localhost …) the demo's fictional name and
numbers left in mkdocs.yml are a problem too (demo.demo_leftovers); outside the demo, a
placeholder site_url (example.cn, localhost …) is one (demo.placeholder_site_url).

The 公网安备 number is issued only after the site opens (the filing is due within 30 days of
opening): until then `police: {pending: true, opened: 2026-12-01}`. The footer leaves the number
out; `notices()` (printed by `check`) warns until 30 days after `opened` by the one clock, after
which `read(…, today)` reports a problem, so the build stops until the number is written in.
Knows nothing of MkDocs: the file is read by `config.py`, keeping lines (yamlsrc).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import config as configuration
from . import models as m
from . import demo
from .problems import Problem
from .validate import Collector, validate
from .yamlsrc import Mapping

KEY = "extra.filing"
EXAMPLE = ("extra:\n  filing:\n    sponsor: 中共青川市委党校\n    address: 青川市临江区学府路88号\n"
           "    phone: 0971-1234567\n    icp: 青ICP备12345678号-1\n    police: 青公网安备63010202000123号\n"
           "    site_code: 6301000012")


POLICE_DAYS = 30  # 《计算机信息网络国际联网安全保护管理办法》第十二条: filed within 30 days of opening


def read(root: Path, config_file: str = "mkdocs.yml", docs_dir: str = "docs",
         today: dt.date | None = None) -> tuple[m.Filing | None, list[Problem]]:
    """The footer's values, or None and every problem found. With `today` (the one clock), a
    公网安备 number still pending 30 days after the site opened is a problem."""
    settings = configuration.read(root, config_file)
    if not settings.readable:
        return None, []  # MkDocs itself reports an unreadable configuration, better than we could
    config = settings.data
    extra = config.get("extra")
    filing = extra.get("filing") if isinstance(extra, Mapping) else None
    if not isinstance(filing, Mapping):
        line = extra.lines.get("filing", extra.line) if isinstance(extra, Mapping) else 0
        return None, [Problem(config_file, line, "", KEY, "网站缺少页脚的备案信息（主办单位、ICP备案号、公网安备号、网站标识码等），"
                              "在中国大陆上线的网站每一页都必须显示。请在 mkdocs.yml 中写上，例如：\n" + EXAMPLE)]

    out = Collector(Path(root))
    record = validate(out, m.Filing, filing, config_file, filing.line)
    problems = [Problem(p.file, p.line, "", f"{KEY}.{p.field}" if p.field else KEY, p.message) for p in out.problems]
    if record and record.conac_logo and not (Path(root) / docs_dir / record.conac_logo).is_file():
        problems.append(Problem(config_file, filing.lines.get("conac_logo", filing.line), "", f"{KEY}.conac_logo",
                                f"党政机关网站标识的图片「{record.conac_logo}」不存在：请把图片放在 "
                                f"{docs_dir}/{record.conac_logo}，或改正路径"))
    if record and today and record.police_pending and _police_days(record, today) > POLICE_DAYS:
        problems.append(Problem(config_file, _police_line(filing), "", f"{KEY}.police", _police_text(record, today) +
                                "，已超过 30 天的期限：请写上公安机关给出的编号，例如 police: 青公网安备63010202000123号"
                                "（在全国互联网安全管理服务平台 www.beian.gov.cn 办理）"))
    placeholder = demo.placeholder_site_url(config)
    if placeholder:
        problems.append(Problem(config_file, config.lines.get("site_url", 0), "", "site_url", placeholder))
    found = demo.demo_leftovers(config, Path(root), docs_dir)
    if found:  # the demo's fictional numbers and name, on a real domain
        problems.append(Problem(config_file, config.lines.get("site_url", 0), "", "site_url",
                                demo.leftovers_message(str(config.get("site_url")), found)))
    return (None if problems else record), problems


def _police_days(record: m.Filing, today: dt.date) -> int:
    return (today - record.police.opened).days


def _police_line(filing: Mapping) -> int:
    return filing.lines.get("police", filing.line)


def _police_text(record: m.Filing, today: dt.date) -> str:
    days = _police_days(record, today)
    since = f"已开通 {days} 天" if days >= 0 else f"还有 {-days} 天开通"
    return f"公网安备号还在申请中（police: pending）：网站 {record.police.opened.isoformat()} 开通，{since}"


def notices(root: Path, config_file: str = "mkdocs.yml", docs_dir: str = "docs",
            today: dt.date | None = None) -> list[str]:
    """Warnings that do not stop the build (`check` prints them): a 公网安备 number still pending,
    within its 30 days. [] when the footer has problems (those are reported instead)."""
    record, problems = read(root, config_file, docs_dir, today)
    if not record or not record.police_pending or today is None:
        return []
    filing = configuration.read(root, config_file).extra.get("filing")
    left = POLICE_DAYS - _police_days(record, today)
    return [f"{config_file} 第 {_police_line(filing)} 行，字段「{KEY}.police」：{_police_text(record, today)}。"
            f"页脚暂不显示公网安备号；请在 {(record.police.opened + dt.timedelta(days=POLICE_DAYS)).isoformat()} 之前"
            f"（还有 {left} 天）办好备案，把编号写在这里，否则之后网站无法更新"]
