"""The files a news item offers (attachments, a video): each must be a plain, non-empty file
of an allowed type inside docs/, and every attachment the text links to must be listed.

Checked on every load, not cached with the item's front matter: a file deleted or emptied
since the last load must be reported even when the item itself did not change. Paths are
relative to the item's file, like a cover or a link in Markdown; one starting with / is
relative to docs/ (as MkDocs reads absolute links, `validation: absolute_links: relative_to_docs`).
"""
from __future__ import annotations

import functools
import os
import re
import stat as st
import urllib.parse
from pathlib import Path

from . import models as m
from .validate import Collector, Where

VIDEO_TYPES = (".mp4",)
POSTER_TYPES = (".jpg", ".jpeg", ".png", ".webp")
CAPTION_TYPES = (".vtt",)

# a link target in Markdown ([x](target), ![x](target), <target>) or in HTML (href="target")
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*)?\)|\bhref=[\"']([^\"']+)[\"']")
_ATTACHMENT_LINK = re.compile(r"\.(" + "|".join(s[1:] for s in m.ATTACHMENT_TYPES) + r")$", re.I)


def links_in(body: str, body_line: int) -> list[tuple[str, int]]:
    """(target, line) of every link of the body to a file of an attachment type on this site
    (not to another host): read once per change of the item's file."""
    found = []
    for number, line in enumerate(body.splitlines()):
        for match in _LINK.finditer(line):
            target = urllib.parse.unquote((match.group(1) or match.group(2)).split("#")[0].split("?")[0])
            if is_address(target) or not _ATTACHMENT_LINK.search(target):
                continue
            found.append((target, body_line + number))
    return found


def resolve(docs: Path, item_file: Path, written: str) -> Path:
    """Where a path written in an item points, without following links (normalised only)."""
    base = docs if written.startswith("/") else item_file.parent
    return Path(os.path.abspath(base / written.lstrip("/")))


