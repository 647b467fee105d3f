"""python -m macros check | stats | freshness | review | inspect | new | wechat | init | annual-report | health

`check` validates all content without building the site; `stats` prints the
figures of a period, the same computation the pages and bulletins use;
`freshness` lists the news sections that have gone too long without news;
`review` lists what waits for which review step; `inspect` is the
inspection self-check (`inspection.py`); `new` writes a new news item, note, course, instructor or bulletin to edit.
`wechat` writes the 公众号 edition of a news item or note (HTML to paste into WeChat).
`init` turns the demo into an empty school of its own (`school.py`): options, else questions in Chinese.
`annual-report` fills the content-derived part of the 政府网站工作年度报表 (`annual.py`), and
its visits from nginx access logs (`accesslog.py`).
`health URL` checks the live site (`health.py`): reachable, certificate, release, footer, sections.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path


from .content import clock, config as configuration, filing
from .editorial import freshness, health, inspection, review, scaffold, school
from .index import stats
from .output.library import Library
from .index.load import load
from .content.periods import PeriodError, parse
from .content.problems import ContentError


def _site(args):
    settings = _settings(args)
    return load(Path(args.root), args.today, settings.docs_dir, Library.names(set(settings.extra)),
                config_file=settings.file, theme_dir=settings.theme_dir)


def _settings(args) -> configuration.Config:
    """The configuration file (mkdocs.yml, or -f): its `extra:` keys are variables pages may use."""
    return configuration.read(Path(args.root), args.config_file)


def _date(value: str) -> dt.date:
    try:
        return clock.parse_day(value)
    except clock.ClockError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _period(value: str):
    try:
        return parse(value)
    except PeriodError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros", description="党校网站的内容工具")
    parser.add_argument("--root", default=".", help="项目根目录（含 data/ 与 docs/），默认当前目录")
    parser.add_argument("-f", "--config-file", default=configuration.DEFAULT_FILE, metavar="FILE",
                        help="网站的配置文件（相对于项目根目录），默认 mkdocs.yml，与 mkdocs build -f 相同")
    parser.add_argument("--today", type=_date, default=None,
                        help="按哪一天发布（默认：环境变量 SITE_TODAY，否则学校时区的今天）")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="检查全部内容，不生成网站")
    stat = commands.add_parser("stats", help="输出某一时段的统计数字")
    stat.add_argument("--period", type=_period, required=True, help="2023、2023H1、2023Q2 或 2023-05")
    stat.add_argument("--json", action="store_true", help="以 JSON 输出")
    fresh = commands.add_parser("freshness", help="列出超过更新期限的新闻板块（栏目更新提醒）")
    fresh.add_argument("--json", action="store_true", help="以 JSON 输出")
    waiting = commands.add_parser("review", help="列出待审的新闻和学习笔记：缺哪一审、等谁审")
    waiting.add_argument("--json", action="store_true", help="以 JSON 输出")
    audit = commands.add_parser("inspect", help="网站自查：栏目更新、空白栏目、失效链接、表述错误、个人信息")
    audit.add_argument("--json", action="store_true", help="以 JSON 输出")
    audit.add_argument("--report", metavar="FILE", help="另把报告写成 Markdown 文件（CI 放进任务摘要）")
    new = commands.add_parser("new", help="新建一条内容：news 新闻、note 学习笔记、course 课程、instructor 师资、bulletin 简报")
    new.add_argument("kind", metavar="KIND", type=_kind, help="news、note、course、instructor 或 bulletin（也可写中文）")
    new.add_argument("title", metavar="TITLE", nargs="+", help="标题（师资写姓名）")
    new.add_argument("--slug", help="英文名或编号（默认由标题的拼音生成）")
    new.add_argument("--column", help="学习笔记所属的专栏：编号或中文名称")
    wechat = commands.add_parser("wechat", help="生成一篇新闻或学习笔记的公众号版（可粘贴到公众号编辑器的 HTML）")
    wechat.add_argument("path", metavar="PATH", help="文章的 Markdown 文件，例如 docs/news/2025/2025-01-14-gongzuo-huiyi.md")
    wechat.add_argument("-o", "--output", metavar="FILE", help="写入这个文件（默认输出到屏幕）")
    desk_config = commands.add_parser("desk-config", help="生成编辑台（/admin/）的配置 config.yml（由数据模型生成）")
    desk_config.add_argument("-o", "--output", metavar="FILE", help="写入这个文件（默认输出到屏幕）")
    desk_check = commands.add_parser("desk-check", help="与 check 相同，另把问题写成 JUnit 报告（GitLab 合并请求页面上显示）"
                                      "或 GitHub 的标注（拉取请求的文件上显示）")
    desk_check.add_argument("--junit", metavar="FILE", help="JUnit XML 报告写入这个文件（GitLab）")
    desk_check.add_argument("--github", action="store_true",
                            help="每个问题输出一行 GitHub 工作流命令 ::error file=…,line=…::…（GitHub Actions 里运行）")
    desk_site = commands.add_parser("desk", help="把编辑台放进已生成的网站：SITE_DIR/admin/（需要先 npm ci）")
    desk_site.add_argument("--site-dir", default="site", help="已生成的网站目录，默认 site")
    desk_site.add_argument("--site-url", help="编辑台「预览」链接指向的网站地址（默认 mkdocs.yml 的 site_url）")
    start = commands.add_parser("init", help="从演示网站建立本校的空网站：改 mkdocs.yml 的学校信息，删除演示内容",
                                description="从演示网站建立本校的空网站。没有给出的选项，在终端上会逐项询问。")
    for question, option, attribute, _ in school.QUESTIONS:
        start.add_argument(option, dest=attribute, metavar="…",
                           help=question.replace("直接回车：", "默认").replace("没有可直接回车，", "可不写，"))
    start.add_argument("--section", action="append", type=_init_value(school.parse_section), default=[],
                       metavar="ID:名称", help="新闻板块，可写多次（默认：学校要闻、教学培训、科研咨政、机关党建）")
    start.add_argument("--column", action="append", type=_init_value(school.parse_column), default=[],
                       metavar="ID:名称[:责任编辑]", help="学习笔记专栏，可写多次（默认：理论学习笔记）")
    start.add_argument("--conac-logo", type=Path, metavar="FILE", help="党政机关网站标识的图片文件（机构编制部门发放）")
    start.add_argument("--conac-url", metavar="URL", help="党政机关网站标识的链接")
    start.add_argument("--force", action="store_true", help="网站名称已不是演示学校时也执行（会删除现有内容）")
    start.add_argument("--yes", action="store_true", help="在终端上也不再确认")
    annual_ = commands.add_parser("annual-report", help="政府网站工作年度报表中网站能自己统计的部分（信息发布、专栏专题、访问量等）")
    annual_.add_argument("year", metavar="YEAR", type=_year, help="年份，例如 2026")
    annual_.add_argument("--logs", nargs="+", type=Path, default=[], metavar="FILE",
                         help="nginx 访问日志（可多个，.gz 亦可），例如 /var/log/nginx/access.log*")
    annual_.add_argument("--json", action="store_true", help="以 JSON 输出")
    annual_.add_argument("--out", metavar="FILE.md", help="另把报表写成 Markdown 文件（默认只输出到屏幕）")
    alive = commands.add_parser("health", help="检查线上网站：IPv4/IPv6 可达、证书、发布版本、页脚备案信息、栏目更新",
                                description="检查线上网站，有问题时以 1 退出（定时任务据此发通知，见运维手册）")
    alive.add_argument("url", metavar="URL", help="网站地址，例如 https://www.xxdx.gov.cn/")
    alive.add_argument("--ipv4", metavar="ADDR", help="连接这个 IPv4 地址，不查域名解析")
    alive.add_argument("--ipv6", metavar="ADDR", help="连接这个 IPv6 地址，不查域名解析")
    alive.add_argument("--ipv6-optional", action="store_true", help="IPv6 不通只算提醒（学校网络还没有 IPv6 时）")
    alive.add_argument("--cafile", metavar="FILE", help="另用这个根证书验证（内部 CA 或测试）")
    alive.add_argument("--commit", metavar="SHA", help="线上应为这个提交（发布后检查）")
    alive.add_argument("--max-age", type=int, default=health.MAX_AGE_DAYS, metavar="DAYS",
                       help=f"线上网站最多几天没有重新发布（默认 {health.MAX_AGE_DAYS}）")
    alive.add_argument("--json", action="store_true", help="以 JSON 输出")
    for command in (fresh, waiting, audit, new, start, annual_, alive):
        # also accepted after the command, as in `freshness --today 2026-01-01`;
        # SUPPRESS keeps the top-level --today unless this one is given
        command.add_argument("--today", type=_date, default=argparse.SUPPRESS, help="按哪一天计算（默认今天）")
    args = parser.parse_args(argv)
    try:  # the one clock: --today, else SITE_TODAY, else the school's time zone (clock.py)
        args.today = clock.today(args.today, _settings(args).timezone)
    except clock.ClockError as error:
        print(error, file=sys.stderr)
        return 2

    if args.command == "new":
        return _new(args)
    if args.command == "init":
        return _init(args)
    if args.command == "inspect":
        return _inspect(args)
    if args.command == "wechat":
        return _wechat(args)
    if args.command in ("desk-config", "desk", "desk-check"):
        return _desk(args)
    if args.command == "health":
        return _health(args)

    try:
        site = _site(args)
    except ContentError as error:
        print(error, file=sys.stderr)
        print(f"检查未通过：发现 {len(error.problems)} 个问题。", file=sys.stderr)
        return 1
    if args.command == "annual-report":
        return _annual(args, site)
    if args.command == "check":
        print(site.summary())
        for notice in filing.notices(Path(args.root), _settings(args).file, _settings(args).docs_dir, args.today):
            print(f"  提醒：{notice}")  # a warning, not a failure (filing.py)
        for page in review.waiting(site):  # withheld, not a failure: say where and why
            print(f"  待审：{page.file} 第 {review.line_of_review(Path(args.root), page)} 行：{review.pending(site, page)}")
        return 0
    if args.command == "freshness":
        if args.json:
            print(json.dumps(freshness.as_json(site), ensure_ascii=False, indent=2))
        else:
            print(freshness.report(site))
        return 0  # a report: overdue sections are news for the editors, not a failure
    if args.command == "review":
        if args.json:
            print(json.dumps(review.as_json(site), ensure_ascii=False, indent=2))
        else:
            print(review.report(site))
        return 0  # items waiting for review are withheld, not a failure
    figures = stats.figures(site, args.period)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        _print_figures(figures)
    return 0


def _year(value: str) -> int:
    if not value.isdigit() or not 2000 <= int(value) <= 2999:
        raise argparse.ArgumentTypeError(f"年份「{value}」应写成四位数字，例如 2026")
    return int(value)


def _annual(args, site) -> int:
    from .content import filing, reportconfig
    from .editorial import accesslog, annual

    root, settings = Path(args.root), _settings(args)
    record, _ = filing.read(root, settings.file, settings.docs_dir)  # checked by the load already
    classes, _ = reportconfig.read(root, settings.file, {s.id: s.name for s in site.sections.values()})
    traffic = None
    if args.logs:
        try:
            traffic = accesslog.read_files(args.logs, args.year, clock.zone(settings.timezone))
        except (accesslog.LogError, clock.ClockError) as error:
            print(f"没有生成年度报表：{error}", file=sys.stderr)
            return 1
    data = annual.report(site, settings, record, args.year, classes, traffic)
    text = annual.markdown(data, site.sections, site.columns, site.topics)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif not args.out:
        print(text, end="")
    else:
        print(f"已写入 {args.out}。")
    return 0


def _inspect(args) -> int:
    """Exits 1 when the site would fail an inspection (a veto item) or cannot be built."""
    root = Path(args.root)
    settings = _settings(args)
    result = inspection.inspect(root, args.today, settings.docs_dir, set(settings.extra), settings.file)
    if args.report:
        Path(args.report).write_text(result.markdown(), encoding="utf-8")
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        print(result.text())
    return 0 if result.passed else 1


def _desk(args) -> int:
    from .editorial import desk
    root = Path(args.root)
    if args.command == "desk-check":
        try:
            _site(args)
            problems = []
        except ContentError as error:
            problems = error.problems
            print(error, file=sys.stderr)
            print(f"检查未通过：发现 {len(problems)} 个问题。", file=sys.stderr)
        if args.junit:
            Path(args.junit).write_text(desk.junit(problems), encoding="utf-8")
        if args.github:
            from .editorial import annotations
            sys.stdout.write(annotations.annotations(problems))
        if not args.junit and not args.github:
            print("desk-check：请给出 --junit FILE 或 --github", file=sys.stderr)
            return 2
        return 1 if problems else 0
    if args.command == "desk-config":
        text = desk.dump(desk.config(root, args.config_file))
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0
    try:
        missing = desk.write(root, root / args.site_dir, args.config_file, site_url=args.site_url)
    except desk.DeskError as error:  # a CMS version that loads something new from another host
        print(f"没有生成编辑台 /admin/：{error}", file=sys.stderr)
        return 1
    for line in missing:
        print(line, file=sys.stderr)
    if not missing:
        print(f"编辑台已放进 {args.site_dir}/admin/")
    return 0  # a site without the desk is still a site: said, not failed


def _health(args) -> int:
    """Exits 1 when the live site has a problem (a notice alone passes)."""
    result = health.run(args.url, args.today, ipv4=args.ipv4, ipv6=args.ipv6, ipv6_required=not args.ipv6_optional,
                        cafile=args.cafile, commit=args.commit, max_age=args.max_age)
    print(json.dumps(result.as_json(), ensure_ascii=False, indent=2) if args.json else result.text())
    return 0 if result.passed else 1


def _kind(value: str) -> str:
    kind = scaffold.ALIASES.get(value, value)
    if kind not in scaffold.KINDS:
        expected = "、".join(f"{k}（{v}）" for k, v in scaffold.KINDS.items())
        raise argparse.ArgumentTypeError(f"不认识的类型「{value}」，应为 {expected} 之一")
    return kind


def _new(args) -> int:
    try:
        created = scaffold.create(Path(args.root), args.kind, " ".join(args.title), args.today,
                                  slug=args.slug, column=args.column)
    except scaffold.ScaffoldError as error:
        print(f"没有新建任何内容：{error}", file=sys.stderr)
        return 1
    print(created.message())
    return 0


def _init_value(parse):
    def checked(value: str):
        try:
            return parse(value)
        except school.InitError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    return checked


def _ask(question: str, attribute: str, required: bool) -> str | None:
    """One answer from the terminal, asked again until `check` would accept it."""
    while True:
        try:
            answer = input(f"{question}：").strip()
        except EOFError:
            raise school.InitError("没有回答完所有问题") from None
        if not answer and not required:
            return None
        try:
            return school.check_value(attribute, answer)
        except school.InitError as error:
            print(f"  {error}，请重新输入。", file=sys.stderr)


def _init(args) -> int:
    root = Path(args.root)
    terminal = sys.stdin.isatty()
    try:
        school.refuse(root, args.force)  # before any question
        missing = [(q, o, a, r) for q, o, a, r in school.QUESTIONS if getattr(args, a) is None]
        if missing and not terminal:
            required = [f"{o}（{q.split('（')[0]}）" for q, o, _, r in missing if r]
            if required:
                raise school.InitError("缺少：" + "、".join(required) + "。不在终端上运行时请用选项给出，例如 "
                                       "python -m macros init --name 中共XX市委党校 --url https://www.xxdx.gov.cn/ …")
        for question, _, attribute, required in missing if terminal else []:
            setattr(args, attribute, _ask(question, attribute, required))
        answers = school.Answers(
            **{a: getattr(args, a) for _, _, a, _ in school.QUESTIONS},
            sections=args.section, columns=args.column, conac_logo=args.conac_logo, conac_url=args.conac_url)
        if terminal and not args.yes:
            sure = input("将删除演示学校的新闻、学习笔记、简报、学校概况和课程、师资等数据，确定吗？（输入 y 确定）").strip()
            if sure.lower() not in ("y", "yes", "是"):
                print("没有做任何修改。")
                return 1
        done = school.init(root, answers, args.today, force=args.force)
    except school.InitError as error:
        print(f"没有做任何修改：{error}", file=sys.stderr)
        return 1
    print(done.message(answers))
    return 0


def _wechat(args) -> int:
    os.environ["SITE_TODAY"] = args.today.isoformat()  # the build day the site is loaded for
    from .channels import wechat
    from .engine.mkdocs_adapter import converted_pages  # MkDocs converts the page, as the build does

    try:
        site, pages, where = converted_pages(Path(args.root) / args.config_file, [Path(args.path)])
        (page, html), = pages
        fragment = wechat.edition(site, page, html, where["site_url"], where["site_name"])
    except wechat.EditionError as error:
        print(f"没有生成公众号版：{error}", file=sys.stderr)
        return 1
    if args.output:
        Path(args.output).write_text(fragment + "\n", encoding="utf-8")
        print(f"已写入 {args.output}：用浏览器打开，全选复制后粘贴到公众号编辑器（见编辑指南“公众号版”一节，EDITING.md#wechat）。")
    else:
        print(fragment)
    return 0


def _print_figures(figures: dict, indent: int = 0) -> None:
    for key, value in figures.items():
        if isinstance(value, dict):
            print(" " * indent + f"{key}:")
            _print_figures(value, indent + 2)
        else:
            print(" " * indent + f"{key}: {value}")
