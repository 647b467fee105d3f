"""The desk's configuration (admin/config.yml) against the models it is generated from.

The forms and the validation must not drift: every field an editor may write has a form field
and no form field writes a field the models refuse; every select offers exactly the values
validation accepts (checked by validating each option, and a value outside them, through pydantic,
not through the generator's own reading of the choices); relations point at a collection with
ids. The configuration read back is the one written (YAML text), as the CMS reads it.
"""
from __future__ import annotations

import typing
from pathlib import Path

import pytest
import yaml
from pydantic import TypeAdapter, ValidationError

from conftest import FIXTURES, ROOT
from macros.content import models as m
from macros.editorial import desk
from macros.index import load as loader

SMALL = FIXTURES / "small"


def written(root: Path = SMALL) -> dict:
    return yaml.safe_load(desk.dump(desk.config(root)))


def forms(config: dict) -> dict[str, list[dict]]:
    """collection name → its record's form fields (the list inside a data file's collection)."""
    out = {}
    for collection in config["collections"]:
        if "files" in collection:
            (root_list,) = collection["files"][0]["fields"]
            assert root_list["root"] is True and root_list["widget"] == "list"
            out[collection["name"]] = root_list["fields"]
        else:
            out[collection["name"]] = [f for f in collection["fields"] if f["name"] != "body"]
    return out


def models(root: Path = SMALL) -> dict[str, type[m.Record]]:
    return {kind.name: kind.model for kind in desk.kinds(root)}


def test_every_record_kind_has_a_collection():
    config = written()
    names = {c["name"] for c in config["collections"]}
    assert set(loader.DATA_FILES) <= names
    assert {"news", "bulletins"} <= names
    columns = yaml.safe_load((SMALL / "data" / "columns.yaml").read_text(encoding="utf-8"))
    assert {f"notes-{c['id']}" for c in columns} <= names  # one per column: the folder is the column
    for collection in config["collections"]:
        if "files" in collection:
            assert collection["files"][0]["file"] == f"data/{collection['name']}.yaml"


def _check_fields(model: type[m.Record], fields: list[dict], where: str) -> None:
    names = [f["name"] for f in fields]
    assert sorted(names) == sorted(model.input_fields()), f"{where}: form {names} ≠ model {model.input_fields()}"
    for form in fields:
        info = model.model_fields[form["name"]]
        label = f"{where}.{form['name']}"
        assert form["label"] == info.description, label
        if form["widget"] not in ("object", "hidden"):  # hidden: a data record's note, kept as written
            assert form["required"] == (info.is_required() or form["widget"] in ("relation", "list") and form.get("min", 0) > 0
                                        or form["name"] in desk.NEW_RECORD.get(where, {})), label
        if form["widget"] == "select":
            _check_options(info, form, label)
        if form["widget"] == "object":
            nested = typing.get_args(info.annotation)[0] if typing.get_origin(info.annotation) else info.annotation
            nested = next((a for a in typing.get_args(info.annotation) if isinstance(a, type) and issubclass(a, m.Record)), nested)
            assert sorted(f["name"] for f in form["fields"]) == sorted(n for n in nested.input_fields() if n != "internal"), label


def _check_options(info, form: dict, label: str) -> None:
    """Every option validates to itself; the CMS can offer nothing validation refuses."""
    adapter = TypeAdapter(typing.Annotated[info.annotation, *info.metadata])
    values = [o["value"] if isinstance(o, dict) else o for o in form["options"]]
    assert values, label
    for value in values:
        assert adapter.validate_python(value) == value, f"{label}: option {value!r}"
    with pytest.raises(ValidationError):
        adapter.validate_python("不是选项之一")


@pytest.mark.parametrize("root", [SMALL, ROOT], ids=["small", "demo-repo"])
def test_each_form_is_its_model(root):
    for name, fields in forms(written(root)).items():
        _check_fields(models(root)[name], fields, name)


def test_the_choice_lists_are_the_models_lists():
    by_name = {c["name"]: c for c in forms(written()).items() for c in [dict(name=c[0], fields=c[1])]}
    course = {f["name"]: f for f in by_name["courses"]["fields"]}
    assert course["category"]["options"] == list(m.COURSE_CATEGORIES)
    assert course["format"]["options"] == list(m.COURSE_FORMATS)
    assert course["status"]["options"] == [{"label": "试讲", "value": "trial"}, {"label": "入库", "value": "active"},
                                           {"label": "停用", "value": "retired"}]
    research = {f["name"]: f for f in by_name["research"]["fields"]}
    assert research["level"]["options"] == list(m.RESEARCH_LEVELS)


