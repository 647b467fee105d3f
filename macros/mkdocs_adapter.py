"""The only module of the package that knows MkDocs and mkdocs-macros.

Moving to a successor of MkDocs should change this file, `__init__.py` and
`hooks.py`, not the models, the loader, the index or the figures.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError

from .library import Library, MacroError
from .load import load
from .problems import ContentError
from .site import Site

_current: dict[int, Site] = {}


def build_day() -> dt.date:
    """The day the build publishes for; SITE_TODAY=2024-01-01 pretends another day (tests, previews)."""
    value = os.environ.get("SITE_TODAY")
    return dt.date.fromisoformat(value) if value else dt.date.today()


def load_site(config, extra_names=()) -> Site:
    """Load and validate everything once per build; stop the build with every problem."""
    root = Path(config.config_file_path).parent
    docs = Path(config.docs_dir).resolve().relative_to(root.resolve()).as_posix()
    try:
        site = load(root, build_day(), docs, Library.names(extra_names), Path(config.config_file_path).name)
    except ContentError as error:
        raise PluginError(str(error)) from None
    _current.clear()
    _current[id(config)] = site
    return site


def current_site(config) -> Site:
    return _current[id(config)]


def install_error_messages() -> None:
    """Show editors a Chinese line, not a traceback, when a macro fails while rendering."""
    from mkdocs_macros.errors import format_error

    @format_error.register
    def _macro_error(error: MacroError, markdown, page) -> str:
        return f"docs/{page.file.src_path}：宏调用出错：{error}"

    @format_error.register
    def _undefined(error: jinja2.UndefinedError, markdown, page) -> str:
        names = re.findall(r"'([^']+)'", error.message or "")
        line = _line_of(Path(page.file.abs_src_path), names[-1]) if names else 0
        where = f"docs/{page.file.src_path}" + (f" 第 {line} 行" if line else "")
        return f"{where}：宏或变量没有定义（{error.message}），请查看编辑指南中的宏列表"


def _line_of(path: Path, name: str) -> int:
    """The first line of the file where `name` is used inside {{ }} or {% %}."""
    pattern = re.compile(r"(\{\{|\{%)[^}]*\b" + re.escape(name) + r"\b")
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if pattern.search(text):
            return number
    return 0


def filing_of(config):
    """The footer's checked values (the build has stopped already if any is wrong)."""
    from .filing import read

    root = Path(config.config_file_path).parent
    docs = Path(config.docs_dir).resolve().relative_to(root.resolve()).as_posix()
    return read(root, Path(config.config_file_path).name, docs)[0]
