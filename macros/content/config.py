"""The one reader of the site's configuration file: mkdocs.yml, or the file a build names with
`-f` (`config_file`). The footer (`filing.py`), the publishing rules (`publishing.py`), the
school's time zone and the commands (`cli.py`) all read it here, so a build with
`-f other.yml` takes its footer, its review rules and its day from one file.

Knows nothing of MkDocs: MkDocs' own tags (`!ENV`, `!relative`, `!!python/name:…`) are read as
plain values, and every mapping keeps the line of each key (yamlsrc) for Chinese problems.
A file that is missing or is not YAML gives an empty configuration: MkDocs reports it better.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .yamlsrc import Mapping, _Loader

DEFAULT_FILE = "mkdocs.yml"


class _ConfigLoader(_Loader):
    """mkdocs.yml may hold MkDocs' own tags: read them as plain values."""


def _untagged(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


_ConfigLoader.add_multi_constructor("!", _untagged)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _untagged)


def _empty() -> Mapping:
    empty = Mapping()
    empty.lines = {}
    empty.duplicates = []
    return empty


@dataclass(frozen=True)
class Config:
    """The configuration file as written (not MkDocs' validated config)."""

    file: str = DEFAULT_FILE  # as given, relative to the project root
    data: Mapping = field(default_factory=_empty)
    readable: bool = False  # False: missing or not YAML (MkDocs reports it)

    def section(self, key: str) -> Mapping | None:
        value = self.data.get(key)
        return value if isinstance(value, Mapping) else None

    @property
    def extra(self) -> Mapping:
        return self.section("extra") or _empty()

    def line(self, key: str) -> int:
        return self.data.lines.get(key, 0) if self.readable else 0

    def text(self, key: str, default: str = "") -> str:
        value = self.data.get(key)
        return value if isinstance(value, str) and value else default

    @property
    def site_url(self) -> str:
        return self.text("site_url")

    @property
    def site_name(self) -> str:
        return self.text("site_name")

    @property
    def timezone(self) -> str | None:
        value = self.extra.get("timezone")
        return str(value) if value else None

    @property
    def log_days(self) -> int | None:
        """`extra: privacy: log_days:` — how many days the server keeps its access log
        (deploy/logrotate/qcdx keeps as many; the privacy page says it)."""
        privacy = self.extra.get("privacy")
        value = privacy.get("log_days") if isinstance(privacy, Mapping) else None
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def docs_dir(self) -> str:
        return self.text("docs_dir", "docs")

    @property
    def theme_dir(self) -> str:
        """`theme: custom_dir:` (overrides), whose files MkDocs reads like docs/'s."""
        theme = self.section("theme")
        folder = theme.get("custom_dir") if theme is not None else None
        return folder if isinstance(folder, str) and folder else "overrides"


_cache: dict[Path, tuple[tuple[int, int], Config]] = {}  # a preview reads it again only when saved


def read(root: Path | str, config_file: str = DEFAULT_FILE) -> Config:
    path = Path(root) / config_file
    try:
        stat = os.stat(path)
    except OSError:
        return Config(config_file)
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(path)
    if cached and cached[0] == key:
        return cached[1]
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506 - safe subclass
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return Config(config_file)
    config = Config(config_file, data, True) if isinstance(data, Mapping) else Config(config_file)
    _cache[path] = (key, config)
    return config