def test_a_changed_choice_list_changes_the_form(monkeypatch):
    """The options are read from the validators themselves: a list edited in models.py is in the form."""
    class Thing(m.Record):
        id: m.Id = m.Field(description="编号")
        colour: typing.Annotated[str, m.one_of(("红", "蓝"), "颜色")] = m.Field(description="颜色")
        mode: m.Mode = m.Field("offline", description="办班方式")
        size: typing.Literal["s", "m"] = m.Field("s", description="大小")
    fields = {f["name"]: f for f in desk.fields_of(Thing, "things")}
    assert fields["colour"]["options"] == ["红", "蓝"] and fields["colour"]["required"] is True
    assert [o["value"] for o in fields["mode"]["options"]] == ["offline", "online", "hybrid"]
    assert fields["size"]["options"] == ["s", "m"]


def test_a_new_record_kind_gets_its_form_with_no_work_in_the_desk(monkeypatch):
    """What another change adds to models.py and load.DATA_FILES becomes a collection."""
    class Mentor(m.Record):
        id: m.Id = m.Field(description="编号")
        name: m.Text = m.Field(description="姓名")
        post: str = m.Field("", description="职务")
        since: m.Year = m.Field(description="任职年份")
        topics: m.Refs = m.Field(default_factory=list, description="分管专题")
        photo: str | None = m.Field(None, description="照片")
    monkeypatch.setitem(loader.DATA_FILES, "mentors", (Mentor, "导师"))
    monkeypatch.setattr(desk, "DATA_FILES", loader.DATA_FILES)
    config = written()
    (mentors,) = [c for c in config["collections"] if c["name"] == "mentors"]
    assert mentors["label"] == "导师" and mentors["files"][0]["file"] == "data/mentors.yaml"
    _check_fields(Mentor, forms(config)["mentors"], "mentors")
    fields = {f["name"]: f for f in forms(config)["mentors"]}
    assert fields["since"]["widget"] == "number" and fields["topics"]["widget"] == "relation"
    assert fields["photo"]["widget"] == "image"


def test_a_type_the_desk_cannot_show_is_a_developers_error():
    class Odd(m.Record):
        shape: dict[str, int] = m.Field(description="形状")
    with pytest.raises(desk.DeskError, match="shape"):
        desk.fields_of(Odd, "odd")


def test_relations_pick_ids_of_an_existing_collection():
    config = written()
    names = {c["name"]: c for c in config["collections"]}
    found = 0
    for name, fields in forms(config).items():
        for form in fields:
            if form["widget"] != "relation":
                continue
            found += 1
            target = names[form["collection"]]
            assert form["value_field"] == f"{form['collection']}.*.id"
            assert "id" in models()[form["collection"]].model_fields, (name, form["name"])
            assert target["files"][0]["name"] == form["file"]
    assert found >= 8  # section, topics ×6, instructors, lead, expertise, parent


def test_the_three_reviews_are_fields_of_news_and_notes():
    for name, fields in forms(written()).items():
        if name == "news" or name.startswith("notes-"):
            (review,) = [f for f in fields if f["name"] == "review"]
            assert [(f["name"], f["label"]) for f in review["fields"]] == [
                (step, label) for step, label in m.REVIEW_STEPS.items()]


def test_news_covers_go_where_the_build_looks_for_them():
    """A cover is written relative to the news file (load._check_cover): docs/news/YYYY/images/."""
    (news,) = [c for c in written()["collections"] if c["name"] == "news"]
    assert news["folder"] == "docs/news" and news["path"].startswith("{{fields.date | date('YYYY')}}/")
    assert news["public_folder"] == "images" and news["media_folder"] == "../images"
    (cover,) = [f for f in news["fields"] if f["name"] == "cover"]
    assert cover["widget"] == "image"


def test_the_backend_comes_from_mkdocs_yml(small):
    small.edit("mkdocs.yml", "extra:\n", "extra:\n  desk:\n    base_url: https://git.school.cn\n"
               "    repo: web/site\n    app_id: abc123\n")
    backend = written(small.root)["backend"]
    assert backend == {**backend, "name": "gitlab", "auth_type": "pkce", "base_url": "https://git.school.cn",
                       "repo": "web/site", "app_id": "abc123", "api_root": "https://git.school.cn/api/v4"}
    assert written(small.root)["publish_mode"] == "editorial_workflow"


