"""python -m macros check | stats

`check` validates all content without building the site; `stats` prints the
figures of a period, the same computation the pages and bulletins use.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import yaml

from . import stats
from .library import Library
from .load import load
from .periods import PeriodError, parse
from .problems import ContentError


def _site(args):
    extra = _extra_names(Path(args.root))
    return load(Path(args.root), args.today, "docs", Library.names(extra))


def _extra_names(root: Path) -> set[str]:
    """Names from mkdocs.yml's `extra:`, which pages may use as variables."""
    path = root / "mkdocs.yml"
    if not path.exists():
        return set()
    text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if "!!python" not in line)
    try:
        config = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        return set()
    return set((config.get("extra") or {}).keys())


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期「{value}」无效，应写成 2024-01-01") from None


def _period(value: str):
    try:
        return parse(value)
    except PeriodError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros", description="青川市委党校网站的内容工具")
    parser.add_argument("--root", default=".", help="项目根目录（含 data/ 与 docs/），默认当前目录")
    parser.add_argument("--today", type=_date, default=dt.date.today(), help="按哪一天发布（默认今天）")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="检查全部内容，不生成网站")
    stat = commands.add_parser("stats", help="输出某一时段的统计数字")
    stat.add_argument("--period", type=_period, required=True, help="2023、2023H1、2023Q2 或 2023-05")
    stat.add_argument("--json", action="store_true", help="以 JSON 输出")
    args = parser.parse_args(argv)

    try:
        site = _site(args)
    except ContentError as error:
        print(error, file=sys.stderr)
        print(f"检查未通过：发现 {len(error.problems)} 个问题。", file=sys.stderr)
        return 1
    if args.command == "check":
        print(site.summary())
        return 0
    figures = stats.figures(site, args.period)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        _print_figures(figures)
    return 0


def _print_figures(figures: dict, indent: int = 0) -> None:
    for key, value in figures.items():
        if isinstance(value, dict):
            print(" " * indent + f"{key}:")
            _print_figures(value, indent + 2)
        else:
            print(" " * indent + f"{key}: {value}")
