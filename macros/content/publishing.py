"""The publishing rules of `mkdocs.yml` → `extra: publishing:`, read without MkDocs.

    extra:
      publishing:
        review_required: true          # 三审：未经初审、复审、终审的新闻和笔记不发布
        reviewers:                     # 每一步可以签发的人，写姓名名单
          first: [王晓燕]              # 初审：另外各板块、专栏的责任编辑（data/ 里的 editor）都可初审
          second: [张敏]
          final: [李建国]
        public_numbers: [0899-6612301]  # 学校公开的电话，自查时不算个人信息

The loader, `check` and `inspect` read the same file MkDocs reads, so a build and a check
never disagree about what is published.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from . import config as configuration
from . import models as m
from .validate import validate
from .yamlsrc import Mapping

CONFIG = "mkdocs.yml"


def to_names(value):
    """`final: 林国栋` or `final: [林国栋, 许慧敏]`: a list of names either way."""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return [str(value)]
    return value


def one_person(name: str) -> str:
    """A name, not a role or several names: 「副校长 许慧敏」 or 「张敏、王磊」 is refused."""
    name = name.strip()
    if re.search(r"[\s\u3000、，,;；/]", name):
        raise PydanticCustomError(
            "bad_reviewer", "「{name}」不是一个姓名：每一步写能签发的人的姓名名单，例如 [许慧敏] 或 [许慧敏, 林国栋]，"
            "不写职务，几个人用逗号隔开写在方括号里", {"name": name})
    return name


Names = Annotated[list[Annotated[m.Text, AfterValidator(one_person)]], BeforeValidator(to_names)]


class Reviewers(m.Record):
    """Who may sign off each step: lists of names (`python -m macros review` shows them, and
    with `review_required` a step signed by anyone else is a problem)."""

    first: Names = Field(default_factory=list, description="初审")
    second: Names = Field(default_factory=list, description="复审")
    final: Names = Field(default_factory=list, description="终审")


class PublishingConfig(m.Record):
    review_required: m.Flag = Field(False, description="是否要求三审后才发布")
    reviewers: Reviewers = Field(default_factory=Reviewers, description="审核人")
    public_numbers: m.Refs = Field(default_factory=list, description="学校公开的电话号码")
    show_review: m.Flag = Field(False, description="文末显示编辑、审核、签发")


@dataclass(frozen=True)
class Publishing:
    review_required: bool = False
    reviewers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # step → who may sign it
    public_numbers: frozenset[str] = frozenset()  # digits only
    line: int = 0  # of `reviewers:` (else `publishing:`) in the configuration file, for problems about them
    show_review: bool = False  # 编辑 / 审核 / 签发 printed under each article


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def read(root: Path, out, config_file: str = CONFIG) -> Publishing:
    """The settings of the configuration file (mkdocs.yml, or the build's -f); problems go to
    `out` (a load.Collector)."""
    settings = configuration.read(root, config_file)
    if not settings.readable:
        return Publishing()  # MkDocs reports a broken mkdocs.yml itself
    data = settings.data
    extra = data.get("extra")
    section = extra.get("publishing") if isinstance(extra, Mapping) else None
    if section is None:
        return Publishing()
    line = extra.lines.get("publishing", extra.line)
    config = validate(out, PublishingConfig, section, config_file, line)
    if config is None:
        return Publishing()
    reviewers = {step: tuple(who) for step, who in config.reviewers.model_dump().items() if who}
    return Publishing(config.review_required, reviewers, frozenset(digits(n) for n in config.public_numbers),
                      section.lines.get("reviewers", line), config.show_review)