def is_address(written: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:|^//", written, re.I))


ADDRESS = "是网址：网站不从其他网站加载文件，请把文件放进 docs/ 里，写它的路径"


def _plain_file(docs: Path, path: Path) -> str | None:
    """Why `path` cannot be published as a file, or None: outside docs/, missing, a link (itself
    or a folder on the way), not a plain file, empty."""
    docs = Path(os.path.abspath(docs))
    if not path.is_relative_to(docs) or path == docs:
        return "在 docs/ 以外：网站只发布 docs/ 里的文件，请把文件放进 docs/ 里"
    current = docs
    for part in path.relative_to(docs).parts:
        current = current / part
        if current.is_symlink():
            return "是符号链接：网站只发布项目里的普通文件，请换成文件本身"
    try:
        mode = os.lstat(path)
    except OSError:
        return "找不到这个文件：请检查路径和文件名（路径相对于这条新闻的文件，例如 附件/招生简章.pdf）"
    if not st.S_ISREG(mode.st_mode):
        return "不是普通文件"
    if mode.st_size == 0:
        return "是空文件（0 字节）：请换成完整的文件"
    return None


def _line(item_file: Path, start: int, written: str) -> int:
    """The line of the front matter where `written` appears, from the line of its key on (YAML
    keeps no line for a list's strings); read only for a problem."""
    try:
        lines = item_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return start
    return next((n for n in range(start, len(lines) + 1) if written in lines[n - 1]), start)


def check(out: Collector, record: m.NewsItem, where: Where, docs: Path) -> None:
    """Every attachment and the video of one item; sets their paths and sizes."""
    item_file = out.root / record.file
    listed = set()
    for number, attachment in enumerate(record.attachments, 1):
        line = functools.partial(_line, item_file, where.line_of("attachments"), attachment.file)  # read on a problem only
        label = f"第 {number} 个附件「{attachment.file}」"
        if is_address(attachment.file):
            out.add(where.file, line(), record.title, "attachments", f"{label}{ADDRESS}")
            continue
        path = resolve(docs, item_file, attachment.file)
        listed.add(path)
        if not attachment.type:
            out.add(where.file, line(), record.title, "attachments",
                    f"{label}的类型不能作为附件发布：附件只能是 {'、'.join(m.ATTACHMENT_TYPES.values())} 文件")
            continue
        why = _plain_file(docs, path)
        if why:
            out.add(where.file, line(), record.title, "attachments", f"{label}{why}")
            continue
        attachment.path = str(path)
        attachment.src = path.relative_to(os.path.abspath(docs)).as_posix()
        attachment.size = path.stat().st_size
    for target, line in record.file_links:
        path = resolve(docs, item_file, target)
        if path in listed:
            continue
        why = _plain_file(docs, path)
        if why and "找不到" in why:
            message = f"正文链接的附件「{target}」找不到：请检查路径和文件名"
        else:
            message = (f"正文链接了附件「{target}」，但页头的 attachments 里没有列出它：请在 attachments 里写上"
                       f"（例如 attachments: [{{file: {target}, name: 附件的中文名称}}]），"
                       "页面下方才会列出它的名称、类型和大小")
        out.add(where.file, line, record.title, "attachments", message)
    if record.video is not None:
        _check_video(out, record, where, docs, item_file)


def _check_video(out: Collector, record: m.NewsItem, where: Where, docs: Path, item_file: Path) -> None:
    video = record.video
    mapping = where.mapping.get("video")
    line_of = (lambda key: mapping.lines.get(key, mapping.line)) if hasattr(mapping, "lines") else \
        (lambda key: where.line_of("video"))
    for key, types, what in (("file", VIDEO_TYPES, "MP4 视频"), ("poster", POSTER_TYPES, "JPG、PNG 或 WebP 图片"),
                             ("captions", CAPTION_TYPES, "WebVTT 字幕（.vtt）")):
        written = getattr(video, key)
        if is_address(written):
            out.add(where.file, line_of(key), record.title, f"video.{key}", f"「{written}」{ADDRESS}")
            continue
        if not written.lower().endswith(types):
            out.add(where.file, line_of(key), record.title, f"video.{key}",
                    f"「{written}」应为{what}")
            continue
        path = resolve(docs, item_file, written)
        why = _plain_file(docs, path)
        if why:
            out.add(where.file, line_of(key), record.title, f"video.{key}", f"「{written}」{why}")
            continue
        setattr(video, f"{key}_src", path.relative_to(os.path.abspath(docs)).as_posix())
        if key == "poster":
            video.poster_file = str(path)
        if key == "captions":
            cues = read_cues(path)
            if cues is None:
                out.add(where.file, line_of(key), record.title, "video.captions",
                        f"字幕「{written}」不是 WebVTT 文件：第一行应为 WEBVTT，然后是一条条「时间 --> 时间」和字幕文字")
            elif not cues:
                out.add(where.file, line_of(key), record.title, "video.captions",
                        f"字幕「{written}」里没有字幕文字：视频必须配字幕（无障碍要求）")
            else:
                video.cues = cues


_TIMING = re.compile(r"^\s*(?:\d+:)?\d{2}:\d{2}\.\d{3}\s+-->\s+(?:\d+:)?\d{2}:\d{2}\.\d{3}")


def read_cues(path: Path) -> list[str] | None:
    """The text of each cue of a WebVTT file, in order; None if it is not WebVTT."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    lines = text.splitlines()
    if not lines or not re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]):
        return None
    cues, current, in_cue = [], [], False
    for line in lines[1:] + [""]:
        if _TIMING.match(line):
            in_cue, current = True, []
        elif in_cue and line.strip():
            current.append(re.sub(r"<[^>]+>", "", line.strip()))  # <v 讲解员>, <b>: tags are not text
        elif in_cue:
            if current:
                cues.append(" ".join(current))
            in_cue = False
    return cues
