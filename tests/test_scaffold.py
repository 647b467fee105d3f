"""`python -m macros new KIND TITLE`: what it writes fails `check` as it stands, naming every
「请填写…」 placeholder with file, line and field, and loads, checks and builds once they are
filled; what already exists is refused with nothing changed. Its starters (macros/templates/starters/)
write what they wrote before (tests/starters/) and only fields of their models."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pydantic
import pytest
import yaml

from conftest import TODAY
from macros.content.models import (COURSE_CATEGORIES, COURSE_FORMATS, INSTRUCTOR_CATEGORIES, Bulletin, Course,
                                   Instructor, NewsItem, Note)
from macros.content.validate import is_placeholder
from macros.editorial import scaffold
from macros.editorial.scaffold import KINDS, create, person_id, slugify

DAY = "2026-11-23"  # TODAY of conftest, second half of the year
SLUG = "qing-chuan-shi-wei-dang-xiao"  # of 青川市委党校举行开学典礼, cut at 30 characters


def new(project, *args: str, today: str = DAY):
    return project.run("-m", "macros", "--today", today, "new", *args)


def snapshot(project) -> dict[str, bytes]:
    """Every file of the project (not the shared code it links to), as bytes."""
    return {p.relative_to(project.root).as_posix(): p.read_bytes()
            for p in sorted(project.root.rglob("*")) if p.is_file() and not p.is_symlink()
            and not any(part in ("macros", "overrides", "site") for part in p.relative_to(project.root).parts)}


# what a test writes in place of each placeholder of the starters, as an editor would
FILLED = {
    "请填写 full-time（专职）或 part-time（兼职）": "full-time",
    "请填写师资类别": "校内教师",
    "请填写职务或职称": "教授",
    "请填写工作单位": "中共青川市委党校",
    "请填写个人简介": "长期从事党史党建教学。",
    "请填写授课教师的编号": "i1",
    "请填写课程简介": "系统解读党的二十大精神。",
    "请填写课程类别": "党性教育",
    "请填写教学形式": "研讨式",
    "请填写板块编号": "news-a",
    "请填写作者姓名": "李红",
}
_BODY = re.compile(r"^（请把这一段换成.*$", re.M)  # the starter's body paragraph


def filled(text: str) -> str:
    """`text` with every placeholder replaced by a real value; fails on a placeholder it does not know."""
    for placeholder, value in FILLED.items():
        text = text.replace(placeholder, value)
    text = _BODY.sub("学校举行了开学典礼。", text)
    assert "请填写" not in text and "请把这一段" not in text, text
    return text


def fill(project, *rels: str) -> None:
    for rel in rels:
        project.write(rel, filled(project.path(rel).read_text(encoding="utf-8")))


def written_path(stdout: str) -> str:
    """The file `new` says it wrote."""
    return re.search(r"(?:docs|data)/\S+?\.(?:md|yaml)", stdout).group(0)


def new_filled(project, *args: str, today: str = DAY):
    """`new`, then every placeholder of what it wrote filled in."""
    result = new(project, *args, today=today)
    assert result.returncode == 0, result.stderr
    rel = written_path(result.stdout)
    fill(project, rel)
    return result


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


# --- ids from Chinese --------------------------------------------------------------


def test_slug_is_pinyin_one_syllable_a_character_cut_at_a_hyphen():
    assert slugify("青川市委党校举行开学典礼") == "qing-chuan-shi-wei-dang-xiao"  # 30 characters at most
    assert slugify("青川市委党校举行开学典礼", limit=50) == "qing-chuan-shi-wei-dang-xiao-ju-xing-kai-xue-dian"
    assert slugify("读懂两个确立") == "du-dong-liang-ge-que-li"
    assert slugify("银行行长到党校") == "yin-hang-hang-zhang-dao-dang"  # 行 read by its word; cut at 30
    assert slugify("2026年 Python 入门：ＡＩ与“数字政府”") == "2026-nian-python-ru-men-ai-yu"
    assert slugify("！？、") == ""
    assert slugify("习近平新时代中国特色社会主义思想的世界观和方法论") == "xi-jin-ping-xin-shi-dai-zhong"
    assert all(len(slugify(title)) <= scaffold.SLUG_LENGTH == 30 for title in (
        "习近平新时代中国特色社会主义思想的世界观和方法论", "青川市委党校举行开学典礼", "a" * 40))


def test_instructor_id_is_surname_then_given_name():
    assert person_id("林国栋") == "lin-guodong"
    assert person_id("欧阳明") == "ouyang-ming"
    assert person_id("吕方") == "lv-fang"
    assert person_id("John Smith") == "john-smith"


# --- each kind ------------------------------------------------------------------------


def test_news(small):
    result = new(small, "news", "青川市委党校举行开学典礼")
    assert result.returncode == 0, result.stderr
    rel = f"docs/news/2026/{DAY}-{SLUG}.md"
    assert rel in result.stdout and f"/news/2026/{SLUG}/" in result.stdout
    text = small.path(rel).read_text(encoding="utf-8")
    assert "section: 请填写板块编号  # 板块：写编号或中文名称，可选 news-a（学校要闻）、teach（教学培训）" in text
    assert "请把这一段换成新闻正文" in text
    fill(small, rel)
    item = next(n for n in small.load().news if n.title == "青川市委党校举行开学典礼")
    assert (item.date, item.section, item.source, item.draft) == (TODAY, "news-a", "original", False)
    assert item.url == f"news/2026/{SLUG}/"


def test_news_with_slug_and_a_title_yaml_would_misread(small):
    new_filled(small, "news", "答记者问: 党校 #1 号", "--slug", "da-jizhe-wen")
    item = next(n for n in small.load().news if n.slug == "da-jizhe-wen")
    assert item.title == "答记者问: 党校 #1 号"
    assert small.path(f"docs/news/2026/{DAY}-da-jizhe-wen.md").exists()


def test_note_by_column_name(small):
    new_filled(small, "note", "读懂两个确立", "--column", "理论学习笔记")
    rel = f"docs/notes/col/{DAY}-du-dong-liang-ge-que-li.md"
    assert small.path(rel).exists()
    series = small.load().notes_by_column["col"]
    assert [n.title for n in series] == ["笔记一", "笔记二", "读懂两个确立"]
    assert (series[-1].author, series[-1].number) == ("李红", 3)  # filled in: never the column's editor by default
    text = small.path(rel).read_text(encoding="utf-8")
    assert "author: 李红  # 作者：写实际作者的姓名（专栏责任编辑是张三，不一定是作者）" in text


def test_course_is_appended_keeping_the_file(small):
    before = small.path("data/courses.yaml").read_bytes()
    result = new(small, "course", "党的二十大精神系统解读", "--slug", "ershida-jiedu")
    assert result.returncode == 0, result.stderr
    after = small.path("data/courses.yaml").read_bytes()
    assert after.startswith(before) and len(after) > len(before)
    appended = after[len(before):].decode("utf-8")
    assert "# 新增课程" in appended
    assert "  instructors: [请填写授课教师的编号]" in appended and "i1" not in appended  # no real person credited
    fill(small, "data/courses.yaml")
    records = yaml.safe_load(after)
    assert [r["id"] for r in records] == ["c1", "c2", "c3", "c4", "c5", "ershida-jiedu"]
    course = small.load().courses["ershida-jiedu"]
    assert (course.title, course.category, course.format, course.instructors, course.status, course.since) == (
        "党的二十大精神系统解读", "党性教育", "研讨式", ["i1"], "trial", 2026)


def test_instructor_is_appended_with_a_pinyin_id(small):
    before = small.path("data/instructors.yaml").read_bytes()
    result = new(small, "instructor", "林国栋")
    assert result.returncode == 0, result.stderr
    assert small.path("data/instructors.yaml").read_bytes().startswith(before)
    appended = small.path("data/instructors.yaml").read_bytes()[len(before):].decode("utf-8")
    for line in ("  kind: 请填写 full-time（专职）或 part-time（兼职）", "  category: 请填写师资类别",
                 "  title: 请填写职务或职称", "  organization: 请填写工作单位", "  bio: 请填写个人简介"):
        assert line in appended  # nothing stated about the person that the editor did not write
    fill(small, "data/instructors.yaml")
    person = small.load().instructors["lin-guodong"]
    assert (person.name, person.kind, person.category, person.joined) == ("林国栋", "full-time", "校内教师", 2026)


def test_appending_to_a_file_without_a_final_newline(small):
    text = small.path("data/instructors.yaml").read_text(encoding="utf-8").rstrip("\n")
    small.write("data/instructors.yaml", text)
    new_filled(small, "instructor", "林国栋")
    assert small.path("data/instructors.yaml").read_text(encoding="utf-8").startswith(text + "\n")
    assert "lin-guodong" in small.load().instructors and "i3" in small.load().instructors


def test_bulletin_takes_the_next_issue_and_the_half_year(small):
    # a draft's issue number is taken too: every issue number must stay unique
    small.write("docs/bulletins/b7.md", "---\ntitle: 草稿简报\nissue: 7\nperiod: 2023\ndate: 2024-01-05\ndraft: true\n---\n")
    result = new(small, "bulletin", "2026年下半年工作简报", "--slug", "2026-h2")
    assert result.returncode == 0, result.stderr
    meta = front_matter(small.path("docs/bulletins/2026-h2.md"))
    assert (meta["issue"], meta["period"], meta["date"]) == (8, "2026H2", TODAY)
    body = small.path("docs/bulletins/2026-h2.md").read_text(encoding="utf-8")
    assert "figures(period)" in body and "news_list(period)" in body
    bulletin = next(b for b in small.load().bulletins if b.slug == "2026-h2")
    assert (bulletin.title, bulletin.issue, bulletin.period) == ("2026年下半年工作简报", 8, "2026H2")
    result = new(small, "bulletin", "2027年上半年工作简报", today="2027-03-01")
    assert result.returncode == 0, result.stderr
    meta = front_matter(small.path("docs/bulletins/2027-nian-shang-ban-nian-gong.md"))
    assert (meta["issue"], meta["period"]) == (9, "2027H1")


# each kind's placeholders, untouched: (field, placeholder) in the order written
PLACEHOLDERS = {
    "news": [("section", "请填写板块编号"), ("正文", "（请把这一段换成新闻正文。可以用「## 小标题」分段。）")],
    "note": [("author", "请填写作者姓名"), ("正文", "（请把这一段换成笔记正文。可以用「## 小标题」分段。）")],
    "course": [("category", "请填写课程类别"), ("format", "请填写教学形式"), ("instructors", "请填写授课教师的编号"),
               ("summary", "请填写课程简介")],
    "instructor": [("kind", "请填写 full-time（专职）或 part-time（兼职）"), ("category", "请填写师资类别"),
                   ("title", "请填写职务或职称"), ("organization", "请填写工作单位"), ("bio", "请填写个人简介")],
    "bulletin": [],  # its figures come from the macros: nothing to state
}
UNTOUCHED = [("news", "青川市委党校举行开学典礼"), ("note", "读懂两个确立", "--column", "col"),
             ("course", "党性课新编"), ("instructor", "欧阳明"), ("bulletin", "2026年下半年工作简报")]


def test_every_kind_untouched_fails_check_naming_each_placeholder(small):
    expected = []
    for kind, *args in UNTOUCHED:
        result = new(small, kind, *args)
        assert result.returncode == 0, (kind, result.stderr)
        assert "「请填写…」" in result.stdout and "--slug" in result.stdout
        rel = written_path(result.stdout)
        lines = small.path(rel).read_text(encoding="utf-8").splitlines()
        for field, placeholder in PLACEHOLDERS[kind]:
            line = next(n for n, text in enumerate(lines, 1) if placeholder in text
                        and (field == "正文" or text.lstrip("- ").startswith(f"{field}:")))
            if field == "正文":
                expected.append(f"{rel} 第 {line} 行，字段「正文」：还没有填写正文：请把「{placeholder}」这一段换成实际内容")
            else:
                label = MODELS[kind].label(field)
                record = {"instructor": person_id(args[0]), "course": slugify(args[0])}.get(kind, args[0])  # news, notes: the title
                expected.append(f"{rel} 第 {line} 行，记录「{record}」，字段「{field}」：还没有填写{label}：请把「{placeholder}」换成实际内容")
    problems = small.problems()
    assert sorted(problems) == sorted(expected)  # each named once, and nothing else (no 「不符合要求」 beside it)
    check = small.run("-m", "macros", "--today", DAY, "check")
    assert check.returncode == 1
    assert all(problem in check.stdout + check.stderr for problem in expected)


def test_every_kind_checks_and_builds_once_filled(small):
    for args in [("news", "青川市委党校举行开学典礼"), ("note", "读懂两个确立", "--column", "col"),
                 ("course", "党性课新编"), ("instructor", "欧阳明"), ("bulletin", "2026年下半年工作简报"),
                 ("新闻", "教学培训新闻", "--today", DAY)]:
        new_filled(small, *args)
    check = small.run("-m", "macros", "--today", DAY, "check")
    assert check.returncode == 0, check.stderr
    assert "新闻 5 条" in check.stdout and "学习笔记 3 篇" in check.stdout and "课程 6 门" in check.stdout
    built = small.build()
    assert built.returncode == 0, built.stderr[-3000:]
    site = small.root / "site"
    bulletin = (site / "bulletins" / "2026-nian-xia-ban-nian-gong" / "index.html").read_text(encoding="utf-8")
    assert "2026年下半年" in bulletin and "{{" not in bulletin and "编辑提示" not in bulletin
    assert (site / "news" / "2026" / SLUG / "index.html").exists()
    assert (site / "notes" / "col" / "du-dong-liang-ge-que-li" / "index.html").exists()
    assert (site / "courses" / "dang-xing-ke-xin-bian" / "index.html").exists()


def test_same_slug_in_another_year_is_allowed(small):
    new_filled(small, "news", "开学典礼")
    new_filled(small, "news", "开学典礼", today="2027-01-05")
    assert {n.url for n in small.load(dt.date(2027, 1, 5)).news} >= {
        "news/2026/kai-xue-dian-li/", "news/2027/kai-xue-dian-li/"}


# --- refusals ----------------------------------------------------------------------


@pytest.mark.parametrize("args, message", [
    (("news", "新闻甲", "--slug", "a"), "docs/news/2023/2023-02-01-a.md 已经用了英文名「a」"),
    (("note", "笔记一", "--column", "col", "--slug", "n1"), "docs/notes/col/2023-02-10-n1.md 已经用了英文名「n1」"),
    (("course", "理论课一", "--slug", "c1"), "data/courses.yaml 里已经有编号为「c1」的课程"),
    (("instructor", "王一", "--slug", "i1"), "data/instructors.yaml 里已经有编号为「i1」的老师"),
    (("bulletin", "简报一", "--slug", "b1"), "docs/bulletins/b1.md 已经存在"),
    (("note", "笔记三"), "新建学习笔记要用 --column 指明专栏，可选：col（理论学习笔记）"),
    (("note", "笔记三", "--column", "理论笔记"), "没有编号或名称为「理论笔记」的专栏"),
    (("news", "新闻", "--slug", "Kai Xue"), "英文名「Kai Xue」不合规范"),
    (("news", "！！！"), "无法从「！！！」生成英文名，请用 --slug 指定"),
    (("news", "新闻", "--column", "col"), "--column 只用于学习笔记"),
])
def test_refused_with_nothing_changed(small, args, message):
    today = "2023-05-05" if args[0] == "news" and "a" in args else DAY  # news "a" is in docs/news/2023/
    before = snapshot(small)
    result = new(small, *args, today=today)
    assert result.returncode == 1
    assert message in result.stderr and result.stderr.startswith("没有新建任何内容：")
    assert result.stdout == ""
    assert snapshot(small) == before


def test_a_data_file_that_does_not_read_is_left_alone(small):
    small.append("data/courses.yaml", "- id: broken\n  title: \"没有结尾的引号\n")
    before = snapshot(small)
    result = new(small, "course", "新课")
    assert result.returncode == 1
    assert "data/courses.yaml 有格式错误" in result.stderr
    assert snapshot(small) == before


def test_unknown_kind_is_a_usage_error(small):
    result = new(small, "video", "标题")
    assert result.returncode == 2
    assert "不认识的类型「video」" in result.stderr


# --- what each starter writes, byte for byte ----------------------------------------

# Each case runs `create` in-process on a fresh copy of `small`; tests/starters/<case>.<ext> holds
# the bytes it wrote (a new file's whole text, or what was appended to data/*.yaml), recorded
# from the f-strings scaffold.py had before its starters became templates, and again when facts
# became placeholders (「请填写…」) and slugs were cut at 30 characters. After an intended
# change of a starter, record again: QC_RECORD_STARTERS=1 .venv/bin/python -m pytest -q
# tests/test_scaffold.py -k written, and read the diff.
EXPECTED = Path(__file__).parent / "starters"
CASES = {
    "news": ("news", "青川市委党校举行开学典礼", {}),
    "news-colon": ("news", "标题: 带冒号", {}),
    "news-slug": ("news", "答记者问: 党校 #1 号", {"slug": "da-jizhe-wen"}),
    "news-no-topics": ("news", "没有专题的新闻", {}),
    "note-by-column-name": ("note", "读懂两个确立", {"column": "理论学习笔记"}),
    "note-colon": ("note", "笔记: 带冒号", {"column": "col", "slug": "maohao"}),
    "bulletin": ("bulletin", "2026年下半年工作简报", {"slug": "2026-h2"}),
    "bulletin-colon": ("bulletin", "简报: 带冒号", {}),
    "course": ("course", "党的二十大精神系统解读", {}),
    "course-colon": ("course", "课程: 带冒号 #1", {"slug": "kecheng"}),
    "instructor": ("instructor", "林国栋", {}),
    "instructor-compound-surname": ("instructor", "欧阳明", {}),
    "instructor-colon": ("instructor", "Tom: Lee", {"slug": "tom-lee"}),
}


def written(project, kind: str, title: str, today: dt.date = TODAY, **options) -> tuple[str, bytes]:
    """What `create` wrote: the new file, or the bytes appended to the data file."""
    before = snapshot(project)
    created = create(project.root, kind, title, today, **options)
    after = project.path(created.path).read_bytes()
    return created.path, after[len(before.get(created.path, b"")):]


@pytest.mark.parametrize("case", CASES)
def test_written_byte_for_byte(small, case):
    kind, title, options = CASES[case]
    if case == "news-no-topics":
        small.path("data/topics.yaml").unlink()
    rel, text = written(small, kind, title, **options)
    expected = EXPECTED / f"{case}{Path(rel).suffix}"
    if os.environ.get("QC_RECORD_STARTERS") == "1":
        expected.parent.mkdir(exist_ok=True)
        expected.write_bytes(text)
    assert text.decode("utf-8") == expected.read_text(encoding="utf-8")
    assert text == expected.read_bytes()


# --- the starters and the models -------------------------------------------------------

MODELS = {"news": NewsItem, "note": Note, "bulletin": Bulletin, "course": Course, "instructor": Instructor}
EVERY_KIND = {"news": ("青川市委党校举行开学典礼", {}), "note": ("读懂两个确立", {"column": "col"}),
              "bulletin": ("2026年下半年工作简报", {}), "course": ("党性课新编", {}), "instructor": ("欧阳明", {})}
# a line such as `# summary: 一两句话的摘要。  # 摘要（可选）`: a field the editor may uncomment
_COMMENTED_FIELD = re.compile(r"^(\s*)# ((?:- )?([A-Za-z_]\w*):(?: .*)?)$")


def drift(kind: str, rel: str, text: str) -> list[str]:
    """How the starter `text` of `kind` departs from its model: a field it writes (commented out
    or not) that the model does not read, a required field it does not write, or a record that,
    with every commented-out field written and every placeholder filled as an editor would
    (`filled`: each 「请填写…」 replaced by a valid value), the model refuses."""
    model = MODELS[kind]
    block = text.split("---\n")[1] if rel.endswith(".md") else text  # the front matter, or the appended record
    lines = [_COMMENTED_FIELD.match(line) for line in block.splitlines()]
    commented = {m.group(3) for m in lines if m}
    uncommented = "\n".join(m.group(1) + m.group(2) if m else line for m, line in zip(lines, block.splitlines()))

    def record(source: str) -> dict:
        loaded = yaml.safe_load(source)
        return loaded[0] if isinstance(loaded, list) else loaded

    written = set(record(block))
    inputs = set(model.input_fields())
    required = {name for name, info in model.model_fields.items()
                if info.is_required() and not (info.json_schema_extra or {}).get("derived")}
    problems = [f"{kind}: {name} is not a field of {model.__name__}" for name in sorted((written | commented) - inputs)]
    problems += [f"{kind}: {model.__name__}'s required {name} is not written" for name in sorted(required - written)]
    try:
        model.model_validate(record(filled(uncommented)))
    except pydantic.ValidationError as error:
        problems += [f"{kind}: with its comments written, {model.__name__} refuses "
                     f"{'.'.join(map(str, e['loc']))} ({e['type']})" for e in error.errors()]
    return problems


def every_starter(project) -> dict[str, tuple[str, str]]:
    return {kind: tuple(part.decode() if isinstance(part, bytes) else part
                        for part in written(project, kind, title, **options))
            for kind, (title, options) in EVERY_KIND.items()}


def test_every_starter_writes_its_models_fields(small):
    """A field renamed, added or made required in models.py, and not in its starter, fails here."""
    starters = every_starter(small)
    assert set(starters) == set(KINDS) == set(MODELS)
    for kind, (rel, text) in starters.items():
        assert drift(kind, rel, text) == [], text
    # the choices the comments offer are the models' own
    assert f"category: 请填写课程类别  # 课程类别：{'、'.join(COURSE_CATEGORIES)}\n" in starters["course"][1]
    assert f"format: 请填写教学形式  # 教学形式：{'、'.join(COURSE_FORMATS)}\n" in starters["course"][1]
    assert f"category: 请填写师资类别  # 师资类别：{'、'.join(INSTRUCTOR_CATEGORIES)}\n" in starters["instructor"][1]
    # what the test fills in is a placeholder to the validation layer, and each is written by some starter
    text = "".join(text for _rel, text in starters.values())
    assert all(is_placeholder(placeholder) and placeholder in text for placeholder in FILLED)


def test_a_starter_that_drifts_fails(small, tmp_path, monkeypatch):
    """The check above, shown to fail on copies of the templates with fields gone wrong."""
    folder = tmp_path / "starters"
    shutil.copytree(scaffold.STARTERS, folder)

    def plant(name: str, old: str, new: str) -> None:
        text = (folder / name).read_text(encoding="utf-8")
        assert old in text, (name, old)
        (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")

    plant("news.md", "# summary:", "# sumary:")  # misspelt, commented out
    plant("note.md", "\nauthor:", "\nauther:")  # misspelt, so the required author is missing too
    plant("course.yaml", "  hours: 2  # 课时，大于 0，可以写 1.5\n", "")  # a required field left out
    plant("bulletin.md", "# summary: 一两句话的摘要。", "# summary: [一, 二]")  # the wrong type, commented out
    monkeypatch.setattr(scaffold, "_ENV", scaffold.environment(folder))
    problems = {kind: drift(kind, rel, text) for kind, (rel, text) in every_starter(small).items()}
    assert problems == {
        "news": ["news: sumary is not a field of NewsItem",
                 "news: with its comments written, NewsItem refuses sumary (extra_forbidden)"],
        "note": ["note: auther is not a field of Note", "note: Note's required author is not written",
                 "note: with its comments written, Note refuses author (missing)",
                 "note: with its comments written, Note refuses auther (extra_forbidden)"],
        "course": ["course: Course's required hours is not written",
                   "course: with its comments written, Course refuses hours (missing)"],
        "bulletin": ["bulletin: with its comments written, Bulletin refuses summary (string_type)"],
        "instructor": [],
    }
