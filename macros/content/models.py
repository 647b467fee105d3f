"""One typed model per record kind: read this file to learn the data model.

Values are normalised at the door: dates become `datetime.date`, 原创/转载 and
the other Chinese spellings become their enum values, a single topic becomes a
list. References (section, column, topic, instructor) are kept as written here
and resolved to ids by `load.py`, which knows every file.

Fields marked `derived` are computed by the loader (file name, URL …); an
editor who writes one of them gets an "unknown field" message.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, ClassVar, Literal, NamedTuple, Optional, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from .problems import closest, shown

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

COURSE_CATEGORIES = ("理论教育", "党性教育", "专业化能力", "知识拓展", "履职能力", "综合素养")
COURSE_FORMATS = (
    "讲授式", "研讨式", "案例式", "情景模拟", "现场教学", "访谈教学", "体验式", "翻转课堂",
    "结构化研讨", "专题讲座", "音像教学", "实践锻炼",
)
INSTRUCTOR_CATEGORIES = (
    "校内教师", "领导干部", "专家学者", "企业经营管理人员", "先进典型人物", "优秀基层干部", "乡土人才",
)
RESEARCH_LEVELS = ("国家级", "省部级", "省级", "市厅级", "市级", "县级", "校级", "横向")


def derived(description: str, default: Any = None) -> Any:
    """A field the loader fills in; editors never write it."""
    return Field(default, description=description, json_schema_extra={"derived": True})


# --- normalisers -----------------------------------------------------------------

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.match(str(value)) if isinstance(value, str) else None
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            pass
    raise PydanticCustomError(
        "bad_date",
        "日期「{value}」无效，应写成 2023-03-06 这样的「年-月-日」，并且是真实存在的日期",
        {"value": shown(value)},
    )


def to_year(value: Any) -> int:
    if isinstance(value, dt.date):
        return value.year
    text = str(value).strip().removesuffix("年")
    if isinstance(value, (int, str)) and not isinstance(value, bool) and re.fullmatch(r"\d{4}", text):
        year = int(text)
        if 1949 <= year <= 2100:
            return year
    raise PydanticCustomError("bad_year", "年份「{value}」无效，应写四位数年份，例如 2023", {"value": shown(value)})


def to_bool(value: Any) -> Any:
    return {"是": True, "否": False}.get(value, value) if isinstance(value, str) else value


def to_list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[,，、]", value) if part.strip()]
    return value


def to_ratio(value: Any) -> Any:
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            return float(value.strip()[:-1]) / 100
        except ValueError:
            return value
    return value


def choice(options: dict[str, str], what: str):
    """An enum written as its value or its Chinese name (`original` or 原创)."""
    aliases = {label: key for key, label in options.items()}

    def normalise(value: Any) -> str:
        text = str(value).strip() if value is not None else ""
        if text in options:
            return text
        if text in aliases:
            return aliases[text]
        expected = "、".join(f"{k}（{v}）" for k, v in options.items())
        guess = closest(text, [*options, *aliases])
        hint = f"；是否是「{guess}」？" if guess else ""
        raise PydanticCustomError(
            "bad_choice",
            "未知的{what}「{value}」，应为 {expected} 之一{hint}",
            {"what": what, "value": shown(value), "expected": expected, "hint": hint},
        )

    normalise.options = tuple(options)  # what `choices` reports
    return BeforeValidator(normalise)


def one_of(options: tuple[str, ...], what: str):
    """A value from a fixed Chinese list (course category, format …)."""

    def check(value: Any) -> str:
        text = str(value).strip() if value is not None else ""
        if text in options:
            return text
        guess = closest(text, options)
        if guess:
            raise PydanticCustomError(
                "bad_choice", "未知的{what}「{value}」，是否是「{guess}」？",
                {"what": what, "value": shown(value), "guess": guess},
            )
        raise PydanticCustomError(
            "bad_choice", "未知的{what}「{value}」，应为 {expected} 之一",
            {"what": what, "value": shown(value), "expected": "、".join(options)},
        )

    check.options = tuple(options)  # what `choices` reports
    return BeforeValidator(check)


def not_before(start: str):
    """A field validator: this date is not earlier than the field `start` (结业 after 开班, 结项
    after 立项, 离任 after 任职); the message names both by their descriptions."""
    def check(cls, value: Optional[dt.date], info: ValidationInfo) -> Optional[dt.date]:
        begun = info.data.get(start)
        if value and begun and value < begun:
            end_label, start_label = cls.model_fields[info.field_name].description, cls.model_fields[start].description
            raise PydanticCustomError(
                "bad_range", "{end_label} {end} 早于{start_label} {start}，应不早于{start_label}",
                {"end_label": end_label, "start_label": start_label, "end": value.isoformat(), "start": begun.isoformat()})
        return value
    return check


def choices(model: type[BaseModel], name: str) -> tuple[str, ...] | None:
    """The allowed values of a field written with `choice` or `one_of`, from the model itself:
    what file headers, the guide and the starters list (and tests hold them to)."""
    info = model.model_fields.get(name)
    for meta in (info.metadata if info else ()):
        options = getattr(getattr(meta, "func", None), "options", None)
        if options is not None:
            return options
    return None


def _id(value: Any) -> str:
    if isinstance(value, str) and ID_PATTERN.match(value):
        return value
    raise PydanticCustomError(
        "bad_id",
        "编号「{value}」不合规范，只能用小写英文字母、数字和短横线「-」，例如 xi-thought-01",
        {"value": shown(value)},
    )


Day = Annotated[dt.date, BeforeValidator(to_date)]
Year = Annotated[int, BeforeValidator(to_year)]
Flag = Annotated[bool, BeforeValidator(to_bool)]
Id = Annotated[str, BeforeValidator(_id)]
def to_text(value: Any) -> Any:
    """A title such as 2024 is read by YAML as a number; it is still text."""
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


Text = Annotated[str, BeforeValidator(to_text), Field(min_length=1)]
Refs = Annotated[list[Text], BeforeValidator(to_list)]
Source = Annotated[Literal["original", "repost"], choice({"original": "原创", "repost": "转载"}, "来源")]
Kind = Annotated[Literal["full-time", "part-time"], choice({"full-time": "专职", "part-time": "兼职"}, "师资类型")]
TrainingType = Annotated[Literal["main", "social"], choice({"main": "主体班次", "social": "社会培训"}, "班次类型")]
Mode = Annotated[
    Literal["offline", "online", "hybrid"],
    choice({"offline": "线下", "online": "线上", "hybrid": "线上线下结合"}, "办班方式"),
]
Status = Annotated[
    Literal["trial", "active", "retired"], choice({"trial": "试讲", "active": "入库", "retired": "停用"}, "课程状态")
]


class Record(BaseModel):
    """Common to every record: unknown keys are errors; `internal` is never published."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_assignment=False)

    internal: Any = Field(None, description="编辑内部备注（不会出现在网站上）", exclude=True, repr=False)

    @classmethod
    def input_fields(cls) -> list[str]:
        return [
            name for name, info in cls.model_fields.items()
            if not (info.json_schema_extra or {}).get("derived")
        ]

    @classmethod
    def label(cls, name: str) -> str:
        info = cls.model_fields.get(name)
        return info.description if info and info.description else name


