"""Published text screened for wrong official formulations and personal data.

Every Markdown page under docs/ (front matter values and body) and every data/*.yaml file is
read line by line. `internal:` blocks are never published, so they are not screened;
data/terms.yaml lists the wrong forms themselves and is not screened either.

Our own code, not a library: the checks are a fixed list of strings (data/terms.yaml) and two
number patterns with a check digit, and every finding needs the editor's file and line.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from . import models as m
from . import clock, listing
from .problems import Problem
from .yamlsrc import split_front_matter

TERMS_FILE = "data/terms.yaml"

# a mainland mobile number: 1[3-9] and nine more digits, alone (not inside a longer run of
# digits: `_alone`), written together or as 138-1234-5678 / 138 1234 5678, optionally after +86.
# No lookarounds in the patterns: a leading lookbehind disables the regex engine's fast search
_MOBILE = re.compile(r"(1[3-9]\d)([- ]?)(\d{4})\2(\d{4})")
# an 18-character 身份证号: region, birth date, sequence, check character
_ID = re.compile(r"([1-9]\d{5})((?:19|20)\d{2})(\d{2})(\d{2})(\d{3})([0-9Xx])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_INTERNAL = re.compile(r"^(\s*)(?:-\s+)?internal\s*:")


def id_check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2, as GB 11643-1999 defines the 18th character."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS))
    return "10X98765432"[total % 11]


def is_id_number(text: str, today: dt.date | None = None) -> bool:
    match = _ID.fullmatch(text)
    return bool(match) and _plausible_id(match, today or clock.today())



def _plausible_id(match: re.Match, today: dt.date) -> bool:
    try:
        born = dt.date(int(match.group(2)), int(match.group(3)), int(match.group(4)))
    except ValueError:
        return False
    number = match.group(0)
    return born <= today and id_check_character(number[:17]) == number[17].upper()


def mask(number: str) -> str:
    """Enough to find it in the file, not enough to copy it from a report."""
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


@dataclass(frozen=True, eq=False)
class Terms:
    """The formulations of data/terms.yaml as two regular expressions."""

    entries: tuple[m.Term, ...] = ()

    def __post_init__(self):
        wrong = {w: t for t in self.entries for w in t.wrong}
        object.__setattr__(self, "_by_wrong", wrong)
        longest = lambda forms: "|".join(map(re.escape, sorted(forms, key=len, reverse=True)))  # noqa: E731
        object.__setattr__(self, "_wrong", re.compile(longest(wrong)) if wrong else None)
        correct = {t.correct for t in self.entries}
        object.__setattr__(self, "_correct", re.compile(longest(correct)) if correct else None)
        object.__setattr__(self, "signature", tuple((t.correct, tuple(t.wrong)) for t in self.entries))

    def find(self, line: str) -> list[tuple[str, m.Term]]:
        """Wrong forms in a text, except inside a correct formulation that contains them."""
        return [(wrong, term) for _position, wrong, term in self.find_all(line)]

    def find_all(self, text: str) -> list[tuple[int, str, m.Term]]:
        if self._wrong is None:
            return []
        found = []
        for match in self._wrong.finditer(text):
            # the correct forms are looked for only around a match, in its line
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.end())
            line = text[start:end if end >= 0 else len(text)]
            covered = any(c.start() <= match.start() - start and match.end() - start <= c.end()
                          for c in self._correct.finditer(line))
            if not covered:
                found.append((match.start(), match.group(0), self._by_wrong[match.group(0)]))
        return found


def published_text(text: str, markdown: bool) -> str:
    """The text with its `internal:` blocks blanked (line numbers kept): what a reader can see.
    In Markdown only the front matter is YAML; the body is left as it is."""
    if markdown:
        front, body, _line = split_front_matter(text)
        if front is None or "internal" not in front:
            return text
        head = text[:len(text) - len(body)]
        return "".join(_blank_internal(head.splitlines(keepends=True))) + body
    if "internal" not in text:
        return text
    return "".join(_blank_internal(text.splitlines(keepends=True)))


def _blank_internal(lines: list[str]):
    skip_indent = None
    for line in lines:
        if skip_indent is not None:
            if not line.strip() or len(line) - len(line.lstrip()) > skip_indent:
                yield "\n"
                continue
            skip_indent = None
        internal = _INTERNAL.match(line)
        if internal:
            # the block continues while lines are indented deeper than `internal:` itself
            # (a list item's keys are indented past its dash)
            skip_indent = len(internal.group(1)) + (2 if line.lstrip().startswith("-") else 0)
            yield "\n"
            continue
        yield line


def screen_text(text: str, file: str, terms: Terms, public_numbers: frozenset[str],
                today: dt.date, markdown: bool) -> list[Problem]:
    """Each pattern runs once over the whole text (a loop over lines in Python took twice as
    long on 5,000 items); line numbers are worked out for the few matches only."""
    text = published_text(text, markdown)
    line_of = functools.partial(_line_number, text)
    problems = []
    for position, wrong, term in terms.find_all(text):
        source = f"（出处：{term.source}）" if term.source else ""
        problems.append(Problem(file, line_of(position), message=f"表述错误：写成了「{wrong}」，应为「{term.correct}」{source}", kind="term"))
    ids = []
    for match in _ID.finditer(text):
        if _alone(text, match) and _plausible_id(match, today):
            ids.append(match.span())
            problems.append(Problem(file, line_of(match.start()), message=(
                f"疑似身份证号「{mask(match.group(0))}」：个人信息不得公开发布，请删除"), kind="personal"))
    for match in _MOBILE.finditer(text):
        number = "".join(match.group(1, 3, 4))
        if number in public_numbers or not _alone(text, match, after_plus86=True):
            continue
        if any(start <= match.start() < end for start, end in ids):
            continue
        problems.append(Problem(file, line_of(match.start()), message=(
            f"疑似个人手机号「{mask(number)}」：个人手机号不得公开发布，请删除；"
            "学校公开的号码请登记在 mkdocs.yml 的 extra: publishing: public_numbers 中"), kind="personal"))
    return sorted(problems)


def _line_number(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _alone(text: str, match: re.Match, after_plus86: bool = False) -> bool:
    """Not part of a longer run of digits (or letters, for an ID); a mobile may follow +86."""
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    if after.isascii() and after.isalnum():
        return False
    if after_plus86 and (text.endswith("+86", 0, match.start()) or text.endswith("+86 ", 0, match.start())):
        return True
    return not (before.isascii() and (before.isalnum() or before == "."))


_CACHE: dict[Path, tuple] = {}  # path → ((mtime, size, settings), problems): a preview re-screens only saved files


def screen(root: Path, docs: Path, terms: Terms, public_numbers: frozenset[str], today: dt.date,
           skip: set[str] = frozenset(), markdown: list[listing.Entry] | None = None) -> list[Problem]:
    """Every problem in every published file under docs/ and data/ (`skip`: files relative to
    the root not to screen, such as drafts; `markdown`: docs/'s files, if listed already)."""
    if markdown is None:
        markdown = listing.markdown_files(docs)
    data = []
    for path in sorted((root / "data").glob("*.y*ml")):
        if path.is_symlink() or not path.is_file():
            continue  # refused by the loader (listing.walk), never read
        stat = path.stat()
        data.append(listing.Entry(path, "", stat.st_mtime_ns, stat.st_size))
    # a string slice: Path.relative_to was a tenth of the time (Path(".") / "docs" is "docs")
    prefix = 0 if root.as_posix() == "." else len(root.as_posix().rstrip("/")) + 1
    problems = []
    for entry in markdown + data:
        path = entry.path
        file = path.as_posix()[prefix:]
        if file in skip or file == TERMS_FILE:
            continue
        key = (entry.mtime_ns, entry.size, terms.signature, public_numbers, today)
        cached = _CACHE.get(path)
        if cached is None or cached[0] != key:
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # reported by the loader
            cached = (key, screen_text(text, file, terms, public_numbers, today, path.suffix == ".md"))
            _CACHE[path] = cached
        problems += cached[1]
    return problems


def is_screen_problem(problem: Problem) -> bool:
    return problem.message.startswith(("表述错误", "疑似身份证号", "疑似个人手机号"))


def is_veto(problem: Problem) -> bool:
    """A wrong formulation or personal data fails a site in the inspection (单项否决)."""
    return is_screen_problem(problem)
