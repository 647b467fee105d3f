"""Cover images made for phones: each cover is resized at build time to a few widths, and
pages offer them with srcset, sizes, width/height and lazy loading, so a phone on a slow
network downloads a 360- or 720-pixel JPEG, never the editor's original photograph.

Each photo is resized once, ever. A variant is kept in a cache folder outside site/
(`.cache/covers/` beside mkdocs.yml) under the SHA-256 of the photo's bytes and the variant's
parameters, and hard-linked (or copied) into site/covers/ at build. So:
- a second build, or CI with the folder restored, resizes nothing;
- two items with the same photo share one set of variants;
- a changed photo has another hash, so a stale variant can never be served;
- site/ can be wiped freely (`mkdocs build --clean`), the cache cannot be served by mistake.
The resizing runs in worker processes started when the list of files is known, beside
MkDocs' rendering (which holds one core), and is collected after the build.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

# No 1080 variant: a phone 360 px wide shows a cover about 330 CSS px wide, which the 720
# variant covers at 2 device pixels per CSS pixel; a 1080 variant doubled the resizing time
# (a full-size decode instead of Pillow's half-size JPEG draft) and the bytes a 3× phone
# downloads, for a difference few readers can see on a phone.
WIDTHS = (360, 720)
QUALITY = 78
# Part of every cached file's name: change it whenever the resizing changes (widths aside,
# which are in the name already) so that every variant is made again.
RECIPE = "v3"


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    url: str  # from the site root: covers/news-2025-kaixue-720.jpg


# a preview rebuilds on every save: covers linked by an earlier build of this process whose photo
# has not changed (same size and time) are not sent again
_done: set[tuple] = set()
_sizes: dict[tuple, tuple[int, int]] = {}  # (path, mtime) → (width, height): read each photo once


def size(path: Path) -> tuple[int, int]:
    key = (path, path.stat().st_mtime_ns)
    if key not in _sizes:
        with Image.open(path) as image:
            width, height = image.size
            if image.getexif().get(0x0112, 1) in (5, 6, 7, 8):  # EXIF says: turned a quarter
                width, height = height, width
            _sizes[key] = (width, height)
    return _sizes[key]


def variants(path: Path, name: str) -> list[Variant]:
    """The widths a cover is offered at (none wider than the original)."""
    width, height = size(path)
    widths = [w for w in WIDTHS if w < width] or [width]
    return [Variant(w, round(height * w / width), f"covers/{name}-{w}.jpg") for w in widths]


def cache_name(digest: str, variant: Variant) -> str:
    return f"{digest[:2]}/{digest}-{variant.width}x{variant.height}-q{QUALITY}-{RECIPE}.jpg"


@dataclass(frozen=True)
class Job:
    """One photo, and the variants every item using it needs (same photo → same variants)."""
    source: str
    variants: tuple[tuple[str, int, int], ...]  # (site-relative url, width, height)


def jobs(covers: dict[Path, list[str]]) -> list[Job]:
    """covers: each photo's path → the names of the items that use it."""
    return [Job(str(path), tuple((v.url, v.width, v.height) for name in names for v in variants(path, name)))
            for path, names in covers.items()]


def process(batch: list[Job], cache_dir: str, site_dir: str) -> tuple[list[str], int]:
    """Runs in a worker: make what the cache lacks, link every variant into site_dir.
    Returns the cache files used and how many variants were resized."""
    used, resized = [], 0
    cache, site = Path(cache_dir), Path(site_dir)
    for job in batch:
        data = Path(job.source).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        wanted = {(w, h): cache / cache_name(digest, Variant(w, h, "")) for _, w, h in job.variants}
        missing = {wh: p for wh, p in wanted.items() if not p.exists()}
        if missing:
            _resize(job.source, data, missing)
            resized += len(missing)
        for url, w, h in job.variants:
            _link(wanted[(w, h)], site / url)
        used.extend(str(p) for p in wanted.values())
    return used, resized


