"""The editors' desk (/admin/): Sveltia CMS's configuration, generated from the models.

`config(root)` returns admin/config.yml as a dict; `write(root, site_dir)` puts the desk into
a built site (the page, the configuration, and the CMS copied from node_modules when npm has
installed it). Nothing here is written by hand per record kind: every data file of
`load.DATA_FILES` becomes a file collection (its bare list edited as it is, `root: true`), the
news, every study-note column and the bulletins become folder collections, and every field a
model lets an editor write becomes a form field:

- the label is the field's description (models.py), `required` is pydantic's;
- a choice (`choice()`, `one_of()`, a Literal) is a select with the same options;
- a reference (REFERENCES: teacher ids, sections, topics) is a pick list of the other file;
- dates, years, numbers and flags get their widgets; nested records (review, award) objects.

So a record kind a later change adds to models.py and DATA_FILES gets its form with no work
here; `fields_of` raises DeskError on a type it cannot map, and tests/test_desk.py compares
the generated forms with the models both ways.
"""
from __future__ import annotations

import datetime as dt
import inspect
import shutil
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Union

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from ..content import config as configuration
from ..content import models as m
from ..index.load import DATA_FILES, LEADERS_FILE

# The pinned CMS (package.json); the files copied into site/admin/ from node_modules.
CMS_PACKAGE = Path("node_modules/@sveltia/cms")
CMS_SCRIPT = "dist/sveltia-cms.js"
CMS_FILES = ("dist/chunks/react-dom.js", "locales/zh-CN.json", "LICENSE.txt")
# The CMS's stylesheet (inside its script) asks jsDelivr for three fonts, among them the icons
# of every button. They are the same files as these pinned npm packages hold, served from
# /admin/fonts/: the copied script is the package's with these three addresses replaced.
CDN_FONTS = {
    "https://cdn.jsdelivr.net/fontsource/fonts/material-symbols-outlined:vf@5.3.7/latin-wght-normal.woff2":
        "node_modules/@fontsource-variable/material-symbols-outlined/files/material-symbols-outlined-latin-wght-normal.woff2",
    "https://cdn.jsdelivr.net/fontsource/fonts/source-sans-3:vf@5.3.0/latin-wght-normal.woff2":
        "node_modules/@fontsource-variable/source-sans-3/files/source-sans-3-latin-wght-normal.woff2",
    "https://cdn.jsdelivr.net/fontsource/fonts/noto-mono@5.3.0/latin-400-normal.woff2":
        "node_modules/@fontsource/noto-mono/files/noto-mono-latin-400-normal.woff2",
}
ADMIN_SOURCE = Path(__file__).resolve().parent / "admin"  # the page and its shim
# Strings 0.221.1's zh-CN.json lacks (111 of its 918; the interface shows them in English) that an
# editor meets in these forms: on a phone the slug is behind ⋮ → "Slug", a refused save offers
# "Show Errors". Added to the copied locales/zh-CN.json; a string the package has is never replaced.
LOCALE_ADDED: dict[str, str] = {
    "show_errors": "查看错误",
    "entry_sidebar.slug.title": "别名（文件名）",
    "entry_sidebar.slug.generated_on_save": "别名在保存时由条目内容生成；其中的日期和时间是保存时的。",
    "entry_sidebar.slug.unavailable": "这一条没有别名。",
    "save_conflict.title": "这一条已被别人修改",
    "save_conflict.modified_by": "{$name} 在您打开之后于 {$date} 修改了这一条。",
    "save_conflict.modified": "您打开之后，这一条已在仓库中被修改。",
    "save_conflict.deleted": "您打开之后，这一条已从仓库中删除。",
    "save_conflict.overwrite_warning": "现在保存，别人的修改会丢失。",
    "save_conflict.recreate_warning": "现在保存，这一条会被重新建立。",
    "save_conflict.save_anyway": "仍然保存",
    "save_conflict.branch_moved": "保存时仓库已被别人更新，请再保存一次。",
    "remote_change.reload_entry": "重新载入",
    "remote_change.confirm_reloading_entry": "确定重新载入吗？没有保存的修改会丢失。",
    "list_item_options": "列表项选项",
    "select_item": "选择 {$name}",
    "replace_file": "替换文件", "replace_image": "替换图片", "remove_file": "移除文件", "remove_image": "移除图片",
    "relation_field.save_together_hint": "新加的{$name}会和正在编辑的这一条一起保存。",
    "relation_field.add_failed": "没能添加{$name}。",
    "file_unavailable": "无法载入", "file_unavailable_description": "这个文件无法载入，可能已被移动或删除。",
}