# --- data/*.yaml -----------------------------------------------------------------


# The inspection rules for government and party websites (《政府网站与政务新媒体检查指标》):
# a news-type column with nothing new for two weeks, a notice-type one for six months, is stale
SECTION_KINDS = {"news": "动态类", "notice": "公告类", "disclosure": "信息公开类"}
# 信息公开 (预决算公开): once a year
DEFAULT_UPDATE_DAYS = {"news": 14, "notice": 180, "disclosure": 366}
SectionKind = Annotated[Literal["news", "notice", "disclosure"], choice(SECTION_KINDS, "板块类型")]


class Section(Record):
    """A news section (板块), `data/sections.yaml`."""

    id: Id = Field(description="编号")
    name: Text = Field(description="名称")
    description: str = Field("", description="简介")
    kind: SectionKind = Field("news", description="板块类型（动态类或公告类）")
    update_every_days: Optional[int] = Field(None, gt=0, description="至少每隔几天更新一次")
    editor: Optional[str] = Field(None, description="责任编辑")

    @property
    def interval(self) -> int:
        """Days allowed between two items: the section's own, or the inspection's default for its kind."""
        return self.update_every_days or DEFAULT_UPDATE_DAYS[self.kind]


class Column(Record):
    """A study-note column (专栏), `data/columns.yaml`; its notes live in docs/notes/<id>/."""

    id: Id = Field(description="编号")
    name: Text = Field(description="名称")
    description: str = Field("", description="简介")
    editor: Text = Field(description="责任编辑")
    started: Day = Field(description="开栏日期")


class Topic(Record):
    """A topic (专题) shared by every kind of content, `data/topics.yaml`."""

    id: Id = Field(description="编号")
    name: Text = Field(description="名称")
    description: str = Field("", description="简介")
    parent: Optional[Text] = Field(None, description="上级专题")


