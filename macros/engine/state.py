"""The state of the build or preview this process runs, in one object (DEVELOPING.md#state).

MkDocs calls the hooks (hooks.py) and mkdocs-macros calls `macros/__init__.py` as module
functions, so what one event leaves for the next must live somewhere: here, in `STATE`, and
nowhere else (no module globals in hooks.py or the adapter). `begin(config)` starts a build
(each rebuild of a preview is one); what a preview keeps between its rebuilds is marked so.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.problems import ContentError, Problem
from ..index.site import Site


@dataclass
class BuildState:
    # the process: set once, kept between a preview's rebuilds
    serving: bool = False  # `mkdocs serve`: a preview, never published; problems shown, not raised
    generated_dir: Path | None = None  # a preview's generated pages as files, rewritten only when changed
    built: set[str] = field(default_factory=set)  # a preview's pages (paths in site/) of the last good build
    converting: bool = False  # `converted_pages`: pages converted for a command, no site written
    compiled_templates: Any = None  # a preview's theme templates, compiled once (a jinja2 BytecodeCache)

    # one build
    config_id: int | None = None  # the MkDocs config the index was loaded for
    site: Site | None = None  # the index
    broken: ContentError | None = None  # a preview's content problems: every page lists them
    render_problems: list[Problem] = field(default_factory=list)  # a preview's macros that failed
    html: dict[str, str] = field(default_factory=dict)  # generated pages' HTML bodies, added after Markdown
    pages_of_build: set[str] = field(default_factory=set)  # the HTML files this build writes
    cards: dict[str, Any] = field(default_factory=dict)  # src_uri → the page's share card
    nav: Any = None  # the build's navigation, for the fork that renders half the pages
    work: Any = None  # output.background.Background: covers, search index, .gz twins
    renderer: Any = None  # engine.parallel.Renderer: the fork

    def begin(self, config) -> None:
        """A new build (or rebuild) of `config`: forget the last one's index and problems."""
        self.config_id = id(config)
        self.site = None
        self.broken = None
        self.render_problems = []


STATE = BuildState()