# A field whose value names a record of another file → that file (as load.py resolves them).
REFERENCES = {
    "instructors": "instructors", "lead": "instructors",
    "topics": "topics", "expertise": "topics", "parent": "topics",
    "section": "sections",
}
# Shown as a larger box, not one line.
LONG_TEXT = {"summary", "bio", "description"}
# The id of a record: the pattern `_id` in models.py checks, told in the form before saving.
ID_PATTERN = [m.ID_PATTERN.pattern, "只能用小写英文字母、数字和短横线「-」，例如 xi-thought-01"]

# What the comment headers of data/*.yaml taught, kept here: the desk rewrites a file without
# its comments (every YAML writer of a CMS does), so the form tells it instead. Keys are a
# data file's name (or "news", "notes", "bulletins") and a field; "*" is every kind.
HINTS: dict[str, dict[str, str]] = {
    "*": {
        "id": "网址用的英文或拼音，小写字母、数字加短横线；定了就不要再改，别处靠它找到这一条",
        "internal": "编辑内部备注，如 联系人、备注、续聘提醒：每项一行，网站上不会显示",
        "topics": "从专题列表中选择，可选多个",
    },
    "courses": {
        "id": "例如 ershida-jingshen-jiedu；定了就不要再改",
        "hours": "大于 0，可以写小数，如 1.5",
        "instructors": "从师资库中选择，至少一位；师资库里没有的老师请先在「师资」里添加",
        "audience": "如 中青班、科级班、村（社区）书记班、党员轮训、新任公务员班、社会培训",
        "required": "选「是」为必修；选「否」或不选为选修",
        "since": "开课年份，四位数字",
        "summary": "课程简介，一两句话",
    },
    "instructors": {
        "id": "姓名的拼音，如 lin-guodong；入库后不要再改，课程和课题靠它找到老师",
        "title": "如 教授、副教授、讲师、县委书记、村党支部书记",
        "organization": "所在单位",
        "expertise": "擅长的专题，1 到 3 个",
        "joined": "入库年份，四位数字，如 2023",
        "bio": "个人简介，两三句话",
    },
    "research": {
        "id": "立项年份-级别-序号，如 2023-shi-01（guo 国家级、sheng 省级、shi 市级、xiao 校级）",
        "level": "由谁立项资助",
        "completed": "还没结项的不填；不能早于立项日期",
        "award": "没有获奖的不填；获奖日期不能早于立项日期",
        "lead": "从师资库中选择",
    },
    "trainings": {
        "id": "年份-班次简称-期数，如 2023-zqb-1（zqb 中青班、kjb 科级班、sjb 村（社区）书记班、"
              "dylx 党员轮训、xrgwy 新任公务员班、shpx 社会培训）",
        "class_type": "主体班次填 中青班、科级班、村（社区）书记班、党员轮训、新任公务员班；"
                      "社会培训按委托单位填，如 企业管理人员班",
        "start": "统计时按开班日期算入哪一年、哪个季度",
        "end": "不能早于开班日期",
        "trainees": "整数",
        "satisfaction": "写小数（如 0.96）或百分数（如 96%）；还没测评的班不填",
    },
    "sections": {
        "kind": "动态类至少 14 天、公告类至少 180 天更新一次（检查指标的要求）",
        "update_every_days": "不填时按板块类型：动态类 14 天、公告类 180 天",
    },
    "columns": {"id": "也是 docs/notes/ 下这个专栏的文件夹名；定了就不要再改"},
    "topics": {"parent": "上级专题（可不选）"},
    "news": {
        "section": "从板块列表中选择",
        "source_name": "转载的新闻必须写明来源，例如 人民日报",
        "cover": "JPG、PNG 或 WebP 照片，保存在这条新闻旁边的 images/ 文件夹里；网站会自动缩小",
        "review": "三审：初审、复审、终审各由对应的审核人填上自己的姓名；三审都填上后才发布",
        "draft": "选「是」则这一条不会发布",
        "pinned": "选「是」则显示在列表最前面",
    },
    "notes": {"review": "三审：初审、复审、终审各由对应的审核人填上自己的姓名；三审都填上后才发布"},
    "bulletins": {"period": "统计时段：2023、2023H1（上半年）、2023Q2（第二季度）或 2023-05"},
}