class Course(Record):
    """A course in the catalog (课程目录), `data/courses.yaml`."""

    id: Id = Field(description="编号")
    title: Text = Field(description="课程名称")
    category: Annotated[str, one_of(COURSE_CATEGORIES, "课程类别")] = Field(description="课程类别")
    format: Annotated[str, one_of(COURSE_FORMATS, "教学形式")] = Field(description="教学形式")
    hours: float = Field(description="课时")
    instructors: Refs = Field(min_length=1, description="授课教师")
    topics: Refs = Field(default_factory=list, description="专题")
    audience: Refs = Field(default_factory=list, description="适用班次")
    required: Flag = Field(False, description="是否必修")
    status: Status = Field("active", description="课程状态")
    since: Year = Field(description="入库年份")
    summary: str = Field("", description="课程简介")

    @field_validator("hours")
    @classmethod
    def _positive_hours(cls, value: float) -> float:
        if value <= 0:
            raise PydanticCustomError("not_positive", "课时应大于 0，写的是「{value}」", {"value": shown(value)})
        return value


class Instructor(Record):
    """A member of the instructor pool (师资库), `data/instructors.yaml`."""

    id: Id = Field(description="编号")
    name: Text = Field(description="姓名")
    kind: Kind = Field(description="专职或兼职")
    category: Annotated[str, one_of(INSTRUCTOR_CATEGORIES, "师资类别")] = Field(description="师资类别")
    title: str = Field("", description="职务或职称")
    organization: str = Field("", description="工作单位")
    expertise: Refs = Field(default_factory=list, description="擅长专题")
    joined: Year = Field(description="入库年份")
    bio: str = Field("", description="个人简介")
    photo: Optional[str] = Field(None, description="照片")


class Training(Record):
    """A training class held (培训班次), `data/trainings.yaml`."""

    id: Id = Field(description="编号")
    name: Text = Field(description="班次名称")
    type: TrainingType = Field(description="班次类型")
    class_type: Text = Field(description="班型")
    start: Day = Field(description="开班日期")
    end: Day = Field(description="结业日期")
    trainees: int = Field(description="培训人次")
    mode: Mode = Field("offline", description="办班方式")
    satisfaction: Annotated[Optional[float], BeforeValidator(to_ratio)] = Field(None, description="满意度")
    topics: Refs = Field(default_factory=list, description="专题")

    _end_after_start = field_validator("end")(not_before("start"))

    @field_validator("trainees")
    @classmethod
    def _not_negative(cls, value: int) -> int:
        if value < 0:
            raise PydanticCustomError("negative", "培训人次不能是负数，写的是「{value}」", {"value": value})
        return value

    @field_validator("satisfaction")
    @classmethod
    def _ratio(cls, value: Optional[float]) -> Optional[float]:
        if value is not None and not 0 <= value <= 1:
            raise PydanticCustomError(
                "bad_ratio", "满意度应在 0 到 1 之间（例如 0.96 或 96% 表示 96%），写的是「{value}」",
                {"value": shown(value)},
            )
        return value

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class Award(Record):
    """An award won by a research project (获奖)."""

    name: Text = Field(description="奖项名称")
    date: Day = Field(description="获奖日期")


class Research(Record):
    """A research project (科研课题), `data/research.yaml`."""

    id: Id = Field(description="编号")
    title: Text = Field(description="课题名称")
    level: Annotated[str, one_of(RESEARCH_LEVELS, "课题级别")] = Field(description="课题级别")
    approved: Day = Field(description="立项日期")
    completed: Optional[Day] = Field(None, description="结项日期")
    award: Optional[Award] = Field(None, description="获奖")
    lead: Text = Field(description="课题负责人")
    topics: Refs = Field(default_factory=list, description="专题")

    _completed_after_approved = field_validator("completed")(not_before("approved"))


class Term(Record):
    """An official formulation and its known wrong forms (规范表述), `data/terms.yaml`."""

    correct: Text = Field(description="正确表述")
    # a list kept whole: a wrong form such as 政治意识、核心意识 contains the list separators
    wrong: Annotated[list[Text], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)] = Field(
        min_length=1, description="错误写法")
    source: str = Field("", description="出处")

    @field_validator("wrong")
    @classmethod
    def _wrong_is_not_part_of_correct(cls, value: list[str], info: ValidationInfo) -> list[str]:
        correct = info.data.get("correct") or ""
        for wrong in value:
            if wrong in correct:
                raise PydanticCustomError(
                    "bad_term", "错误写法「{wrong}」是正确表述「{correct}」的一部分，会把正确的写法也当成错误，请删去或写得更完整",
                    {"wrong": wrong, "correct": correct})
        return value


# --- front matter of docs/**/*.md --------------------------------------------------

REVIEW_STEPS = {"first": "初审", "second": "复审", "final": "终审"}


_SIGNED = re.compile(r"^(?P<name>.+?)[\s\u3000]+(?P<date>\d{4}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}\s*日?)$")


