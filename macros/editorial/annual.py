"""The content-derived part of the 政府网站工作年度报表 (`python -m macros annual-report 2026`).

Every government-style site files the form by 31 January (国办函〔2018〕12号). What the site
can count itself is filled here, with the same computation as the statistics pages
(`index/stats.py`): the header (from mkdocs.yml: site_name, site_url, `extra.filing`), 信息发布
by class (`extra.report.classes`, `content/reportconfig.py`), 专栏专题, the 公众号 editions, and,
given nginx access logs (`accesslog.py`), 独立用户访问总量 and 网站总访问量. Every figure says
how it was counted, since the form itself defines none of them. Reads only.
"""
from __future__ import annotations

from ..content import models as m
from ..content.config import Config
from ..content.periods import parse
from ..content.reportconfig import CLASSES, ReportConfig
from ..index import stats
from ..index.site import Site
from . import accesslog

TITLE = "政府网站工作年度报表"
HEADER = {"site_name": "网站名称", "site_url": "首页网址", "sponsor": "主办单位", "site_code": "政府网站标识码",
          "icp": "ICP备案号", "police": "公安机关备案号"}  # the form's words for the keys of `header`


def report(site: Site, settings: Config, filing: m.Filing | None, year: int, config: ReportConfig,
           traffic: accesslog.Traffic | None = None) -> dict:
    period = parse(str(year))
    news = stats.news(site, period)
    notes = stats.notes(site, period)
    by_class = None
    unclassified = {}
    if config.configured:
        by_class = {name: sum(news["by_section"].get(s, 0) for s in config.classes[name]) for name in CLASSES}
        placed = {s for ids in config.classes.values() for s in ids}
        unclassified = {s: news["by_section"][s] for s in site.sections if s not in placed}
    columns = stats.columns(site, period)
    topics = stats.topics(site, period)
    return {
        "title": f"{year}年度{TITLE}",
        "year": year,
        "today": site.today.isoformat(),
        "complete": period.end < site.today,  # False: the year is not over, figures so far
        "header": {
            "site_name": settings.site_name,
            "site_url": settings.site_url,
            "sponsor": filing.sponsor if filing else None,
            "site_code": filing.site_code if filing else None,
            "icp": filing.icp if filing else None,
            "police": filing.police if filing else None,
        },
        "information": {
            "total": news["total"] + notes["total"],
            "news": news["total"],
            "notes": notes["total"],
            "classes_configured": config.configured,
            "by_class": by_class,
            "classes": {name: list(ids) for name, ids in config.classes.items()},
            "unclassified": unclassified,
            "by_section": news["by_section"],
        },
        "columns_topics": {
            "maintained": columns["maintained"] + topics["maintained"],
            "opened": columns["opened"] + topics["opened"],
            "columns": columns,
            "topics": topics,
        },
        "wechat": {
            # every published news item and note has a 公众号 edition (channels/wechat.py `offered`)
            "editions": news["total"] + notes["total"],
        },
        "traffic": traffic.as_json() if traffic else None,
    }


def _value(value) -> str:
    return "（未填写）" if value in (None, "") else str(value).replace("|", "\\|")


