"""The school's leaders (`data/leaders.yaml`) checked among themselves, and every published text
checked against them: a post followed by a name that is not its holder's on the item's day
(「常务副校长林国东」 when the holder is 林国栋) is a problem with file, line and the right name.
A wrong leader's name fails a site in the state inspection (严重错误, 单项否决).

The rule, measured on the demo and the other-school fixture (zero findings on their full text,
every planted misspelling found; tests/test_leaders.py):

- a post is one written in `data/leaders.yaml` (校长, 常务副校长, 副校长 …), matched longest first,
  so 常务副校长 is not read as 副校长 or 校长;
- only what directly follows the post is read as a name (spaces allowed), or, when nothing
  like a name follows, what directly precedes it (林国东副校长), and only when it looks
  like a person of the school: exactly a known name (any leader, past or present, or instructor),
  or three characters two of which are a known three-character name's in place (林国东 for
  林国栋), or two characters with a known two-character name's surname followed by no Han
  character (王蕾， for 王磊). So 「常务副校长主持会议」, 「副校长们」, 「副校长、教授」 are never read
  as names;
- a post of another organisation is not ours: written right after 党校, 大学, 学院 … that is not
  this school's own name (「云台县委党校常务副校长」), it is left alone; the school's own names are
  its site name, sponsor and organizer, and the short form it calls itself (市委党校 for
  青川市委党校): the demo writes 「市委党校常务副校长林国栋」;
- the name is right when it is a holder's on the item's day (a news item's or note's `date`,
  today for other pages): a former holder named in an item of their term is right; after 原, 前,
  时任, 首任, 历任 any holder up to that day is;
- a day before the first record of the post, or when nobody held it, is not checked (nothing to
  compare with).

Knows nothing of MkDocs; reads files like `screen.py` (internal blocks blanked, drafts skipped),
and the configuration file too (as of the build day).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import listing
from . import models as m
from .problems import Problem
from .screen import published_text
from .validate import Collector, Where
from .yamlsrc import split_front_matter

FILE = "data/leaders.yaml"
KIND = "leader"
FORMER = ("原", "前", "时任", "首任", "历任", "老")
# an organisation's name ends so: a post written right after it is that organisation's
OTHER_BODY = ("党校", "大学", "学院", "中学", "小学", "分校", "研究院", "研究所", "中心", "学会", "协会")
LONGER = ("副", "常务", "执行", "名誉")
OURS = ("我校", "本校", "学校", "校（院）", "校(院)")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_GAP = re.compile(r"[ \t\u3000]*")


def _han(char: str) -> bool:
    return bool(char) and "\u4e00" <= char <= "\u9fff"


@dataclass(frozen=True, eq=False)
class Roster:
    """Who held which post when, and every name a post may be followed by."""

    leaders: tuple[m.Leader, ...] = ()
    people: frozenset[str] = frozenset()  # leaders' and instructors' names
    ours: tuple[str, ...] = OURS  # this school's names (site name, sponsor …)
    posts: dict[str, list[m.Leader]] = field(default_factory=dict)

    @classmethod
    def of(cls, leaders, other_names=(), school_names=()) -> "Roster":
        posts: dict[str, list[m.Leader]] = {}
        for leader in leaders:
            posts.setdefault(leader.post, []).append(leader)
        names = {leader.name for leader in leaders} | {n for n in other_names if n}
        ours = {*OURS}
        for name in school_names:
            if name:
                ours |= {name, name.removeprefix("中共")}
                short = re.search(r"[市县区州省旗盟]委党校$", name)
                if short:  # the school calls itself 市委党校: the name without its place
                    ours.add(short.group(0))
        roster = cls(tuple(leaders), frozenset(names), tuple(sorted(ours, key=len, reverse=True)), posts)
        return roster

    @functools.cached_property
    def pattern(self) -> re.Pattern | None:
        if not self.posts:
            return None
        return re.compile("|".join(map(re.escape, sorted(self.posts, key=len, reverse=True))))

    @property
    def signature(self) -> tuple:
        return (tuple((l.post, l.name, l.start, l.end) for l in self.leaders), self.people, self.ours)

    def holders(self, post: str, day: dt.date, former: bool = False) -> list[m.Leader]:
        """The post's holders on `day`; with `former`, everyone who held it up to that day."""
        held = self.posts.get(post, [])
        if former:
            return [l for l in held if l.start <= day]
        return [l for l in held if l.holds(day)]

    def name_like(self, text: str, at: int) -> str | None:
        """The name the text writes at `at`, if it looks like a person's (see the module)."""
        window = text[at:at + 4]
        for size in (4, 3, 2):
            candidate = window[:size]
            if len(candidate) == size and candidate in self.people and all(map(_han, candidate)):
                return candidate
        three = window[:3]
        if len(three) == 3 and all(map(_han, three)):
            for name in self.people:
                if len(name) == 3 and sum(a == b for a, b in zip(name, three)) == 2:
                    return three
        two = window[:2]
        after = text[at + 2:at + 3]
        if len(two) == 2 and all(map(_han, two)) and not _han(after):
            for name in self.people:
                if len(name) == 2 and name[0] == two[0]:
                    return two
        return None

    def name_before(self, text: str, end: int) -> tuple[str, int] | None:
        """The name written right before a post (林国栋副校长, spaces allowed), if it looks like a
        person's by the same rule as after it; with where it starts. A two-character name needs
        no Han character before it (「，王蕾副校长」), as after a post it needs none after it."""
        end = len(text[:end].rstrip(" \t\u3000"))
        for size in (4, 3, 2):
            candidate = text[max(0, end - size):end]
            if len(candidate) == size and candidate in self.people and all(map(_han, candidate)):
                return candidate, end - size
        three = text[max(0, end - 3):end]
        if len(three) == 3 and all(map(_han, three)):
            for name in self.people:
                if len(name) == 3 and sum(a == b for a, b in zip(name, three)) == 2:
                    return three, end - 3
        two = text[max(0, end - 2):end]
        if len(two) == 2 and all(map(_han, two)) and not _han(text[end - 3:end - 2] if end >= 3 else ""):
            for name in self.people:
                if len(name) == 2 and name[0] == two[0]:
                    return two, end - 2
        return None

    def of_other_body(self, before: str) -> bool:
        """Whether the post is written right after another organisation's name."""
        if any(before.endswith(name) for name in self.ours):
            return False
        return before.endswith(OTHER_BODY)