def _resize(source: str, data: bytes, missing: dict[tuple[int, int], Path]) -> None:
    from io import BytesIO
    try:
        with Image.open(BytesIO(data)) as image:
            largest = max(missing)
            orientation = image.getexif().get(0x0112, 1)
            # JPEG draft: decode at 1/2, 1/4 … scale when that still covers the largest variant
            image.draft("RGB", largest[::-1] if orientation in (5, 6, 7, 8) else largest)
            if orientation != 1:  # exif_transpose copies the image even when there is nothing to turn
                image = ImageOps.exif_transpose(image)
            if image.mode != "RGB":
                image = image.convert("RGB")
            for (w, h), target in sorted(missing.items(), reverse=True):
                # from the previous (larger) result when it halves exactly: reduce() is cheap
                if image.size == (2 * w, 2 * h):
                    image = image.reduce(2)
                else:  # after the draft the step is small (800 → 720): bilinear (with Pillow's
                    # antialiasing) looks the same there as bicubic or Lanczos, and is the cheapest:
                    # 5.6 ms against 8.4 ms for bicubic, of 17.6 ms a photo (60 bench photos)
                    image = image.resize((w, h), Image.Resampling.BILINEAR)
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
                image.save(tmp, "JPEG", quality=QUALITY)  # optimize/progressive: ×3 the time, −5 % bytes
                os.replace(tmp, target)  # whole or absent, even if two builds share the cache
    except OSError as error:
        raise RuntimeError(f"封面图「{source}」无法读取或缩放：{error}") from None


def _link(cached: Path, target: Path) -> None:
    """Hard-link (free, instant) or, across file systems, copy a cached variant into site/."""
    if target.exists():
        if os.path.samefile(cached, target):
            return
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(cached, target)
    except OSError:
        shutil.copyfile(cached, target)


class Resizer:
    """Resizes covers in worker processes while the build goes on; finish() waits for them.

    Workers are plain `python -m macros.output.images` processes given their share of the photos in
    a file, not a multiprocessing pool: a pool's spawned workers re-import the main script,
    which for a build started from a script without a __main__ guard means building again."""

    def __init__(self, cache_dir: Path, site_dir: Path, workers: int | None = None):
        self.cache_dir, self.site_dir = Path(cache_dir), Path(site_dir)
        # one per core: the workers run at a lower priority (os.nice in the worker), so MkDocs'
        # rendering, the build's critical path, keeps its core and they take every idle cycle
        self.workers = workers or max(1, os.cpu_count() or 1)
        self._procs: list[tuple[subprocess.Popen, str]] = []
        self._keys: list[tuple] = []
        self.resized = 0

    def _key(self, job: Job) -> tuple:
        stat = os.stat(job.source)
        return job, stat.st_size, stat.st_mtime_ns, str(self.site_dir)

    def start(self, todo: list[Job]) -> "Resizer":
        self._keys = [self._key(job) for job in todo]
        todo = [job for job, key in zip(todo, self._keys)
                if key not in _done or not all((self.site_dir / url).exists() for url, _, _ in job.variants)]
        shares = [todo[k::self.workers] for k in range(self.workers)]
        package_parent = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")]))}
        for share in filter(None, shares):
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
                json.dump([[job.source, job.variants] for job in share], f)
            proc = subprocess.Popen([sys.executable, "-m", "macros.output.images", f.name, str(self.cache_dir), str(self.site_dir)],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
            self._procs.append((proc, f.name))
        return self

    def finish(self, prune: bool = False) -> None:
        """Wait for every variant; with prune, delete cached variants this build did not use
        (a full build knows every cover: the cache stays the size of the site's covers)."""
        used: set[str] = set()
        failed = []
        for proc, share in self._procs:
            out, err = proc.communicate()
            os.unlink(share)
            if proc.returncode:
                failed.append(err.strip().splitlines()[-1] if err.strip() else f"exit {proc.returncode}")
                continue
            result = json.loads(out)
            used.update(result["used"])
            self.resized += result["resized"]
        self._procs = []
        if failed:
            raise RuntimeError("；".join(failed))
        _done.update(self._keys)
        if prune and self.cache_dir.is_dir():
            for path in self.cache_dir.glob("*/*"):
                if str(path) not in used and not path.name.endswith(".tmp"):
                    path.unlink()


    def abandon(self) -> None:
        """The build failed: stop the workers (their finished variants stay cached)."""
        for proc, share in self._procs:
            proc.kill()
            proc.communicate()
            os.unlink(share)
        self._procs = []


if __name__ == "__main__":  # a worker: python -m macros.output.images SHARE.json CACHE_DIR SITE_DIR
    os.nice(5)
    share_file, cache_dir, site_dir = sys.argv[1:4]
    with open(share_file, encoding="utf-8") as f:
        share = [Job(source, tuple(tuple(v) for v in variants)) for source, variants in json.load(f)]
    try:
        used, resized = process(share, cache_dir, site_dir)
    except RuntimeError as error:
        sys.exit(str(error))
    print(json.dumps({"used": used, "resized": resized}))