def markdown(data: dict, sections: dict[str, m.Section], columns: dict[str, m.Column],
             topics: dict[str, m.Topic]) -> str:
    year = data["year"]
    info, ct, traffic = data["information"], data["columns_topics"], data["traffic"]
    name = lambda table, key: table[key].name if key in table else key  # noqa: E731
    out = [f"# {data['title']}", ""]
    if not data["complete"]:
        out += [f"> 注意：{year} 年还没有过完，以下是截至 {data['today']} 的数字。正式填报请在次年 1 月运行"
                f"（例如 `python -m macros annual-report {year}`）。", ""]
    out += ["以下是网站能根据自己的内容和访问日志统计的部分，其余项目（解读回应、办事服务、互动交流、"
            "安全防护等）请按实际情况填写。数字与网站“统计数据”页用同一套计算。", ""]
    out += ["## 基本信息", "", "| 项目 | 内容 |", "|---|---|"]
    out += [f"| {HEADER[key]} | {_value(value)} |" for key, value in data["header"].items()]

    out += ["", "## 网站访问量", ""]
    if traffic:
        out += ["| 项目 | 数值 |", "|---|---|",
                f"| 独立用户访问总量（个） | {traffic['unique_visitors']} |",
                f"| 网站总访问量（次） | {traffic['page_views']} |", "",
                f"另：全年不重复的 IP 地址 {traffic['distinct_ips']} 个；有访问的天数 {traffic['days']} 天"
                + (f"（{traffic['first']} 至 {traffic['last']}）" if traffic["first"] else "") + "。", "",
                f"读取日志 {len(traffic['files'])} 个文件、{traffic['lines']} 行；不计入的 {year} 年请求："
                + ("、".join(f"{accesslog.REASONS[k]} {v} 次" for k, v in traffic["left_out"].items()) or "无")
                + f"；其他年份的请求 {traffic['other_years']} 行；格式不认识的 {traffic['unreadable_lines']} 行。"]
        if traffic["unreadable_lines"]:
            out += ["", "> 有格式不认识的行：日志应为 nginx 默认的 combined 格式或本项目的 qcdx 格式，见运维指南。"]
        covered = traffic["covered"]
        whole = (f"{year}-01-01", f"{year}-12-31") if data["complete"] else (f"{year}-01-01", data["today"])
        if not covered or covered[0] > whole[0] or covered[1] < whole[1]:
            span = f"只有 {covered[0]} 至 {covered[1]} 的" if covered else f"没有 {year} 年的"
            out += ["", f"> 注意：日志里{span}记录，不是全年，上面的数字偏小。两项数字都是逐日相加的，"
                    "可以把各段日志分别统计的按月数字相加（见运维指南）。"]
        if traffic["by_month"]:
            out += ["", "| 月份 | 独立用户访问量（个） | 访问量（次） |", "|---|---|---|"]
            out += [f"| {month} | {m['unique_visitors']} | {m['page_views']} |" for month, m in traffic["by_month"].items()]
    else:
        out += ["没有给出访问日志，独立用户访问总量和网站总访问量未统计。给出 nginx 访问日志即可统计，例如：", "",
                f"    python -m macros annual-report {year} --logs /var/log/nginx/access.log*"]

    out += ["", "## 信息发布", "", "| 项目 | 数量（条） |", "|---|---|", f"| 总数 | {info['total']} |"]
    if info["by_class"] is not None:
        for cls in CLASSES:
            ids = info["classes"][cls]
            where = "、".join(name(sections, s) for s in ids) or "没有归入的板块"
            out.append(f"| {cls}信息更新量 | {info['by_class'][cls]}（{where}） |")
    else:
        out += [f"| {cls}信息更新量 | （未配置分类） |" for cls in CLASSES]
    out += ["", f"总数 = 新闻 {info['news']} 条 + 学习笔记 {info['notes']} 条（{year} 年内发布的，不含草稿、待审和定时发布的）。"]
    if info["by_class"] is None:
        out += ["", "> 还没有配置每个新闻板块属于哪一类：在 mkdocs.yml 的 `extra: report: classes:` 中写明，见运维指南"
                "“政府网站工作年度报表”一节。"]
    elif info["unclassified"]:
        out += ["", "未归入三类的新闻板块（计入总数）：" + "、".join(
            f"{name(sections, s)} {n} 条" for s, n in info["unclassified"].items()) + "。"]

    out += ["", "## 专栏专题", "", "| 项目 | 数量（个） |", "|---|---|",
            f"| 维护数量 | {ct['maintained']} |", f"| 新开设数量 | {ct['opened']} |", "",
            f"专栏（学习笔记专栏）{ct['columns']['maintained']} 个，其中 {year} 年开栏 {ct['columns']['opened']} 个"
            + (f"（{'、'.join(name(columns, c) for c in ct['columns']['opened_ids'])}）" if ct["columns"]["opened_ids"] else "")
            + "，按专栏的开栏日期（started）计。",
            f"专题 {ct['topics']['maintained']} 个，其中 {year} 年新开 {ct['topics']['opened']} 个"
            + (f"（{'、'.join(name(topics, t) for t in ct['topics']['opened_ids'])}）" if ct["topics"]["opened_ids"] else "")
            + "；专题没有开设日期，以它的第一篇新闻或学习笔记的日期为开设日期。"]
    if ct["topics"]["undated"]:
        out.append("还没有文章的专题不计入：" + "、".join(name(topics, t) for t in ct["topics"]["undated"]) + "。")

    out += ["", "## 移动新媒体（微信公众号）", "",
            f"网站为 {year} 年发布的每篇新闻和学习笔记都生成了公众号版，共 {data['wechat']['editions']} 篇。"
            "实际在公众号上发了多少篇、关注量多少，网站不记录，请按公众号后台的数字填写“信息发布量”和“订阅数”。"]

    out += ["", "## 统计口径", ""]
    out += [f"- {rule}" for rule in accesslog.RULES]
    out += ["- 信息发布：按新闻的日期计入年份；每个新闻板块属于哪一类，由 mkdocs.yml 的 `extra: report: classes:` 规定。",
            f"- 统计日：{data['today']}；日志里的时间按学校的时区换算成日期。"]
    return "\n".join(out) + "\n"