def to_step(value: Any) -> Any:
    """`first: 张敏 2024-01-02` (the name, a space, the day) or `first: 张敏`. A mapping
    `{name: 张敏, date: 2024-01-02}` is refused: the desk shows it empty and drops it on save."""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        signed = _SIGNED.match(str(value).strip())
        if signed:
            return {"name": signed["name"], "date": signed["date"]}
        return {"name": str(value)}
    if isinstance(value, dict):  # the desk (Sveltia CMS) reads a step only as one line: saved there, it would be lost
        shown = " ".join(str(value.get(key, "")) for key in ("name", "date")).strip() or "张敏 2026-03-05"
        raise PydanticCustomError(
            "bad_step", "审核要写在一行里：姓名、空一格、日期，例如「{shown}」；写成 name:、date: 两项的，"
            "编辑台（/admin/）读不出来，在那里一保存这一审就丢了", {"shown": shown})
    return value


class ReviewStep(Record):
    """One step of 三审: who signed it off, and optionally when."""

    name: Text = Field(description="审核人")
    date: Optional[Day] = Field(None, description="审核日期")


Step = Annotated[Optional[ReviewStep], BeforeValidator(to_step)]


class Review(Record):
    """三审：初审、复审、终审 (`review: {first: 张敏, second: 王磊, final: 李建国}`)."""

    first: Step = Field(None, description="初审")
    second: Step = Field(None, description="复审")
    final: Step = Field(None, description="终审")

    def missing(self) -> list[str]:
        """The steps not signed off yet, in order: ["final"]."""
        return [step for step in REVIEW_STEPS if getattr(self, step) is None]


class Page(Record):
    """What every published Markdown record has."""

    title: Text = Field(description="标题")
    date: Day = Field(description="日期")
    draft: Flag = Field(False, description="草稿（不发布）")
    file: str = derived("源文件（相对项目根目录）", "")
    src: str = derived("源文件（相对 docs 目录）", "")
    slug: str = derived("网址中的名称", "")
    url: str = derived("网址", "")
    reading_minutes: int = derived("阅读时间（分钟）", 1)


class NewsItem(Page):
    """A news item (工作动态), docs/news/YYYY/YYYY-MM-DD-slug.md."""

    section: Text = Field(description="板块")
    topics: Refs = Field(default_factory=list, description="专题")
    source: Source = Field("original", description="原创或转载")
    source_name: Optional[str] = Field(None, description="转载来源")
    review: Optional[Review] = Field(None, description="审核（初审、复审、终审）")
    waiting: list[str] = derived("还缺的审核步骤（要求审核时）", [])
    author: Optional[str] = Field(None, description="作者")
    summary: Optional[str] = Field(None, description="摘要")
    cover: Optional[str] = Field(None, description="封面图")
    pinned: Flag = Field(False, description="置顶")
    cover_file: str = derived("封面图文件（绝对路径）", "")
    cover_in_text: bool = derived("正文里也用了封面图", False)
    attachments: Annotated[list["Attachment"], BeforeValidator(to_attachments)] = Field(
        default_factory=list, description="附件")
    video: Optional["Video"] = Field(None, description="视频")
    year: Optional[Year] = Field(None, description="所属年度（信息公开）")
    file_links: list = derived("正文里链接的附件（目标，行号）", [])
    department: Optional[str] = Field(None, description="信息来源（处室）")
    photographer: Optional[str] = Field(None, description="摄影")

    @property
    def cover_name(self) -> str:
        """The cover's variants' file name stem: news-2025-kaixue."""
        return "news-" + self.url.strip("/").split("/", 1)[1].replace("/", "-")


class Note(Page):
    """A study note (学习笔记), docs/notes/<column-id>/YYYY-MM-DD-slug.md."""

    author: Text = Field(description="作者")
    topics: Refs = Field(default_factory=list, description="专题")
    summary: Optional[str] = Field(None, description="摘要")
    review: Optional[Review] = Field(None, description="审核（初审、复审、终审）")
    waiting: list[str] = derived("还缺的审核步骤（要求审核时）", [])
    column: str = derived("专栏", "")
    number: int = derived("在专栏中的篇次", 0)


class Bulletin(Page):
    """A bulletin issue (简报), docs/bulletins/<slug>.md.

    The printed editions' numbers are never written: `total` 总第N期 and `number` 第N期 of its
    year come from the order of the bulletins by date (content/bulletin.py, load.py)."""

    issue: Optional[int] = Field(None, gt=0, description="期号（可以不写：按日期排出的总第N期）")
    period: Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)] = Field(
        description="统计时段")
    summary: Optional[str] = Field(None, description="摘要")
    note: Optional[str] = Field(None, description="编者按")
    report_to: Optional[Refs] = Field(None, description="报（本期另写，代替 mkdocs.yml 中的）")
    copy_to: Optional[Refs] = Field(None, description="送（本期另写）")
    issue_to: Optional[Refs] = Field(None, description="发（本期另写）")
    copies: Optional[int] = Field(None, gt=0, description="共印份数（本期另写）")
    number: int = derived("第N期（当年的期数）", 0)
    total: int = derived("总第N期", 0)