# What a new record starts with where it differs from the model's default: what `python -m macros
# new` writes for the same kind (macros/templates/starters/), so a record is the same by either road
# (tests/test_desk_browser.py compares them). A new course is on trial until it is taken in.
NEW_RECORD: dict[str, dict[str, Any]] = {"courses": {"status": "trial"}}

# The body of a Markdown record, and the editable slug (the file name after the date).
SLUG_HINT = "文件名里的英文名：小写英文字母、数字和短横线，例如 kaixue-dianli（用标题的拼音即可）"
SLUG_PATTERN = ["^[a-z0-9][a-z0-9-]*$", "只能用小写英文字母、数字和短横线「-」，例如 kaixue-dianli"]


# Kinds whose body is edited as Markdown source (the markdown field's raw mode). A bulletin's body
# is macro calls ({{ … }}, {% … %}): Sveltia's rich-text editor re-writes a body it has edited
# from its own tree (a blank line after `{% set … %}`, `*重点*` as `_重点_`, which inside a
# Chinese word no longer renders as emphasis), MEASUREMENTS.md 2026-12-01 (evening).
SOURCE_BODIES: dict[type, str] = {
    m.Bulletin: "正文按原样保存（Markdown 源码）：{{ … }} 和 {% … %} 是网站自动填入统计数字和列表的写法，"
                "不要改动其中的字；小标题用「## 」开头",
}


# The rich-text editor's buttons: what the site's Markdown renders. Not italic (the editor writes
# `_重点_`, which inside Chinese text stays as written: Python-Markdown's underscores are not
# emphasis within a word), not strikethrough (`~~…~~`: no extension of mkdocs.yml renders it),
# not a first-level heading (the page's title is one).
RICH_BUTTONS = ["bold", "link", "heading-two", "heading-three", "heading-four", "quote",
                "bulleted-list", "numbered-list", "code"]


class DeskError(Exception):
    """A model field the generator cannot turn into a form field (a developer's mistake)."""


@dataclass(frozen=True)
class Kind:
    """One record kind of the desk: a data file (`file`) or a folder of Markdown (`folder`)."""

    name: str
    label: str
    model: type[m.Record]
    file: str = ""
    folder: str = ""
    path: str = ""
    preview: str = ""  # the page's address on the site, for the desk's 预览 link


def kinds(root: Path) -> list[Kind]:
    """Every record kind an editor writes: the pages first, then the data files of load.py."""
    pages = [Kind("news", "新闻", m.NewsItem, folder="docs/news", path="{{fields.date | date('YYYY')}}/{{fields.date | date('YYYY-MM-DD')}}-{{slug}}",
                  preview="news/{{year}}/{{slug}}/")]
    for column_id, column_name in _columns(root):
        pages.append(Kind(f"notes-{column_id}", f"学习笔记·{column_name}", m.Note, folder=f"docs/notes/{column_id}",
                          path="{{fields.date | date('YYYY-MM-DD')}}-{{slug}}", preview=f"notes/{column_id}/{{{{slug}}}}/"))
    pages.append(Kind("bulletins", "简报", m.Bulletin, folder="docs/bulletins", path="{{slug}}",
                      preview="bulletins/{{slug}}/"))
    data = [Kind(name, what, model, file=f"data/{name}.yaml") for name, (model, what) in DATA_FILES.items()]
    data.append(Kind("leaders", "学校领导", m.Leader, file=LEADERS_FILE))  # no ids: one person in one post each
    return pages + data


def _columns(root: Path) -> list[tuple[str, str]]:
    """The study-note columns of data/columns.yaml (one collection each: the folder is the column)."""
    try:
        records = yaml.safe_load((root / "data" / "columns.yaml").read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError):
        return []
    return [(str(r["id"]), str(r.get("name") or r["id"])) for r in records
            if isinstance(r, dict) and isinstance(r.get("id"), str) and m.ID_PATTERN.match(r["id"])]


