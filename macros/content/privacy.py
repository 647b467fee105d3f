"""The 个人信息处理规则 of `mkdocs.yml` → `extra: privacy:`, read without MkDocs and checked like content.

    extra:
      privacy:
        handler: 中共青川市委党校办公室    # 个人信息处理者
        contact: 0899-6612301              # 联系方式
        purpose: 保障网站安全运行、排查故障和统计访问量
        log_days: 180                      # 服务器日志保存天数（deploy 的日志轮转按这个天数删除）

Every site keeps server logs (IP addresses are personal information), so since 2025-01-01
(网络数据安全管理条例) each must publish its rules prominently: a site without `extra.privacy`
is a content problem naming the missing keys, like a missing filing footer.
"""
from __future__ import annotations

from pathlib import Path

from . import config as configuration
from . import models as m
from .problems import Problem
from .validate import Collector, validate
from .yamlsrc import Mapping

KEY = "extra.privacy"
REQUIRED = tuple(name for name, info in m.Privacy.model_fields.items()
                 if info.is_required() and name != "internal")
EXAMPLE = ("extra:\n  privacy:\n    handler: 中共青川市委党校办公室\n    contact: 0899-6612301\n"
           "    purpose: 保障网站安全运行、排查故障和统计访问量\n    log_days: 180")


def read(root: Path, config_file: str = "mkdocs.yml") -> tuple[m.Privacy | None, list[Problem]]:
    """The rules, or None and every problem found."""
    settings = configuration.read(root, config_file)
    if not settings.readable:
        return None, []  # MkDocs reports a broken mkdocs.yml itself
    extra = settings.data.get("extra")
    section = extra.get("privacy") if isinstance(extra, Mapping) else None
    if not isinstance(section, Mapping):
        line = extra.lines.get("privacy", extra.line) if isinstance(extra, Mapping) else 0
        names = "、".join(f"{key}（{m.Privacy.label(key)}）" for key in REQUIRED)
        return None, [Problem(config_file, line, "", KEY, f"网站缺少个人信息处理规则：服务器日志记录访问者的 IP 地址，"
                              f"属于个人信息，须在网站醒目位置公开处理规则（《网络数据安全管理条例》）。请在 mkdocs.yml 的 "
                              f"extra: 下写上 privacy:，须有 {names}，例如：\n" + EXAMPLE, "missing")]
    out = Collector(Path(root))
    record = validate(out, m.Privacy, section, config_file, section.line)
    problems = [Problem(p.file, p.line, "", f"{KEY}.{p.field}" if p.field else KEY, p.message, p.kind)
                for p in out.problems]
    return (None if problems else record), problems