class BulletinSettings(Record):
    """mkdocs.yml → extra.bulletin: the 报头 and 报尾 every printed bulletin carries."""

    name: Text = Field("工作简报", description="简报名称（报头）")
    issuer: Optional[str] = Field(None, description="编发单位（不写则用 filing 的主办单位）")
    report_to: Refs = Field(default_factory=list, description="报（上级机关）")
    copy_to: Refs = Field(default_factory=list, description="送（平级和不相隶属的单位）")
    issue_to: Refs = Field(default_factory=list, description="发（下级单位）")
    copies: Optional[int] = Field(None, gt=0, description="共印份数")


# --- mkdocs.yml: extra.filing, the legally required footer --------------------------

class Province(NamedTuple):
    """A province-level division as the two filing registries write it."""

    name: str
    code: str            # the first two digits of its GB/T 2260 division code, which open a 公网安备 number
    icp: str             # the abbreviation of its ICP numbers (工信部, beian.miit.gov.cn)
    police: tuple[str, ...]  # that of its 公网安备 numbers (公安部, beian.mps.gov.cn), the registry's first


# The 31 of the mainland: 22 provinces, 5 autonomous regions, 4 municipalities. The registries
# differ for three: 四川 蜀ICP备 / 川公网安备, 甘肃 陇ICP备 / 甘公网安备, 贵州 黔ICP备 / 贵公网安备
# (the 公安部's spelling; sites also print 黔公网安备, accepted). 云南 is 滇 in both.
PROVINCES = tuple(Province(name, code, icp, tuple(police)) for name, code, icp, police in (
    ("北京", "11", "京", "京"), ("天津", "12", "津", "津"), ("河北", "13", "冀", "冀"), ("山西", "14", "晋", "晋"),
    ("内蒙古", "15", "蒙", "蒙"), ("辽宁", "21", "辽", "辽"), ("吉林", "22", "吉", "吉"), ("黑龙江", "23", "黑", "黑"),
    ("上海", "31", "沪", "沪"), ("江苏", "32", "苏", "苏"), ("浙江", "33", "浙", "浙"), ("安徽", "34", "皖", "皖"),
    ("福建", "35", "闽", "闽"), ("江西", "36", "赣", "赣"), ("山东", "37", "鲁", "鲁"), ("河南", "41", "豫", "豫"),
    ("湖北", "42", "鄂", "鄂"), ("湖南", "43", "湘", "湘"), ("广东", "44", "粤", "粤"), ("广西", "45", "桂", "桂"),
    ("海南", "46", "琼", "琼"), ("重庆", "50", "渝", "渝"), ("四川", "51", "蜀", "川"), ("贵州", "52", "黔", "贵黔"),
    ("云南", "53", "滇", "滇"), ("西藏", "54", "藏", "藏"), ("陕西", "61", "陕", "陕"), ("甘肃", "62", "陇", "甘"),
    ("青海", "63", "青", "青"), ("宁夏", "64", "宁", "宁"), ("新疆", "65", "新", "新"),
))
ICP_PROVINCES = {p.icp: p for p in PROVINCES}
POLICE_PROVINCES = {abbr: p for p in PROVINCES for abbr in p.police}
BY_CODE = {p.code: p for p in PROVINCES}
ICP_PATTERN = re.compile(r"^(\S)ICP备(\d{6,10})号(?:-(\d{1,4}))?$")
POLICE_PATTERN = re.compile(r"^(\S)公网安备(\d{14})号$")


def _named(char: str) -> Province | None:
    """The province a character written before ICP备/公网安备 means, for a hint: either registry's
    abbreviation, or a character of one province's name only (川, 甘, 云, 贵; not 南 or 西)."""
    return next((p for p in PROVINCES if char == p.icp or char in p.police), None) or next(
        (p for p in PROVINCES if char in p.name and sum(char in q.name for q in PROVINCES) == 1), None)


# 政府网站标识码 (《政府网站发展指引》): ten characters, a local site's six-digit division code and
# four digits, or "bm" and eight digits for a State Council department.
SITE_CODE_PATTERN = re.compile(r"^(?:\d{10}|bm\d{8})$")
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp")


def _compact(value: Any) -> Any:
    """Editors paste filing numbers with spaces and full-width signs: 青ICP备 12345678 号－1."""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        return value
    text = re.sub(r"\s+", "", str(value)).replace("－", "-").replace("—", "-")
    return text.replace("ｉｃｐ", "ICP").replace("icp", "ICP")