def test_the_desk_goes_into_admin_only_and_loads_nothing_from_elsewhere(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>首页</p>", encoding="utf-8")
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    missing = desk.write(SMALL, site, modules=ROOT)
    assert missing == [], "run `npm ci` (make desk-assets): the desk's test needs the pinned CMS"
    assert {p: p.read_bytes() for p in before} == before  # the public pages are as they were
    admin = site / "admin"
    assert {p.name for p in admin.iterdir()} >= {"index.html", "desk.js", "config.yml", "sveltia-cms.js", "fonts",
                                                  "locales", "chunks"}
    script = (admin / "sveltia-cms.js").read_text(encoding="utf-8")
    assert "cdn.jsdelivr.net" not in script
    for font in desk.CDN_FONTS.values():
        assert (admin / "fonts" / Path(font).name).stat().st_size > 1000
        assert f"fonts/{Path(font).name}" in script
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert "http" not in page and 'src="desk.js"' in page and 'src="sveltia-cms.js"' in page


def test_the_strings_the_package_lacks_are_in_chinese_and_its_own_are_kept(tmp_path):
    """0.221.1's zh-CN.json lacks some strings (shown in English): on a phone the slug is behind
    ⋮ → "Slug", a refused save offers "Show Errors". The copied file has them in Chinese."""
    import json

    desk.write(SMALL, tmp_path, modules=ROOT)
    written_ = json.loads((tmp_path / "admin" / "locales" / "zh-CN.json").read_text(encoding="utf-8"))
    package = json.loads((ROOT / desk.CMS_PACKAGE / "locales" / "zh-CN.json").read_text(encoding="utf-8"))

    def flat(node, prefix=""):
        for key, value in node.items():
            yield from flat(value, f"{prefix}{key}.") if isinstance(value, dict) else [(prefix + key, value)]
    ours, theirs = dict(flat(written_)), dict(flat(package))
    assert {k: v for k, v in ours.items() if k in theirs} == theirs  # nothing of the package replaced
    assert ours["show_errors"] == "查看错误" and ours["entry_sidebar.slug.title"].startswith("别名")
    assert all(k in ours for k in desk.LOCALE_ADDED)


def test_without_npm_the_site_has_no_desk_and_says_so(tmp_path):
    site = tmp_path / "site"
    (site / "admin").mkdir(parents=True)
    missing = desk.write(SMALL, site, modules=tmp_path)
    assert missing and "npm ci" in missing[0] and not (site / "admin").exists()


def test_a_cms_that_loads_other_fonts_is_refused():
    with pytest.raises(desk.DeskError):
        desk.local_script("no fonts here")


def test_nginx_lets_the_desk_talk_to_the_gitlab_mkdocs_yml_names():
    import re
    conf = (ROOT / "deploy" / "nginx" / "admin.conf").read_text(encoding="utf-8")
    git = re.search(r'set \$qcdx_desk_git "([^"]+)"', conf).group(1)
    assert desk.config(ROOT)["backend"]["base_url"] == git


def test_checks_problems_reach_the_merge_request_as_a_test_report(small, tmp_path):
    """`desk-check --junit`: each problem of `check` one failed case, in Chinese, file and line."""
    from xml.etree import ElementTree as ET
    from macros.cli import main
    report = tmp_path / "check.xml"
    assert main(["--root", str(small.root), "desk-check", "--junit", str(report)]) == 0
    assert ET.parse(report).getroot().find("testsuite").get("failures") == "0"
    small.edit("data/courses.yaml", "hours: 4", "hours: -4")
    assert main(["--root", str(small.root), "desk-check", "--junit", str(report)]) == 1
    cases = ET.parse(report).getroot().find("testsuite").findall("testcase")
    failures = [c.find("failure") for c in cases]
    assert failures and all(f is not None for f in failures)
    assert any(c.get("classname") == "data/courses.yaml" and "课时" in f.text for c, f in zip(cases, failures))


def test_the_desks_preview_links_open_the_page_on_the_site_or_the_local_preview():
    config = yaml.safe_load(desk.dump(desk.config(SMALL, site_url="http://127.0.0.1:8000/")))
    assert config["site_url"] == "http://127.0.0.1:8000/"
    previews = {c["name"]: c.get("preview_path") for c in config["collections"]}
    assert previews["news"] == "news/{{year}}/{{slug}}/" and previews["bulletins"] == "bulletins/{{slug}}/"
    assert all(previews[n] == f"notes/{n[len('notes-'):]}/{{{{slug}}}}/" for n in previews if n.startswith("notes-"))


def test_a_new_record_starts_with_what_new_writes(small):
    """Where `python -m macros new` writes a value that is not the model's default (a new course
    is on trial), the desk's form starts with the same value: either road gives the same record."""
    import datetime as dt

    from macros.editorial import scaffold

    fields = {f["name"]: f for f in forms(written(small.root))["courses"]}
    for kind, data in (("course", "courses"), ("instructor", "instructors")):
        scaffold.create(small.root, kind, "新记录", dt.date(2024, 1, 1), slug=f"new-{kind}")
        record = yaml.safe_load(small.path(f"data/{data}.yaml").read_text(encoding="utf-8"))[-1]
        fields = {f["name"]: f for f in forms(written(small.root))[data]}
        model = loader.DATA_FILES[data][0]
        for name, value in record.items():
            info = model.model_fields[name]
            if "请填写" in str(value) or fields[name]["required"] or value == info.get_default(call_default_factory=True):
                continue
            assert fields[name].get("default") == value, f"{data}.{name}: `new` writes {value!r}, the desk {fields[name].get('default')!r}"


def test_a_save_writes_nothing_into_records_it_did_not_touch():
    """Sveltia fills every field's `default` (a switch: false) into each record of a file that
    lacks it, and writes it on save; a key-value field in a list writes `internal: null`. So no
    form field has a default or is a switch, and a data file's notes are kept as written
    (tests/test_desk_browser.py saves files through the desk and compares every record)."""
    config = written()

    def every(fields, where):
        for form in fields:
            yield where, form
            yield from every(form.get("fields", []), f"{where}.{form['name']}")

    forms_ = [pair for c in config["collections"] for pair in
              every(c.get("fields") or c["files"][0]["fields"], c["name"])]
    assert [w + "." + f["name"] for w, f in forms_ if "default" in f] == []
    assert [w + "." + f["name"] for w, f in forms_ if f.get("widget") == "boolean"] == []
    notes = {w: f["widget"] for w, f in forms_ if f["name"] == "internal"}
    assert notes["news"] == "keyvalue" and notes["courses.courses"] == "hidden"
    assert {w for w, widget in notes.items() if widget != "hidden"} == {
        c["name"] for c in config["collections"] if "folder" in c}
    bodies = {c["name"]: c["fields"][-1] for c in config["collections"] if "folder" in c}
    assert bodies["bulletins"]["modes"] == ["raw"]  # its macros as written: no rich-text round trip
    assert all("italic" not in body.get("buttons", ["italic"]) and "strikethrough" not in body["buttons"]
               for name, body in bodies.items() if name != "bulletins")
    course = {f["name"]: f for f in forms(config)["courses"]}
    assert "试" in course["status"]["hint"] and course["status"]["required"]


def test_checks_problems_reach_a_github_pull_request_as_annotations(small, capsys):
    """`desk-check --github`: each problem one `::error` workflow command at its file and line,
    escaped as GitHub requires (%, CR, LF; in a property also : and ,)."""
    from macros.cli import main
    from macros.content.problems import Problem
    from macros.editorial import annotations

    assert main(["--root", str(small.root), "desk-check", "--github"]) == 0
    assert capsys.readouterr().out == ""
    small.edit("data/courses.yaml", "hours: 4", "hours: -4")
    small.edit("data/courses.yaml", "since: 2021", "since: 二〇二一")
    assert main(["--root", str(small.root), "desk-check", "--github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(line.startswith("::error file=data/courses.yaml,line=") for line in lines)
    assert "记录「c1」，字段「hours」::data/courses.yaml 第 5 行" in lines[0] and "课时" in lines[0]
    odd = Problem("docs/a,b:c.md", 3, "x", "title", "满意度 96%\r\n第二行")
    assert annotations.annotation(odd) == (
        "::error file=docs/a%2Cb%3Ac.md,line=3,title=内容检查：记录「x」，字段「title」::"
        "docs/a,b:c.md 第 3 行，记录「x」，字段「title」：满意度 96%25%0D%0A第二行")
    assert annotations.annotation(Problem("mkdocs.yml", 0, message="缺少 site_url")) == \
        "::error file=mkdocs.yml,title=内容检查::mkdocs.yml：缺少 site_url"
