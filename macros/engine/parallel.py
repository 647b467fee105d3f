"""Pages put into the theme's template by two processes: half of them by a forked copy of
the build, on the machine's second core.

Why our own (DEVELOPING.md#build-speed): MkDocs renders pages one after the other, and neither it
nor Material offers a parallel build (mkdocs#1900 was closed: "requires changes in the
design"). After every page's Markdown is converted (MkDocs' `on_env`), everything a template
needs is in memory, so a fork of the build can render its share of the pages and write them,
while this process renders the rest. The fork shares the parent's memory (copy on write) and
ends with os._exit, so it runs no exit handler and flushes no buffer of the parent's.

What the fork logs at WARNING or above (a broken link in a template, say) is sent back and
logged again here, so a strict build still fails on it; an exception fails the build. The
parent skips the fork's pages by giving them an empty template: MkDocs writes no file for
empty output (and says so at INFO level, a line this module keeps out of the log).

The loggers are the engine's: `mkdocs.*` under MkDocs, `properdocs.*` under ProperDocs (whose
command counts a strict build's warnings on `properdocs` and hangs the `mkdocs` logger under it).

Only a full build forks: a preview (`mkdocs serve`) renders the few pages a save changes.
QC_RENDER_PROCESSES=1 renders every page here (tests/test_parallel.py compares the two).
"""
from __future__ import annotations

import gc
import json
import logging
import os
import traceback

SKIP_TEMPLATE = "_skip.html"  # overrides/_skip.html: empty


class _Captured(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[tuple[int, str]] = []

    def emit(self, record):
        self.records.append((record.levelno, record.getMessage()))


class _NotSkipped(logging.Filter):
    """Keeps MkDocs' "Page skipped … empty output" lines of the fork's pages out of the log."""

    def __init__(self, names: set[str]):
        super().__init__()
        self.names = names

    def filter(self, record):
        message = record.getMessage()
        return not (message.startswith("Page skipped: '") and message.split("'")[1] in self.names)


class Renderer:
    """The fork rendering every other page; `finish` waits for it."""

    def __init__(self, config, env, files, nav):
        from mkdocs.commands import build  # MkDocs 1.6's one-page build (or ProperDocs'), pinned

        self.log = build.log  # mkdocs.commands.build, or properdocs.commands.build
        roots = {"mkdocs", self.log.name.split(".")[0]}  # where the engine and plugins log

        pages = files.documentation_pages()  # as MkDocs' build loop has them (a full build)
        theirs = pages[1::2]
        self.names = {f.src_uri for f in theirs}
        read, write = os.pipe()
        gc.freeze()  # the collector would otherwise touch (and so copy) every object in the fork
        pid = os.fork()
        if pid == 0:  # the fork
            os.close(read)
            status, captured = 1, _Captured()
            try:
                for name in roots:
                    logger = logging.getLogger(name)
                    logger.handlers = [captured]  # its own copy: the parent's log is untouched
                    logger.propagate = False
                for file in theirs:
                    build._build_page(file.page, config, pages, nav, env, excluded=file.inclusion.is_excluded())
                report = {"records": captured.records}
                status = 0
            except BaseException:
                report = {"records": captured.records, "error": traceback.format_exc()}
            finally:
                with os.fdopen(write, "w", encoding="utf-8") as out:
                    out.write(json.dumps(report, ensure_ascii=False))
                os._exit(status)
        os.close(write)
        gc.unfreeze()
        self.pid, self.read = pid, read
        for file in theirs:
            file.page.meta["template"] = SKIP_TEMPLATE
        self.filter = _NotSkipped(self.names)
        self.log.addFilter(self.filter)

    def finish(self) -> None:
        """Wait for the fork; log what it logged; raise if it failed."""
        with os.fdopen(self.read, encoding="utf-8") as source:
            text = source.read()
        _, status = os.waitpid(self.pid, 0)
        self.log.removeFilter(self.filter)
        report = json.loads(text) if text else {"records": [], "error": f"进程异常结束（{status}）"}
        for level, message in report["records"]:
            self.log.log(level, message)
        if report.get("error") or status:
            raise RuntimeError(f"另一进程渲染页面时出错：\n{report.get('error') or status}")

    def abandon(self) -> None:
        self.log.removeFilter(self.filter)
        try:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
            os.close(self.read)
        except OSError:
            pass


MIN_PAGES = 50  # fewer are rendered sooner than a fork is made


def start(config, env, files, nav) -> Renderer | None:
    """Fork a renderer for half the pages, when there are two cores and enough pages to share
    (QC_RENDER_PROCESSES=2 forks for any number of pages, =1 never)."""
    asked = os.environ.get("QC_RENDER_PROCESSES")
    enough = len(files.documentation_pages()) >= (2 if asked else MIN_PAGES)
    if int(asked or os.cpu_count() or 1) < 2 or not enough or not hasattr(os, "fork") or nav is None:
        return None
    return Renderer(config, env, files, nav)