def _icp(value: Any) -> str:
    text = _compact(value)
    match = ICP_PATTERN.match(text) if isinstance(text, str) else None
    province = _named(match.group(1)) if match else None
    if match and match.group(1) in ICP_PROVINCES:
        return text
    if province:
        also = "（「{abbr}」是公网安备号的写法）" if match.group(1) in province.police else ""
        raise PydanticCustomError(
            "bad_icp", "ICP备案号「{value}」的省份简称不对：{name}的ICP备案号（工信部）写「{icp}」，不是「{abbr}」" + also
            + "，请对照工信部备案系统给出的号码", {"value": shown(value), "name": province.name, "icp": province.icp,
                                           "abbr": match.group(1)})
    raise PydanticCustomError(
        "bad_icp", "ICP备案号「{value}」格式不对，应写成工信部备案系统给出的号码，例如 青ICP备12345678号-1"
        "（省份简称 + ICP备 + 数字 + 号，网站序号「-1」可省略）", {"value": shown(value)})


def _police(value: Any) -> str:
    text = _compact(value)
    match = POLICE_PATTERN.match(text) if isinstance(text, str) else None
    named = _named(match.group(1)) if match else None
    if not match or not (named or match.group(1) in POLICE_PROVINCES):
        raise PydanticCustomError(
            "bad_police", "公网安备号「{value}」格式不对，应写成 青公网安备63010202000123号"
            "（省份简称 + 公网安备 + 14 位数字 + 号）", {"value": shown(value)})
    abbr, digits = match.groups()
    province = POLICE_PROVINCES.get(abbr)
    if province is None:
        also = "（「{abbr}」是ICP备案号的写法）" if abbr == named.icp else ""
        raise PydanticCustomError(
            "bad_police", "公网安备号「{value}」的省份简称不对：{name}的公网安备号（公安部）写「{police}」，不是「{abbr}」"
            + also + "，请对照公安机关给出的备案编号", {"value": shown(value), "name": named.name,
                                                 "police": named.police[0], "abbr": abbr})
    if digits[:2] != province.code:
        other = BY_CODE.get(digits[:2])
        raise PydanticCustomError(
            "bad_police", "公网安备号「{value}」的数字以 {start} 开头，但「{province}」的地区代码是 {code}（{name}"
            + ("；{start} 是{other}" if other else "；没有以 {start} 开头的省级地区代码") + "），请对照公安机关给出的备案编号",
            {"value": shown(value), "start": digits[:2], "province": abbr, "code": province.code, "name": province.name,
             "other": other.name if other else ""})
    return f"{abbr}公网安备 {digits}号"  # the spelling beian.gov.cn shows


class PolicePending(BaseModel):
    """`police: {pending: true, opened: 2026-12-01}`: the site is open, its 公网安备 number not yet
    issued (the filing is made within 30 days of opening). `filing.py` warns, then refuses."""

    model_config = ConfigDict(frozen=True)

    opened: dt.date


def _police_or_pending(value: Any) -> Any:
    if not isinstance(value, dict):
        return _police(value)
    unknown = sorted(str(k) for k in value if k not in ("pending", "opened"))
    if unknown or value.get("pending") is not True or "opened" not in value:
        raise PydanticCustomError(
            "bad_police_pending", "公网安备号还没有下来时写成 police: {example}"
            "（opened 是网站开通的日期），不是「{value}」",
            {"value": shown(dict(value)), "example": "{pending: true, opened: 2026-12-01}"})
    return PolicePending(opened=to_date(value["opened"]))


def _site_code(value: Any) -> str:
    text = _compact(value)
    text = text.lower() if isinstance(text, str) else text
    if isinstance(text, str) and SITE_CODE_PATTERN.match(text):
        return text
    raise PydanticCustomError(
        "bad_site_code", "网站标识码「{value}」格式不对，应为 10 位：地方网站是 10 位数字（如 6301000012），"
        "国务院部门网站是 bm 加 8 位数字", {"value": shown(value)})


def _phone(value: Any) -> str:
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    digits = re.sub(r"\D", "", text)
    if re.fullmatch(r"[0-9()（）\- ]+", text or "x") and 7 <= len(digits) <= 16:
        return text
    raise PydanticCustomError(
        "bad_phone", "电话「{value}」格式不对，应写成 0971-1234567 这样的号码（只用数字、短横线和括号）",
        {"value": shown(value)})


def _local_image(value: Any) -> str:
    text = str(value).strip() if isinstance(value, str) else ""
    if re.match(r"^[a-z]+:|^//", text, re.I):
        raise PydanticCustomError(
            "bad_image", "党政机关网站标识「{value}」是网址：请把图片下载后放到 docs/assets/ 下，"
            "写它的路径，例如 assets/filing/dzjg.svg（网页不从其他网站加载图片）", {"value": shown(value)})
    if not text.lower().endswith(IMAGE_SUFFIXES):
        raise PydanticCustomError(
            "bad_image", "党政机关网站标识「{value}」应为图片文件（{suffixes}）",
            {"value": shown(value), "suffixes": "、".join(IMAGE_SUFFIXES)})
    return text.lstrip("/")


