"""The search index: character bigrams of our own, written while the site is built.

Why not Pagefind (1.5.2, measured; see DEVELOPING.md#search): its extended build cuts Chinese with
jieba while the browser cuts the query with Intl.Segmenter, so a query that occurs in a page
often finds nothing (乡土中国, 罗文斌); one query fetched 531-797 KB on a 5,000-item site, and
indexing held ~300 KB per page. Here text and query are cut the SAME way, by rule, with no
dictionary: a run of Chinese characters, digits and Latin letters gives its overlapping pairs
(乡土中国 → 乡土 土中 中国; 第31期 → 第3 31 1期). Every pair of a query that occurs in a page is a
pair of that page, so the page is a candidate: recall by construction. The browser
(overrides/assets/search.js) then checks the literal phrase in the page's text, ranks and excerpts.

Files, under site/search/idx/ (the browser fetches only what a query needs):
  meta.json     {"v": 1, "shards": N, "pages": P, "stamp": crc32 of the shards}
  s/<h>.bin     shard h (hex) holds every token whose crc32(UTF-8) & (N-1) == h:
                  token length, token (UTF-8), count, page ids (delta varints),
                  count, ids of the pages whose TITLE has the token (delta varints)
  f/<id>.json   one page: {"u": url, "t": title, "k": kind, "d": date, "x": plain text,
                  "m": the record's meta line (date · 板块 · author), when it has one}

Memory stays linear: a list of page ids per distinct token (see Index). The core imports
nothing from MkDocs.
"""
from __future__ import annotations

import html as htmllib
import json
import operator
import os
import pickle
import queue
import re
import resource
import subprocess
import sys
import threading
import time
import unicodedata
import zlib
from collections import defaultdict
from pathlib import Path

# CJK unified ideographs (with extension A and the compatibility block): the characters that
# are paired. Kept in step with CJK in overrides/assets/search.js.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(f"[{CJK}0-9a-z]+")
# a space between two Chinese characters inside a paragraph is a line break of the source
_CJK_GAP = re.compile(f"(?<=[{CJK}]) (?=[{CJK}])")

BUCKETS = 1 << 14  # the most shards an index has
# the most an average shard holds; a query fetches one shard per distinct token. Until
# 2026-11-23 the estimate of a shard's size was 7 times too large (shards of ~600 bytes: 8,192
# files, and their .gz twins, at 5,000 items); 2-4 KB shards add at most 60 KB to a query of
# 16 characters (15 pairs), and the build writes far fewer files.
SHARD_BYTES = 4096
FORMAT = 1
DIRECTORY = "search/idx"  # under site/, beside the search page

KINDS = {"NewsItem": "新闻", "Note": "学习笔记", "Bulletin": "简报", "Course": "课程", "Instructor": "师资"}
PAGE_KIND = "页面"

# --- text ---------------------------------------------------------------------------

