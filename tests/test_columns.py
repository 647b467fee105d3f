"""Issue 22, the engine on the `small` fixture (in-process, no build): attachments (types, sizes,
missing, empty, symlinked, outside docs/, linked but not listed), videos (poster and WebVTT
captions required, local files only, a transcript), 信息公开 sections (attachments required,
listed by year), the statistics' count of files, the 公众号 edition, the portal's home blocks."""
from __future__ import annotations

import os
import re

import pytest

from macros.channels import wechat
from macros.index import stats
from macros.output import media, pages
from macros.output.library import Library, MacroError

ITEM = "docs/news/2023/2023-08-01-c.md"
NOTICE = "docs/news/2023/2023-09-01-tongzhi.md"
PDF = b"%PDF-1.4\n" + b"0" * 3000  # 3,009 bytes: 「PDF，3 KB」


def notice(small, front: str, body: str = "正文。", section: str = "notices", rel: str = NOTICE) -> None:
    if "id: notices" not in small.path("data/sections.yaml").read_text(encoding="utf-8"):
        small.append("data/sections.yaml", "- id: notices\n  name: 通知公告\n  kind: notice\n"
                                           "- id: open\n  name: 信息公开\n  kind: 信息公开类\n")
    date = re.search(r"\d{4}-\d{2}-\d{2}", rel).group(0)
    small.write(rel, f"---\ntitle: 一则通知\ndate: {date}\nsection: {section}\n{front}---\n{body}\n")


def files(small) -> None:
    small.path("docs/news/2023/附件").mkdir(parents=True, exist_ok=True)
    small.path("docs/news/2023/附件/招生简章.pdf").write_bytes(PDF)
    small.path("docs/news/2023/附件/报名表.docx").write_bytes(b"PK" + b"x" * 1500)


def test_listed_attachments_get_their_type_size_and_a_download_link(small):
    files(small)
    notice(small, "attachments:\n  - {file: 附件/招生简章.pdf, name: 2024年春季招生简章}\n  - 附件/报名表.docx\n",
           body="见[简章](附件/招生简章.pdf)。")
    site = small.load()
    item = next(n for n in site.news if n.attachments)
    first, second = item.attachments
    assert (first.title, first.type, first.size, first.size_label) == ("2024年春季招生简章", "PDF", 3009, "3 KB")
    assert (second.title, second.type, second.src) == ("报名表", "DOCX", "news/2023/附件/报名表.docx")
    html = media.attachments_html(item)
    assert "2024年春季招生简章</a> <span class=\"qc-meta\">（PDF，3 KB）</span>" in html
    assert 'href="../../../news/2023/%E9%99%84%E4%BB%B6/%E6%8B%9B%E7%94%9F%E7%AE%80%E7%AB%A0.pdf" download' in html
    framed = pages.frame(site, item, "<p>正文。</p>")
    assert framed.index("正文。") < framed.index("qc-attachments") < framed.index("qc-pager")
    figures = stats.figures(site, "2023")["news"]
    assert figures["attachments"] == 2 and figures["attachments_by_type"]["PDF"] == 1
    assert figures["attachments_by_type"]["DOCX"] == 1 and figures["attachments_by_type"]["XLSX"] == 0


def test_a_path_starting_with_a_slash_is_relative_to_docs(small):
    small.path("docs/files").mkdir()
    small.path("docs/files/课表.xlsx").write_bytes(b"PK" + b"1" * 10)
    notice(small, "attachments: /files/课表.xlsx\n")
    item = next(n for n in small.load().news if n.attachments)
    assert item.attachments[0].src == "files/课表.xlsx" and item.attachments[0].type == "XLSX"