def _https(value: Any) -> str:
    text = str(value).strip() if isinstance(value, str) else ""
    if re.match(r"^https?://[^\s/]+\.[^\s]+$", text):
        return text
    raise PydanticCustomError(
        "bad_url", "网址「{value}」应以 https:// 或 http:// 开头", {"value": shown(value)})


class Filing(Record):
    """The footer every page carries (mkdocs.yml, `extra: filing:`): who runs the site and its filings."""

    sponsor: Text = Field(description="主办单位")
    organizer: Optional[Text] = Field(None, description="承办单位")
    address: Text = Field(description="地址")
    phone: Annotated[str, BeforeValidator(_phone)] = Field(description="电话")
    icp: Annotated[str, BeforeValidator(_icp)] = Field(description="ICP备案号")
    police: Annotated[Union[str, PolicePending], BeforeValidator(_police_or_pending)] = Field(
        description="公网安备号（未下来时 {pending: true, opened: 开通日期}）")
    site_code: Annotated[str, BeforeValidator(_site_code)] = Field(description="网站标识码")
    conac_logo: Optional[Annotated[str, BeforeValidator(_local_image)]] = Field(
        None, description="党政机关网站标识（本地图片）")
    conac_url: Optional[Annotated[str, BeforeValidator(_https)]] = Field(
        None, description="党政机关网站标识的链接")

    ICP_URL: ClassVar[str] = "https://beian.miit.gov.cn/"

    @property
    def police_pending(self) -> bool:
        """The number is applied for, not issued: the footer leaves it out."""
        return isinstance(self.police, PolicePending)

    @property
    def police_code(self) -> str:
        return "" if self.police_pending else re.sub(r"\D", "", self.police)

    @property
    def police_url(self) -> str:
        return f"https://www.beian.gov.cn/portal/registerSystemInfo?recordcode={self.police_code}"

    @property
    def phone_uri(self) -> str:
        return "tel:" + re.sub(r"[^\d+]", "", self.phone)


# --- attachments and video (news items' front matter) ---------------------------------

# what a notice or a disclosure may attach: documents and archives, nothing a browser runs
ATTACHMENT_TYPES = {".pdf": "PDF", ".docx": "DOCX", ".xlsx": "XLSX", ".doc": "DOC", ".xls": "XLS",
                    ".ofd": "OFD", ".zip": "ZIP"}


def to_attachments(value: Any) -> Any:
    """`attachments: 附件/简章.pdf`, a list of paths, or a list of `{file: …, name: …}`."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        return [{"file": item} if isinstance(item, str) else item for item in value]
    return value


# a path to a file under docs/; a web address is refused by macros/content/attachments.py, which
# reports it with the other files of the item (a validation error here would hide them)
LocalFile = Annotated[str, Field(min_length=1)]


class Attachment(Record):
    """One file a news item offers for download: a path relative to the item's file (or, when it
    starts with /, to docs/) and its Chinese name."""

    file: LocalFile = Field(description="附件文件")
    name: Optional[str] = Field(None, description="附件名称")
    path: str = derived("文件（绝对路径）", "")
    src: str = derived("文件（相对 docs 目录）", "")
    size: int = derived("大小（字节）", 0)

    @property
    def type(self) -> str:
        return ATTACHMENT_TYPES.get(_suffix(self.file), "")

    @property
    def title(self) -> str:
        """The name shown: as written, or the file's own name without its type."""
        return self.name or self.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]

    @property
    def size_label(self) -> str:
        """218 KB, 1.4 MB: as Chinese sites print a file's size."""
        if self.size >= 1024 * 1024:
            return f"{self.size / 1024 / 1024:.1f} MB"
        return f"{max(1, round(self.size / 1024))} KB"


