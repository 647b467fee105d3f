"""Every page of the site: URLs of the content model, links, feeds, cross-links."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path


from macros.index.load import reading_minutes
from macros.output.pages import PAGE_SIZE


def page(site: Path, url: str) -> str:
    path = site / url.strip("/") / "index.html" if not url.endswith(".xml") else site / url.strip("/")
    assert path.exists(), f"/{url} is missing"
    return path.read_text(encoding="utf-8")


def test_every_url_of_the_content_model_exists(demo):
    site, index = demo.site, demo.load()
    urls = ["news/", "notes/", "courses/", "instructors/", "topics/", "bulletins/", "news/feed.xml"]
    pages = -(-len(index.news) // PAGE_SIZE)
    assert pages >= 2
    urls += [f"news/page/{n}/" for n in range(2, pages + 1)]
    urls += [n.url for n in index.news] + [n.url for n in index.notes] + [b.url for b in index.bulletins]
    urls += [f"news/section/{s}/" for s in index.sections] + [f"news/archive/{y}/" for y in index.news_by_year]
    urls += [f"notes/{c}/" for c in index.columns] + [f"notes/{c}/feed.xml" for c in index.columns]
    urls += [f"courses/{c}/" for c in index.courses] + [f"instructors/{i}/" for i in index.instructors]
    urls += [f"topics/{t}/" for t in index.topics]
    for url in urls:
        assert re.fullmatch(r"[a-z0-9/.-]+", url), url  # lowercase ASCII only
        page(site, url)
    assert not (site / "news" / "page" / str(pages + 1)).exists()


def test_no_unrendered_template_in_any_page(demo):
    for path in demo.site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        body = re.sub(r"<script.*?</script>", "", text, flags=re.S)
        assert "{{" not in body and "{%" not in body, path


def test_every_internal_link_and_anchor_resolves(demo):
    from test_content import broken_links

    assert broken_links(demo.site) == []


def test_feeds_are_rss_newest_first_with_absolute_links(demo):
    index = demo.load()
    for feed in ["news/feed.xml"] + [f"notes/{c}/feed.xml" for c in index.columns]:
        root = ET.fromstring(page(demo.site, feed).encode("utf-8"))
        assert root.tag == "rss" and root.get("version") == "2.0"
        channel = root.find("channel")
        for required in ("title", "link", "description"):
            assert channel.find(required).text
        items = channel.findall("item")
        assert items
        links = [i.find("link").text for i in items]
        assert all(link.startswith("https://qcdx.example.cn/") for link in links)
        from email.utils import parsedate_to_datetime
        dates = [parsedate_to_datetime(i.find("pubDate").text) for i in items]
        assert dates == sorted(dates, reverse=True)
        for link in links:
            page(demo.site, link.removeprefix("https://qcdx.example.cn/"))


def test_courses_and_instructors_link_each_other(demo):
    index = demo.load()
    for course in index.courses.values():
        course_page = page(demo.site, f"courses/{course.id}/")
        for instructor in course.instructors:
            assert f'href="../../instructors/{instructor}/"' in course_page
            assert f'href="../../courses/{course.id}/"' in page(demo.site, f"instructors/{instructor}/")


def test_each_topic_page_lists_three_kinds(demo):
    index = demo.load()
    for topic in index.topics:
        kinds = re.findall(r"<h2[^>]*>(工作动态|学习笔记|课程|师资|科研课题|培训班次)（\d+）", page(demo.site, f"topics/{topic}/"))
        assert len(kinds) >= 3, (topic, kinds)


def test_sub_topics_are_included_under_their_parent(demo):
    index = demo.load()
    child = next(t for t in index.topics.values() if t.parent)
    parent_page = page(demo.site, f"topics/{child.parent}/")
    for item in index.by_topic[child.id]["news"]:
        assert item.title in parent_page


def test_news_listing_pinned_first_then_newest(demo):
    index = demo.load()
    first = page(demo.site, "news/")
    titles = re.findall(r'<strong><a href="[^"]+">([^<]+)</a></strong>', first)
    pinned = [n.title for n in index.news if n.pinned]
    expected = pinned + [n.title for n in index.news if not n.pinned]
    assert titles == expected[:PAGE_SIZE]


def test_news_item_page_shows_its_facts(demo):
    index = demo.load()
    repost = next(n for n in index.news if n.source == "repost")
    text = page(demo.site, repost.url)
    assert f"转载自{repost.source_name}" in text
    assert index.sections[repost.section].name in text
    assert f"约 {repost.reading_minutes} 分钟读完" in text
    before, after = index.neighbours(repost)
    assert (before or after).title in text


def test_note_page_shows_its_place_in_the_series(demo):
    index = demo.load()
    series = index.notes_by_column["theory-notes"]
    text = page(demo.site, series[1].url)
    assert "第 2 篇" in text and series[0].title in text and series[2].title in text


def test_reading_time_counts_chinese_characters():
    assert reading_minutes("党" * 800) == 2
    assert reading_minutes("党" * 100) == 1
    assert reading_minutes("word " * 400 + "党" * 400) == 3


def test_a_new_note_appears_everywhere(small):
    small.write("docs/notes/col/2023-09-01-n3.md",
                "---\ntitle: 新加的笔记NEWNOTE\ndate: 2023-09-01\nauthor: 张三\ntopics: [t3]\n---\n正文。\n")
    result = small.build()
    assert result.returncode == 0, result.stderr
    site = small.path("site")
    for url in ("notes/col/", "topics/t3/", "notes/col/feed.xml", "", "notes/", "notes/col/n3/"):
        assert "新加的笔记NEWNOTE" in page(site, url), url
    assert "第 3 篇" in page(site, "notes/col/n3/")


def test_a_new_course_gets_its_page_and_is_on_its_instructors(small):
    small.append("data/courses.yaml", "- id: c6\n  title: 新课程NEWCOURSE\n  category: 知识拓展\n  format: 案例式\n"
                 "  hours: 2\n  instructors: [i3, i1]\n  status: active\n  since: 2025\n")
    result = small.build()
    assert result.returncode == 0, result.stderr
    site = small.path("site")
    assert "新课程NEWCOURSE" in page(site, "courses/c6/")
    assert "新课程NEWCOURSE" in page(site, "courses/")
    for instructor in ("i1", "i3"):
        assert 'href="../../courses/c6/"' in page(site, f"instructors/{instructor}/")


def test_generated_pages_are_reused_only_while_no_record_changed(small):
    from macros.output import pages
    site = small.load()
    first = pages.generate(site, "https://example.test/", "测试学校")
    assert pages.generate(site, "https://example.test/", "测试学校") is first
    small.edit("docs/news/2023/2023-02-01-a.md", "title: 新闻甲", "title: 改过的新闻甲")
    changed = pages.generate(small.load(), "https://example.test/", "测试学校")
    assert changed is not first
    listing = next(p for p in changed if p.src_uri == "news/index.md")
    assert "改过的新闻甲" in listing.html


def test_covers_are_resized_for_phones(demo):
    from PIL import Image
    index = demo.load()
    covered = [n for n in index.news if n.cover and not n.video]  # a video item shows its player, the cover is its poster
    assert len(covered) >= 3
    for item in covered:
        html = page(demo.site, item.url)
        tag = re.search(r'<img class="qc-cover"[^>]*>', html).group(0)
        assert 'srcset="' in tag and "360w" in tag and 'width="' in tag and 'height="' in tag
        original = Image.open(item.cover_file).size
        for width in (360, 720):
            variant = demo.site / "covers" / f"{item.cover_name}-{width}.jpg"
            with Image.open(variant) as image:
                assert image.size[0] == width
                assert image.size[1] == round(original[1] * width / original[0])
            assert variant.stat().st_size < Path(item.cover_file).stat().st_size