def check_roster(out: Collector, leaders: list[tuple[m.Leader, Where]]) -> None:
    """One holder at a time for a post held by one (not 副… or …委员); the same person not twice
    in the same post at once."""
    by_post: dict[str, list[tuple[m.Leader, Where]]] = {}
    for leader, where in leaders:
        by_post.setdefault(leader.post, []).append((leader, where))
    for post, held in by_post.items():
        held.sort(key=lambda pair: pair[0].start)
        for i, (leader, where) in enumerate(held):
            for other, other_where in held[:i]:
                if not _overlap(other, leader):
                    continue
                if other.name == leader.name:
                    message = (f"{leader.name}担任{post}的时间与第 {other_where.line} 行重复"
                               f"（{_term(other)}）：同一人同一职务只写一条，连任不用另写")
                elif not m.shared_post(post):
                    message = (f"「{post}」同一时间只能有一人担任：{leader.name}自 {leader.start.isoformat()} 任职时，"
                               f"第 {other_where.line} 行的{other.name}（{_term(other)}）还在任。"
                               f"请给{other.name}写上离任日期 end（不晚于 {leader.start.isoformat()}），或改正任职日期")
                else:
                    continue
                out.add(where.file, where.line_of("start"), f"{post} {leader.name}", "start", message)
                break