def test_every_broken_attachment_is_a_problem_with_file_line_and_field(small, tmp_path):
    files(small)
    small.path("docs/news/2023/附件/空文件.pdf").write_bytes(b"")
    small.path("docs/news/2023/附件/图片.png").write_bytes(b"png")
    (tmp_path / "外面.pdf").write_bytes(PDF)
    os.symlink(tmp_path / "外面.pdf", small.path("docs/news/2023/附件/链接.pdf"))
    notice(small, "attachments:\n"
                  "  - 附件/没有这个.pdf\n"             # line 6
                  "  - 附件/空文件.pdf\n"               # 7
                  "  - {file: 附件/链接.pdf}\n"         # 8
                  "  - ../../../../外面.pdf\n"          # 9
                  "  - 附件/图片.png\n"                 # 10
                  "  - https://example.com/a.pdf\n")   # 11
    problems = small.problems()
    mine = [p for p in problems if p.startswith(NOTICE)]

    def one(text: str) -> str:
        found = [p for p in mine if text in p]
        assert len(found) == 1, (text, mine)
        return found[0]

    assert "第 6 行" in one("没有这个.pdf") and "找不到这个文件" in one("没有这个.pdf")
    assert "第 7 行" in one("空文件.pdf") and "空文件（0 字节）" in one("空文件.pdf")
    assert "第 8 行" in one("链接.pdf」是符号链接") and "字段「attachments」" in one("链接.pdf」是符号链接")
    assert "第 9 行" in one("外面.pdf") and "在 docs/ 以外" in one("外面.pdf")
    assert "第 10 行" in one("图片.png") and "PDF、DOCX、XLSX、DOC、XLS、OFD、ZIP" in one("图片.png")
    assert "是网址" in one("example.com")
    # and the link itself is refused by the walk of docs/, like every link
    assert any("docs/news/2023/附件/链接.pdf" in p and "符号链接" in p for p in problems)


def test_a_linked_attachment_that_is_not_listed_is_a_problem(small):
    files(small)
    notice(small, "attachments: [附件/报名表.docx]\n",
           body="第一段。\n\n请看[简章](附件/招生简章.pdf)和[报名表](附件/报名表.docx)，"
                "[上级文件](https://example.gov.cn/x.pdf)。\n\n<a href=\"附件/没有.zip\">包</a>")
    mine = [p for p in small.problems() if p.startswith(NOTICE)]
    assert len(mine) == 2, mine
    assert "第 9 行" in mine[0] and "正文链接了附件「附件/招生简章.pdf」，但页头的 attachments 里没有列出它" in mine[0]
    assert "第 11 行" in mine[1] and "「附件/没有.zip」找不到" in mine[1]


def test_a_disclosure_item_needs_attachments_and_its_section_lists_by_year(small):
    files(small)
    notice(small, "year: 2022\n", section="信息公开")
    mine = [p for p in small.problems() if p.startswith(NOTICE)]
    assert len(mine) == 1 and "信息公开板块，每条都必须有附件" in mine[0] and "字段「attachments」" in mine[0]
    notice(small, "year: 2022\nattachments: [附件/招生简章.pdf]\n", section="信息公开")
    notice(small, "attachments: [附件/报名表.docx]\n", section="open", rel="docs/news/2023/2023-10-01-yusuan.md")
    site = small.load()
    section = site.sections["open"]
    page = pages.disclosure_page(site, section, site.news_by_section["open"], "共 2 条")
    assert page.src_uri == "news/section/open.md"
    assert page.html.index('id="y2023"') < page.html.index('id="y2022"')  # newest year first, by `year:`
    assert page.html.count("（PDF，3 KB）") == 1 and page.html.count("（DOCX，1 KB）") == 1
    generated = {g.src_uri for g in pages.news_listings(site)}
    assert "news/section/open.md" in generated and "news/section/open/page/2.md" not in generated


VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v 讲解员>第一句字幕。\n\n00:02.000 --> 00:04.000\n第二句。\n"


def video_files(small, captions: str = VTT) -> None:
    folder = small.path("docs/news/2023/视频")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"0" * 100)
    from PIL import Image
    Image.new("RGB", (320, 180), "red").save(folder / "a.jpg")
    (folder / "a.vtt").write_text(captions, encoding="utf-8")


def test_a_video_has_its_poster_captions_and_transcript_and_never_plays_by_itself(small):
    video_files(small)
    notice(small, "video:\n  file: 视频/a.mp4\n  poster: 视频/a.jpg\n  captions: 视频/a.vtt\n", section="news-a")
    site = small.load()
    item = next(n for n in site.news if n.video)
    player = media.video_html(item)
    assert re.search(r'<video controls preload="none" playsinline poster="[^"]+a\.jpg" width="320" height="180">', player)
    assert "autoplay" not in player
    assert re.search(r'<track kind="captions" src="[^"]+a\.vtt" srclang="zh" label="中文字幕" default>', player)
    assert media.transcript(item.video) == ["第一句字幕。第二句。"]
    framed = pages.frame(site, item, "<p>正文。</p>")
    assert framed.index("<video") < framed.index("正文。") < framed.index("视频文字稿") < framed.index("第一句字幕")
    # the 公众号 edition: the poster and a link to the page, no player
    edition = wechat.edition(site, item, "<p>正文。</p>", "https://example.test/", "测试学校")
    assert "<video" not in edition and "/news/2023/%E8%A7%86%E9%A2%91/a.jpg" in edition.replace("视频", "%E8%A7%86%E9%A2%91")
    assert "到网站观看" in edition and "https://example.test/news/2023/tongzhi/" in edition


