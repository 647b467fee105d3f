"""A synthetic school of N news items, in the content model's format, for `make bench`.

N news items over N/400 years, N/5 notes in three columns, and courses, instructors,
training classes and research projects as a school of that size would have them.
Text from a Markov chain trained on real reports (chinese.py: their character and bigram
frequencies, bodies of 600-2,000 characters with headings, lists, tables and links), and a
distinct 1,600 × 1,067 photograph (photos.py) as the cover of every other news item.
Deterministic text (seeded); photos made once and kept in bench/.photos/, hard-linked in.
"""
from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
from pathlib import Path

import yaml

from chinese import Chain
from photos import photos

ROOT = Path(__file__).resolve().parents[1]

SECTIONS = ["school-news", "teaching", "research", "party-building", "county-schools", "media"]
COLUMNS = ["theory-notes", "grassroots-view", "reading-club"]
CATEGORIES = ["理论教育", "党性教育", "专业化能力", "知识拓展"]
FORMATS = ["讲授式", "研讨式", "案例式", "情景模拟", "现场教学", "访谈教学", "体验式", "翻转课堂"]
KINDS = ["校内教师", "领导干部", "专家学者", "企业经营管理人员", "先进典型人物", "优秀基层干部", "乡土人才"]


def _link(source: Path, target: Path) -> None:
    try:
        target.hardlink_to(source)  # 2,500 photos: a link costs nothing, a copy ~1 GB of writes
    except OSError:
        shutil.copyfile(source, target)


# the demo requires 三审 before publishing (extra.publishing.review_required): every item has passed it
REVIEW = {"first": "张敏", "second": "许慧敏", "final": "林国栋"}


def generate(target: Path, n: int, seed: int = 1, covers: bool = True) -> Path:
    rng = random.Random(seed)
    chain = Chain(seed)
    pictures = photos((n + 1) // 2) if covers else []
    if target.exists():
        shutil.rmtree(target)
    (target / "data").mkdir(parents=True)
    for name in ("sections", "columns", "topics", "terms"):
        shutil.copy(ROOT / "data" / f"{name}.yaml", target / "data" / f"{name}.yaml")
    topics = [t["id"] for t in yaml.safe_load((ROOT / "data/topics.yaml").read_text(encoding="utf-8"))]
    years = max(1, -(-n // 400))
    first = 2025 - years + 1
    span = (dt.date(2025, 12, 31) - dt.date(first, 1, 1)).days

    def day() -> dt.date:
        return dt.date(first, 1, 1) + dt.timedelta(days=rng.randrange(span))

    instructors = [{"id": f"t{i:04d}", "name": f"教师{i}", "kind": "full-time" if i % 3 == 0 else "part-time",
                    "category": KINDS[i % len(KINDS)], "title": "讲师", "organization": "青川市委党校",
                    "expertise": rng.sample(topics, 2), "joined": first + i % years, "bio": chain.paragraph(rng.randint(60, 160))}
                   for i in range(25 + n // 100)]
    courses = [{"id": f"c{i:04d}", "title": chain.phrase(6, 18),
                "category": CATEGORIES[i % 4], "format": FORMATS[i % 8], "hours": rng.choice([2, 3, 4]),
                "instructors": [rng.choice(instructors)["id"]], "topics": rng.sample(topics, 1),
                "audience": ["中青班"], "required": i % 2 == 0, "status": "trial" if i % 10 == 0 else "active",
                "since": first, "summary": chain.sentence(80)} for i in range(30 + n // 100)]
    trainings, research = [], []
    for year in range(first, 2026):
        for k in range(10):
            start = dt.date(year, 1 + k, 5)
            trainings.append({"id": f"k{year}-{k}", "name": f"{year}年第{k + 1}期培训班", "type": "main" if k % 3 else "social",
                              "class_type": ["中青班", "科级班", "党员轮训"][k % 3], "start": start,
                              "end": start + dt.timedelta(days=rng.randint(2, 20)), "trainees": rng.randint(30, 200),
                              "satisfaction": round(rng.uniform(0.9, 0.99), 3), "topics": rng.sample(topics, 1)})
        for k in range(5):
            approved = dt.date(year, 2 + k, 10)
            research.append({"id": f"r{year}-{k}", "title": f"{year}年课题{k}", "level": "市级", "approved": approved,
                             "lead": rng.choice(instructors)["id"], "topics": rng.sample(topics, 1)})
    for name, records in (("instructors", instructors), ("courses", courses), ("trainings", trainings),
                          ("research", research)):
        (target / "data" / f"{name}.yaml").write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")

    docs = target / "docs"
    shutil.copytree(ROOT / "docs" / "about", docs / "about")
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    shutil.copy(ROOT / "docs" / "index.md", docs / "index.md")
    for i in range(n):
        date = day()
        path = docs / "news" / str(date.year) / f"{date.isoformat()}-item-{i}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        repost = i % 7 == 0
        meta = {"title": chain.title(), "date": date,
                "section": "media" if repost else rng.choice(SECTIONS[:5]),
                "topics": rng.sample(topics, 2), "source": "repost" if repost else "original",
                "summary": chain.sentence(80), "review": REVIEW}
        if repost:
            meta["source_name"] = "青川日报"
        if covers and i % 2 == 0:  # a distinct photograph on every other item
            (path.parent / "images").mkdir(exist_ok=True)
            _link(pictures[i // 2], path.parent / "images" / f"item-{i}.jpg")
            meta["cover"] = f"images/item-{i}.jpg"
        path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + chain.body() + "\n", encoding="utf-8")
    for i in range(n // 5):
        date, column = day(), COLUMNS[i % 3]
        path = docs / "notes" / column / f"{date.isoformat()}-note-{i}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {"title": chain.title(), "date": date, "author": "周立新", "topics": rng.sample(topics, 1),
                "review": REVIEW}
        path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + chain.body(800, 2000) + "\n", encoding="utf-8")
    (docs / "bulletins").mkdir()
    shutil.copy(ROOT / "docs/bulletins/2024.md", docs / "bulletins/2024.md")

    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    for name in ("macros", "hooks.py"):
        (target / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "overrides", target / "overrides")  # a link would be refused (macros/content/listing.py)
    return target


if __name__ == "__main__":
    print(generate(Path(sys.argv[1]), int(sys.argv[2])))