def _overlap(a: m.Leader, b: m.Leader) -> bool:
    return a.start < (b.end or dt.date.max) and b.start < (a.end or dt.date.max)


def _term(leader: m.Leader) -> str:
    return f"{leader.start.isoformat()} 起" + (f"，{leader.end.isoformat()} 离任" if leader.end else "，至今")


def zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def check_text(text: str, file: str, day: dt.date, roster: Roster, markdown: bool = True) -> list[Problem]:
    """Every post in the text followed by a name that is not its holder's on `day`."""
    pattern = roster.pattern
    if pattern is None:
        return []
    text = published_text(text, markdown)
    body_at = len(text) - len(split_front_matter(text)[1]) if markdown else len(text) + 1
    problems = []
    for match in pattern.finditer(text):
        post = match.group(0)
        start = match.start()
        before = text[max(0, start - 20):start]
        if before.endswith(LONGER):
            continue  # part of another title: 副校长 when only 校长 is on record, 常务副校长 …
        if roster.of_other_body(before):
            continue
        at = _GAP.match(text, match.end()).end()
        name = roster.name_like(text, at)
        if name is not None:
            written = text[start:at] + name
        else:  # the name before the post: 林国东副校长
            found = roster.name_before(text, start)
            if found is None:
                continue
            name, at = found
            written = text[at:match.end()]
            before = text[max(0, at - 20):at]
            if roster.of_other_body(before):
                continue  # 云台县委党校陈大明常务副校长
        former = before.endswith(FORMER)
        holders = roster.holders(post, day, former)
        if not holders:
            continue  # nobody on record for that day: nothing to compare with
        if any(text.startswith(h.name, at) for h in holders):
            continue
        line = text.count("\n", 0, min(start, at)) + 1
        right = "、".join(dict.fromkeys(h.name for h in holders))
        if former:
            expected = f"到{zh(day)}为止担任过{post}的是{right}"
        elif len(holders) == 1:
            expected = f"{zh(day)}的{post}是{right}"
        else:
            expected = f"{zh(day)}的{post}有{right}"
        problems.append(Problem(file, line, field="正文" if start >= body_at else "", kind=KIND, message=(
            f"领导姓名与职务不符：写的是「{written}」，{expected}（见 {FILE}），请核对姓名和职务")))
    return problems


_CACHE: dict[Path, tuple] = {}  # path → ((mtime, size, roster, day), problems)


def check(root: Path, docs: Path, roster: Roster, days: dict[str, dt.date], today: dt.date,
          skip: set[str] = frozenset(), markdown: list[listing.Entry] | None = None,
          config_file: str = "mkdocs.yml") -> list[Problem]:
    """Every published page under docs/, every data file but leaders.yaml and terms.yaml, and the
    configuration file; `days`: a dated record's file (relative to the root) → its date (others:
    today)."""
    if roster.pattern is None:
        return []
    if markdown is None:
        markdown = listing.markdown_files(docs)
    data = []
    for path in [*sorted((root / "data").glob("*.y*ml")), root / config_file]:
        if path.is_symlink() or not path.is_file() or path.name in ("leaders.yaml", "terms.yaml"):
            continue
        stat = path.stat()
        data.append(listing.Entry(path, "", stat.st_mtime_ns, stat.st_size))
    prefix = 0 if root.as_posix() == "." else len(root.as_posix().rstrip("/")) + 1
    problems = []
    for entry in markdown + data:
        file = entry.path.as_posix()[prefix:]
        if file in skip:
            continue
        day = days.get(file, today)
        key = (entry.mtime_ns, entry.size, roster.signature, day)
        cached = _CACHE.get(entry.path)
        if cached is None or cached[0] != key:
            try:
                text = entry.path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # reported by the loader
            cached = _CACHE[entry.path] = (key, check_text(text, file, day, roster, entry.path.suffix == ".md"))
        problems += cached[1]
    return problems
