"""make serve: a preview shows drafts and future items with a banner; a build never does."""
from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request

from conftest import ENGINE_COMMAND, TODAY


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_preview_shows_drafts_and_future_items_with_a_banner(small):
    port = free_port()
    env = {**os.environ, "SITE_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([*ENGINE_COMMAND, "serve", "--strict", "--no-livereload",
                               "--dev-addr", f"127.0.0.1:{port}"], cwd=small.root, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        draft = fetch(f"http://127.0.0.1:{port}/news/2023/draft/")
        assert "DRAFT-MARKER" in draft and "草稿" in draft and "不会发布" in draft
        future = fetch(f"http://127.0.0.1:{port}/news/2099/future/")
        assert "FUTURE-MARKER" in future and "未发布" in future and "2099年1月1日" in future
        published = fetch(f"http://127.0.0.1:{port}/news/2023/a/")
        assert "qc-unpublished" not in published
        figures = fetch(f"http://127.0.0.1:{port}/stats/2023/")
        assert 'data-figure="2023 news.total">3<' in figures  # the draft counts nowhere, even here
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert small.build().returncode == 0
    assert not small.path("site/news/2023/draft").exists()
    assert not small.path("site/news/2099").exists()


def test_the_preview_watches_with_file_events_not_polling(tmp_path, monkeypatch):
    """macros.engine.mkdocs_adapter.watch_natively: the same paths, watched by the system's observer."""
    import watchdog.observers
    import watchdog.observers.polling
    from mkdocs.livereload import LiveReloadServer

    from macros.engine.mkdocs_adapter import watch_natively

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    (tmp_path / "docs").mkdir()
    server.watch(str(tmp_path / "docs"))
    server.watch(str(tmp_path / "docs"))  # twice, as MkDocs and a plugin may
    server.watch(str(tmp_path / "mkdocs.yml"), recursive=False)
    assert isinstance(server.observer, watchdog.observers.polling.PollingObserver)
    watch_natively(server)
    assert isinstance(server.observer, watchdog.observers.Observer)
    assert server._watched_paths == {str(tmp_path / "docs"): 2, str(tmp_path / "mkdocs.yml"): 1}
    assert len(server.observer.emitters) == 2 == len(server._watch_refs)  # scheduled; serve() starts them
    monkeypatch.setenv("QC_WATCH", "poll")
    polling = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    assert isinstance(watch_natively(polling).observer, watchdog.observers.polling.PollingObserver)


QUIET = 8  # seconds a preview is watched after a save: a rebuild starts within a second of one


def test_one_save_one_rebuild_then_quiet(small):
    """The build opens and reads every file; only changes may start a rebuild (issue 25): one
    save of a page, of a data file and of a photo gives one rebuild each, ten saved at once one
    or two, and the preview is quiet after each."""
    from PIL import Image

    port = free_port()
    env = {**os.environ, "SITE_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
    log = small.root / "serve.log"
    photo = small.path("docs/news/2023/photo.jpg")
    Image.new("RGB", (800, 500), (160, 30, 30)).save(photo)
    with log.open("w") as out:
        server = subprocess.Popen([*ENGINE_COMMAND, "serve", "--dirty", "--no-strict", "--dev-addr", f"127.0.0.1:{port}"],
                                  cwd=small.root, env=env, stdout=subprocess.DEVNULL, stderr=out, text=True)
    try:
        fetch(f"http://127.0.0.1:{port}/news/2023/a/")
        time.sleep(2)

        def builds() -> int:
            return log.read_text(encoding="utf-8").count("Building documentation")

        counts = {}
        for name, save in (
                ("page", lambda: small.append("docs/news/2023/2023-02-01-a.md", "\n又一段。\n")),
                ("data", lambda: small.append("data/topics.yaml", "\n")),
                ("photo", lambda: Image.new("RGB", (800, 500), (30, 30, 160)).save(photo)),
                ("ten files", lambda: [small.write(f"docs/about-{n}.md", f"# 页面{n}\n") for n in range(10)])):
            before = builds()
            save()
            time.sleep(QUIET)
            counts[name] = builds() - before
        assert counts["page"] == counts["data"] == counts["photo"] == 1, counts
        assert counts["ten files"] in (1, 2), counts
        assert "页面9" in fetch(f"http://127.0.0.1:{port}/about-9/")  # and the last one is there
        settled = builds()
        time.sleep(3)
        assert builds() == settled  # quiet: nothing rebuilds by itself
    finally:
        server.terminate()
        server.wait(timeout=30)