# --- fields ------------------------------------------------------------------------


def fields_of(model: type[BaseModel], kind: str, nested: bool = False) -> list[dict]:
    """The form fields of every field of `model` an editor writes, in the model's order."""
    names = model.input_fields() if issubclass(model, m.Record) else list(model.model_fields)
    if nested:  # a note on a review step or an award is not a thing anyone writes
        names = [name for name in names if name != "internal"]
    elif "internal" in names:  # the editors' own note comes last in the form
        names = [name for name in names if name != "internal"] + ["internal"]
    return [field(name, model.model_fields[name], kind) for name in names]


def field(name: str, info: FieldInfo, kind: str) -> dict:
    out: dict[str, Any] = {"name": name, "label": info.description or name}
    out["required"] = info.is_required() or _min_length(info) > 0
    hint = HINTS.get(kind, {}).get(name) or HINTS["*"].get(name)
    if hint:
        out["hint"] = hint
    out.update(widget(name, info.annotation, info, kind))
    if out["widget"] == "object" and not any(f["required"] for f in out["fields"]):
        out["required"] = True  # shown open, not behind an "add" box: 三审's steps are filled one by one
    # No `default`: Sveltia fills a field's default into every record of a file that lacks the
    # field, and writes it out on save (`mode: offline` in every training class). Left empty, an
    # optional field is left out of the file (output.omit_empty_optional_fields) and the model's
    # default applies, as the hint says.
    if not out["required"] and info.default is not PydanticUndefined and info.default not in (None, "", [], False):
        shown = next((o["label"] for o in out.get("options", []) if isinstance(o, dict) and o["value"] == info.default),
                     info.default)
        out["hint"] = (out.get("hint", "") + "；" if out.get("hint") else "") + f"不选即为「{shown}」"
    if name in NEW_RECORD.get(kind, {}):
        # what `new` writes for a new record, chosen in the form (a default would be written into
        # every record that does not have the field): the hint names the value to pick
        out["required"] = True
        shown = next((o["label"] for o in out.get("options", []) if isinstance(o, dict) and o["value"] == NEW_RECORD[kind][name]),
                     NEW_RECORD[kind][name])
        out["hint"] = (out.get("hint", "") + "；" if out.get("hint") else "") + f"新加的一条选「{shown}」"
    return out


def widget(name: str, annotation: Any, info: FieldInfo, kind: str) -> dict:
    """The widget for a type; `info` carries the validators (choices) pydantic keeps as metadata."""
    options = choices(info)
    base, optional = _unwrap(annotation)
    if options is not None:
        return {"widget": "select", "options": options}
    if name in REFERENCES and base in (str, list):
        target = REFERENCES[name]
        shown = "title" if target == "courses" else "name"
        return {"widget": "relation", "collection": target, "file": target,
                "value_field": f"{target}.*.id", "search_fields": [f"{target}.*.{shown}", f"{target}.*.id"],
                "display_fields": [f"{target}.*.{shown}"], "multiple": base is list,
                **({"min": _min_length(info)} if base is list and _min_length(info) else {})}
    if name == "id":
        return {"widget": "string", "pattern": ID_PATTERN}
    if name == "internal":  # written as 联系人: …, 备注: … (EDITING.md); a text box would drop such a note
        return {"widget": "keyvalue", "key_label": "事项", "value_label": "内容"}
    if name in ("cover", "photo"):
        return {"widget": "image", "accept": "image/jpeg,image/png,image/webp"}  # what load.py accepts
    if any(getattr(meta, "func", None) is m.to_ratio for meta in _metadata(info)):
        # text, not a number box: 0.96 and 96% are both right (models.to_ratio); a number box drops 96%
        return {"widget": "string", "pattern": [r"^\s*(0(\.\d+)?|1(\.0+)?|\d{1,3}(\.\d+)?\s*%)\s*$",
                                                "写 0 到 1 之间的小数（如 0.96），或百分数（如 96%）"]}
    if base is m.ReviewStep:  # a step is signed with the reviewer's name (models.to_step reads it)
        return {"widget": "string"}
    if isinstance(base, type) and issubclass(base, BaseModel):
        return {"widget": "object", "collapsed": False, "fields": fields_of(base, kind, nested=True)}
    if base is bool:
        # a choice of 是/否, not a switch: a switch has no "not written" and writes `draft: false`
        # into every record without the flag; an empty choice is left out of the file
        return {"widget": "select", "options": [{"label": "是", "value": True}, {"label": "否", "value": False}]}
    if base is dt.date:
        return {"widget": "datetime", "time_format": False, "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD"}
    if _is_year(info, annotation):
        return {"widget": "number", "value_type": "int", "min": 1949, "max": 2100}
    if base is int:
        return {"widget": "number", "value_type": "int", **_bounds(info)}
    if base is float:
        return {"widget": "number", "value_type": "float", **_bounds(info)}
    if base is list:
        return {"widget": "list", **({"min": _min_length(info)} if _min_length(info) else {})}
    if base is str or base is Any:
        return {"widget": "text" if name in LONG_TEXT else "string"}
    raise DeskError(f"{kind}.{name}: no form widget for the type {annotation!r}; add one in macros/editorial/desk.py")