_DROP = re.compile(r"<(script|style|svg|nav|template)\b.*?</\1\s*>", re.S | re.I)  # nav: the pager's titles
_TITLE = re.compile(r"<h1\b[^>]*>.*?</h1\s*>", re.S | re.I)
_BLOCK = re.compile(r"</?(p|div|h[1-6]|li|ul|ol|dl|dt|dd|table|thead|tbody|tr|td|th|blockquote|pre|br|hr|"
                    r"figure|figcaption|section|article|header|footer|img)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_WHITE = re.compile(r"\s+")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
_LINES = re.compile(r"\s*\n\s*")


_META = re.compile(r'<p class="qc-meta">(.*?)</p\s*>', re.S | re.I)


def split_meta(content_html: str) -> tuple[str, str]:
    """(content, meta line): a record page's first `<p class="qc-meta">` (date · 板块 · 原创 ·
    author · reading time, written by pages/frame_header.html) taken out of its content, so that
    an excerpt starts with the text and not with that line, which the results list already
    gives as kind and date. The line stays searchable (an author's name): the index keeps it
    apart, as the fragment's `m`."""
    found = _META.search(content_html)
    if not found:
        return content_html, ""
    return content_html[:found.start()] + "\n" + content_html[found.end():], plain_text(found.group(1))


def plain_text(content_html: str) -> str:
    """The readable text of a page's content HTML, without its h1 (the title is kept apart),
    the pager's neighbour titles, scripts and drawings. Block elements become line breaks,
    inline ones vanish, so 党的<a>二十大</a>精神 stays one phrase. Regular expressions, not an
    HTML parser: the HTML is our own Markdown's output, and this runs once per page."""
    text = _DROP.sub(" ", content_html)
    text = _TITLE.sub("\n", text, count=1)
    text = _WHITE.sub(" ", text)  # HTML whitespace; paragraphs are the block tags below
    text = _TAG.sub("", _BLOCK.sub("\n", text))
    text = _SPACES.sub(" ", htmllib.unescape(text))
    text = _LINES.sub("\n", _CJK_GAP.sub("", text)).strip()
    return text


def normalise(text: str) -> str:
    """What is compared: NFKC (full-width Ａ１ → a1) and lower case. Same in search.js."""
    return unicodedata.normalize("NFKC", text).lower()


def tokens(text: str) -> set[str]:
    """The distinct tokens of a text: the overlapping pairs of characters of each run of
    Chinese characters, Latin letters and digits (教师16号 → 教师 师1 16 6号). Digits and
    letters are paired like characters, not kept as words, so that a query cut inside a number
    (举行202 of 举行2023年) still finds the page. A lone character gives no token (the search
    page asks for two)."""
    out: set[str] = set()
    for run in _RUNS.findall(normalise(text)):
        out.update(map(operator.add, run, run[1:]))  # the pairs, made in C
    return out


def kind_of(record) -> str:
    """新闻, 学习笔记, 简报, 课程, 师资 by the record's type; 页面 for an ordinary page."""
    return KINDS.get(type(record).__name__, PAGE_KIND) if record is not None else PAGE_KIND


# --- the index ------------------------------------------------------------------------


def varint(n: int, out: bytearray) -> None:
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def _deltas(ids: list[int], out: bytearray) -> None:
    varint(len(ids), out)
    if not ids:
        return
    deltas = list(map(operator.sub, ids, [-1, *ids[:-1]]))  # ids ascend: pages arrive in order
    if max(deltas) < 0x80:  # the common case, one byte each: written in C
        out += bytes(deltas)
    else:
        for d in deltas:
            varint(d, out)


class Index:
    """Pages in, index files out. `add` each page (ids are given in order), then `write`.

    Postings are a dict of token → list of page ids, appended as pages arrive (one dict
    operation per distinct token of a page, the cheapest Python has: 5,000 news items make
    about 6 million of them). Each list is encoded, and freed, when the shards are written.
    Measured at 2,000 items (bench school, one core): 3.1 s against 15 s for the earlier index
    of hashed buckets grouped at the end; memory about 60 MB more at 5,000 items."""

    def __init__(self, out_dir: str | os.PathLike):
        self.out = Path(out_dir)
        (self.out / "f").mkdir(parents=True, exist_ok=True)
        self.postings: defaultdict[str, list[int]] = defaultdict(list)
        self.titled: defaultdict[str, list[int]] = defaultdict(list)  # tokens of page titles
        self.pages = 0
        self.seconds = 0.0  # time spent indexing, for `make bench`

    def add(self, url: str, title: str, kind: str, date: str, text: str, meta: str = "") -> int:
        start = time.perf_counter()
        pid = self.pages
        self.pages += 1
        fragment = {"u": url, "t": title, "k": kind, "d": date, "x": text} | ({"m": meta} if meta else {})
        (self.out / "f" / f"{pid}.json").write_text(json.dumps(fragment, ensure_ascii=False), encoding="utf-8")
        postings, titled = self.postings, self.titled
        in_title = tokens(title)
        for token in in_title:
            titled[token].append(pid)
        for token in tokens(text) | tokens(meta) | in_title:
            postings[token].append(pid)
        self.seconds += time.perf_counter() - start
        return pid

    def write(self) -> dict:
        """Write meta.json and the shards; return the figures (pages, shards, bytes)."""
        start = time.perf_counter()
        records: list[tuple[int, bytes]] = []  # (crc32 of the token, its encoded record)
        postings, titled = self.postings, self.titled
        total = 0
        while postings:
            token, ids = postings.popitem()  # each list freed once encoded
            key = token.encode("utf-8")
            out = bytearray()
            varint(len(key), out)
            out += key
            _deltas(ids, out)
            _deltas(titled.get(token, ()), out)
            records.append((zlib.crc32(key), bytes(out)))
            total += len(out)
        titled.clear()
        shards = 1
        while shards < BUCKETS and total / shards > SHARD_BYTES:
            shards *= 2
        grouped: list[list[bytes]] = [[] for _ in range(shards)]
        for crc, record in records:
            grouped[crc & (shards - 1)].append(record)
        del records
        (self.out / "s").mkdir(exist_ok=True)
        written, stamp = 0, 0
        for shard, parts in enumerate(grouped):
            # in a fixed order (a set's order changes with every process): the same pages make
            # the same bytes and stamp, so a deploy without changes keeps the readers' cache
            data = b"".join(sorted(parts))
            # every shard, even empty: a missing file would be a 404 in the reader's console
            (self.out / "s" / f"{shard:x}.bin").write_bytes(data)
            written += len(data)
            stamp = zlib.crc32(data, stamp)
        # the stamp changes with the index, so that a browser never mixes old and new files
        meta = {"v": FORMAT, "shards": shards, "pages": self.pages, "stamp": f"{stamp:08x}"}
        (self.out / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        self.seconds += time.perf_counter() - start
        return meta | {"bytes": written, "seconds": self.seconds}


class Background:
    """The index written by a second process while MkDocs renders pages in this one: the
    build machine's second core does the indexing, and only writing the shards at the end
    is waited for. Pages are sent as HTML (pickled, through the worker's standard input, by
    a thread, so that rendering never waits for indexing); the worker extracts their text.
    A subprocess, not multiprocessing: its spawn re-runs the main script of whoever builds
    (bench/build_once.py has no __main__ guard), its fork would copy MkDocs' memory."""

    def __init__(self, out_dir: str | os.PathLike):
        root = str(Path(__file__).resolve().parents[2])  # where `macros` is importable from
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen([sys.executable, "-m", "macros.output.search", str(out_dir)], env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.pages: queue.SimpleQueue = queue.SimpleQueue()
        self.feeder = threading.Thread(target=self._feed, name="search-feeder", daemon=True)
        self.feeder.start()

    def _feed(self) -> None:
        try:
            for item in iter(self.pages.get, None):
                pickle.dump(item, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.process.stdin.close()
        except (BrokenPipeError, OSError):
            pass  # the worker has died: write() reports its error

    def add(self, url: str, title: str, kind: str, date: str, html: str) -> None:
        self.pages.put((url, title, kind, date, html))

    def write(self) -> dict:
        """Wait for the worker to write the index; its figures, with the time waited here."""
        start = time.perf_counter()
        self.pages.put(None)
        self.feeder.join()
        self.process.stdin = None  # closed by the feeder; communicate() would flush it
        out, err = self.process.communicate()
        if self.process.returncode != 0:
            raise RuntimeError(f"建立搜索索引失败：{err.decode('utf-8', 'replace')[-3000:]}")
        return json.loads(out) | {"waited": time.perf_counter() - start}

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _work(out_dir: str) -> None:
    """The worker: pages from standard input until it closes, then the figures as JSON."""
    index = Index(out_dir)
    source = sys.stdin.buffer
    while True:
        try:
            url, title, kind, date, html = pickle.load(source)
        except EOFError:
            break
        start = time.perf_counter()
        content, meta = split_meta(html)
        text = plain_text(content)
        index.seconds += time.perf_counter() - start
        index.add(url, title, kind, date, text, meta)
    figures = index.write()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write(json.dumps(figures | {"worker_peak_mb": round(peak, 1)}))


def is_indexed(meta: dict) -> bool:
    """Listings, topics, statistics and the search page say `search: false` (pages/_front.md)."""
    return meta.get("search") is not False


def records_by_src(site) -> dict:
    """Each indexed record by its docs path: its kind and date are shown in the results."""
    from . import urls

    generated = {urls.src_of(r): r for r in [*site.courses.values(), *site.instructors.values()]}
    return generated | site.by_src


def describe(record) -> tuple[str, str]:
    """(kind, date) of a page's record for the results list; a course or teacher has no date."""
    date = getattr(record, "date", None)
    return kind_of(record), date.isoformat() if date else ""


if __name__ == "__main__":
    _work(sys.argv[1])