def test_a_written_transcript_replaces_the_captions_text(small):
    video_files(small)
    notice(small, "video:\n  file: 视频/a.mp4\n  poster: 视频/a.jpg\n  captions: 视频/a.vtt\n"
                  "  transcript: |\n    第一段。\n\n    第二段。\n", section="news-a")
    item = next(n for n in small.load().news if n.video)
    assert media.transcript(item.video) == ["第一段。", "第二段。"]


def test_a_video_without_captions_or_poster_or_from_elsewhere_is_refused(small):
    video_files(small, captions="这不是字幕")
    notice(small, "video:\n  file: https://v.example.com/a.mp4\n  poster: 视频/a.jpg\n  captions: 视频/a.vtt\n",
           section="news-a")
    notice(small, "video:\n  file: 视频/a.mp4\n  poster: 视频/没有.jpg\n  captions: 视频/a.vtt\n", section="news-a",
           rel="docs/news/2023/2023-10-01-video.md")
    notice(small, "video:\n  file: 视频/a.mp4\n  poster: 视频/a.jpg\n", section="news-a",
           rel="docs/news/2023/2023-10-02-nocaptions.md")
    problems = small.problems()
    first = [p for p in problems if p.startswith(NOTICE)]
    assert any("第 6 行" in p and "字段「video.file」" in p and "是网址" in p for p in first), first
    second = [p for p in problems if p.startswith("docs/news/2023/2023-10-01-video.md")]
    assert any("字段「video.poster」" in p and "第 7 行" in p and "找不到" in p for p in second), second
    assert any("字段「video.captions」" in p and "不是 WebVTT 文件" in p for p in second), second
    third = [p for p in problems if p.startswith("docs/news/2023/2023-10-02-nocaptions.md")]
    assert any("字段「video.captions」" in p and "视频缺少必填字段「video.captions」（字幕文件（WebVTT））" in p
               for p in third), third  # required: captions (无障碍)


def test_the_portal_blocks_of_the_home_page(small):
    files(small)
    notice(small, "attachments: [附件/招生简章.pdf]\n")
    library = Library(small.load())
    blocks = library.notice_list(6)
    assert "通知公告" in blocks and "一则通知" in blocks and "附件 1 个" in blocks and "新闻甲" not in blocks
    assert "\n\n" not in blocks  # one raw HTML block for Markdown
    assert library.photo_news(4) == ""  # no item of the small school has a cover
    links = library.links_row({"课程目录": "courses/index.md", "上级党校": "https://example.gov.cn/"})
    assert links.strip() == "[课程目录](/courses/index.md) · [上级党校](https://example.gov.cn/)"
    with pytest.raises(MacroError, match="extra.quick_links"):
        library.links_row(["courses/index.md"])


def test_a_replaced_attachment_shows_its_new_size_on_the_listing(small):
    """`make serve`: the item's file is unchanged (its record cached), its attachment is not."""
    files(small)
    notice(small, "attachments: [附件/招生简章.pdf]\n", section="open")
    listing = lambda: next(g for g in pages.generate(small.load(), "/", "测试") if g.src_uri == "news/section/open.md")  # noqa: E731
    assert "（PDF，3 KB）" in listing().html
    small.path("docs/news/2023/附件/招生简章.pdf").write_bytes(PDF * 3)
    assert "（PDF，9 KB）" in listing().html


def test_the_edition_keeps_the_transcript(small):
    video_files(small)
    notice(small, "video:\n  file: 视频/a.mp4\n  poster: 视频/a.jpg\n  captions: 视频/a.vtt\n", section="news-a")
    site = small.load()
    item = next(n for n in site.news if n.video)
    edition = wechat.edition(site, item, "<p>正文。</p>", "https://example.test/", "测试学校")
    assert edition.index("正文。") < edition.index("视频文字稿") < edition.index("第一句字幕。第二句。")
