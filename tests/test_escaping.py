"""Values from data/ and front matter are text wherever they are printed: planted HTML and
Markdown in every record kind appear as written, and nothing of them runs or links."""
from __future__ import annotations

import html.parser
from pathlib import Path

import yaml

# What an editor might paste, and what an attacker would try: HTML, an event handler, an
# entity, and Markdown that would make emphasis, a link or a table cell.
PAYLOAD = '<script>alert("qc-xss-{kind}")</script><img src=x onerror="alert(1)"> A&B *星* [链接](https://evil.example/) _下_ |管|'


def payload(kind: str) -> str:
    return PAYLOAD.format(kind=kind)


class _Page(html.parser.HTMLParser):
    """The text a reader sees (entities decoded) and every element that would act."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.dangers: list[str] = []
        self._tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._tags.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.dangers.append(f"<{tag} {name}>")
            if name in ("href", "src", "action") and value and "evil.example" in value:
                self.dangers.append(f"<{tag} {name}={value}>")
        if tag in ("em", "strong") and self._tags[-2:-1] != ["a"]:
            self.dangers.append(f"<{tag}>")  # checked against its text below

    def handle_endtag(self, tag):
        if tag in self._tags:
            while self._tags and self._tags.pop() != tag:
                pass

    def handle_data(self, data):
        if self._tags and self._tags[-1] == "script" and "qc-xss" in data:
            self.dangers.append(f"<script>{data}")
        if self._tags and self._tags[-1] in ("em", "strong") and data in ("星", "下"):
            self.dangers.append(f"<{self._tags[-1]}>{data}")
        self.text.append(data)


def read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.dangers = [d for d in page.dangers if d not in ("<em>", "<strong>")]
    return page


def plant(project) -> None:
    """The payload in the printed fields of every kind of record of the small fixture."""
    def data(file: str, record_id: str, **fields) -> None:
        path = project.path(f"data/{file}.yaml")
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
        for record in records:
            if record["id"] == record_id:
                record.update(fields)
        path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")

    data("courses", "c1", title=payload("course"), summary=payload("course-summary"))
    data("instructors", "i1", name=payload("instructor"), title=payload("instructor-title"),
         organization=payload("instructor-org"), bio=payload("instructor-bio"))
    data("topics", "t3", name=payload("topic"), description=payload("topic-description"))
    data("sections", "teach", name=payload("section"), description=payload("section-description"))
    data("columns", "col", name=payload("column"), editor=payload("column-editor"))
    data("trainings", "k1", name=payload("training"))
    data("research", "r1", title=payload("research"),
         award={"name": payload("award"), "date": "2024-03-01"})

    def front(rel: str, **fields) -> None:
        text = project.path(rel).read_text(encoding="utf-8")
        _, head, body = text.split("---\n", 2)
        meta = yaml.safe_load(head)
        meta.update(fields)
        project.write(rel, "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body)

    front("docs/news/2023/2023-03-01-b.md", title=payload("news"), summary=payload("news-summary"),
          source_name=payload("news-source"), author=payload("news-author"), topics=["t3"], section="teach")
    front("docs/notes/col/2023-02-10-n1.md", title=payload("note"), author=payload("note-author"),
          summary=payload("note-summary"))
    front("docs/bulletins/b1.md", title=payload("bulletin"))


# Each planted value and pages that must show it as text (URLs in site/)
SHOWN = {
    "course": ["courses/", "courses/c1/", "instructors/i1/", "topics/t1/"],
    "course-summary": ["courses/c1/"],
    "instructor": ["instructors/", "instructors/i1/", "courses/c1/", "courses/"],
    "instructor-title": ["instructors/", "instructors/i1/", "courses/c1/"],
    "instructor-org": ["instructors/i1/"],
    "instructor-bio": ["instructors/i1/"],
    "topic": ["topics/", "topics/t3/", "news/2023/b/"],
    "topic-description": ["topics/", "topics/t3/"],
    "section": ["news/", "news/section/teach/", "news/2023/b/", "bulletins/b1/"],
    "column": ["notes/", "notes/col/", "notes/col/n1/"],
    "column-editor": ["notes/"],
    "training": ["bulletins/b1/"],
    "research": ["instructors/i1/"],
    "award": ["instructors/i1/"],
    "news": ["news/", "news/2023/b/", "bulletins/b1/", "news/section/teach/", "topics/t3/"],
    "news-summary": ["news/", "news/section/teach/"],
    "news-source": ["news/", "news/2023/b/", "bulletins/b1/"],
    "note": ["notes/col/", "notes/col/n1/"],
    "bulletin": ["bulletins/", "bulletins/b1/"],
}


def test_planted_html_and_markdown_are_text_on_every_page(small):
    plant(small)
    bulletin = small.path("docs/bulletins/b1.md")
    bulletin.write_text(bulletin.read_text(encoding="utf-8") + "\n{{ training_table(period) }}\n", encoding="utf-8")
    result = small.build()
    assert result.returncode == 0, result.stderr[-3000:]
    site = small.path("site")

    dangers, seen = {}, {}
    for path in site.rglob("*.html"):
        page = read(path)
        if page.dangers:
            dangers[path.relative_to(site).as_posix()] = page.dangers
        seen[path.relative_to(site).as_posix()] = "".join(page.text)
    assert not dangers  # no script, handler, link or emphasis made from a value

    for kind, urls in SHOWN.items():
        for url in urls:
            text = seen[url + "index.html"]
            assert payload(kind) in text, f"{kind} not shown as written on /{url}"

    # every place a planted value shows, it shows whole (never half-parsed)
    for url, text in seen.items():
        for piece in text.split("qc-xss-")[1:]:
            kind = piece.split('"', 1)[0]
            assert payload(kind) in text, f"/{url} shows {kind} altered"


def test_planted_values_in_feeds_are_text(small):
    plant(small)
    assert small.build().returncode == 0
    import xml.etree.ElementTree as ET

    feed = ET.parse(small.path("site/news/feed.xml"))
    titles = [t.text for t in feed.iter("title")]
    assert payload("news") in titles
    column = ET.parse(small.path("site/notes/col/feed.xml"))
    assert payload("note") in [t.text for t in column.iter("title")]


def test_page_titles_in_the_theme_are_escaped(small):
    plant(small)
    assert small.build().returncode == 0
    raw = small.path("site/news/2023/b/index.html").read_text(encoding="utf-8")
    assert '<script>alert("qc-xss' not in raw
    assert "<title>&lt;script&gt;alert(" in raw  # the browser tab shows the title as written
