"""The demo school's values (青川市委党校: fictional), and the check that none of them is
published on a real domain: `filing.read` (hence `check` and the build) fails when site_url is
a real domain and any of them is still in mkdocs.yml. A demo on example.cn, *.test or localhost
passes. `python -m macros init` (school.py) replaces them.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

# The demo school's values: fictional, never to be published on a real domain.
DEMO_NAME = "青川市委党校"
DEMO = {  # key in mkdocs.yml → (what it is, the demo's value)
    "site_name": ("网站名称", DEMO_NAME),
    "extra.filing.sponsor": ("主办单位", "中共青川市委党校"),
    "extra.filing.organizer": ("承办单位", "青川行政学院"),
    "extra.filing.address": ("地址", "青川市临江区学府路88号"),
    "extra.filing.phone": ("电话", "0899-6612301"),
    "extra.filing.icp": ("ICP备案号", "青ICP备12345678号-1"),
    "extra.filing.police": ("公网安备号", "青公网安备63010202000123号"),
    "extra.filing.site_code": ("网站标识码", "6301000012"),
}
# sha256 of the demo's 党政机关网站标识 (docs/assets/filing/dzjg.svg): drawn by us, not the official mark
DEMO_LOGO_SHA256 = "e37b973e2401f01698a8b2d513eb29a8e228bc2f542cddab29c71debb7dd0d9e"
PLACEHOLDER_TLDS = {"test", "example", "invalid", "localhost", "local"}  # RFC 2606, RFC 6761


def placeholder_host(site_url: str | None) -> bool:
    """True for an address that is not a real site: none, localhost, an IP of this machine,
    example.cn/.com/.org (any *example* label) or a reserved top-level domain (.test …)."""
    host = (urlsplit(str(site_url or "")).hostname or "").lower().rstrip(".")
    labels = host.split(".") if host else []
    return (not labels or host == "localhost" or host.startswith("127.") or host == "::1"
            or "example" in labels or labels[-1] in PLACEHOLDER_TLDS)


def _same(key: str, value, demo: str) -> bool:
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        return False
    if key.endswith(("police", "phone", "site_code")):
        return re.sub(r"\D", "", str(value)) == re.sub(r"\D", "", demo)
    return re.sub(r"\s", "", str(value)).replace("－", "-").upper() == demo.upper()


def demo_leftovers(config, root: Path, docs_dir: str = "docs") -> list[tuple[int, str]]:
    """(line, what) of every value in mkdocs.yml that is still the demo's, when site_url is a real
    domain; [] for the demo itself (example.cn). `config` is mkdocs.yml read with yamlsrc (lines)."""
    if not hasattr(config, "get") or placeholder_host(config.get("site_url")):
        return []
    extra = config.get("extra") if hasattr(config.get("extra"), "get") else {}
    filing = extra.get("filing") if hasattr(extra.get("filing"), "get") else {}
    found = []
    for key, (label, demo) in DEMO.items():
        mapping, name = (filing, key.rsplit(".", 1)[1]) if key.startswith("extra.filing.") else (config, key)
        if _same(key, mapping.get(name), demo):
            line = getattr(mapping, "lines", {}).get(name, 0)
            found.append((line, f"{key}（{label}）：{mapping.get(name)}"))
    logo = filing.get("conac_logo")
    path = Path(root) / docs_dir / str(logo) if isinstance(logo, str) else None
    if path and path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == DEMO_LOGO_SHA256:
        found.append((getattr(filing, "lines", {}).get("conac_logo", 0),
                      f"extra.filing.conac_logo（党政机关网站标识）：{logo} 是演示用的示意图，不是正式标识"))
    return sorted(found)


def leftovers_message(site_url: str, found: list[tuple[int, str]]) -> str:
    host = urlsplit(site_url).hostname
    listed = "\n".join(f"    第 {line} 行 {what}" if line else f"    {what}" for line, what in found)
    return (f"网站地址是正式域名「{host}」，但下面这些还是演示学校（{DEMO_NAME}）的虚构内容，不能发布：\n{listed}\n"
            "    请换成本校的真实信息（新学校先运行 python -m macros init，见编辑指南）。"
            "只在测试地址（example.cn、*.test、localhost）上预览演示时才可以保留")


def is_demo(config) -> bool:
    """The demo school itself (its name in mkdocs.yml): the one site that may stay on example.cn."""
    return hasattr(config, "get") and _same("site_name", config.get("site_name"), DEMO_NAME)


def placeholder_site_url(config) -> str:
    """The problem's text when a school's own site (not the demo) has a placeholder site_url —
    none, example.cn/.com/.org, localhost, 127.x — else "". Canonical links, og:url, the sitemap
    and the feeds are all written from it. A *.test or *.invalid address (RFC 6761: a test
    site, never published) passes."""
    if not hasattr(config, "get") or is_demo(config):
        return ""
    url = config.get("site_url")
    host = (urlsplit(str(url or "")).hostname or "").lower().rstrip(".")
    if host.rsplit(".", 1)[-1] in ("test", "invalid") and "." in host:
        return ""
    if not placeholder_host(url):
        return ""
    written = f"「{url}」" if url else "没有写"
    return (f"网站地址 site_url {written}是占位地址，不是学校网站的正式域名：网页的规范链接、分享卡片、"
            "站点地图和订阅都用这个地址。请写成正式域名，例如 site_url: https://www.xxdx.gov.cn/")