def _suffix(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return "." + base.rsplit(".", 1)[-1].lower() if "." in base else ""


class Video(Record):
    """A video on the item's page (`video: {file: 视频/x.mp4, poster: 视频/x.jpg, captions: 视频/x.vtt}`):
    a local MP4, a poster image and WebVTT captions are all required (无障碍: captions)."""

    file: LocalFile = Field(description="视频文件（MP4）")
    poster: LocalFile = Field(description="封面图（视频播放前显示）")
    captions: LocalFile = Field(description="字幕文件（WebVTT）")
    transcript: Optional[str] = Field(None, description="文字稿（不写时用字幕的文字）")
    title: Optional[str] = Field(None, description="视频标题")
    file_src: str = derived("视频（相对 docs 目录）", "")
    poster_src: str = derived("封面图（相对 docs 目录）", "")
    captions_src: str = derived("字幕（相对 docs 目录）", "")
    poster_file: str = derived("封面图（绝对路径）", "")
    cues: list = derived("字幕的文字", [])


NewsItem.model_rebuild()
# --- data/leaders.yaml, data/departments.yaml: 学校概况 ---------------------------------

# Posts several people hold at once: the deputies (副校长, 副院长 …, but not 常务副校长, one
# person) and the members of the school's committee (校务委员). Every other post has one holder.
def shared_post(post: str) -> bool:
    return post.startswith("副") or "委员" in post


# 2 to 4 Han characters, or a name with a middle dot (少数民族姓名: 阿依·买买提)
_PERSON = re.compile(r"^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff]+·[\u4e00-\u9fff]+$")


def _person(value: Any) -> Any:
    text = re.sub(r"[ \u3000]+", "", value) if isinstance(value, str) else value
    if isinstance(text, str) and _PERSON.match(text):
        return text
    raise PydanticCustomError(
        "bad_person", "姓名「{value}」应为 2 到 4 个汉字（少数民族姓名可用「·」分隔），不带职务或空格，例如 林国栋",
        {"value": shown(value)})


Person = Annotated[str, BeforeValidator(_person)]


class Leader(Record):
    """One person in one post (现任领导, 历任领导), `data/leaders.yaml`. A past holder is kept with
    the day the term ended; the current holders have no `end`."""

    post: Text = Field(description="职务")
    name: Person = Field(description="姓名")
    duties: str = Field("", description="分工")
    start: Day = Field(description="任职日期")
    end: Optional[Day] = Field(None, description="离任日期")
    note: str = Field("", description="说明（如「兼」「挂职」）")

    _end_after_start = field_validator("end")(not_before("start"))

    def holds(self, day: dt.date) -> bool:
        """In the post on `day` (the day of leaving counts as the successor's)."""
        return self.start <= day and (self.end is None or day < self.end)


def _telephone(value: Any) -> str:
    """A landline as schools print it: 0899-6612301, (0899)6612301, 6612301, several with 、."""
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    parts = [p.strip() for p in re.split(r"[、,，;；/]", text)] if text else []
    if parts and all(re.fullmatch(r"(?:0\d{2,3}-|[(（]0\d{2,3}[)）])?\d{7,8}(?:-\d{1,5})?|1[3-9]\d{9}", p) for p in parts):
        return "、".join(parts)
    raise PydanticCustomError(
        "bad_phone", "电话「{value}」格式不对，应写成 0899-6612301 这样的号码（区号-号码，分机可写 -801）；"
        "几个号码用「、」隔开", {"value": shown(value)})


class Department(Record):
    """A department of the school (机构设置), `data/departments.yaml`, in the order written or by `order`."""

    id: Id = Field(description="编号")
    name: Text = Field(description="机构名称")
    duties: str = Field("", description="主要职责")
    telephone: Optional[Annotated[str, BeforeValidator(_telephone)]] = Field(None, description="电话")
    order: Optional[int] = Field(None, description="排列顺序")

    @property
    def telephone_uris(self) -> list[tuple[str, str]]:
        """(number as written, tel: link without the extension) for each number."""
        numbers = (self.telephone or "").split("、") if self.telephone else []
        return [(n, "tel:" + re.sub(r"\D", "", re.sub(r"(\d{7,8})-\d{1,5}$", r"\1", n))) for n in numbers]


# --- mkdocs.yml: extra.privacy, the 个人信息处理规则 ---------------------------------------

# what nginx writes of each request (deploy/nginx: the access log), named for readers
LOGGED = ("访问者的 IP 地址", "访问时间", "访问的页面地址（不含网址中问号后的部分）", "从哪个网页链接过来（来源网页的地址）",
          "浏览器的类型和版本（User-Agent）", "服务器的应答结果和传输的数据量")


class Privacy(Record):
    """The site's 个人信息处理规则 (mkdocs.yml, `extra: privacy:`), published at /privacy/ and linked
    from every footer (网络数据安全管理条例, in force 2025-01-01)."""

    handler: Text = Field(description="个人信息处理者（负责的单位或部门）")
    contact: Text = Field(description="联系方式（电话或邮箱）")
    purpose: Text = Field(description="处理目的")
    log_days: int = Field(gt=0, le=3650, description="服务器日志保存天数")
    collected: Refs = Field(default_factory=lambda: list(LOGGED), description="收集的信息")
    requests: str = Field("", description="查阅、复制、更正、删除的办法")
    reply_days: int = Field(15, gt=0, le=60, description="答复期限（工作日）")
    updated: Optional[Day] = Field(None, description="更新日期")
