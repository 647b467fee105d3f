"""The files under docs/ (and data/, overrides/), listed once per load and shared by the
loader, the page check and the screening. Each of them used to walk docs/ with Path.rglob, sort
the Paths and stat every file: three times 0.2-0.3 s per save in `make serve` at 5,000 items,
mostly in pathlib's sorting. Here os.scandir, and a sort on the parts as strings (the order of
Paths).

The same walk refuses what is not a plain file or folder of the project (issue 19): a symbolic
link (to a file, a folder, outside the project or inside it, or to nothing), a named pipe, a
socket or a device. MkDocs follows links and copies whatever they point at into site/ (a
committed `docs/about/rc.txt → ~/.bashrc` published the build machine's file), so none is
followed here, and each is a problem that stops the build before MkDocs reads any file.
Links pointing inside the project are refused too: telling a harmless link from a harmful one
means resolving it on the build machine, which is the mistake to avoid; a copy is as good."""
from __future__ import annotations

import os
import stat as st
from dataclasses import dataclass, field
from pathlib import Path

PLAIN_ONLY = "网站只发布项目里的普通文件"
KINDS = ((st.S_ISFIFO, "命名管道（FIFO）"), (st.S_ISSOCK, "套接字（socket）"),
         (st.S_ISCHR, "字符设备"), (st.S_ISBLK, "块设备"))


@dataclass(frozen=True)
class Entry:
    path: Path
    rel: str  # relative to the folder walked, with /
    mtime_ns: int
    size: int


@dataclass(frozen=True)
class Refused:
    """Something that is not a plain file or folder: never read, never published."""

    path: Path
    rel: str  # relative to the folder walked, with / ("" for the folder itself)
    message: str  # in Chinese, for the editor


@dataclass
class Listing:
    markdown: list[Entry] = field(default_factory=list)  # every *.md, in sorted(rglob) order
    refused: list[Refused] = field(default_factory=list)


def walk(folder: Path) -> Listing:
    """Every *.md under `folder`, and every entry that is not a plain file or folder (the
    folder itself included: a folder that is a link is not walked)."""
    out = Listing()
    try:
        top = os.lstat(folder)
    except OSError:
        return out  # a missing folder: the loader says what it misses
    if st.S_ISLNK(top.st_mode):
        out.refused.append(Refused(Path(folder), "", _link(Path(folder))))
        return out
    found: list[tuple[tuple[str, ...], Entry]] = []
    todo = [(str(folder), ())]
    while todo:
        current, parts = todo.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            key = (*parts, entry.name)
            if entry.is_symlink():
                out.refused.append(Refused(Path(entry.path), "/".join(key), _link(Path(entry.path))))
            elif entry.is_dir(follow_symlinks=False):
                todo.append((entry.path, key))
            elif entry.is_file(follow_symlinks=False):
                if entry.name.endswith(".md"):
                    stat = entry.stat(follow_symlinks=False)
                    found.append((key, Entry(Path(entry.path), "/".join(key), stat.st_mtime_ns, stat.st_size)))
            else:
                out.refused.append(Refused(Path(entry.path), "/".join(key), _special(entry)))
    found.sort(key=lambda pair: pair[0])
    out.markdown = [entry for _, entry in found]
    out.refused.sort(key=lambda refused: refused.rel)
    return out


def markdown_files(docs: Path) -> list[Entry]:
    """Every *.md under `docs` that is a plain file, in the order of sorted(docs.rglob("*.md"))."""
    return walk(docs).markdown


def _link(path: Path) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        target = "？"
    if not path.exists():
        return f"这是一个符号链接（指向 {target}，目标不存在），{PLAIN_ONLY}，请删去它"
    if path.is_dir():
        return f"这是一个指向文件夹的符号链接（指向 {target}），{PLAIN_ONLY}和文件夹，请换成文件夹本身"
    return f"这是一个符号链接（指向 {target}），{PLAIN_ONLY}，请换成文件本身"


def _special(entry: os.DirEntry) -> str:
    try:
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError:
        mode = 0
    kind = next((name for test, name in KINDS if test(mode)), "特殊文件")
    return f"这不是普通文件，而是{kind}，{PLAIN_ONLY}，请删去它"
