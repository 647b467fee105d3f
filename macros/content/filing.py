"""The filing footer's values, read from mkdocs.yml (`extra: filing:`) and checked like content.

A site in mainland China must show its ICP and 公网安备 numbers on every page, so a missing
or malformed value is a content problem (file mkdocs.yml, the key's line, in Chinese),
reported by `python -m macros check` and by the build with every other problem.
On a real domain (site_url not example.cn, *.test, localhost …) the demo's fictional name and
numbers left in mkdocs.yml are a problem too (demo.demo_leftovers).
Knows nothing of MkDocs: the file is read by `config.py`, keeping lines (yamlsrc).
"""
from __future__ import annotations

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


def read(root: Path, config_file: str = "mkdocs.yml", docs_dir: str = "docs") -> tuple[m.Filing | None, list[Problem]]:
    """The footer's values, or None and every problem found."""
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
    found = demo.demo_leftovers(config, Path(root), docs_dir)
    if found:  # the demo's fictional numbers and name, on a real domain
        problems.append(Problem(config_file, config.lines.get("site_url", 0), "", "site_url",
                                demo.leftovers_message(str(config.get("site_url")), found)))
    return (None if problems else record), problems
