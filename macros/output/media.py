"""What a news item's files become on its page: the video (poster, captions, a transcript
below) before the text, the list of attachments (name, type, size, a download link) after it.
The files themselves are checked by macros/content/attachments.py when the site loads."""
from __future__ import annotations

import re
from pathlib import Path

from . import images
from ..content import models as m
from .render import render_xml


def transcript(video: m.Video) -> list[str]:
    """The transcript's paragraphs: as written in `transcript:`, or the captions' cues, as one
    paragraph per blank-line-separated block (a cue rarely ends a sentence, so cues are joined)."""
    if video.transcript:
        return [p.strip() for p in re.split(r"\n\s*\n", video.transcript) if p.strip()]
    return ["".join(video.cues)] if video.cues else []


def video_html(page: m.NewsItem) -> str:
    video = page.video
    if video is None or not video.file_src:
        return ""
    width = height = 0
    if video.poster_file:  # the poster's size: the player takes its room at once, no layout shift
        width, height = images.size(Path(video.poster_file))
    return str(render_xml("pages/video.html", page=page, video=video, width=width, height=height))


def transcript_html(page: m.NewsItem) -> str:
    """The transcript, after the item's text: for readers who cannot hear or play it, and search."""
    paragraphs = transcript(page.video) if page.video is not None and page.video.file_src else []
    return str(render_xml("pages/transcript.html", transcript=paragraphs)) if paragraphs else ""


def attachments_html(page: m.NewsItem) -> str:
    shown = [a for a in page.attachments if a.src]
    if not shown:
        return ""
    return str(render_xml("pages/attachments.html", page=page, attachments=shown))