def choices(info: FieldInfo) -> list | None:
    """The options of a choice field, from the very validators models.py checks with:
    `choice({"original": "原创"})` → [{label: 原创, value: original}], `one_of((…))` → the list,
    a bare Literal → its values. None if the field is not a choice."""
    for meta in _metadata(info):
        function = getattr(meta, "func", None)
        if function is None:
            continue
        closure = inspect.getclosurevars(function).nonlocals
        options = closure.get("options")
        if isinstance(options, dict):
            return [{"label": label, "value": value} for value, label in options.items()]
        if isinstance(options, tuple):
            return list(options)
    base, _ = _unwrap(info.annotation)
    if typing.get_origin(base) is Literal:
        return list(typing.get_args(base))
    return None


def _metadata(info: FieldInfo) -> list:
    """The validators of a field: its own, and those of the Annotated types inside Optional[…]."""
    found = list(info.metadata)
    stack = [info.annotation]
    while stack:
        current = stack.pop()
        if typing.get_origin(current) is typing.Annotated:
            found += list(current.__metadata__)
            stack.append(typing.get_args(current)[0])
        elif typing.get_origin(current) in (Union, types.UnionType):
            stack += list(typing.get_args(current))
    return found


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """Optional[Annotated[X, …]] → (X, True); list[...] → list; a Literal stays a Literal."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = True
            if len(args) != 1:
                return annotation, optional
            annotation = args[0]
        elif origin is list:
            return list, optional
        else:
            return annotation, optional


def _is_year(info: FieldInfo, annotation: Any) -> bool:
    return any(getattr(meta, "func", None) is m.to_year for meta in _metadata(info))


def _min_length(info: FieldInfo) -> int:
    return max([getattr(meta, "min_length", 0) or 0 for meta in info.metadata] or [0])


def _bounds(info: FieldInfo) -> dict:
    for meta in info.metadata:
        if getattr(meta, "gt", None) is not None:
            return {"min": meta.gt + 1 if isinstance(meta.gt, int) else meta.gt}
        if getattr(meta, "ge", None) is not None:
            return {"min": meta.ge}
    return {}


# --- the configuration -------------------------------------------------------------


def collection(kind: Kind) -> dict:
    fields = fields_of(kind.model, kind.name)
    if kind.file:
        fields = [_kept_as_written(f) if f["name"] == "internal" else f for f in fields]
        return {"name": kind.name, "label": kind.label, "files": [{
            "name": kind.name, "label": kind.label, "file": kind.file, "format": "yaml",
            "fields": [{"name": kind.name, "label": kind.label, "label_singular": kind.label,
                        "widget": "list", "root": True, "collapsed": True,
                        "summary": ("{{fields.%s}}（{{fields.id}}）" % _shown_field(kind.model)
                                    if "id" in kind.model.model_fields else "{{fields.post}} {{fields.name}}"),
                        "fields": fields}],
        }]}
    out: dict[str, Any] = {
        "name": kind.name, "label": kind.label, "label_singular": kind.label,
        "folder": kind.folder, "path": kind.path, "extension": "md", "format": "frontmatter",
        "create": True, "identifier_field": "title",
        "slug": {"editable": ["create"], "hint": SLUG_HINT, "pattern": SLUG_PATTERN},
        "summary": "{{fields.date}} {{fields.title}}", "sortable_fields": ["date", "title"],
        "fields": fields + [{"name": "body", "label": "正文", "widget": "markdown", "required": True,
                             "hint": "正文。小标题用「## 」开头；图片可直接插入"}],
    }
    if kind.model in SOURCE_BODIES:  # the body as typed: no rich-text round trip over its macros
        out["fields"][-1].update({"modes": ["raw"], "hint": SOURCE_BODIES[kind.model]})
    else:
        out["fields"][-1]["buttons"] = RICH_BUTTONS
    if kind.preview:  # the page on the site (with `make desk`, the preview: its problems in Chinese)
        out["preview_path"] = kind.preview
        out["preview_path_date_field"] = "date"
    if kind.model is m.NewsItem:  # a cover is written relative to the news file: images/kaixue.jpg
        out["media_folder"] = "../images"
        out["public_folder"] = "images"
    return out


def _kept_as_written(form: dict) -> dict:
    """The editors' note of a record in a data file: kept as it is written, not shown. Sveltia
    0.221.1's key-value field inside a list writes `internal: null` into every record it draws
    without a note (its "enable validation" placeholder escapes omit_empty_optional_fields there)."""
    return {"name": form["name"], "label": form["label"], "widget": "hidden"}


def _shown_field(model: type[BaseModel]) -> str:
    return "name" if "name" in model.model_fields else "title"


def config(root: Path | str, config_file: str = configuration.DEFAULT_FILE, site_url: str | None = None) -> dict:
    """admin/config.yml: the backend from mkdocs.yml's `extra: desk:`, one collection per kind.
    `site_url`: where the desk's 预览 links go (default mkdocs.yml's site_url; `make desk`: the
    local preview, which shows a page with problems as the list of them, in Chinese)."""
    root = Path(root)
    settings = configuration.read(root, config_file)
    desk = settings.extra.get("desk") if isinstance(settings.extra.get("desk"), dict) else {}
    backend = {
        "name": "gitlab",
        "repo": str(desk.get("repo") or "school/site"),
        "branch": str(desk.get("branch") or "main"),
        "auth_type": "pkce",
        "app_id": str(desk.get("app_id") or "not-configured"),  # without a GitLab, the local mode only
        "base_url": str(desk.get("base_url") or "https://gitlab.example.cn"),
        "commit_messages": {
            "create": "新建{{collection}}「{{slug}}」（编辑台）",
            "update": "修改{{collection}}「{{slug}}」（编辑台）",
            "delete": "删除{{collection}}「{{slug}}」（编辑台）",
            "uploadMedia": "上传图片「{{path}}」（编辑台）",
            "deleteMedia": "删除图片「{{path}}」（编辑台）",
        },
    }
    backend["api_root"] = str(desk.get("api_root") or backend["base_url"].rstrip("/") + "/api/v4")
    site_url = site_url or settings.site_url
    return {
        "backend": backend,
        "publish_mode": "editorial_workflow",
        "media_folder": "docs/assets/uploads",
        "public_folder": "/assets/uploads",
        "app_title": f"{settings.site_name or '网站'} 编辑台",
        **({"site_url": site_url, "display_url": site_url} if site_url else {}),
        "slug": {"encoding": "ascii", "clean_accents": True},
        # a field left empty is left out of the file, as an editor writing it by hand would
        "output": {"omit_empty_optional_fields": True},
        "collections": [_signed_by(collection(kind), _reviewers(settings)) for kind in kinds(root)],
    }


def _reviewers(settings: configuration.Config) -> dict[str, str]:
    """Who signs each step of 三审 (mkdocs.yml, extra.publishing.reviewers)."""
    publishing = settings.extra.get("publishing")
    reviewers = publishing.get("reviewers") if isinstance(publishing, dict) else None
    if not isinstance(reviewers, dict):
        return {}
    return {step: "、".join(map(str, who)) if isinstance(who, (list, tuple)) else str(who)
            for step, who in reviewers.items() if who}


def _signed_by(out: dict, reviewers: dict[str, str]) -> dict:
    """The review steps' hints: who fills each one in, as the publishing rules name them."""
    for field_ in out.get("fields", []):
        if field_["name"] == "review":
            for step in field_["fields"]:
                who = reviewers.get(step["name"]) or ("本板块（专栏）的责任编辑" if step["name"] == "first" else "")
                example = who.split("、")[0] if who and "责任编辑" not in who else "张敏"
                step["hint"] = ((f"由{who}签发：" if who else "审核人签发后") + f"填姓名、空格和日期，例如 {example} 2026-03-05")
    return out


