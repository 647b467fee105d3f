"""The cover cache: each photo resized once, kept between builds, never stale, cleared by make clean."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from macros.output import images

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.build  # the resizer starts worker processes (python -m macros.output.images)


def photo(path: Path, colour: tuple[int, int, int], size=(1000, 667)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    noise = Image.effect_noise(size, 40).convert("RGB")
    Image.blend(noise, Image.new("RGB", size, colour), 0.6).save(path, "JPEG", quality=85)
    return path


def resize(covers: dict[Path, list[str]], cache: Path, site: Path, prune=False) -> images.Resizer:
    resizer = images.Resizer(cache, site, workers=1).start(images.jobs(covers))
    resizer.finish(prune=prune)
    return resizer


def test_second_build_resizes_nothing_and_links_the_cached_variants(tmp_path):
    source = photo(tmp_path / "a.jpg", (200, 30, 30))
    cache = tmp_path / "cache"
    first = resize({source: ["news-a"]}, cache, tmp_path / "site1")
    assert first.resized == 2  # 360 and 720
    second = resize({source: ["news-a"]}, cache, tmp_path / "site2")  # a clean site/, as in CI
    assert second.resized == 0
    for width in (360, 720):
        made = tmp_path / "site2" / "covers" / f"news-a-{width}.jpg"
        assert Image.open(made).size[0] == width
        assert any(os.path.samefile(made, p) for p in cache.glob("*/*"))  # linked, not made again


def test_changed_photo_is_resized_again_and_its_old_variants_dropped(tmp_path):
    source = photo(tmp_path / "a.jpg", (200, 30, 30))
    cache, site = tmp_path / "cache", tmp_path / "site"
    resize({source: ["news-a"]}, cache, site, prune=True)
    before = Image.open(site / "covers/news-a-720.jpg").convert("RGB")
    old = set(cache.glob("*/*"))
    photo(source, (30, 30, 200))  # same path, new content (and maybe the same second)
    again = images.Resizer(cache, site, workers=1)
    again.start(images.jobs({source: ["news-a"]}))
    again.finish(prune=True)
    assert again.resized == 2
    after = Image.open(site / "covers/news-a-720.jpg").convert("RGB")
    assert after.getpixel((360, 200))[2] > after.getpixel((360, 200))[0]  # blue now, not red
    assert ImageChops.difference(before, after).getbbox() is not None
    assert not old & set(cache.glob("*/*"))  # a full build keeps only what it used


def test_a_photo_shared_by_items_is_resized_once(tmp_path):
    source = photo(tmp_path / "a.jpg", (30, 200, 30))
    copy = tmp_path / "other" / "same.jpg"
    copy.parent.mkdir()
    shutil.copy(source, copy)  # another file, same bytes
    resizer = resize({source: ["news-a", "news-b"], copy: ["news-c"]}, tmp_path / "cache", tmp_path / "site")
    assert resizer.resized == 2
    assert len(list((tmp_path / "cache").glob("*/*"))) == 2
    made = [tmp_path / "site/covers" / f"news-{x}-720.jpg" for x in "abc"]
    assert all(os.path.samefile(made[0], m) for m in made[1:])


def test_build_keeps_the_cache_beside_mkdocs_yml(small):
    photo(small.path("docs/news/2023/images/c.jpg"), (120, 120, 30))
    small.edit("docs/news/2023/2023-08-01-c.md", "source: original", "source: original\ncover: images/c.jpg")
    assert small.build().returncode == 0
    cached = list(small.path(".cache/covers").glob("*/*.jpg"))
    assert len(cached) == 2
    shutil.rmtree(small.path("site"))
    before = {p: p.stat().st_mtime_ns for p in cached}
    result = small.build()
    assert result.returncode == 0, result.stderr
    assert {p: p.stat().st_mtime_ns for p in small.path(".cache/covers").glob("*/*.jpg")} == before
    variant = next(small.path("site/covers").glob("*-720.jpg"))
    assert any(os.path.samefile(variant, p) for p in cached)


def test_make_clean_clears_the_cover_cache_only(tmp_path):
    for rel in (".cache/covers/ab/x.jpg", ".cache/pip/keep.whl", "site/index.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    subprocess.run(["make", "-s", "-f", str(ROOT / "Makefile"), "-C", str(tmp_path), "clean"], check=True)
    assert not (tmp_path / ".cache/covers").exists()
    assert not (tmp_path / "site").exists()
    assert (tmp_path / ".cache/pip/keep.whl").exists()  # GitLab keeps pip's cache there


def test_a_photo_turned_by_exif_is_resized_upright(tmp_path):
    source = tmp_path / "turned.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was held upright: turn 90° to show
    Image.effect_noise((1000, 667), 40).convert("RGB").save(source, "JPEG", exif=exif)
    resize({source: ["news-t"]}, tmp_path / "cache", tmp_path / "site")
    assert Image.open(tmp_path / "site/covers/news-t-360.jpg").size == (360, 540)
    assert not (tmp_path / "site/covers/news-t-720.jpg").exists()  # none wider than the photo (667)


def test_ci_keeps_the_cover_cache():
    import yaml
    github = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    build = github["jobs"]["build"]["steps"]
    cache = next(i for i, s in enumerate(build) if s.get("uses", "").startswith("actions/cache@"))
    assert build[cache]["with"]["path"] == ".cache/covers"
    assert cache < next(i for i, s in enumerate(build) if s.get("run") == "make build")
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert ".cache/covers" in gitlab["cache"]["paths"]


def test_originals_are_not_published_unless_the_text_shows_them(small, tmp_path):
    """Pages offer the resized variants: the editor's photograph itself stays out of site/,
    unless the item's own text shows it."""
    from PIL import Image

    image = small.path("docs/news/2023/images/photo.jpg")
    image.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1600, 1067), (120, 40, 30)).save(image)
    shutil.copy(image, small.path("docs/news/2023/images/shown.jpg"))
    small.edit("docs/news/2023/2023-02-01-a.md", "topics: [t1]", "topics: [t1]\ncover: images/photo.jpg")
    small.edit("docs/news/2023/2023-03-01-b.md", "section:", "cover: images/shown.jpg\nsection:")
    small.append("docs/news/2023/2023-03-01-b.md", "\n![原图](images/shown.jpg)\n")
    result = small.build()
    assert result.returncode == 0, result.stderr[-2000:]
    site = small.path("site")
    assert list(site.glob("covers/*-720.jpg"))
    published = {p.name for p in site.rglob("*.jpg")}
    assert "photo.jpg" not in published
    assert "shown.jpg" in published