def junit(problems: list, suite: str = "内容检查") -> str:
    """`check`'s problems as a JUnit report: GitLab shows each, in Chinese, on the merge request
    the desk opened (the test report of its pipeline), with no token and no bot."""
    from xml.etree import ElementTree as ET

    root = ET.Element("testsuites")
    cases = ET.SubElement(root, "testsuite", name=suite, tests=str(max(1, len(problems))),
                          failures=str(len(problems)))
    if not problems:
        ET.SubElement(cases, "testcase", classname=suite, name="全部内容通过检查")
    for problem in problems:
        where = problem.file + (f" 第 {problem.line} 行" if problem.line else "")
        case = ET.SubElement(cases, "testcase", classname=problem.file,
                             name="，".join(filter(None, [where, problem.record, problem.field])))
        ET.SubElement(case, "failure", message=problem.message).text = str(problem)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def dump(data: dict) -> str:
    head = ("# 编辑台（/admin/）的配置：由 `python -m macros desk-config` 从 macros/content/models.py 生成，"
            "请勿手改。\n")
    return head + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


class _Dumper(yaml.SafeDumper):
    """Writes a shared list twice rather than as a YAML anchor and alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write(root: Path | str, site_dir: Path | str, config_file: str = configuration.DEFAULT_FILE,
          modules: Path | str | None = None, site_url: str | None = None) -> list[str]:
    """Put the desk into a built site (site/admin/): the page, the shim, the configuration and
    the CMS from node_modules (under `modules`, by default the project root). Returns what it
    could not do (the CMS not installed), in Chinese; writes nothing outside SITE_DIR/admin/."""
    root, site = Path(root), Path(site_dir)
    admin = site / "admin"
    modules = Path(modules) if modules is not None else root
    package = modules / CMS_PACKAGE
    if not (package / CMS_SCRIPT).is_file() or not all((modules / font).is_file() for font in CDN_FONTS.values()):
        if admin.exists():
            shutil.rmtree(admin)
        return [f"没有生成编辑台 /admin/：找不到 {CMS_PACKAGE}（请先运行 `npm ci`，或 `make desk-assets`）"]
    admin.mkdir(parents=True, exist_ok=True)
    for item in ADMIN_SOURCE.iterdir():
        shutil.copyfile(item, admin / item.name)
    (admin / "config.yml").write_text(dump(config(root, config_file, site_url)), encoding="utf-8")
    for name in CMS_FILES:
        target = admin / Path(name).relative_to("dist") if name.startswith("dist/") else admin / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(package / name, target)
    _add_strings(admin / "locales" / "zh-CN.json")
    (admin / "fonts").mkdir(exist_ok=True)
    for font in CDN_FONTS.values():
        shutil.copyfile(modules / font, admin / "fonts" / Path(font).name)
    (admin / "sveltia-cms.js").write_text(local_script((package / CMS_SCRIPT).read_text(encoding="utf-8")),
                                          encoding="utf-8")
    return []


def _add_strings(path: Path) -> None:
    """LOCALE_ADDED into the copied locale file, where the package has no string of its own."""
    import json

    strings = json.loads(path.read_text(encoding="utf-8"))
    for key, text in LOCALE_ADDED.items():
        *parents, last = key.split(".")
        node = strings
        for part in parents:
            node = node.setdefault(part, {})
        node.setdefault(last, text)
    path.write_text(json.dumps(strings, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def local_script(script: str) -> str:
    """The CMS's script with its fonts from /admin/fonts/; DeskError if an address is not there
    (a newer CMS asks for other fonts: look at what it loads before pinning it)."""
    for url, font in CDN_FONTS.items():
        if url not in script:
            raise DeskError(f"the CMS no longer loads {url}: check what it loads from other hosts")
        script = script.replace(url, "fonts/" + Path(font).name)
    if "cdn.jsdelivr.net/fontsource" in script:
        raise DeskError("the CMS loads a font from jsDelivr not in CDN_FONTS")
    return script
